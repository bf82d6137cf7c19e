"""Impossibilities found before solving, each naming the inputs responsible.

These catch the common ways a policy package cannot be satisfied at all, with a message
at the cells to change, instead of a bare "infeasible" from the solver. The input a
planner changes for each limit is the one its constraint family's record names.
"""

from __future__ import annotations

from collections import defaultdict

from ..data.model_data import ModelData
from ..errors import Issue
from ..model.families import FAMILY_BY_NAME

Overridden = dict[tuple[str, str, str], tuple[str, object, object]]  # -> (Overrides cell, old, new)


def presolve_issues(d: ModelData, overridden: Overridden | None = None) -> list[Issue]:
    """Every impossibility of one package, each at the input cell to change; where a
    package's override set that value, the message names the Overrides cell too."""
    out: list[Issue] = []
    overridden = overridden or {}

    def issue(sheet: str, key: str, column: str | None, message: str, hint: str) -> None:
        row = d.rows.get((sheet, key))
        letter = d.letters.get(sheet, {}).get(column or "")
        cell = f"{letter}{row}" if letter and row else None
        by = overridden.get((sheet, key, column or ""))
        if by is not None:
            where, old, new = by[0], _plain(by[1]), _plain(by[2])
            message += f" ({column} = {new} is set by {where}; the sheet holds {old})"
        out.append(Issue(sheet, message, hint, row=row, column=column, cell=cell))

    inc = d.inc_pairs()
    prod = d.prod_pairs(inc)
    sites_of, locs_of = defaultdict(list), defaultdict(list)
    for f, s in inc:
        sites_of[f].append(s)
    for f, p in prod:
        locs_of[f].append(p)
    strict = d.policy["return_rule"] == "strict"
    for f in d.firms.values():
        if f.fixed_site is not None:
            site = d.sites[f.fixed_site]
            if site.status == "closed":
                issue(
                    "Firms",
                    f.id,
                    "fixed_site",
                    f"firm {f.id} is fixed to site {site.id}, which is closed",
                    "open the site or clear fixed_site",
                )
            elif site.sectors is not None and f.sector not in site.sectors:
                issue(
                    "Firms",
                    f.id,
                    "fixed_site",
                    f"firm {f.id} (sector {f.sector}) is "
                    f"fixed to site {site.id}, which does not accept that sector",
                    "add the sector to the site's sectors or clear fixed_site",
                )
        if f.fixed_location is not None:
            loc = d.locations[f.fixed_location]
            if loc.status == "closed":
                issue(
                    "Firms",
                    f.id,
                    "fixed_location",
                    f"firm {f.id} is fixed to location {loc.id}, which is closed",
                    "reopen it or clear fixed_location",
                )
            elif loc.sectors is not None and f.sector not in loc.sectors:
                issue(
                    "Firms",
                    f.id,
                    "fixed_location",
                    f"firm {f.id} (sector {f.sector}) is "
                    f"fixed to location {loc.id}, which does not permit that sector",
                    "clear fixed_location or permit the sector there",
                )
            elif (
                strict
                and sites_of[f.id]
                and loc.region not in {d.sites[s].sponsor for s in sites_of[f.id]}
            ):
                issue(
                    "Firms",
                    f.id,
                    "fixed_location",
                    f"firm {f.id} is fixed to location "
                    f"{loc.id} in {loc.region}, but under the strict return rule it must "
                    "produce in the sponsor region of its park",
                    "choose a location in a sponsor's region, or set return_rule to free",
                )
        if not f.must_place:
            continue
        if not sites_of[f.id]:
            issue(
                "Firms",
                f.id,
                "must_place",
                f"firm {f.id} must be placed but no open or "
                f"candidate site accepts sector {f.sector}"
                + (f" (fixed_site {f.fixed_site})" if f.fixed_site else ""),
                "set must_place to no, or let a site accept the sector",
            )
        elif not locs_of[f.id]:
            issue(
                "Firms",
                f.id,
                "must_place",
                f"firm {f.id} must be placed but has no "
                "production location it may use (location status/sectors, fixed_location"
                + (", strict return rule" if strict else "")
                + ")",
                "permit the sector at a location in a sponsor's region, or set must_place to no",
            )
    # must-place floor per sector against the floor of every site that accepts it
    for sector in sorted({f.sector for f in d.firms.values() if f.must_place}):
        need = sum(
            min(d.floor_need(f.id, s) for s in sites_of[f.id])
            for f in d.firms.values()
            if f.must_place and f.sector == sector and sites_of[f.id]
        )
        floor = sum(
            s.floor_m2
            for s in d.sites.values()
            if s.status != "closed" and (s.sectors is None or sector in s.sectors)
        )
        if need > floor + 1e-9:
            out.append(
                Issue(
                    "Firms",
                    f"must-place firms of sector {sector} need "
                    f"{need:,.0f} m² but the sites accepting it offer {floor:,.0f} m²",
                    "set must_place to no for some firms, or add floor",
                    column=FAMILY_BY_NAME["c_place"].cell[1],
                )
            )
    _check_open_sites(d, issue)
    if not inc:
        out.append(
            Issue(
                "Firms",
                "no firm can be incubated at any site (check the "
                "sites' sectors and status): nothing to decide",
                "let at least one site accept a firm's sector",
            )
        )
    return out


def _check_open_sites(d: ModelData, issue) -> None:
    opened = [s for s in d.sites.values() if s.status == "open"]
    by_plot = defaultdict(list)
    for s in opened:
        by_plot[s.plot].append(s.id)
    for plot, ids in by_plot.items():
        if len(ids) > 1:
            issue(
                "Sites",
                ids[1],
                "status",
                f"sites {', '.join(ids)} are all 'open' on plot "
                f"{plot}, but only one option per plot can open",
                "set all but one to candidate or closed",
            )
    fund = d.policy["provincial_fund_mcny"]
    e = d.policy["exchange_ratio"]
    for r, reg in d.regions.items():
        mine = [s for s in opened if s.sponsor == r]
        cost = sum(s.setup_cost + s.opex for s in mine)
        if cost > reg.budget_mcny + fund + 1e-9:
            issue(
                "Regions",
                r,
                FAMILY_BY_NAME["c_budget"].cell[1],
                f"the open sites of {r} ({', '.join(s.id for s in mine)}) cost {cost:,.3f} "
                f"mcny, more than its budget {reg.budget_mcny:,.3f} plus the whole provincial "
                f"fund {fund:,.3f}",
                "raise the budget or the fund, or set a site to candidate",
            )
        need = sum(e * s.land_ha for s in mine if s.cross_region)
        links_in = [lk for lk in d.links.values() if lk.target == r]
        if any(lk.max_ha is None for lk in links_in):
            continue
        have = (
            reg.land_quota_ha
            + sum(lk.max_ha for lk in links_in)
            + sum(e * s.land_ha for s in opened if s.host == r and s.cross_region)
        )
        if need > have + 1e-9:
            issue(
                "Regions",
                r,
                FAMILY_BY_NAME["c_quota"].cell[1],
                f"the open enclave deals of {r} need {need:,.3f} ha of quota but it holds at "
                f"most {have:,.3f} ha",
                "raise land_quota_ha, lower exchange_ratio or set a site to candidate",
            )


def _plain(value: object) -> str:
    """A value as the planner typed it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "(blank)"
    return (
        ", ".join(value)
        if isinstance(value, tuple)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )
