"""Tidy result tables of one solved scenario, KPIs, and the reconciliation check.

Every welfare term is recomputed here from the decisions and the data coefficients (not
read back from the Pyomo expressions), so the check "weighted terms sum to the solver's
objective" is a real check of model and report against each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..data.model_data import ModelData
from ..model.plan import Decisions
from ..model.welfare import TERMS, inc_share
from ..solver.outcome import SolveOutcome

RECONCILE_TOL = 1e-6


@dataclass
class RunReport:
    """One run: the input, the options (`app.RunOptions`) and every package's result."""

    input_path: Path | None
    input_sha256: str
    options: Any
    started: datetime
    finished: datetime | None = None
    results: list[ScenarioResult] = field(default_factory=list)
    applied: list[Any] = field(default_factory=list)  # data.scenarios.AppliedOverride
    warnings: list[Any] = field(default_factory=list)  # errors.Issue
    sheets_read: dict[str, int] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C or SIGTERM stopped the run
    explore: Any = None  # report.explore.Exploration: a sweep's or frontier's points


@dataclass
class ScenarioResult:
    scenario: str
    description: str
    outcome: SolveOutcome
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    diagnosis: list[Any] = field(default_factory=list)  # diagnose.Relaxation, if infeasible
    diagnosis_note: str = ""
    data: Any = None  # the scenario's ModelData (inputs used), for the audit sheets
    plan: Decisions | None = None  # the decisions behind the tables
    picture: Any = None  # PNG and SVG of its network (or a pictures.Drawing), drawn once solved


def region_terms(d: ModelData, x: Decisions) -> dict[str, dict[str, float]]:
    """Every term of N_r, unweighted, from the decisions (docs/model.md §Net benefit)."""
    t: dict[str, dict[str, float]] = {r: {term.name: 0.0 for term in TERMS} for r in d.regions}
    for f, s in x.site_of.items():
        site = d.sites[s]
        for r in {site.host, site.sponsor}:
            t[r]["inc_value"] += inc_share(d, s, r) * d.inc_value(f, s)
        t[site.sponsor]["subsidy"] += d.firms[f].subsidy
    for f, p in x.location_of.items():
        r = d.locations[p].region
        t[r]["prod_value"] += d.prod_value(f, p)
        t[r]["spillover"] += d.spillover(f, p)
        t[r]["land_cost"] += d.land_cost(f, p)
    for r, used in x.own_use.items():
        t[r]["quota_value"] += d.regions[r].quota_value * used
    for s in x.opened:
        t[d.sites[s].sponsor]["site_cost"] += d.sites[s].setup_cost + d.sites[s].opex
    for (a, b), amount in x.trade.items():
        t[b]["quota_purchase"] += d.links[a, b].price * amount
        t[a]["quota_sales"] += d.links[a, b].price * amount
    return t


def net_benefit(terms: dict[str, float]) -> float:
    return sum(term.sign * terms[term.name] for term in TERMS)


def welfare(terms: dict[str, float]) -> float:
    """Net benefit without the quota payments: they move net benefit between regions but
    create no welfare, so the objective does not count them."""
    return sum(term.sign * terms[term.name] for term in TERMS if not term.transfer)


def reconcile(d: ModelData, terms: dict[str, dict[str, float]], objective: float) -> float:
    """Weighted welfare terms minus the objective; raises if they differ by more than 1e-6."""
    total = sum(d.regions[r].welfare_weight * welfare(t) for r, t in terms.items())
    diff = total - objective
    if abs(diff) > RECONCILE_TOL * max(1.0, abs(objective)):
        raise ArithmeticError(
            f"weighted welfare terms sum to {total:.6f} mcny but the "
            f"solver's objective is {objective:.6f} mcny"
        )
    return diff


def extract(
    scenario: str, description: str, d: ModelData, x: Decisions, outcome: SolveOutcome
) -> ScenarioResult:
    """Result tables of a scenario that has a valid plan."""
    terms = region_terms(d, x)
    reconcile(d, terms, outcome.objective)
    e = d.policy["exchange_ratio"]
    tabs: dict[str, list[dict[str, Any]]] = {}
    firms_at: dict[str, list[str]] = defaultdict(list)
    for f, s in x.site_of.items():
        firms_at[s].append(f)
    tabs["Sites"] = [
        {
            "scenario": scenario,
            "site_id": s.id,
            "name": s.name,
            "host_region": s.host,
            "sponsor_region": s.sponsor,
            "plot": s.plot,
            "status_input": s.status,
            "opened": "yes" if s.id in x.opened else "no",
            "firms_incubated": len(firms_at[s.id]),
            "floor_used_m2": sum(d.floor_need(f, s.id) for f in firms_at[s.id]),
            "floor_m2": s.floor_m2,
            "land_ha": s.land_ha if s.id in x.opened else 0.0,
            "quota_to_host_ha": e * s.land_ha if s.id in x.opened and s.cross_region else 0.0,
            "cost_mcny": s.setup_cost + s.opex if s.id in x.opened else 0.0,
        }
        for s in d.sites.values()
    ]
    tabs["Firms"] = [_firm_row(scenario, d, f, x) for f in d.firms]
    tabs["Quota"] = _quota_rows(scenario, d, x)
    tabs["Regions"] = _region_rows(scenario, d, x, terms)
    dev = sum(net_benefit(terms[r]) for r, reg in d.regions.items() if reg.developing)
    developed = sum(net_benefit(terms[r]) for r, reg in d.regions.items() if not reg.developing)
    summary = {
        "options_opened": len(x.opened),
        "firms_incubated": len(x.site_of),
        "firms_producing_in_developing": sum(
            1 for p in x.location_of.values() if d.regions[d.locations[p].region].developing
        ),
        "quota_moved_ha": sum(q["amount_ha"] for q in tabs["Quota"]),
        "net_benefit_developed_mcny": developed,
        "net_benefit_developing_mcny": dev,
    }
    return ScenarioResult(scenario, description, outcome, tabs, summary, plan=x)


def _firm_row(scenario: str, d: ModelData, f: str, x: Decisions) -> dict[str, Any]:
    firm = d.firms[f]
    s, p = x.site_of.get(f), x.location_of.get(f)
    site = d.sites[s] if s else None
    v = d.inc_value(f, s) if s else 0.0
    return {
        "scenario": scenario,
        "firm_id": f,
        "name": firm.name,
        "sector": firm.sector,
        "must_place": "yes" if firm.must_place else "no",
        "incubated": "yes" if s else "no",
        "site_id": s or "",
        "host_region": site.host if site else "",
        "sponsor_region": site.sponsor if site else "",
        "location_id": p or "",
        "production_region": d.locations[p].region if p else "",
        "floor_m2": d.floor_need(f, s) if s else 0.0,
        "land_ha": firm.land_need_ha if p else 0.0,
        "incubation_value_mcny": v,
        "incubation_value_host_mcny": v * inc_share(d, s, site.host) if s else 0.0,
        "incubation_value_sponsor_mcny": (
            v * inc_share(d, s, site.sponsor) if s and site.cross_region else 0.0
        ),
        "production_value_mcny": d.prod_value(f, p) if p else 0.0,
        "spillover_mcny": d.spillover(f, p) if p else 0.0,
        "land_cost_mcny": d.land_cost(f, p) if p else 0.0,
        "subsidy_mcny": firm.subsidy if s else 0.0,
    }


def _quota_rows(scenario: str, d: ModelData, x: Decisions) -> list[dict[str, Any]]:
    e = d.policy["exchange_ratio"]
    rows = [
        {
            "scenario": scenario,
            "kind": "enclave deal",
            "from_region": s.sponsor,
            "to_region": s.host,
            "site_id": s.id,
            "amount_ha": e * s.land_ha,
            "price_mcny_per_ha": 0.0,
            "payment_mcny": 0.0,
        }
        for s in d.sites.values()
        if s.id in x.opened and s.cross_region and s.land_ha
    ]
    rows += [
        {
            "scenario": scenario,
            "kind": "trade",
            "from_region": a,
            "to_region": b,
            "site_id": "",
            "amount_ha": amount,
            "price_mcny_per_ha": d.links[a, b].price,
            "payment_mcny": d.links[a, b].price * amount,
        }
        for (a, b), amount in x.trade.items()
        if amount > 1e-9
    ]
    return rows


def _region_rows(
    scenario: str, d: ModelData, x: Decisions, terms: dict[str, dict[str, float]]
) -> list[dict[str, Any]]:
    e = d.policy["exchange_ratio"]
    rows = []
    for r, reg in d.regions.items():
        t = terms[r]
        prod_land = sum(
            d.firms[f].land_need_ha for f, p in x.location_of.items() if d.locations[p].region == r
        )
        park_land = sum(d.sites[s].land_ha for s in x.opened if d.sites[s].host == r)
        deals_out = sum(
            e * d.sites[s].land_ha
            for s in x.opened
            if d.sites[s].sponsor == r and d.sites[s].cross_region
        )
        deals_in = sum(
            e * d.sites[s].land_ha
            for s in x.opened
            if d.sites[s].host == r and d.sites[s].cross_region
        )
        sold = sum(v for (a, _), v in x.trade.items() if a == r)
        bought = sum(v for (_, b), v in x.trade.items() if b == r)
        row: dict[str, Any] = {
            "scenario": scenario,
            "region_id": r,
            "name": reg.name,
            "tier": "developing" if reg.developing else "developed",
            "budget_used_mcny": t["site_cost"]
            + t["subsidy"]
            + t["land_cost"]
            + t["quota_purchase"],
            "budget_mcny": reg.budget_mcny,
            "fund_received_mcny": x.fund[r],
            "quota_used_ha": prod_land + park_land + x.own_use[r] + sold + deals_out,
            "quota_available_ha": reg.land_quota_ha + bought + deals_in,
            "quota_own_use_ha": x.own_use[r],
        }
        for term in TERMS:  # costs shown positive, as in every sheet: N_r = gains - costs
            row[f"{term.name}_mcny"] = t[term.name]
        n = net_benefit(t)
        row["net_benefit_mcny"] = n
        row["welfare_weight"] = reg.welfare_weight
        for term in TERMS:  # payments are transfers: 0 in the objective
            row[f"weighted_{term.name}_mcny"] = (
                0.0 if term.transfer else reg.welfare_weight * t[term.name]
            )
        row["weighted_welfare_mcny"] = reg.welfare_weight * welfare(t)
        rows.append(row)
    return rows
