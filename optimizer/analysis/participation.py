"""Win-win participation (`Policy.participation` = no_loss, `Regions.min_net_benefit_mcny`).

The stand-alone value N°_r of region r is its best net benefit acting alone: only its own
parks (host = sponsor = r), only its own production locations, no quota trade, no provincial
fund, no firm it must place, no equity floor. Each region is a separate small solve (the
regions do not decouple in general: they compete for the same firms, so one joint solve
without cross-region options would not give each region its best). Because each region's
stand-alone plan may use the same firms as another's, the guarantees together can exceed
what any plan gives: the package is then infeasible and its diagnosis says by how much.

For a fixed plan each N_r is linear in `host_share` η: N_r(η) = N_r(η0) + (η − η0)(H_r − O_r)
with H_r (O_r) the incubation value of the cross-region parks r hosts (sponsors). The
host-share finder intersects, for each opened cross-region park, the η at which its host and
its sponsor are each at least at their stand-alone value.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from ..data.model_data import ModelData
from ..model.matrix import build_matrix
from ..solver.highs import solve_matrix
from ..solver.strategy import solve_array

EPS = 1e-9


def alone(d: ModelData, r: str) -> ModelData:
    """Region r's data acting alone (see the module's docstring); its weight set to 1, so
    that the objective is N_r."""
    sites = {s: v for s, v in d.sites.items() if v.host == r and v.sponsor == r}
    locs = {p: v for p, v in d.locations.items() if v.region == r}
    firms = {}
    for f, v in d.firms.items():
        if (v.fixed_site and v.fixed_site not in sites) or (
            v.fixed_location and v.fixed_location not in locs
        ):
            continue
        firms[f] = replace(v, must_place=False)
    out = copy.copy(d)
    out.regions = {r: replace(d.regions[r], welfare_weight=1.0, min_net_benefit=None)}
    out.sites, out.locations, out.firms, out.links = sites, locs, firms, {}
    out.policy = dict(
        d.policy,
        provincial_fund_mcny=0.0,
        min_developing_share=0.0,
        participation="none",
        max_sites_per_sponsor=None,
        max_enclaves_per_host=None,
    )
    out.strength = {k: v for k, v in d.strength.items() if k[0] in locs}
    out.standalone = {}
    return out


def standalone_values(
    d: ModelData, threads: int | None = None, time_limit_s: float | None = None
) -> tuple[dict[str, float], list[str]]:
    """Each region's stand-alone net benefit, and a note for each not proven optimal (its
    best plan found is used: the guarantee is then at least that)."""
    limit = time_limit_s if time_limit_s is not None else d.policy["time_limit_s"]
    values, notes = {}, []
    for r in d.regions:
        a = alone(d, r)
        out, _ = solve_matrix(
            build_matrix(a), mip_gap=d.policy["mip_gap"], time_limit_s=limit, threads=threads
        )
        if out.has_plan:
            values[r] = float(out.objective)
            if out.status != "optimal":
                notes.append(f"stand-alone value of {r}: {out.message}")
        else:  # cannot happen (doing nothing is a plan), but say so rather than guess
            values[r] = 0.0
            notes.append(f"stand-alone value of {r}: {out.message}; 0 used")
    return values, notes


def free_data(d: ModelData) -> ModelData:
    """The package without any participation guarantee (for the guarantee's cost)."""
    out = copy.copy(d)
    out.policy = dict(d.policy, participation="none")
    out.regions = {r: replace(v, min_net_benefit=None) for r, v in d.regions.items()}
    out.standalone = {}
    return out


def add_gains(d: ModelData, regions: list[dict[str, Any]]) -> None:
    """Regions sheet: standalone_mcny and gain_vs_standalone_mcny (blank when no
    stand-alone values were computed)."""
    for row in regions:
        s = d.standalone.get(row["region_id"])
        row["standalone_mcny"] = s
        row["gain_vs_standalone_mcny"] = row["net_benefit_mcny"] - s if s is not None else None
        row["min_net_benefit_mcny"] = d.regions[row["region_id"]].min_net_benefit


def host_share_rows(
    scenario: str,
    d: ModelData,
    opened: frozenset[str],
    regions: list[dict[str, Any]],
    firms: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per opened cross-region park: the range of host_share (plan held fixed)
    within which both its host and its sponsor get at least their stand-alone value."""
    if not d.standalone:
        return []
    eta0 = d.policy["host_share"]
    net = {row["region_id"]: row["net_benefit_mcny"] for row in regions}
    slope = dict.fromkeys(d.regions, 0.0)  # dN_r / d eta = H_r - O_r
    parks: dict[str, float] = {}
    for f in firms:
        s = f["site_id"]
        if s and d.sites[s].cross_region:
            v = f["incubation_value_mcny"]
            slope[d.sites[s].host] += v
            slope[d.sites[s].sponsor] -= v
            parks[s] = parks.get(s, 0.0) + v
    rows = []
    for s, site in d.sites.items():
        if not site.cross_region or s not in opened:
            continue
        low, high = 0.0, 1.0
        for r in (site.host, site.sponsor):
            # N_r(eta) = net_r + (eta - eta0) * slope_r >= standalone_r
            need = d.standalone[r] - net[r]
            k = slope[r]
            if abs(k) <= EPS:
                if need > EPS * max(1.0, abs(d.standalone[r])):
                    low, high = 1.0, 0.0
            elif k > 0:
                low = max(low, eta0 + need / k)
            else:
                high = min(high, eta0 + need / k)
        ok = low <= high + EPS
        rows.append(
            {
                "scenario": scenario,
                "site_id": s,
                "host_region": site.host,
                "sponsor_region": site.sponsor,
                "incubation_value_mcny": parks.get(s, 0.0),
                "host_share_used": eta0,
                "host_share_low": low if ok else None,
                "host_share_high": high if ok else None,
                "meaning": (
                    f"with this plan, any host_share from {low:.1%} to {high:.1%} leaves "
                    f"both {site.host} and {site.sponsor} at least at their stand-alone value"
                    if ok
                    else f"no host_share leaves both {site.host} and {site.sponsor} at "
                    "their stand-alone value with this plan"
                ),
            }
        )
    return rows


def guaranteed(d: ModelData) -> bool:
    return d.policy.get("participation", "none") != "none" or any(
        reg.min_net_benefit is not None for reg in d.regions.values()
    )


def solve_free(d: ModelData, options: Any, pool: Any, plans: list) -> dict:
    """Before the package's own solve: every region's stand-alone value (no_loss), put in
    `d.standalone` for family c_participation, and the package solved without the
    guarantee, whose welfare minus the guaranteed plan's is the guarantee's cost."""
    notes: list[str] = []
    if d.policy.get("participation") == "no_loss":
        d.standalone, notes = standalone_values(d, options.threads)
    free = free_data(d)
    out = solve_array(
        free,
        build_matrix(free),
        threads=options.threads,
        pool=pool,
        earlier=plans,
        seed=options.seed,
    )
    return {"outcome": out.outcome, "plans": [out.x] if out.x is not None else [], "notes": notes}


def report_guarantee(result: Any, d: ModelData, guarantee: dict) -> None:
    """Summary: the welfare without the guarantee and the guarantee's cost; Regions: each
    region's stand-alone value and gain; HostShare: the host-share finder."""
    free = guarantee["outcome"]
    result.summary["participation"] = d.policy.get("participation", "none")
    result.summary["solver_notes"] = (
        list(result.summary.get("solver_notes", [])) + guarantee["notes"]
    )
    if free.has_plan:
        # every guaranteed plan is a plan without the guarantee: the best known without it
        # is the better of the two (solver tolerance can leave the free solve's lower)
        best = max(free.objective, result.outcome.objective or -float("inf"))
        result.summary["welfare_without_guarantee_mcny"] = best
        if result.outcome.has_plan:
            result.summary["guarantee_cost_mcny"] = best - result.outcome.objective
        if free.status != "optimal" or result.outcome.status != "optimal":
            result.summary["solver_notes"].append(
                "cost of the guarantee measured between plans not both proven optimal: "
                f"without it {free.message}"
            )
    if result.outcome.has_plan:
        add_gains(d, result.tables["Regions"])
        result.tables["HostShare"] = host_share_rows(
            result.scenario,
            d,
            result.plan.opened,
            result.tables["Regions"],
            result.tables["Firms"],
        )
