"""Which limits bind, and what one more unit of each is worth (sheet `Limits`).

After the MIP, every integer decision is fixed at its value and the remaining LP (quota
trades, own use of quota, the provincial fund) is re-solved; the dual of each limit is the
change in weighted welfare (mcny) per one more unit of that limit, with these decisions
held fixed. Limits whose rows hold only fixed decisions (floor, caps, location land) get
the value 0 by construction: loosening them alone changes nothing until the decisions are
re-optimised, which the irreplaceability re-solves measure instead.
"""

from __future__ import annotations

from typing import Any

from ..data.model_data import ModelData
from ..model.families import FAMILIES, FAMILY_BY_NAME
from ..model.families.participation import floors
from ..model.plan import Decisions
from ..solver.highs import fixed_lp_duals

BIND_TOL = 1e-6
LIMIT_FAMILIES = tuple(f.name for f in FAMILIES if f.in_limits)
Duals = dict[tuple[str, Any], float]  # (family, index) -> dual; only rows that exist


def matrix_duals(mm: Any, values: Any, threads: int | None = None) -> Duals:
    """Each limit's dual in the LP left when every integer decision is fixed (0 where that
    LP is not solved)."""
    duals = fixed_lp_duals(mm, values, threads)
    return {
        key: float(duals[i]) if duals is not None else 0.0
        for i, key in enumerate(mm.row_family)
        if key[0] in LIMIT_FAMILIES
    }


def limit_rows(
    scenario: str,
    d: ModelData,
    duals: Duals,
    x: Decisions,
    regions: list[dict[str, Any]],
    sites: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per limit that exists in the model; `duals` from either engine."""
    by_region = {r["region_id"]: r for r in regions}
    by_site = {s["site_id"]: s for s in sites}
    rows: list[dict[str, Any]] = []

    def named(name: str, key: str) -> str:
        return key if name == key else f"{name} ({key})"

    def add(family: str, index: Any, where: str, used: float, available: float) -> None:
        if (family, index) not in duals:
            return  # no such row (no limit set, or nothing it could constrain)
        words, unit = FAMILY_BY_NAME[family].words, FAMILY_BY_NAME[family].unit
        slack = available - used
        if abs(slack) <= BIND_TOL * max(1, abs(available)):
            slack = 0.0  # exhausted: what is left is round-off
        value = duals[(family, index)]
        rows.append(
            {
                "scenario": scenario,
                "limit": words,
                "family": family,
                "where": where,
                "used": used,
                "available": available,
                "slack": slack,
                "unit": unit,
                "binding": "yes" if slack == 0.0 else "no",
                "marginal_value_mcny": value + 0.0 if abs(value) > 1e-9 else 0.0,
                "meaning": _sentence(unit, value),
            }
        )

    for r, reg in d.regions.items():
        row = by_region[r]
        add(
            "c_budget",
            r,
            named(reg.name, r),
            row["budget_used_mcny"],
            reg.budget_mcny + row["fund_received_mcny"],
        )
        add("c_quota", r, named(reg.name, r), row["quota_used_ha"], row["quota_available_ha"])
        add("c_own_use", r, named(reg.name, r), x.own_use[r], reg.quota_demand_ha)
    add("c_fund", None, "province", sum(x.fund.values()), d.policy["provincial_fund_mcny"])
    for (a, b), link in d.links.items():
        add("c_trade_cap", (a, b), f"{a} → {b}", x.trade[a, b], link.max_ha or 0.0)
    for p, loc in d.locations.items():
        used = sum(d.firms[f].land_need_ha for f, q in x.location_of.items() if q == p)
        add("c_loc_land", p, named(loc.name, p), used, loc.land_available_ha)
    for s, site in d.sites.items():
        add(
            "c_floor",
            s,
            named(site.name, s),
            by_site[s]["floor_used_m2"],
            site.floor_m2 if s in x.opened else 0.0,
        )
    for family, role, key in (
        ("c_sponsor_cap", "sponsor", "max_sites_per_sponsor"),
        ("c_host_cap", "host", "max_enclaves_per_host"),
    ):
        for r in d.regions:
            used = sum(
                1 for s in x.opened if d.sites[s].cross_region and getattr(d.sites[s], role) == r
            )
            add(family, r, named(d.regions[r].name, r), used, d.policy[key] or 0)
    floor = floors(d)
    for r in floor:
        add(
            "c_participation",
            r,
            named(d.regions[r].name, r),
            floor[r],
            by_region[r]["net_benefit_mcny"],
        )
    if ("c_equity", None) in duals:
        dev = sum(row["net_benefit_mcny"] for row in regions if row["tier"] == "developing")
        total = sum(row["net_benefit_mcny"] for row in regions)
        required = d.policy["min_developing_share"] * total
        add("c_equity", None, "developing regions", required, dev)
    return rows


def _sentence(unit: str, value: float) -> str:
    """The marginal value in words (the row's limit and where columns say of what)."""
    if abs(value) <= 1e-9:
        return f"one more {unit} would not change welfare (decisions fixed)"
    verb = "is worth" if value > 0 else "would cost"
    return f"one more {unit} {verb} {abs(value):,.3f} mcny of weighted welfare"
