"""A good plan fast: the model restricted to each firm's most promising pairs (its *core*).

On a province-sized model HiGHS spends minutes in presolve before it finds any plan of its
own. A core of N firms keeps the N most promising firms (alternately by welfare at their
best pair and by welfare per mcny of budget), each with its best `K_SITES` parks and, for
each region it could produce in, its best `K_LOCATIONS` zones (by the model's objective
coefficients), plus the pairs of the plan so far. That model is a small part of the whole,
HiGHS solves it in seconds, and every plan of it is a plan of the whole model (the other
pairs are simply not used). Kernel search (`kernel.py`) solves cores of 500, 1,000,
2,000, ... firms, each started from the best plan so far, where the LP relaxation would
take too long to guide it.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..data.model_data import ModelData
from ..model.matrix import MatrixModel

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


FIRST_FIRMS = 500  # firms in the first core; each next core has twice as many


def core_masks(d: ModelData, mm: MatrixModel, start: np.ndarray | None) -> list[np.ndarray]:
    """Column masks of the cores of 500, 1,000, 2,000, ... firms (the last holding every
    firm), each with the incubation and production pairs `core_pairs` keeps."""
    masks, firms = [], FIRST_FIRMS
    while True:
        inc, prod = core_pairs(d, mm, start, firms)
        mask = np.zeros(mm.n_cols, dtype=bool)
        mask[[mm.b_inc[k] for k in inc]] = True
        mask[[mm.b_prod[k] for k in prod]] = True
        masks.append(mask)
        if firms >= len(d.firms):
            return masks
        firms *= 2
