"""Constraint families 10-11: budgets, the provincial fund and caps on parks."""

from __future__ import annotations

import pyomo.environ as pyo

from ..data.model_data import ModelData


def add_budget(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(10) spending of region r <= budget_r + g_r; sum of g_r <= provincial fund."""
    m.c_budget = pyo.Constraint(
        m.REGIONS, rule=lambda m, r: m.e_site_cost[r] + m.e_subsidy[r] + m.e_land_cost[r]
        + m.e_quota_purchase[r] <= d.regions[r].budget_mcny + m.v_fund[r],
        doc="(10) spending <= budget + provincial fund share")
    m.c_fund = pyo.Constraint(
        expr=sum(m.v_fund[r] for r in m.REGIONS) <= d.policy["provincial_fund_mcny"],
        doc="(10) provincial fund handed out <= provincial_fund_mcny")


def add_caps(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(11) parks per sponsor in other regions; parks of other regions per host."""
    def cap_rule(limit, role):
        def rule(m, r):
            sites = [s.id for s in d.sites.values()
                     if s.cross_region and getattr(s, role) == r]
            if limit is None or not sites:
                return pyo.Constraint.Skip
            return sum(m.b_open[s] for s in sites) <= limit
        return rule
    m.c_sponsor_cap = pyo.Constraint(
        m.REGIONS, rule=cap_rule(d.policy["max_sites_per_sponsor"], "sponsor"),
        doc="(11) cross-region parks per sponsor <= max_sites_per_sponsor")
    m.c_host_cap = pyo.Constraint(
        m.REGIONS, rule=cap_rule(d.policy["max_enclaves_per_host"], "host"),
        doc="(11) parks of other regions per host <= max_enclaves_per_host")
