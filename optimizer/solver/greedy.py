"""A greedy plan, so that a feasible plan exists from the first second of a long solve (the
solve's fallback, and on large models the workers' starting solution; `strategy.py`).

Firms are placed one at a time, must-place firms first, then by the welfare of their best
(park, production location) pair, whenever every limit still holds: park floor, location
land, the quota balance and budget of every region involved (including the provincial
fund), caps, plots and locked statuses. Leftover quota goes to each region's own use. The
plan is only offered if it satisfies every row of the model (checked by `residual`).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..data.model_data import ModelData
from ..model.matrix import MatrixModel
from ..model.plan import Decisions, values_of
from .highs import residual

TOP = 20  # free return rule: options per firm considered = TOP parks x TOP zones


def greedy_plan(d: ModelData, mm: MatrixModel) -> np.ndarray | None:
    e = d.policy["exchange_ratio"]
    quota_left = {r: reg.land_quota_ha for r, reg in d.regions.items()}
    budget_left = {r: reg.budget_mcny for r, reg in d.regions.items()}
    fund_left = d.policy["provincial_fund_mcny"]
    fund = defaultdict(float)
    floor_left = {s: site.floor_m2 for s, site in d.sites.items()}
    land_left = {p: loc.land_available_ha for p, loc in d.locations.items()}
    opened: set[str] = set()
    plots_used: dict[str, str] = {}
    caps = {"sponsor": defaultdict(int), "host": defaultdict(int)}
    limit = {
        "sponsor": d.policy["max_sites_per_sponsor"],
        "host": d.policy["max_enclaves_per_host"],
    }

    def spend(r: str, amount: float, commit: bool) -> bool:
        nonlocal fund_left
        short = max(0.0, amount - budget_left[r])
        if short > fund_left + 1e-9:
            return False
        if commit:
            take = min(amount, budget_left[r])
            budget_left[r] -= take
            fund_left -= short
            fund[r] += short
        return True

    def open_site(s: str, commit: bool) -> bool:
        site = d.sites[s]
        if s in opened:
            return True
        if site.status == "closed" or plots_used.get(site.plot, s) != s:
            return False
        if site.cross_region and any(
            limit[k] is not None and caps[k][getattr(site, k)] + 1 > limit[k]
            for k in ("sponsor", "host")
        ):
            return False
        need_host = site.land_ha - (e * site.land_ha if site.cross_region else 0.0)
        need_sponsor = e * site.land_ha if site.cross_region else 0.0
        if (
            quota_left[site.host] < need_host - 1e-9
            or quota_left[site.sponsor] < need_sponsor - 1e-9
        ):
            return False
        if not spend(site.sponsor, site.setup_cost + site.opex, commit):
            return False
        if commit:
            opened.add(s)
            plots_used[site.plot] = s
            quota_left[site.host] -= need_host
            quota_left[site.sponsor] -= need_sponsor
            if site.cross_region:
                caps["sponsor"][site.sponsor] += 1
                caps["host"][site.host] += 1
        return True

    for s, site in d.sites.items():  # locked-open options first
        if site.status == "open" and not open_site(s, True):
            return None
    sites_of, locs_of = defaultdict(list), defaultdict(list)
    for f, s in mm.b_inc:
        sites_of[f].append(s)
    for f, p in mm.b_prod:
        locs_of[f].append(p)
    strict = d.policy["return_rule"] == "strict"

    cost = mm.col_cost  # the objective coefficients of docs/model.md, not derived again

    def inc_part(f: str, s: str) -> float:  # weighted welfare of incubating f at s
        return cost[mm.b_inc[f, s]] + (0.0 if s in opened else cost[mm.b_open[s]])

    def prod_part(f: str, p: str) -> float:  # weighted welfare of producing f at p
        return cost[mm.b_prod[f, p]]

    site_of, location_of = {}, {}
    order = sorted(d.firms, key=lambda f: (not d.firms[f].must_place, f))
    candidates = []
    for f in order:
        inc = {s: inc_part(f, s) for s in sites_of[f]}
        prod = {p: prod_part(f, p) for p in locs_of[f]}
        if strict:  # production in the sponsor's region: pair each park with those zones
            zones = defaultdict(list)
            for p in prod:
                zones[d.locations[p].region].append(p)
            options = [(inc[s] + prod[p], s, p) for s in inc for p in zones[d.sites[s].sponsor]]
        else:  # any zone: the best TOP parks x the best TOP zones are plenty for a start
            best_s = sorted(inc, key=inc.__getitem__, reverse=True)[:TOP]
            best_p = sorted(prod, key=prod.__getitem__, reverse=True)[:TOP]
            options = [(inc[s] + prod[p], s, p) for s in best_s for p in best_p]
        if options:
            candidates.append((d.firms[f].must_place, max(options)[0], f, options))
    candidates.sort(key=lambda c: (not c[0], -c[1]))
    for must, _, f, options in candidates:
        firm = d.firms[f]
        for val, s, p in sorted(options, reverse=True):
            if val <= 0 and not must:
                break
            r = d.locations[p].region
            sponsor = d.sites[s].sponsor
            if (
                floor_left[s] < d.floor_need(f, s) - 1e-9
                or land_left[p] < firm.land_need_ha - 1e-9
                or quota_left[r] < firm.land_need_ha - 1e-9
            ):
                continue
            if not open_site(s, False):
                continue
            # budgets: subsidy to the sponsor, land cost to the production region
            cost_sponsor = firm.subsidy + (
                0 if s in opened else d.sites[s].setup_cost + d.sites[s].opex
            )
            cost_r = d.land_cost(f, p)
            if sponsor == r:
                if not spend(r, cost_sponsor + cost_r, False):
                    continue
            elif not (spend(sponsor, cost_sponsor, False) and spend(r, cost_r, False)):
                continue
            open_site(s, True)
            spend(sponsor, firm.subsidy, True)
            spend(r, cost_r, True)
            floor_left[s] -= d.floor_need(f, s)
            land_left[p] -= firm.land_need_ha
            quota_left[r] -= firm.land_need_ha
            site_of[f], location_of[f] = s, p
            break
        else:
            if must:
                return None
    own = {r: max(0.0, min(d.regions[r].quota_demand_ha, quota_left[r])) for r in d.regions}
    x = Decisions(
        frozenset(opened),
        site_of,
        location_of,
        {k: 0.0 for k in d.links},
        own,
        {r: fund[r] for r in d.regions},
    )
    values = values_of(mm, x)
    return values if residual(mm, values) is None else None


def warm_start_note(mm: MatrixModel, plan: np.ndarray | None, seconds: float) -> str:
    """What the greedy heuristic found, in words for the Run sheet and the console."""
    if plan is None:
        return (
            f"the greedy heuristic found no plan meeting every limit ({seconds:.2f} s); "
            "HiGHS started without one"
        )
    value = float(np.dot(mm.col_cost, plan))
    return f"greedy plan of {value:,.3f} mcny weighted welfare ({seconds:.2f} s)"
