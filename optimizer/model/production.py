"""Constraint families 5-7: where incubated firms produce."""

from __future__ import annotations

import pyomo.environ as pyo

from ..data.model_data import ModelData


def add_prod_follows(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(5) a firm produces at exactly one location iff it is incubated."""
    def rule(m, f):
        sites, locs = m._inc_by_firm.get(f, []), m._prod_by_firm.get(f, [])
        if not sites and not locs:
            return pyo.Constraint.Skip
        return sum(m.b_prod[f, p] for p in locs) == sum(m.b_inc[f, s] for s in sites)
    m.c_prod_follows = pyo.Constraint(m.FIRMS, rule=rule,
                                      doc="(5) production follows incubation")


def add_return(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(6) strict return: a firm incubated in sponsor o's park produces in region o."""
    pairs = []
    if d.policy["return_rule"] == "strict":
        pairs = sorted({(f, d.sites[s].sponsor) for f, s in m.INC_PAIRS})
    m.RETURN_PAIRS = pyo.Set(initialize=pairs, dimen=2, ordered=True,
                             doc="(firm, sponsor region) pairs under the strict return rule")

    def rule(m, f, o):
        home = [p for p in m._prod_by_firm.get(f, []) if d.locations[p].region == o]
        parks = [s for s in m._inc_by_firm[f] if d.sites[s].sponsor == o]
        return sum(m.b_prod[f, p] for p in home) >= sum(m.b_inc[f, s] for s in parks)
    m.c_return = pyo.Constraint(m.RETURN_PAIRS, rule=rule, doc="(6) strict return")


def add_loc_land(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(7) land available at each production location."""
    def rule(m, p):
        firms = [f for f in m._prod_by_loc.get(p, []) if d.firms[f].land_need_ha]
        if not firms:
            return pyo.Constraint.Skip
        return sum(d.firms[f].land_need_ha * m.b_prod[f, p] for f in firms) \
            <= d.locations[p].land_available_ha
    m.c_loc_land = pyo.Constraint(m.LOCATIONS, rule=rule,
                                  doc="(7) land used <= land available at the location")
