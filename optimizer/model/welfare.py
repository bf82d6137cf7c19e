"""Net benefit of each region term by term, the equity floor (12) and the objective."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from ..data.model_data import ModelData

# Terms of N_r, with the sign they enter it; the order is the order of every report.
TERMS: tuple[tuple[str, int, str], ...] = (
    ("inc_value", +1, "incubation value (host/sponsor shares)"),
    ("prod_value", +1, "production value of firms producing in the region"),
    ("spillover", +1, "technology spillover to the local industrial base"),
    ("quota_value", +1, "value of quota kept for own development"),
    ("site_cost", -1, "park setup and operating costs as sponsor"),
    ("subsidy", -1, "subsidies to incubated firms as sponsor"),
    ("land_cost", -1, "land costs of production in the region"),
    ("quota_purchase", -1, "quota bought from other regions"),
    ("quota_sales", +1, "quota sold to other regions"),
)


def inc_share(d: ModelData, s: str, r: str) -> float:
    """Share of site s's incubation value counted for region r."""
    site, h = d.sites[s], d.policy["host_share"]
    if site.host == site.sponsor:
        return 1.0 if r == site.host else 0.0
    return h if r == site.host else (1.0 - h) if r == site.sponsor else 0.0


def add_terms(m: pyo.ConcreteModel, d: ModelData) -> None:
    """e_<term>[r] for every term of N_r, and e_net_benefit[r]."""
    def in_region(r):
        return [(f, p) for p in m._locs_by_region.get(r, []) for f in m._prod_by_loc.get(p, [])]

    inc_terms = defaultdict(list)  # r -> [(share, f, s)], one pass over the pairs
    by_sponsor = defaultdict(list)  # r -> [(f, s)] of parks r sponsors
    for f, s in m.INC_PAIRS:
        by_sponsor[d.sites[s].sponsor].append((f, s))
        for r in {d.sites[s].host, d.sites[s].sponsor}:
            if inc_share(d, s, r):
                inc_terms[r].append((inc_share(d, s, r), f, s))
    m.e_inc_value = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        share * m.p_inc_value[f, s] * m.b_inc[f, s] for share, f, s in inc_terms[r]),
        doc="incubation value counted for r (mcny)")
    m.e_prod_value = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        m.p_prod_value[k] * m.b_prod[k] for k in in_region(r)),
        doc="production value in r (mcny)")
    m.e_spillover = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        m.p_spillover[k] * m.b_prod[k] for k in in_region(r) if m.p_spillover[k]),
        doc="spillover value in r (mcny)")
    m.e_quota_value = pyo.Expression(
        m.REGIONS, rule=lambda m, r: d.regions[r].quota_value * m.v_own_use[r],
        doc="value of quota kept for own use (mcny)")
    m.e_site_cost = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        (s.setup_cost + s.opex) * m.b_open[s.id] for s in d.sites.values() if s.sponsor == r),
        doc="park costs paid as sponsor (mcny)")
    m.e_subsidy = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        d.firms[f].subsidy * m.b_inc[f, s] for f, s in by_sponsor[r] if d.firms[f].subsidy),
        doc="subsidies paid as sponsor (mcny)")
    m.e_land_cost = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        m.p_land_cost[k] * m.b_prod[k] for k in in_region(r) if m.p_land_cost[k]),
        doc="land costs of production in r (mcny)")
    m.e_quota_purchase = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        d.links[a, b].price * m.v_trade[a, b] for a, b in m.LINKS if b == r),
        doc="quota bought by r (mcny)")
    m.e_quota_sales = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        d.links[a, b].price * m.v_trade[a, b] for a, b in m.LINKS if a == r),
        doc="quota sold by r (mcny)")
    m.e_net_benefit = pyo.Expression(m.REGIONS, rule=lambda m, r: sum(
        sign * getattr(m, f"e_{name}")[r] for name, sign, _ in TERMS),
        doc="N_r net benefit of region r (mcny)")


def add_equity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """(12) developing regions get at least min_developing_share of total net benefit."""
    share = d.policy["min_developing_share"]
    m.c_equity = pyo.Constraint(
        expr=sum(m.e_net_benefit[r] for r in m.DEV_REGIONS)
        >= share * sum(m.e_net_benefit[r] for r in m.REGIONS),
        doc="(12) equity floor")
    if share <= 0:
        m.c_equity.deactivate()  # with no floor the row would wrongly force N_D >= 0


def add_objective(m: pyo.ConcreteModel, d: ModelData) -> None:
    m.obj_welfare = pyo.Objective(
        expr=sum(d.regions[r].welfare_weight * m.e_net_benefit[r] for r in m.REGIONS),
        sense=pyo.maximize, doc="weighted regional welfare (mcny)")
