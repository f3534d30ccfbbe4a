"""The main job of a PSA run, as a health economist would write it in numpy.

Reads the same parameter files, samples every parameter from its
distribution, draws each option's roll-out (hubs joining, opening in a year
of their window or slipping a year, existing hubs folding), evaluates every
option year by year against the comparator, and writes one row per draw to
Parquet with the columns of chh-psa's samples.parquet. Vectorised over
draws; no scenarios, no analyses. It is the peer the benchmark times the
shipped run against (docs/performance.md).

    python3 benches/numpy_peer.py distributions 1000000 out.parquet
"""

import pathlib
import sys
import tomllib

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def load(folder):
    model = {"parameters": {}, "settings": {}}
    for path in sorted(pathlib.Path(folder).glob("*.toml")):
        table = tomllib.loads(path.read_text())
        for key in ("parameters", "settings"):
            model[key].update(table.get(key, {}))
        for key in ("resource", "option", "activity", "hub_type"):
            model.setdefault(key, []).extend(table.get(key, []))
    return model


def sample(parameter, n, rng):
    d = parameter["distribution"]
    family = d["family"]
    if family == "fixed":
        return np.full(n, float(parameter["base"]))
    if family == "beta":
        if "mean" in d:
            m, se = d["mean"], d["se"]
            k = m * (1 - m) / se**2 - 1
            return rng.beta(m * k, (1 - m) * k, n)
        return rng.beta(d["alpha"], d["beta"], n)
    if family == "gamma":
        m, se = d["mean"], d["se"]
        return rng.gamma((m / se) ** 2, se**2 / m, n)
    if family == "triangular":
        return rng.triangular(d["min"], d["mode"], d["max"], n)
    if family == "pert":
        lo, mode, hi = d["min"], d["mode"], d["max"]
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, n)
    raise ValueError(f"family {family} is not in this script")


def value(v, p, n):
    """A cohort field: a number, or the name of a parameter."""
    return p[v] if isinstance(v, str) else np.full(n, float(v))


def schedule(option, types, p, n, years, rng):
    """Hub-years, full-effect hub-years, start-ups and backfill months of
    each hub type (in the files' order), per draw and year."""
    ids = [h["id"] for h in types]
    hub_years = np.zeros((len(types), n, years))
    effective = np.zeros((n, years))
    start_ups = np.zeros((len(types), n, years))
    backfill = np.zeros((len(types), n, years))
    for c in option["cohort"]:
        m = ids.index(c["hub_type"])
        steady = p[types[m]["realisation"]][:, None]
        hubs = c["hubs"]
        if c.get("existing"):
            share = np.ones((n, years)) * hubs
            if "folds_within_months" in c:
                window = value(c["folds_within_months"], p, n)
                fold = rng.random((n, hubs)) * window[:, None]
                share = np.zeros((n, years))
                for t in range(min(years, int(np.ceil(window.max() / 12)))):
                    share[:, t] = np.clip(fold - 12.0 * t, 0, 12).sum(axis=1) / 12
            hub_years[m] += share
            effective += share * steady
            continue
        a, b = c["opens"]
        join = value(c.get("join_probability", 1.0), p, n)
        slip = value(c.get("slip_probability", 0.0), p, n)
        per_year = join / (b - a + 1)
        # Each hub opens in its planned year, the next (slipped), or never:
        # the counts a year are multinomial, drawn as conditional binomials.
        new = np.zeros((n, years))
        left, mass = np.full(n, hubs), np.ones(n)
        for year in range(a, min(b + 1, years) + 1):
            share = per_year * ((year <= b) * (1 - slip) + (year > a) * slip)
            k = rng.binomial(left, np.clip(share / np.maximum(mass, 1e-300), 0, 1))
            new[:, year - 1] = k
            left, mass = left - k, mass - share
        open_ = np.cumsum(new, axis=1)
        first = value(c.get("first_year_realisation", types[m]["realisation"]), p, n)
        hub_years[m] += open_
        effective += (open_ - new) * steady + new * first[:, None]
        if c.get("start_up"):
            start_ups[m] += new
        backfill[m] += new * value(c.get("backfill_months", 0.0), p, n)[:, None]
    return hub_years, effective, start_ups, backfill


def main(folder, n, out, seed=20221101):
    rng = np.random.default_rng(seed)
    model = load(folder)
    parameters, resources, types = model["parameters"], model["resource"], model["hub_type"]
    p = {name: sample(spec, n, rng) for name, spec in parameters.items()}
    years = model["settings"]["horizon_years"]
    benefit = sum(p[a["impact"]] * p[a["unit_cost"]] for a in model["activity"])[:, None]
    running = [sum(p[r["hours"]] * 12 * p[r["rate"]] for r in resources
                   if r["incremental"] and h["id"] in r["hub_types"]) for h in types]
    per_month = [sum(p[r["hours"]] * p[r["rate"]] for r in resources
                     if r["backfilled"] and h["id"] in r["hub_types"]) for h in types]
    net = {}
    for option in model["option"]:
        hub_years, effective, start_ups, backfill = schedule(option, types, p, n, years, rng)
        net[option["id"]] = effective * benefit - sum(
            hub_years[m] * running[m][:, None]
            + start_ups[m] * p["start_up_cost"][:, None]
            + backfill[m] * per_month[m][:, None]
            for m in range(len(types))
        ), hub_years.sum(axis=(0, 2))
    factors = (1 + p["discount_rate"][:, None]) ** -np.arange(1, years + 1)
    comparator = net[model["settings"]["comparator"]][0]
    columns = {"draw": np.arange(n, dtype=np.uint64)}
    columns |= {k: v for k, v in p.items() if parameters[k]["distribution"]["family"] != "fixed"}
    columns |= {f"{k}_hub_years": hy for k, (_, hy) in net.items()}
    for k, (flows, _) in net.items():
        gain = flows - comparator
        columns[f"{k}_nominal_gbp"] = gain.sum(axis=1)
        columns[f"{k}_pv_gbp"] = (gain * factors).sum(axis=1)
    pq.write_table(pa.table(columns), out, compression="snappy")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
