"""Reads results.xlsx as a spreadsheet reader does (openpyxl) and checks
every cell of every sheet against summary.json, field by field, and every
chart's ranges against the table it draws. Prints "ok" or fails.

    python3 tests/workbook_check.py RESULTS_XLSX SUMMARY_JSON
"""
import json
import math
import re
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
s = json.load(open(sys.argv[2]))
checked = 0


def same(got, want, where):
    global checked
    checked += 1
    if want is None or (isinstance(want, float) and not math.isfinite(want)):
        assert got is None, f"{where}: {got!r}, expected a blank cell"
        return
    if isinstance(want, bool):
        want = str(want).lower()
    if isinstance(want, (int, float)):
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{where}: {got!r} is not a number"
        assert got == want, f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def rows(name):
    ws = book[name]
    assert ws.freeze_panes == "A2", f"{name}: header row not frozen"
    assert len(ws.tables) == 1, f"{name}: not one Excel table"
    table = list(ws.tables.values())[0]
    assert table.ref.startswith("A1:"), f"{name}: table at {table.ref}"
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    assert len(header) == len(set(header))
    return [dict(zip(header, r)) for r in values[1:]], ws


def check(name, expected, columns):
    """`expected`: one (key, object) per row; `columns`: header -> getter."""
    got, ws = rows(name)
    assert len(got) == len(expected), f"{name}: {len(got)} rows, expected {len(expected)}"
    for i, (row, want) in enumerate(zip(got, expected)):
        for header, getter in columns.items():
            same(row[header], getter(want), f"{name} row {i + 2} `{header}`")
    return ws


# Run: provenance and headline figures.
run = s["run"]
about = {r["item"]: r["value"] for r in rows("Run")[0]}
for item, want in [
    ("engine", s["engine"]["name"]), ("engine version", s["engine"]["version"]),
    ("summary.json schema version", s["schema_version"]), ("draws", run["samples"]),
    ("seed", str(run["seed"])), ("sampling design", run["sampling_design"]),
    ("parameters sampled", run["uncertainty"]["parameters"]),
    ("roll-out sampled", run["uncertainty"]["rollout"]),
    ("horizon, years", run["horizon_years"]), ("interval level", run["interval_level"]),
    ("values", run["decision_metric"]), ("percentiles", run["percentile_method"]),
    ("parameter files (SHA-256)", run["inputs_hash"]), ("run file (SHA-256)", run["run_file_hash"]),
    ("best option by mean PV", s["best_option_by_mean"]), ("EVPI, £", s["evpi_gbp"]),
    ("EVPI MCSE, £", s["evpi_mcse_gbp"]),
]:
    same(about[item], want, f"Run `{item}`")
split = (s.get("evppi") or {}).get("split")
if split:
    for item, key in [("EVPI learnable (every parameter), £", "learnable_gbp"),
                      ("EVPI learnable standard error, £", "learnable_se_gbp"),
                      ("EVPI irreducible (the roll-out's own chance), £", "irreducible_gbp")]:
        same(about[item], split[key], f"Run `{item}`")
else:
    assert not any(k.startswith("EVPI learnable") for k in about)

pairs = list(s["decision"]["pairs"].items())
check("Answer", pairs, {
    "pair": lambda p: p[0], "A": lambda p: p[1]["a"], "B": lambda p: p[1]["b"],
    "margin m, £": lambda p: p[1]["margin_gbp"],
    "P(A − B > m)": lambda p: p[1]["p_a_beats_b"]["estimate"],
    "MCSE": lambda p: p[1]["p_a_beats_b"]["mcse"],
    "Wilson 95% low": lambda p: p[1]["p_a_beats_b"]["wilson_low"],
    "Wilson 95% high": lambda p: p[1]["p_a_beats_b"]["wilson_high"],
    "verdict": lambda p: p[1]["verdict"],
    "mean A − B, £": lambda p: p[1]["mean_difference_gbp"],
    "mean A − B MCSE, £": lambda p: p[1]["mean_difference_mcse_gbp"],
    "A − B 2.5th percentile, £": lambda p: p[1]["difference_p2_5_gbp"],
    "A − B median, £": lambda p: p[1]["difference_median_gbp"],
    "A − B 97.5th percentile, £": lambda p: p[1]["difference_p97_5_gbp"],
})

options = list(s["options"].items())
option_columns = {
    "option": lambda o: o[0], "name": lambda o: o[1]["name"],
    "base PV, £": lambda o: o[1]["base_case"]["pv_gbp"],
    "mean PV, £": lambda o: o[1]["pv_gbp"]["mean"],
    "mean PV MCSE, £": lambda o: o[1]["pv_gbp"]["mcse_mean"],
    "PV 2.5th percentile, £": lambda o: o[1]["pv_gbp"]["p2_5"],
    "PV median, £": lambda o: o[1]["pv_gbp"]["median"],
    "PV 97.5th percentile, £": lambda o: o[1]["pv_gbp"]["p97_5"],
    "base nominal, £": lambda o: o[1]["base_case"]["nominal_gbp"],
    "mean nominal, £": lambda o: o[1]["nominal_gbp"]["mean"],
    "P(best)": lambda o: o[1]["p_best"]["estimate"],
    "expected loss, £": lambda o: o[1]["expected_loss_gbp"],
}
for k in range(len(options)):
    option_columns[f"P(rank {k + 1})"] = lambda o, k=k: o[1]["p_rank"][k]
check("Options", options, option_columns)

yearly = s["yearly"]["options"]
budget = [(i, y) for i, o in yearly.items() for y in o["years"]]
budget_columns = {"option": lambda r: r[0], "year": lambda r: r[1]["year"],
                  "P(breaks even by this year)": lambda r: r[1]["p_paid_back_by_year"]}
for name, field in [("investment", "investment_gbp"), ("value avoided", "value_avoided_gbp"),
                    ("net value", "net_gbp"), ("cumulative efficiency", "cumulative_net_efficiency_gbp")]:
    for statistic, key in [("base", "base"), ("mean", "mean"), ("2.5th", "p2_5"),
                           ("median", "p50"), ("97.5th", "p97_5")]:
        budget_columns[f"{name} {statistic}, £"] = lambda r, f=field, k=key: r[1][f][k]
ws = check("Budget", budget, budget_columns)
check("Break-even", list(yearly.items()), {
    "option": lambda o: o[0],
    "P(no break-even within the horizon)": lambda o: o[1]["p_never_paid_back"],
    "median break-even year": lambda o: o[1]["median_payback_year"],
})

# Budget charts: one per option but the comparator, each reading its
# option's block of rows and the columns its series name.
header = [c.value for c in ws[1]]
letter = lambda h: openpyxl.utils.get_column_letter(header.index(h) + 1)
others = [i for i in yearly if i != s["yearly"]["comparator"]]
assert len(ws._charts) == len(others), f"{len(ws._charts)} budget charts"
for chart, option in zip(ws._charts, others):
    first = 2 + [r[0] for r in budget].index(option)
    last = first + len(yearly[option]["years"]) - 1
    refs = [x.val.numRef.f for x in chart.series]
    want = [f"Budget!${letter(h)}${first}:${letter(h)}${last}" for h in
            ["net value mean, £", "cumulative efficiency mean, £",
             "cumulative efficiency 2.5th, £", "cumulative efficiency 97.5th, £"]]
    assert [r.replace("'", "") for r in refs] == want, (refs, want)
    cats = chart.series[0].cat.numRef.f.replace("'", "")
    assert cats == f"Budget!${letter('year')}${first}:${letter('year')}${last}", cats

curve = [(k, c) for k, p in pairs for c in p["curve"]]
ws = check("Margin curve", curve, {"pair": lambda r: r[0], "margin m, £": lambda r: r[1]["margin_gbp"],
                                   "P(A − B > m)": lambda r: r[1]["p_a_beats_b"]})
assert len(ws._charts) == 1 and len(ws._charts[0].series) == len(pairs)

bars = s["tornado"]["bars"]
ws = check("Tornado", bars, {
    "parameter": lambda b: b["parameter"], "base value": lambda b: b["base_value"],
    "low value": lambda b: b["low_value"], "high value": lambda b: b["high_value"],
    "range": lambda b: b["range_source"], "outcome at low, £": lambda b: b["outcome_at_low_gbp"],
    "outcome at high, £": lambda b: b["outcome_at_high_gbp"],
    "base case, £": lambda b: s["tornado"]["base_case_gbp"],
    "best at low": lambda b: b["best_at_low"], "best at high": lambda b: b["best_at_high"],
})
shown = min(len(bars), 15)
series = ws._charts[0].series
assert [x.val.numRef.f.replace("'", "") for x in series] == [f"Tornado!$F$2:$F${shown + 1}", f"Tornado!$G$2:$G${shown + 1}"]
assert series[0].cat.strRef.f.replace("'", "") == f"Tornado!$A$2:$A${shown + 1}"

check("Switch points", s["tornado"]["switch_points"], {
    "parameter": lambda p: p["parameter"], "what changes": lambda p: p["kind"],
    "value": lambda p: p["value"], "below": lambda p: p["below"], "above": lambda p: p["above"]})

grid = [(t, i, j) for t in s["two_way"] for j in range(len(t["y_values"])) for i in range(len(t["x_values"]))]
check("Two-way", grid, {
    "across": lambda g: g[0]["parameters"][0], "across value": lambda g: g[0]["x_values"][g[1]],
    "up": lambda g: g[0]["parameters"][1], "up value": lambda g: g[0]["y_values"][g[2]],
    "outcome, £": lambda g: g[0]["outcome_gbp"][g[2]][g[1]],
    "preferred": lambda g: g[0]["preferred"][g[2]][g[1]]})

scenarios = [(sc, i) for sc in s["scenarios"] for i in sc["mean_pv_gbp"]]
check("Scenarios", scenarios, {
    "scenario": lambda r: r[0]["name"], "option": lambda r: r[1],
    "base PV, £": lambda r: r[0]["base_pv_gbp"][r[1]], "mean PV, £": lambda r: r[0]["mean_pv_gbp"][r[1]],
    "P(best)": lambda r: r[0]["p_best"][r[1]]})
scenario_pairs = [(sc, k) for sc in s["scenarios"] for k in sc["pairs"]]
check("Scenario pairs", scenario_pairs, {
    "scenario": lambda r: r[0]["name"], "pair": lambda r: r[1],
    "margin m, £": lambda r: s["decision"]["pairs"][r[1]]["margin_gbp"],
    "P(A − B > m)": lambda r: r[0]["pairs"][r[1]]["estimate"],
    "MCSE": lambda r: r[0]["pairs"][r[1]]["mcse"],
    "verdict": lambda r: r[0]["pair_outcomes"][r[1]]["verdict"],
    "mean A − B, £": lambda r: r[0]["pair_outcomes"][r[1]]["mean_difference_gbp"]})

check("EVPPI", s["evppi"]["rows"], {
    "parameter or group": lambda e: e["name"], "kind": lambda e: e["kind"],
    "members": lambda e: ", ".join(e["members"]), "EVPPI, £": lambda e: e["evppi_gbp"],
    "standard error, £": lambda e: e["se_gbp"], "share of EVPI": lambda e: e["share_of_evpi"]})

points = [(st, p) for st in s["evsi"] for p in st["points"]]
ws = check("EVSI", points, {
    "study": lambda r: r[0]["name"], "size": lambda r: r[1]["size"], "EVSI, £": lambda r: r[1]["evsi_gbp"],
    "cost, £": lambda r: r[1]["cost_gbp"], "net benefit of sampling, £": lambda r: r[1]["enbs_gbp"],
    "study's EVPPI, £": lambda r: r[0]["evppi_gbp"]})
assert len(ws._charts) == 1 and len(ws._charts[0].series) == len(s["evsi"])

check("Parameters", s["parameters"], {
    "parameter": lambda p: p["name"], "description": lambda p: p["description"],
    "unit": lambda p: p["unit"], "base": lambda p: p["base"],
    "distribution as entered": lambda p: p["entered"], "2.5th percentile": lambda p: p["p2_5"],
    "97.5th percentile": lambda p: p["p97_5"], "source": lambda p: p["source"],
    "file": lambda p: p["file"] or None})

# Money is shown as £ with thousands separators, probabilities as 0.000.
answer = book["Answer"]
assert "#,##0" in answer["D2"].number_format and "£" in answer["D2"].number_format
assert answer["E2"].number_format == "0.000"
print(f"ok: {checked} cells")
