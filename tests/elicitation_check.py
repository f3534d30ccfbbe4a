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


class Mirrored:
    """upper − Y for a frozen scipy distribution Y."""

    def __init__(self, inner, upper):
        self.inner, self.upper = inner, upper

    def cdf(self, x):
        return self.inner.sf(self.upper - np.asarray(x))

    def ppf(self, q):
        return self.upper - self.inner.ppf(1 - np.asarray(q))


def family(name, lower, upper, df):
    """(frozen distribution from unconstrained theta, starting grid)."""
    if name == "skew_normal":
        return (lambda t: stats.skewnorm(t[2], loc=t[0], scale=math.exp(t[1]))), None
    if name == "mirrored_gamma":
        return (lambda t: Mirrored(stats.gamma(math.exp(t[0]), scale=math.exp(-t[1])), upper)), None
    if name == "mirrored_lognormal":
        return (lambda t: Mirrored(stats.lognorm(math.exp(t[1]), scale=math.exp(t[0])), upper)), None
    if name == "normal":
        return (lambda t: stats.norm(t[0], math.exp(t[1]))), None
    if name == "student_t":
        return (lambda t: stats.t(df, t[0], math.exp(t[1]))), None
    if name == "lognormal":
        return (lambda t: stats.lognorm(math.exp(t[1]), loc=lower, scale=math.exp(t[0]))), None
    if name == "gamma":
        return (lambda t: stats.gamma(math.exp(t[0]), loc=lower, scale=math.exp(-t[1]))), None
    if name == "beta":
        return (lambda t: stats.beta(math.exp(t[0]), math.exp(t[1]), loc=lower, scale=upper - lower)), None
    raise ValueError(name)


def reference(fit):
    """scipy's least-squares fit of one expert's judgements, checked
    against the engine's; gives the frozen reference distribution."""
    v = np.array(fit["values"])
    p = np.array(fit["probabilities"])
    w = np.array(fit["weights"])
    lower = fit["lower"] if fit["lower"] is not None else -math.inf
    upper = fit["upper"] if fit["upper"] is not None else math.inf
    build, _ = family(fit["family"], lower, upper, fit["df"])

    def sse(t):
        try:
            f = build(t).cdf(v)
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
    d = build(best.x)
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
