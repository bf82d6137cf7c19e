"""A good plan fast: the model restricted to each firm's most promising pairs (its *core*).

On a province-sized model HiGHS spends minutes in presolve before it finds any plan of its
own. The core keeps, for each of the `MAX_FIRMS` firms worth most at their best pair, its best `K_SITES` parks and, for each
region it could produce in, its best `K_LOCATIONS` zones (by the model's objective
coefficients), plus the pairs of the greedy plan. That model is a few percent of the whole,
HiGHS solves it well within a share of the time limit, and every plan of it is a plan of the
whole model (the other pairs are simply not used), checked row by row by `residual` before
it is handed to the full solve as its starting solution.
"""

from __future__ import annotations

import time
from collections import defaultdict

import highspy
import numpy as np

from .data import ModelData
from .matrix import MatrixModel, build_matrix
from .solve_direct import decisions, residual, values_of

K_SITES = 4  # parks kept per firm
K_LOCATIONS = 3  # production zones kept per firm and region
MAX_FIRMS = 2_000  # the most valuable firms (at their best pair) kept, besides must-place


def core_pairs(d: ModelData, mm: MatrixModel, start: np.ndarray | None
               ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The incubation and production pairs of the core, in the whole model's order."""
    cost = mm.col_cost
    inc_of, prod_of = defaultdict(list), defaultdict(list)
    for (f, s), c in mm.x.items():
        inc_of[f].append((cost[c], s))
    for (f, p), c in mm.z.items():
        prod_of[f].append((cost[c], p))
    strict = d.policy["return_rule"] == "strict"
    keep_inc, keep_prod = set(), set()
    best = {f: max(inc_of[f])[0] + max(prod_of[f])[0] for f in d.firms
            if inc_of[f] and prod_of[f]}
    ranked = sorted(best, key=lambda f: (not d.firms[f].must_place, -best[f]))
    for f in ranked[:max(MAX_FIRMS, sum(d.firms[f].must_place for f in best))]:
        if best[f] <= 0 and not d.firms[f].must_place:
            break  # never worth placing, even at its best pair
        sites = sorted(inc_of[f], reverse=True)[:K_SITES]
        zones = sorted(prod_of[f], reverse=True)
        keep_inc.update((f, s) for _, s in sites)
        if strict:  # production in a sponsor's region: the best zones of each
            per_region = defaultdict(list)
            for v, p in zones:
                per_region[d.locations[p].region].append(p)
            for _, s in sites:
                keep_prod.update((f, p) for p in
                                 per_region[d.sites[s].sponsor][:K_LOCATIONS])
        else:
            keep_prod.update((f, p) for _, p in zones[:K_LOCATIONS])
    if start is not None:  # the greedy plan stays a plan of the core
        keep_inc.update(k for k, c in mm.x.items() if start[c] > 0.5)
        keep_prod.update(k for k, c in mm.z.items() if start[c] > 0.5)
    return ([k for k in mm.x if k in keep_inc], [k for k in mm.z if k in keep_prod])


def core_plan(d: ModelData, mm: MatrixModel, time_limit_s: float,
              start: np.ndarray | None = None, threads: int | None = None
              ) -> tuple[np.ndarray | None, str]:
    """The core's best plan within `time_limit_s`, as columns of `mm` (None if it has none),
    and a line saying what was solved."""
    inc, prod = core_pairs(d, mm, start)
    sub = build_matrix(d, (inc, prod))
    h = sub.to_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(d.policy["mip_gap"]))
    if threads:
        h.setOptionValue("threads", int(threads))
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(values_of(sub, decisions(mm, start)))
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    size = f"{len(inc):,} of {len(mm.x):,} incubation and {len(prod):,} of {len(mm.z):,} " \
           "production pairs"
    if h.getInfo().primal_solution_status != 2:
        return None, f"core of {size}: no plan"
    values = np.array(h.getSolution().col_value)
    ints = np.array(sub.col_int, dtype=bool)
    values[ints] = np.round(values[ints])
    plan = values_of(mm, decisions(sub, values))
    if residual(mm, plan) is not None:
        return None, f"core of {size}: its plan failed the check"
    return plan, f"core of {size}"


CORE_MIN_COLUMNS = 50_000  # smaller models: HiGHS does better on the whole model at once
CORE_SHARE = 0.25  # of the scenario's time limit


def improve_start(d: ModelData, mm: MatrixModel, plan: np.ndarray | None,
                  threads: int | None) -> tuple[np.ndarray | None, str]:
    """On a large model, the better of `plan` and the core's plan (solved within a quarter of
    the time limit), and a line for the Run sheet saying what the core gave; small models
    keep `plan` and get no line."""
    if mm.n_cols < CORE_MIN_COLUMNS:
        return plan, ""
    t0 = time.perf_counter()
    found, what = core_plan(d, mm, CORE_SHARE * d.policy["time_limit_s"], plan, threads)
    seconds = time.perf_counter() - t0
    if found is None:
        return plan, f"{what} ({seconds:.1f} s)"
    value = float(np.dot(mm.col_cost, found))
    if plan is not None and value <= float(np.dot(mm.col_cost, plan)):
        return plan, f"{what}: {value:,.3f} mcny, no better than the greedy plan ({seconds:.1f} s)"
    return found, (f"{what}: plan of {value:,.3f} mcny weighted welfare handed to HiGHS "
                   f"instead ({seconds:.1f} s)")
