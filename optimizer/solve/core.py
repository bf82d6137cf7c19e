"""A good plan fast: the model restricted to each firm's most promising pairs (its *core*).

On a province-sized model HiGHS spends minutes in presolve before it finds any plan of its
own. A core of N firms keeps the N most promising firms (alternately by welfare at their
best pair and by welfare per mcny of budget), each with its best `K_SITES` parks and, for
each region it could produce in, its best `K_LOCATIONS` zones (by the model's objective
coefficients), plus the pairs of the plan so far. That model is a small part of the whole,
HiGHS solves it in seconds, and every plan of it is a plan of the whole model (the other
pairs are simply not used), checked row by row by `residual`. `improve_start` solves cores
of 500, 1,000, 2,000, ... firms, each started from the best plan so far, within a quarter
of the time limit, and hands the best plan to the full solve as its starting solution.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from ..data.model_data import ModelData
from ..model.matrix import MatrixModel, build_matrix
from ..model.plan import decisions, values_of
from .highs import residual, run, set_start, to_highs

K_SITES = 4  # parks kept per firm
K_LOCATIONS = 3  # production zones kept per firm and region


def core_pairs(
    d: ModelData, mm: MatrixModel, start: np.ndarray | None, max_firms: int = 500
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The incubation and production pairs of the core, in the whole model's order."""
    cost = mm.col_cost
    inc_of, prod_of = defaultdict(list), defaultdict(list)
    for (f, s), c in mm.b_inc.items():
        inc_of[f].append((cost[c], s))
    for (f, p), c in mm.b_prod.items():
        prod_of[f].append((cost[c], p))
    strict = d.policy["return_rule"] == "strict"
    keep_inc, keep_prod = set(), set()
    best = {f: max(inc_of[f])[0] + max(prod_of[f])[0] for f in d.firms if inc_of[f] and prod_of[f]}
    for f in _most_promising(d, best, prod_of, max_firms):
        sites = sorted(inc_of[f], reverse=True)[:K_SITES]
        zones = sorted(prod_of[f], reverse=True)
        keep_inc.update((f, s) for _, s in sites)
        if strict:  # production in a sponsor's region: the best zones of each
            per_region = defaultdict(list)
            for _, p in zones:
                per_region[d.locations[p].region].append(p)
            for _, s in sites:
                keep_prod.update((f, p) for p in per_region[d.sites[s].sponsor][:K_LOCATIONS])
        else:
            keep_prod.update((f, p) for _, p in zones[:K_LOCATIONS])
    if start is not None:  # the plan so far stays a plan of the core
        keep_inc.update(k for k, c in mm.b_inc.items() if start[c] > 0.5)
        keep_prod.update(k for k, c in mm.b_prod.items() if start[c] > 0.5)
    return ([k for k in mm.b_inc if k in keep_inc], [k for k in mm.b_prod if k in keep_prod])


def _most_promising(
    d: ModelData,
    best: dict[str, float],
    prod_of: dict[str, list[tuple[float, str]]],
    max_firms: int,
) -> list[str]:
    """Must-place firms, then up to `max_firms` firms worth placing: alternately the next
    worth most at its best pair and the next worth most per mcny of budget it needs there
    (subsidy plus land cost; budgets are what usually runs out)."""
    must = [f for f in best if d.firms[f].must_place]
    worth = [f for f in best if best[f] > 0 and not d.firms[f].must_place]
    by_value = sorted(worth, key=lambda f: -best[f])
    spend = {f: d.firms[f].subsidy + d.land_cost(f, max(prod_of[f])[1]) for f in worth}
    by_ratio = sorted(worth, key=lambda f: -best[f] / max(spend[f], 1e-9))
    chosen: dict[str, None] = {}
    for a, b in zip(by_value, by_ratio):
        if len(chosen) >= max_firms:
            break
        chosen[a] = chosen[b] = None
    return must + list(chosen)[:max_firms]


def core_plan(
    d: ModelData,
    mm: MatrixModel,
    time_limit_s: float,
    start: np.ndarray | None = None,
    threads: int | None = None,
    max_firms: int = 500,
) -> tuple[np.ndarray | None, str, bool]:
    """The best plan of the core of `max_firms` firms within `time_limit_s`, as columns of
    `mm` (None if it has none), a line saying what was solved, and whether HiGHS solved
    the core to the scenario's gap."""
    inc, prod = core_pairs(d, mm, start, max_firms)
    sub = build_matrix(d, (inc, prod))
    h = to_highs(sub, mip_gap=d.policy["mip_gap"], time_limit_s=time_limit_s, threads=threads)
    if start is not None:
        set_start(h, values_of(sub, decisions(mm, start)))
    solved, found, values = run(h)
    size = (
        f"{min(max_firms, len(d.firms)):,} firms ({len(inc):,} of {len(mm.b_inc):,} "
        f"incubation pairs)"
    )
    if not found:
        return None, f"core of {size}: no plan", solved
    ints = sub.col_int.astype(bool)
    values[ints] = np.round(values[ints])
    plan = values_of(mm, decisions(sub, values))
    if residual(mm, plan) is not None:
        return None, f"core of {size}: its plan failed the check", solved
    return plan, f"core of {size}", solved


CORE_MIN_COLUMNS = 50_000  # smaller models: HiGHS does better on the whole model at once
CORE_SHARE = 0.25  # of the scenario's time limit
FIRST_FIRMS = 500  # firms in the first core; each next core has twice as many


def improve_start(
    d: ModelData, mm: MatrixModel, plan: np.ndarray | None, threads: int | None
) -> tuple[np.ndarray | None, str]:
    """On a large model, the best of `plan` and the plans of ever larger cores (500 firms,
    then 1,000, 2,000, ..., each started from the best plan so far) solved within a quarter
    of the time limit, and a line for the Run sheet saying what the cores gave. A larger
    core is only tried while HiGHS solves the last one to the gap with time to spare; small
    models keep `plan` and get no line."""
    if mm.n_cols < CORE_MIN_COLUMNS:
        return plan, ""
    t0 = time.perf_counter()
    deadline = t0 + CORE_SHARE * d.policy["time_limit_s"]
    best = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    firms, notes = FIRST_FIRMS, []
    while True:
        started = time.perf_counter()
        found, what, solved = core_plan(d, mm, deadline - started, plan, threads, firms)
        value = float(np.dot(mm.col_cost, found)) if found is not None else None
        if value is not None and (best is None or value > best + 1e-9):
            plan, best = found, value
        notes.append(what if value is None else f"{what}: {value:,.3f} mcny")
        took = time.perf_counter() - started
        if not solved or firms >= len(d.firms) or deadline - time.perf_counter() < 2 * took:
            break  # out of time, or every firm was in it, or a core twice as large won't fit
        firms *= 2
    seconds = time.perf_counter() - t0
    given = "none" if best is None else f"{best:,.3f} mcny weighted welfare"
    return plan, f"{'; '.join(notes)}; plan handed to HiGHS: {given} ({seconds:.1f} s)"
