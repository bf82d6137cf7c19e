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

KEPT_ROWS = {f.name for f in FAMILIES if not f.priced}  # each park's own choice
STEPS = 600  # subgradient steps at most
STEP_SECONDS = 15.0  # and at most this long in all
THETA = 2.0  # Polyak step size, halved after PATIENCE steps without a lower bound
PATIENCE = 20
THETA_MIN = 1e-3  # steps this short no longer move the bound (L: 0.01% in 20 s): stop, and
# leave the cores to the search


class PricedModel:
    """`mm` arranged for pricing: kept rows, column bounds, each firm's pairs as arrays."""

    def __init__(self, d: ModelData, mm: MatrixModel) -> None:
        self.rows, self.cols, self.vals = mm.entries()
        n_rows = len(mm.row_lower)
        self.lower, self.upper = np.array(mm.row_lower), np.array(mm.row_upper)
        self.cost = np.array(mm.col_cost)
        self.col_lower, self.col_upper = np.array(mm.col_lower), np.array(mm.col_upper)
        count = np.bincount(self.rows, minlength=n_rows)
        self.kept = np.array([fam in KEPT_ROWS for fam, _ in mm.row_family]) | (count <= 1)
        # the priced rows of A and their transpose, for the two products of a step (the
        # kept rows, most of A on large models, carry no price)
        self.priced = np.nonzero(~self.kept)[0]
        on = ~self.kept[self.rows]
        index = np.full(n_rows, -1, dtype=np.int64)
        index[self.priced] = np.arange(len(self.priced))
        self.a = csr_matrix(
            (self.vals[on], (index[self.rows[on]], self.cols[on])),
            shape=(len(self.priced), mm.n_cols),
        )
        self.a_t = self.a.T.tocsr()
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
        reduced = self.cost - self.a_t @ lam[self.priced]
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
        g = np.zeros(len(prices))
        activity, lam = self.a @ values, prices[self.priced]
        lower, upper = self.lower[self.priced], self.upper[self.priced]
        side = np.where(lam > 0, upper, np.where(lam < 0, lower, np.clip(activity, lower, upper)))
        g[self.priced] = side - activity
        return g


class Subgradient:
    """Polyak subgradient steps on the prices, one `step()` at a time, keeping the lowest
    bound seen; `target` is the welfare of the best plan known (raised as plans improve).
    Prices may start from those of an earlier package (`start`, by row name)."""

    def __init__(self, d: ModelData, mm: MatrixModel, start: dict | None = None) -> None:
        self.pm = PricedModel(d, mm)
        self.names = mm.row_family
        self.lam = np.zeros(len(mm.row_family))
        if start:
            self.lam = self.pm.valid(np.array([start.get(k, 0.0) for k in self.names]))
        self.best, self.best_lam = self.pm.evaluate(self.lam)[0], self.lam
        self.first, self.steps, self.theta, self.since = self.best, 0, THETA, 0
        self.target: float | None = None
        self.done = self.best is None

    def step(self) -> None:
        if self.done or self.target is None:
            return
        value, values = self.pm.evaluate(self.lam)
        if value is None:
            self.done = True
            return
        if value < self.best - 1e-9:
            self.best, self.best_lam, self.since = value, self.lam, 0
        else:
            self.since += 1
            if self.since >= PATIENCE:  # no progress: shorter steps
                self.theta, self.since = self.theta / 2, 0
                self.done = self.theta < THETA_MIN
        g = self.pm.subgradient(self.lam, values)
        norm = float(np.dot(g, g))
        if norm <= 1e-12 or value - self.target <= 1e-9:
            self.done = True  # the prices prove the plan optimal, or cannot improve this way
            return
        self.lam = self.pm.valid(self.lam - self.theta * (value - self.target) / norm * g)
        self.steps += 1

    def prices(self) -> dict:
        """The best prices, by row name (for the next package)."""
        return {k: float(v) for k, v in zip(self.names, self.best_lam) if v}

    def note(self, seconds: float) -> str:
        return (
            f"bound {self.best:,.3f} mcny from priced limits ({self.first:,.3f} at the "
            f"starting prices, then {self.steps} subgradient steps; {seconds:.1f} s)"
        )


def lagrangian_bound(
    d: ModelData, mm: MatrixModel, best_plan: float | None, seconds: float = STEP_SECONDS
) -> tuple[float | None, str]:
    """The lowest bound found by subgradient steps from no prices towards `best_plan` (the
    welfare of the best plan known) within `seconds`, and a line saying how it was
    found."""
    t0 = time.perf_counter()
    sg = Subgradient(d, mm)
    if sg.best is None:
        return None, (
            "no priced bound: the prices leave a quantity unlimited "
            f"({time.perf_counter() - t0:.1f} s)"
        )
    sg.target = best_plan
    while not sg.done and sg.steps < STEPS and time.perf_counter() < t0 + seconds:
        sg.step()
        if sg.target is None:
            break
    return sg.best, sg.note(time.perf_counter() - t0)
