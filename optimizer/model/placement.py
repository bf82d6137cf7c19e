"""Constraint families 1-4: which options open and which firms are incubated where."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from ..data.model_data import ModelData


def add_plot(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(1) at most one option per plot; (1b) status open/closed fixes y_s."""
    plots = defaultdict(list)
    for s in d.sites.values():
        plots[s.plot].append(s.id)
    shared = {p: ss for p, ss in plots.items() if len(ss) > 1}
    m.PLOTS = pyo.Set(initialize=list(shared), ordered=True,
                      doc="plots on which two or more options compete")
    m.c_plot = pyo.Constraint(m.PLOTS, rule=lambda m, p: sum(m.b_open[s] for s in shared[p]) <= 1,
                              doc="(1) one option per plot")
    locked = [s.id for s in d.sites.values() if s.status in ("open", "closed")]
    m.LOCKED_SITES = pyo.Set(initialize=locked, ordered=True,
                             doc="options whose status is open or closed")
    m.c_site_status = pyo.Constraint(
        m.LOCKED_SITES,
        rule=lambda m, s: m.b_open[s] == (1 if d.sites[s].status == "open" else 0),
        doc="(1) status open => y_s = 1, closed => y_s = 0")


def add_place(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(2) each firm placed at most once; exactly once if must_place."""
    def rule(m, f):
        sites = m._inc_by_firm.get(f, [])
        if not sites:
            return pyo.Constraint.Infeasible if d.firms[f].must_place else pyo.Constraint.Skip
        total = sum(m.b_inc[f, s] for s in sites)
        return total == 1 if d.firms[f].must_place else total <= 1
    m.c_place = pyo.Constraint(m.FIRMS, rule=rule, doc="(2) firm placed at most once")


def add_link(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(3) strong linking x_fs <= y_s for every allowed pair."""
    m.c_link = pyo.Constraint(m.INC_PAIRS, rule=lambda m, f, s: m.b_inc[f, s] <= m.b_open[s],
                              doc="(3) incubate only in an opened option")


def add_floor(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(4) floor of each option."""
    def rule(m, s):
        firms = m._inc_by_site.get(s, [])
        if not firms:
            return pyo.Constraint.Skip
        return sum(m.p_floor_need[f, s] * m.b_inc[f, s] for f in firms) \
            <= d.sites[s].floor_m2 * m.b_open[s]
    m.c_floor = pyo.Constraint(m.SITES, rule=rule, doc="(4) floor used <= floor of the option")
