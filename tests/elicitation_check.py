"""Fits each elicited parameter again with scipy, on the same objective as
SHELF (least squares on the CDF at the judgements, weighted), from many
starting points, and checks the engine's fit: its sum of squares is no
worse than scipy's best, and where the optimum is well defined its 5th,
50th and 95th percentiles agree. Prints "ok: N fits" or fails.

    python3 tests/elicitation_check.py BASE_JSON
"""
import itertools
import json
import math
import sys

import numpy as np
from scipy import optimize, stats

fits = json.load(open(sys.argv[1]))["elicited"]
assert fits, "no elicited parameter in the base case"


class Family:
    """One family's scipy distribution, its arguments from unconstrained
    theta, and for the mirrored families the upper limit U (X = U − Y).
    The CDF is evaluated without freezing, which costs more than the CDF."""

    def __init__(self, dist, args, upper=None):
        self.dist, self.args, self.upper = dist, args, upper

    def cdf(self, t, x):
        a, kw = self.args(t)
        x = np.asarray(x)
        if self.upper is None:
            return self.dist.cdf(x, *a, **kw)
        return self.dist.sf(self.upper - x, *a, **kw)

    def ppf(self, t, q):
        a, kw = self.args(t)
        q = np.asarray(q)
        if self.upper is None:
            return self.dist.ppf(q, *a, **kw)
        return self.upper - self.dist.ppf(1 - q, *a, **kw)


def family(name, lower, upper, df):
    """The family of an expert's fit, parameterised by unconstrained theta."""
    e = math.exp
    if name == "skew_normal":
        return Family(stats.skewnorm, lambda t: ((t[2],), {"loc": t[0], "scale": e(t[1])}))
    if name == "mirrored_gamma":
        return Family(stats.gamma, lambda t: ((e(t[0]),), {"scale": e(-t[1])}), upper)
    if name == "mirrored_lognormal":
        return Family(stats.lognorm, lambda t: ((e(t[1]),), {"scale": e(t[0])}), upper)
    if name == "normal":
        return Family(stats.norm, lambda t: ((), {"loc": t[0], "scale": e(t[1])}))
    if name == "student_t":
        return Family(stats.t, lambda t: ((df,), {"loc": t[0], "scale": e(t[1])}))
    if name == "lognormal":
        return Family(stats.lognorm, lambda t: ((e(t[1]),), {"loc": lower, "scale": e(t[0])}))
    if name == "gamma":
        return Family(stats.gamma, lambda t: ((e(t[0]),), {"loc": lower, "scale": e(-t[1])}))
    if name == "beta":
        return Family(stats.beta, lambda t: ((e(t[0]), e(t[1])), {"loc": lower, "scale": upper - lower}))
    raise ValueError(name)


class Fitted:
    """A family at scipy's best theta."""

    def __init__(self, fam, theta):
        self.fam, self.theta = fam, theta

    def cdf(self, x):
        return self.fam.cdf(self.theta, x)

    def ppf(self, q):
        return self.fam.ppf(self.theta, q)


def reference(fit):
    """scipy's least-squares fit of one expert's judgements, checked
    against the engine's; gives the frozen reference distribution."""
    v = np.array(fit["values"])
    p = np.array(fit["probabilities"])
    w = np.array(fit["weights"])
    lower = fit["lower"] if fit["lower"] is not None else -math.inf
    upper = fit["upper"] if fit["upper"] is not None else math.inf
    fam = family(fit["family"], lower, upper, fit["df"])

    def sse(t):
        try:
            f = fam.cdf(t, v)
        except (ValueError, OverflowError):
            return math.inf
        s = float(np.sum(w * (f - p) ** 2))
        return s if math.isfinite(s) else math.inf

    # Several starts spread over each family's parameters: scipy's best
    # is the reference.
    name = fit["family"]
    # The mirrored families' inner quantity upper − X, bounded below by 0.
    y = upper - v if name.startswith("mirrored") else v - lower
    spread = float(v.max() - v.min())
    if name in ("normal", "student_t"):
        grid = [(m, math.log(spread * s)) for m in (v.min(), np.median(v), v.max()) for s in (0.1, 0.5, 2)]
    elif name == "skew_normal":
        grid = [(m, math.log(spread * s), a) for m in (v.min(), np.median(v), v.max())
                for s in (0.3, 1) for a in (-3, 0, 3)]
    elif name in ("lognormal", "mirrored_lognormal"):
        y = np.log(y)
        grid = [(m, math.log(s)) for m in (y.min(), np.median(y), y.max()) for s in (0.05, 0.3, 1.5)]
    elif name in ("gamma", "mirrored_gamma"):
        m = float(np.median(y))
        grid = [(math.log(k), math.log(k / m * r)) for k in (1, 4, 16) for r in (0.5, 1, 2)]
    else:
        grid = [(math.log(a), math.log(b)) for a in (0.5, 2, 8) for b in (0.5, 2, 8)]
    best = None
    for start in grid:
        if not math.isfinite(sse(start)):
            continue
        r = optimize.minimize(sse, start, method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-16, "maxiter": 8000, "maxfev": 16000})
        if best is None or r.fun < best.fun:
            best = r
    ours = fit["sum_of_squares"]
    assert ours <= best.fun * (1 + 1e-6) + 1e-14, (fit["parameter"], ours, best.fun)
    # Where the optimum is a point (at least as many judgements as
    # parameters and a unique minimum), the fitted quantiles agree.
    d = Fitted(fam, best.x)
    for q, key in [(0.05, "p5"), (0.5, "p50"), (0.95, "p95")]:
        ref = d.ppf(q)
        assert abs(ref - fit[key]) <= 1e-3 * max(abs(ref), 1e-9), (fit["parameter"], key, fit[key], ref)
    for value, got in zip(v, fit["fitted_probabilities"]):
        assert abs(d.cdf(value) - got) <= 1e-4, (fit["parameter"], value, got, d.cdf(value))
    return d


checked = 0
for parameter in fits:
    refs = []
    for expert in parameter["experts"]:
        expert["parameter"] = parameter["parameter"]
        refs.append(reference(expert))
        checked += 1
    # The pool's percentiles: the mixture of scipy's fits, weighted as the
    # engine weights the experts, has those probabilities there.
    weights = [e["weight"] for e in parameter["experts"]]
    assert abs(sum(weights) - 1) < 1e-12
    for q, key in [(0.05, "p5"), (0.5, "p50"), (0.95, "p95")]:
        mixture = sum(w * d.cdf(parameter[key]) for w, d in zip(weights, refs))
        assert abs(mixture - q) <= 1e-4, (parameter["parameter"], key, mixture, q)
print(f"ok: {checked} fits")
