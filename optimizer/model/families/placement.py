"""Families 1-4: which options open and which firms are incubated where."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..family import INF, INFEASIBLE, Family, Rows


def _plots(d):
    plots = defaultdict(list)
    for s in d.sites.values():
        plots[s.plot].append(s.id)
    return {p: ids for p, ids in plots.items() if len(ids) > 1}


def plot_rows(b):
    shared = _plots(b.d)
    return Rows.from_dicts(
        list(shared), [{b.mm.b_open[s]: 1.0 for s in ids} for ids in shared.values()], -INF, 1.0
    )


def plot_pyomo(m, d):
    shared = _plots(d)
    return list(shared), lambda m, p: sum(m.b_open[s] for s in shared[p]) <= 1


def _locked(d):
    return [s.id for s in d.sites.values() if s.status in ("open", "closed")]


def status_rows(b):
    ids = _locked(b.d)
    fixed = [1.0 if b.d.sites[s].status == "open" else 0.0 for s in ids]
    return Rows.of(
        ids, range(len(ids)), [b.mm.b_open[s] for s in ids], np.ones(len(ids)), fixed, fixed
    )


def status_pyomo(m, d):
    return _locked(d), lambda m, s: m.b_open[s] == (1 if d.sites[s].status == "open" else 0)


def place_rows(b):
    index, terms, lower = [], [], []
    for f, firm in b.d.firms.items():
        sites = b.sites_of.get(f, [])
        if sites or firm.must_place:  # no allowed site and must place: an infeasible row
            index.append(f)
            terms.append({b.mm.b_inc[f, s]: 1.0 for s in sites})
            lower.append(1.0 if firm.must_place else -INF)
    return Rows.from_dicts(index, terms, lower, 1.0)


def place_pyomo(m, d):
    def rule(m, f):
        sites = m.maps.inc_by_firm.get(f, [])
        if not sites:
            return INFEASIBLE if d.firms[f].must_place else None
        total = sum(m.b_inc[f, s] for s in sites)
        return total == 1 if d.firms[f].must_place else total <= 1

    return "FIRMS", rule


def link_rows(b):
    n = len(b.inc)
    x = np.fromiter(b.mm.b_inc.values(), dtype=np.int64, count=n)
    y = np.array([b.mm.b_open[s] for s in b.d.sites], dtype=np.int64)[b.inc_site]
    return Rows.of(
        b.inc,
        np.repeat(np.arange(n), 2),
        np.column_stack([x, y]).ravel(),
        np.tile([1.0, -1.0], n),
        -INF,
        0.0,
    )


def link_pyomo(m, d):
    return "INC_PAIRS", lambda m, f, s: m.b_inc[f, s] <= m.b_open[s]


def floor_rows(b):
    index, terms = [], []
    need = dict(zip(b.inc, b.floor_need))
    for s, site in b.d.sites.items():
        firms = b.firms_at_site.get(s, [])
        if firms:
            t = {b.mm.b_inc[f, s]: need[f, s] for f in firms}
            t[b.mm.b_open[s]] = -site.floor_m2
            index.append(s)
            terms.append(t)
    return Rows.from_dicts(index, terms, -INF, 0.0)


def floor_pyomo(m, d):
    def rule(m, s):
        firms = m.maps.inc_by_site.get(s, [])
        if not firms:
            return None
        return (
            sum(m.p_floor_need[f, s] * m.b_inc[f, s] for f in firms)
            <= d.sites[s].floor_m2 * m.b_open[s]
        )

    return "SITES", rule


FAMILIES = (
    Family(
        name="c_plot",
        number=1,
        over="π ∈ Π",
        math="Σ_{s: π(s)=π} y_s ≤ 1",
        sense="≤",
        rows=plot_rows,
        pyomo=plot_pyomo,
        words="one option per plot",
        unit="options",
        index_set=("PLOTS", "Π", "plots on which two or more options compete"),
    ),
    Family(
        name="c_site_status",
        number=1,
        over="s ∈ S°",
        math="y_s = 1 if status open, y_s = 0 if closed",
        sense="=",
        rows=status_rows,
        pyomo=status_pyomo,
        words="locked status of the option",
        unit="site",
        cell=("Sites", "status"),
        relax=True,
        index_set=("LOCKED_SITES", "S° ⊆ S", "options whose status is open or closed"),
        explain=lambda d, s, amount: (
            f"site {s} cannot be opened although its status is open: set it to candidate"
            if d.sites[s].status == "open"
            else f"site {s} would have to open although its status is closed"
        ),
    ),
    Family(
        name="c_place",
        number=2,
        over="f ∈ F",
        math="Σ_{s:(f,s)∈A} x_fs ≤ 1 (= 1 if `must_place`)",
        sense="≤",
        rows=place_rows,
        pyomo=place_pyomo,
        words="firm placed at most once (exactly once if must_place)",
        unit="firm",
        cell=("Firms", "must_place"),
        relax=True,
        explain=lambda d, f, amount: (
            f"firm {f} cannot be placed although must_place = yes: "
            "set must_place to no, or make room for it"
        ),
    ),
    Family(
        name="c_link",
        number=3,
        over="(f,s) ∈ A",
        math="x_fs ≤ y_s (strong linking)",
        sense="≤",
        rows=link_rows,
        pyomo=link_pyomo,
        words="incubation only in an opened option",
        priced=False,
    ),
    Family(
        name="c_floor",
        number=4,
        over="s ∈ S",
        math="Σ_f a_fs · x_fs ≤ `floor_m2`_s · y_s",
        sense="≤",
        rows=floor_rows,
        pyomo=floor_pyomo,
        words="park floor",
        unit="m²",
        in_limits=True,
        cell=("Sites", "floor_m2"),
        relax=True,
        priced=False,
        limit=lambda d, s: d.sites[s].floor_m2,
        explain=lambda d, s, amount: f"site {s} needs {amount:,.1f} m² more floor than floor_m2",
    ),
)
