"""An upper bound on the welfare any plan can reach, when HiGHS has none of its own.

On a province-sized model HiGHS can spend the whole time limit in presolve and report no
bound, so the gap of the plan written would be unknown. This module prices the limits
instead (a Lagrangian bound). Each park's own rows (linking, floor) and each firm's
production rows (production follows incubation, strict return) are kept, rows on a single
column become that column's bounds, and every other row i of docs/model.md (budgets,
quota, land, plots, caps, fund, equity, and "each firm placed at most once") gets a price
λ_i; then, with reduced costs r = c − Aᵀλ,

    bound(λ) = Σ_i (λ_i > 0 ? λ_i · upper_i : λ_i · lower_i)
               + Σ_{other columns j} max over j's bounds of r_j · value_j
               + Σ_parks max(shut: 0, open: r_y + the best fill of its floor by firms,
                             each worth r_x + its best priced zone r_z)

is at least the welfare of every plan, for any prices on a row's finite side: each park's
part is solved exactly (a park either stays shut or is filled, up to its floor, with the
firms worth most per m2, the last one fractionally: the LP of its own rows). The bound is
as low as the prices are good. They start at 0 and are improved by subgradient steps
(Polyak's step towards the best plan known) for a few seconds. With the prices of the LP
relaxation of the whole model, the bound is at least that relaxation's value, and equal to
it unless a firm would use one zone for two parks (tests check both).
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import csr_matrix

from ..data.model_data import ModelData
from ..model.families import FAMILIES
from ..model.family import INF
from ..model.matrix import MatrixModel
from .outcome import FEASIBLE, OPTIMAL, SolveOutcome, relative_gap

KEPT_ROWS = {f.name for f in FAMILIES if not f.priced}  # each park's own choice
STEPS = 600  # subgradient steps at most
STEP_SECONDS = 15.0  # and at most this long in all
THETA = 2.0  # Polyak step size, halved after PATIENCE steps without a lower bound
PATIENCE = 20


class PricedModel:
    """`mm` arranged for pricing: kept rows, column bounds, each firm's pairs as arrays."""

    def __init__(self, d: ModelData, mm: MatrixModel) -> None:
        self.rows, self.cols, self.vals = mm.entries()
        n_rows = len(mm.row_lower)
        shape = (n_rows, mm.n_cols)  # A and its transpose, for the two products of a step
        self.a = csr_matrix((self.vals, (self.rows, self.cols)), shape=shape)
        self.a_t = self.a.T.tocsr()
        self.lower, self.upper = np.array(mm.row_lower), np.array(mm.row_upper)
        self.cost = np.array(mm.col_cost)
        self.col_lower, self.col_upper = np.array(mm.col_lower), np.array(mm.col_upper)
        count = np.bincount(self.rows, minlength=n_rows)
        self.kept = np.array([fam in KEPT_ROWS for fam, _ in mm.row_family]) | (count <= 1)
        self._bounds_from_rows(count)
        strict = d.policy["return_rule"] == "strict"
        group: dict[tuple[str, str | None], int] = {}
        self.x_cols = np.fromiter(mm.b_inc.values(), dtype=np.int64, count=len(mm.b_inc))
        self.z_cols = np.fromiter(mm.b_prod.values(), dtype=np.int64, count=len(mm.b_prod))
        self.x_group = np.fromiter(
            (
                group.setdefault((f, d.sites[s].sponsor if strict else None), len(group))
                for f, s in mm.b_inc
            ),
            dtype=np.int64,
            count=len(mm.b_inc),
        )
        self.z_group = np.fromiter(
            (
                group.setdefault((f, d.locations[p].region if strict else None), len(group))
                for f, p in mm.b_prod
            ),
            dtype=np.int64,
            count=len(mm.b_prod),
        )
        self.n_groups = len(group)
        site_id = {s: i for i, s in enumerate(d.sites)}
        self.x_site = np.fromiter(
            (site_id[s] for _, s in mm.b_inc), dtype=np.int64, count=len(mm.b_inc)
        )
        self.need = np.fromiter(
            (d.floor_need(f, s) for f, s in mm.b_inc), dtype=float, count=len(mm.b_inc)
        )
        self.floor = np.array([site.floor_m2 for site in d.sites.values()])
        self.y_cols = np.array([mm.b_open[s] for s in d.sites], dtype=np.int64)
        self.other = np.ones(mm.n_cols, dtype=bool)  # neither a park nor a firm's pair
        for cols in (self.x_cols, self.z_cols, self.y_cols):
            self.other[cols] = False

    def _bounds_from_rows(self, count: np.ndarray) -> None:
        """Rows on one column become its bounds; a ≤ row with positive coefficients only
        (the provincial fund) bounds each of its columns (all columns are ≥ 0)."""
        rows, cols, vals = self.rows, self.cols, self.vals
        one = count[rows] == 1
        for r, c, a in zip(rows[one], cols[one], vals[one]):
            lo, up = self.lower[r] / a, self.upper[r] / a
            if a < 0:
                lo, up = up, lo
            self.col_lower[c] = max(self.col_lower[c], lo)
            self.col_upper[c] = min(self.col_upper[c], up)
        negative = np.bincount(rows, weights=(vals <= 0), minlength=len(count))
        ok = (negative[rows] == 0) & (self.upper[rows] < INF) & (count[rows] > 1)
        implied = np.full(len(self.cost), np.inf)
        np.minimum.at(implied, cols[ok], self.upper[rows[ok]] / vals[ok])
        self.col_upper = np.minimum(self.col_upper, implied)

    def valid(self, prices: np.ndarray) -> np.ndarray:
        """The prices with those of kept rows and of a row's infinite side set to 0."""
        lam = np.array(prices, dtype=float)
        lam[self.kept] = 0.0
        lam[(lam > 0) & (self.upper >= INF)] = 0.0
        lam[(lam < 0) & (self.lower <= -INF)] = 0.0
        return lam

    def evaluate(self, prices: np.ndarray) -> tuple[float | None, np.ndarray | None]:
        """bound(λ) and the columns' values that reach it (None, None if it is infinite)."""
        lam = self.valid(prices)
        pos, neg = lam > 0, lam < 0
        total = float(np.dot(lam[pos], self.upper[pos]) + np.dot(lam[neg], self.lower[neg]))
        reduced = self.cost - self.a_t @ lam
        values = np.zeros(len(self.cost))
        other = self.other
        up = other & (reduced > 0)
        if np.any(self.col_upper[up] >= INF):
            return None, None
        values[up] = self.col_upper[up]
        down = other & ~up
        values[down] = self.col_lower[down]
        total += float(np.dot(reduced[other], values[other]))
        return total + self._parks(reduced, values), values

    def _parks(self, reduced: np.ndarray, values: np.ndarray) -> float:
        """Each park's best priced use: open it (y = 1) and fill its floor with the firms
        worth most per m2 (each at its best priced zone; the last one fractionally), or
        keep it shut; its locked status decides where it has one. The sum, with the
        values reaching it marked in `values`."""
        rz = reduced[self.z_cols]
        zbest = np.full(self.n_groups, -np.inf)
        np.maximum.at(zbest, self.z_group, rz)
        zhit = np.nonzero(rz >= zbest[self.z_group])[0]
        zgroups, zfirst = np.unique(self.z_group[zhit], return_index=True)
        zone_of_group = np.full(self.n_groups, -1)
        zone_of_group[zgroups] = self.z_cols[zhit[zfirst]]
        worth = reduced[self.x_cols] + zbest[self.x_group]  # -inf: no zone for it
        items = np.nonzero(worth > 0)[0]
        ratio = worth[items] / np.maximum(self.need[items], 1e-12)
        rank = np.empty(len(items), dtype=np.int64)  # by park, best per m2 first (two
        rank[np.argsort(-ratio)] = np.arange(len(items))  # argsorts: 4x faster than lexsort)
        items = items[np.argsort(self.x_site[items] * len(items) + rank)]
        site, need = self.x_site[items], self.need[items]
        before = np.cumsum(need) - need  # floor taken by the park's better items
        starts = np.searchsorted(site, np.arange(len(self.floor)))
        first_cum = np.concatenate([before, [0.0]])[starts]
        before -= first_cum[site]
        room = self.floor[site] - before
        share = np.where(need > 0, np.clip(room / np.where(need > 0, need, 1.0), 0.0, 1.0), 1.0)
        fill = np.bincount(site, weights=share * worth[items], minlength=len(self.floor))
        park = reduced[self.y_cols] + fill
        lo, up = self.col_lower[self.y_cols], self.col_upper[self.y_cols]
        open_ = np.where(park > 0, up, lo) > 0.5
        values[self.y_cols] = open_
        used = open_[site] & (share > 0)
        values[self.x_cols[items[used]]] = share[used]
        np.add.at(values, zone_of_group[self.x_group[items[used]]], share[used])
        return float(park[open_].sum())

    def subgradient(self, prices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """A subgradient of bound(λ) at the (valid) prices, given the values reaching it."""
        activity = self.a @ values
        side = np.where(
            prices > 0,
            self.upper,
            np.where(prices < 0, self.lower, np.clip(activity, self.lower, self.upper)),
        )
        g = side - activity
        g[self.kept] = 0.0
        return g


def lagrangian_bound(
    d: ModelData, mm: MatrixModel, best_plan: float | None, seconds: float = STEP_SECONDS
) -> tuple[float | None, str]:
    """The lowest bound found by subgradient steps from no prices towards `best_plan` (the
    welfare of the best plan known) within `seconds`, and a line saying how it was
    found."""
    t0 = time.perf_counter()
    deadline = t0 + seconds
    pm = PricedModel(d, mm)
    lam = np.zeros(len(mm.row_lower))
    best, _ = pm.evaluate(lam)
    if best is None:
        return None, (
            "no priced bound: the prices leave a quantity unlimited "
            f"({time.perf_counter() - t0:.1f} s)"
        )
    first, steps, theta, since = best, 0, THETA, 0
    value, values = best, None
    while (
        best is not None
        and best_plan is not None
        and steps < STEPS
        and time.perf_counter() < deadline
    ):
        value, values = pm.evaluate(lam)
        if value is None:
            break
        if value < best - 1e-9:
            best, since = value, 0
        else:
            since += 1
            if since >= PATIENCE:  # no progress: shorter steps
                theta, since = theta / 2, 0
        g = pm.subgradient(lam, values)
        norm = float(np.dot(g, g))
        if norm <= 1e-12 or value - best_plan <= 1e-9:
            break  # the prices prove the plan optimal, or cannot be improved this way
        lam = pm.valid(lam - theta * (value - best_plan) / norm * g)
        steps += 1
    seconds = time.perf_counter() - t0
    if best is None:
        return None, f"no priced bound: a price left a quantity unlimited ({seconds:.1f} s)"
    return best, (
        f"bound {best:,.3f} mcny from priced limits ({first:,.3f} unpriced, "
        f"then {steps} subgradient steps; {seconds:.1f} s)"
    )


BOUND_MIN_COLUMNS = 50_000  # smaller models: HiGHS proves its own bound
BOUND_SHARE = 0.125  # of the scenario's time limit, taken before the full solve


def bound_for_large(
    d: ModelData, mm: MatrixModel, plan: np.ndarray | None
) -> tuple[float | None, str]:
    """On a large model, the priced bound (within an eighth of the time limit) and a line
    for the Run sheet; small models get (None, "")."""
    if mm.n_cols < BOUND_MIN_COLUMNS:
        return None, ""
    best = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    return lagrangian_bound(d, mm, best, BOUND_SHARE * d.policy["time_limit_s"])


def tighten(outcome: SolveOutcome, bound: float | None, mip_gap: float) -> SolveOutcome:
    """The outcome with the priced bound where it is lower than HiGHS's (or HiGHS has
    none): its gap, and "optimal" if that gap is within the tolerance."""
    if (
        bound is None
        or not outcome.has_plan
        or (outcome.bound is not None and outcome.bound <= bound)
    ):
        return outcome
    gap = relative_gap(outcome.objective, bound)
    if outcome.status == OPTIMAL or gap <= mip_gap:
        status = OPTIMAL
        message = (
            f"optimal (within the {mip_gap:.2%} gap tolerance; gap {gap:.2%} "
            "against the priced bound)"
            if outcome.status != OPTIMAL
            else outcome.message
        )
    else:
        status = FEASIBLE
        message = (
            f"feasible, not proven optimal: gap {gap:.2%} against the priced bound "
            f"({bound:,.3f} mcny); HiGHS: {outcome.message}"
        )
    return SolveOutcome(
        status, message, outcome.objective, bound, gap, outcome.seconds, outcome.termination
    )
