"""The model of docs/model.md as arrays, handed to HiGHS in one call (the fast path).

Same variables, rows and objective as the Pyomo model in `model/` (the readable reference;
tests solve both on every test instance and compare), but the coefficients are collected
in plain lists and passed with highspy's array API (`passModel`), which takes a fraction of
a second where walking a Pyomo model takes tens of seconds at province scale.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from ..data.model_data import ModelData
from .welfare import inc_share

INF = highspy.kHighsInf


@dataclass
class MatrixModel:
    n_cols: int = 0
    # typed arrays, not lists: a province-scale model has millions of entries
    col_lower: array = field(default_factory=lambda: array("d"))
    col_upper: array = field(default_factory=lambda: array("d"))
    col_cost: array = field(default_factory=lambda: array("d"))
    col_int: array = field(default_factory=lambda: array("b"))
    row_lower: array = field(default_factory=lambda: array("d"))
    row_upper: array = field(default_factory=lambda: array("d"))
    row_family: list[tuple[str, object]] = field(default_factory=list)
    e_row: array = field(default_factory=lambda: array("i"))  # entries: row, column, value
    e_col: array = field(default_factory=lambda: array("i"))
    e_val: array = field(default_factory=lambda: array("d"))
    y: dict[str, int] = field(default_factory=dict)
    x: dict[tuple[str, str], int] = field(default_factory=dict)
    z: dict[tuple[str, str], int] = field(default_factory=dict)
    t: dict[tuple[str, str], int] = field(default_factory=dict)
    u: dict[str, int] = field(default_factory=dict)
    g: dict[str, int] = field(default_factory=dict)

    def col(self, cost: float, upper: float, integer: bool) -> int:
        self.col_lower.append(0.0)
        self.col_upper.append(upper)
        self.col_cost.append(cost)
        self.col_int.append(1 if integer else 0)
        self.n_cols += 1
        return self.n_cols - 1

    def cols(self, costs: list[float], upper: float, integer: bool) -> range:
        """Many columns with the same bounds at once; their indices."""
        n, first = len(costs), self.n_cols
        self.col_lower.extend([0.0] * n)
        self.col_upper.extend([upper] * n)
        self.col_cost.extend(costs)
        self.col_int.extend([1 if integer else 0] * n)
        self.n_cols += n
        return range(first, first + n)

    def row(self, family: str, index: object, terms: dict[int, float], lower: float,
            upper: float) -> None:
        r = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.row_family.append((family, index))
        cols = [c for c, v in terms.items() if v != 0]
        self.e_row.extend([r] * len(cols))
        self.e_col.extend(cols)
        self.e_val.extend([terms[c] for c in cols])

    def many_rows(self, family: str, indices: list, rows: list[int], cols: list[int],
                  vals: list[float], lower: float, upper: float) -> None:
        """Rows `indices`, numbered from the current row count, given as coordinates."""
        n = len(indices)
        self.row_lower.extend([lower] * n)
        self.row_upper.extend([upper] * n)
        self.row_family.extend((family, i) for i in indices)
        self.e_row.extend(rows)
        self.e_col.extend(cols)
        self.e_val.extend(vals)

    def entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix as coordinate arrays (row, column, value)."""
        return (np.frombuffer(self.e_row, dtype=np.int32), np.frombuffer(self.e_col,
                dtype=np.int32), np.frombuffer(self.e_val, dtype=np.float64))

    def to_highs(self) -> highspy.Highs:
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_cols, len(self.row_lower)
        lp.col_cost_ = np.frombuffer(self.col_cost, dtype=np.float64)
        lp.col_lower_ = np.frombuffer(self.col_lower, dtype=np.float64)
        lp.col_upper_ = np.frombuffer(self.col_upper, dtype=np.float64)
        lp.row_lower_ = np.frombuffer(self.row_lower, dtype=np.float64)
        lp.row_upper_ = np.frombuffer(self.row_upper, dtype=np.float64)
        lp.sense_ = highspy.ObjSense.kMaximize
        rows, cols, vals = self.entries()
        order = np.lexsort((rows, cols))  # column-wise storage
        rows, cols, vals = rows[order], cols[order], vals[order]
        starts = np.searchsorted(cols, np.arange(self.n_cols + 1)).astype(np.int32)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, rows, vals
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[i] for i in self.col_int]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        return h


def build_matrix(d: ModelData, pairs: tuple[list, list] | None = None) -> MatrixModel:
    """Every column, row and objective coefficient of docs/model.md; with `pairs` (a subset
    of the allowed incubation and production pairs), the model restricted to them (its
    plans are plans of the whole model: the other x and z stay 0)."""
    mm = MatrixModel()
    w = {r: reg.welfare_weight for r, reg in d.regions.items()}
    e = d.policy["exchange_ratio"]
    share = d.policy["min_developing_share"]
    dev = {r for r, reg in d.regions.items() if reg.developing}
    # equity coefficient of a column entering N_r with coefficient a: (1[r in D] - share) a
    eq: dict[int, float] = defaultdict(float)

    def add_terms(col: int, by_region: dict[str, float]) -> None:
        for r, a in by_region.items():
            eq[col] += ((1.0 if r in dev else 0.0) - share) * a

    for s in d.sites.values():
        cost = s.setup_cost + s.opex
        mm.y[s.id] = c = mm.col(-w[s.sponsor] * cost, 1.0, True)
        add_terms(c, {s.sponsor: -cost})
    q = {r: (1.0 if r in dev else 0.0) - share for r in d.regions}  # equity weight of N_r
    # x[f,s] enters N_host with share_h v_fs and N_sponsor with share_o v_fs - subsidy_f:
    # per site, the weighted (k) and equity (e) multipliers of v_fs
    k_site, e_site = {}, {}
    for s, site in d.sites.items():
        regions = {site.host, site.sponsor}
        k_site[s] = sum(w[r] * inc_share(d, s, r) for r in regions)
        e_site[s] = sum(q[r] * inc_share(d, s, r) for r in regions)
    inc = d.inc_pairs() if pairs is None else pairs[0]
    v_inc = [d.inc_value(f, s) for f, s in inc]
    sub = [d.firms[f].subsidy for f, _ in inc]
    spons = [d.sites[s].sponsor for _, s in inc]
    cols = mm.cols([k_site[s] * v - w[o] * c for (_, s), v, c, o in zip(inc, v_inc, sub, spons)],
                   1.0, True)
    mm.x = dict(zip(inc, cols))
    if share > 0:
        eq.update(zip(cols, (e_site[s] * v - q[o] * c
                             for (_, s), v, c, o in zip(inc, v_inc, sub, spons))))
    prod = d.prod_pairs(inc) if pairs is None else pairs[1]
    a_prod = [d.prod_value(f, p) + d.spillover(f, p) - d.land_cost(f, p) for f, p in prod]
    region = [d.locations[p].region for _, p in prod]
    cols = mm.cols([w[r] * a for r, a in zip(region, a_prod)], 1.0, True)
    mm.z = dict(zip(prod, cols))
    if share > 0:
        eq.update(zip(cols, (q[r] * a for r, a in zip(region, a_prod))))
    for (a_, b), link in d.links.items():
        mm.t[a_, b] = c = mm.col(link.price * (w[a_] - w[b]), INF, False)
        add_terms(c, {a_: link.price, b: -link.price})
    for r, reg in d.regions.items():
        mm.u[r] = c = mm.col(w[r] * reg.quota_value, INF, False)
        add_terms(c, {r: reg.quota_value})
    for r in d.regions:
        mm.g[r] = mm.col(0.0, INF, False)
    _placement_rows(mm, d, inc)
    _production_rows(mm, d, inc, prod)
    _land_rows(mm, d, e)
    _money_rows(mm, d)
    if share > 0:
        mm.row("c_equity", None, dict(eq), 0.0, INF)
    return mm


def _placement_rows(mm: MatrixModel, d: ModelData, inc: list[tuple[str, str]]) -> None:
    plots = defaultdict(list)
    for s in d.sites.values():
        plots[s.plot].append(s.id)
    for plot, ids in plots.items():
        if len(ids) > 1:
            mm.row("c_plot", plot, {mm.y[s]: 1.0 for s in ids}, -INF, 1.0)
    for s in d.sites.values():
        if s.status in ("open", "closed"):
            v = 1.0 if s.status == "open" else 0.0
            mm.row("c_site_status", s.id, {mm.y[s.id]: 1.0}, v, v)
    by_firm, by_site = defaultdict(list), defaultdict(list)
    for f, s in inc:
        by_firm[f].append(s)
        by_site[s].append(f)
    for f, firm in d.firms.items():
        sites = by_firm.get(f, [])
        if sites:
            mm.row("c_place", f, {mm.x[f, s]: 1.0 for s in sites},
                   1.0 if firm.must_place else -INF, 1.0)
        elif firm.must_place:
            mm.row("c_place", f, {}, 1.0, 1.0)  # infeasible, as in the Pyomo model
    r0 = len(mm.row_lower)  # x[f,s] - y[s] <= 0, two entries per row, in bulk
    mm.many_rows("c_link", inc, [r0 + i for i in range(len(inc)) for _ in (0, 1)],
                 [c for f, s in inc for c in (mm.x[f, s], mm.y[s])],
                 [1.0, -1.0] * len(inc), -INF, 0.0)
    for s, site in d.sites.items():
        firms = by_site.get(s, [])
        if firms:
            terms = {mm.x[f, s]: d.floor_need(f, s) for f in firms}
            terms[mm.y[s]] = -site.floor_m2
            mm.row("c_floor", s, terms, -INF, 0.0)


def _production_rows(mm: MatrixModel, d: ModelData, inc: list, prod: list) -> None:
    sites_of, locs_of, firms_at = defaultdict(list), defaultdict(list), defaultdict(list)
    for f, s in inc:
        sites_of[f].append(s)
    for f, p in prod:
        locs_of[f].append(p)
        firms_at[p].append(f)
    for f in d.firms:
        if sites_of[f] or locs_of[f]:
            terms = {mm.z[f, p]: 1.0 for p in locs_of[f]}
            terms.update({mm.x[f, s]: -1.0 for s in sites_of[f]})
            mm.row("c_prod_follows", f, terms, 0.0, 0.0)
    if d.policy["return_rule"] == "strict":  # one row per (firm, sponsor): in bulk
        index, rows, cols, vals = [], [], [], []
        r = len(mm.row_lower)
        sponsor = {s: site.sponsor for s, site in d.sites.items()}
        region = {p: loc.region for p, loc in d.locations.items()}
        for f in sorted(sites_of):
            by_sponsor, by_region = defaultdict(list), defaultdict(list)
            for s in sites_of[f]:
                by_sponsor[sponsor[s]].append(mm.x[f, s])
            for p in locs_of[f]:
                by_region[region[p]].append(mm.z[f, p])
            for o in sorted(by_sponsor):
                zs, xs = by_region.get(o, []), by_sponsor[o]
                index.append((f, o))
                rows.extend([r] * (len(zs) + len(xs)))
                cols.extend(zs)
                cols.extend(xs)
                vals.extend([1.0] * len(zs))
                vals.extend([-1.0] * len(xs))
                r += 1
        mm.many_rows("c_return", index, rows, cols, vals, 0.0, INF)
    for p, loc in d.locations.items():
        terms = {mm.z[f, p]: d.firms[f].land_need_ha for f in firms_at[p]
                 if d.firms[f].land_need_ha}
        if terms:
            mm.row("c_loc_land", p, terms, -INF, loc.land_available_ha)


def _land_rows(mm: MatrixModel, d: ModelData, e: float) -> None:
    quota: dict[str, dict[int, float]] = {r: defaultdict(float) for r in d.regions}
    for (f, p), c in mm.z.items():
        if d.firms[f].land_need_ha:
            quota[d.locations[p].region][c] += d.firms[f].land_need_ha
    for s in d.sites.values():
        if s.land_ha:
            quota[s.host][mm.y[s.id]] += s.land_ha
            if s.cross_region:
                quota[s.sponsor][mm.y[s.id]] += e * s.land_ha
                quota[s.host][mm.y[s.id]] -= e * s.land_ha
    for (a, b), c in mm.t.items():
        quota[a][c] += 1.0
        quota[b][c] -= 1.0
    for r, reg in d.regions.items():
        quota[r][mm.u[r]] += 1.0
        mm.row("c_quota", r, dict(quota[r]), -INF, reg.land_quota_ha)
    for r, reg in d.regions.items():
        mm.row("c_own_use", r, {mm.u[r]: 1.0}, -INF, reg.quota_demand_ha)
    for (a, b), link in d.links.items():
        if link.max_ha is not None:
            mm.row("c_trade_cap", (a, b), {mm.t[a, b]: 1.0}, -INF, link.max_ha)


def _money_rows(mm: MatrixModel, d: ModelData) -> None:
    spend: dict[str, dict[int, float]] = {r: defaultdict(float) for r in d.regions}
    for s in d.sites.values():
        spend[s.sponsor][mm.y[s.id]] += s.setup_cost + s.opex
    for (f, s), c in mm.x.items():
        spend[d.sites[s].sponsor][c] += d.firms[f].subsidy
    for (f, p), c in mm.z.items():
        spend[d.locations[p].region][c] += d.land_cost(f, p)
    for (a, b), c in mm.t.items():
        spend[b][c] += d.links[a, b].price
    for r, reg in d.regions.items():
        spend[r][mm.g[r]] -= 1.0
        mm.row("c_budget", r, dict(spend[r]), -INF, reg.budget_mcny)
    mm.row("c_fund", None, {mm.g[r]: 1.0 for r in d.regions}, -INF,
           d.policy["provincial_fund_mcny"])
    for family, role, key in (("c_sponsor_cap", "sponsor", "max_sites_per_sponsor"),
                              ("c_host_cap", "host", "max_enclaves_per_host")):
        limit = d.policy[key]
        if limit is None:
            continue
        for r in d.regions:
            ids = [s.id for s in d.sites.values() if s.cross_region and getattr(s, role) == r]
            if ids:
                mm.row(family, r, {mm.y[s]: 1.0 for s in ids}, -INF, float(limit))
