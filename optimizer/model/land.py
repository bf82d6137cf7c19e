"""Constraint families 8-9: land quota balance and quota trades."""

from __future__ import annotations

import pyomo.environ as pyo

from ..data.model_data import ModelData


def add_quota(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(8) quota used (production, park land, own use, sales, deals as sponsor) <= quota
    held + bought + received in deals as host; u_r <= quota_demand_r."""
    e = d.policy["exchange_ratio"]

    def rule(m, r):
        production = sum(d.firms[f].land_need_ha * m.b_prod[f, p]
                         for p in m._locs_by_region.get(r, []) for f in m._prod_by_loc.get(p, [])
                         if d.firms[f].land_need_ha)
        parks = sum(s.land_ha * m.b_open[s.id] for s in d.sites.values()
                    if s.host == r and s.land_ha)
        sold = sum(m.v_trade[a, b] for a, b in m.LINKS if a == r)
        bought = sum(m.v_trade[a, b] for a, b in m.LINKS if b == r)
        deals_out = sum(e * s.land_ha * m.b_open[s.id] for s in d.sites.values()
                        if s.sponsor == r and s.cross_region and s.land_ha)
        deals_in = sum(e * s.land_ha * m.b_open[s.id] for s in d.sites.values()
                       if s.host == r and s.cross_region and s.land_ha)
        return production + parks + m.v_own_use[r] + sold + deals_out \
            <= d.regions[r].land_quota_ha + bought + deals_in
    m.c_quota = pyo.Constraint(m.REGIONS, rule=rule, doc="(8) land-quota balance of region r")
    m.c_own_use = pyo.Constraint(
        m.REGIONS, rule=lambda m, r: m.v_own_use[r] <= d.regions[r].quota_demand_ha,
        doc="(8) own use of quota <= quota demand")


def add_trade_cap(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(9) trades only on QuotaLinks pairs (by construction of LINKS), at most max_ha."""
    capped = [k for k, link in d.links.items() if link.max_ha is not None]
    m.CAPPED_LINKS = pyo.Set(initialize=capped, dimen=2, ordered=True,
                             doc="QuotaLinks pairs with a max_ha")
    m.c_trade_cap = pyo.Constraint(
        m.CAPPED_LINKS, rule=lambda m, a, b: m.v_trade[a, b] <= d.links[a, b].max_ha,
        doc="(9) quota traded on a link <= max_ha")
