"""Explain an infeasible scenario: the smallest relaxation of its limits that admits a plan.

The model is rebuilt with a non-negative slack on every planner-facing limit (budgets, the
provincial fund, location land, land quota, floor, caps, the equity floor, must-place firms,
locked site status and trade caps). Minimising the slacks, each divided by the size of its
limit (so that "3 ha of 10" and "3 mcny of 1,000" compare fairly), gives the limits to
loosen and by how much, in the planner's units.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus

from ..data.model_data import ModelData
from ..model import build_model

# family -> (input sheet, input column, unit)
FAMILIES = {
    "c_budget": ("Regions", "budget_mcny", "mcny"),
    "c_fund": ("Policy", "provincial_fund_mcny", "mcny"),
    "c_loc_land": ("Locations", "land_available_ha", "ha"),
    "c_quota": ("Regions", "land_quota_ha", "ha"),
    "c_floor": ("Sites", "floor_m2", "m²"),
    "c_sponsor_cap": ("Policy", "max_sites_per_sponsor", "parks"),
    "c_host_cap": ("Policy", "max_enclaves_per_host", "parks"),
    "c_equity": ("Policy", "min_developing_share", "mcny"),
    "c_place": ("Firms", "must_place", "firm"),
    "c_site_status": ("Sites", "status", "site"),
    "c_trade_cap": ("QuotaLinks", "max_ha", "ha"),
}
SLACK_TOL = 1e-6


@dataclass(frozen=True)
class Relaxation:
    family: str
    index: str
    sheet: str
    column: str
    row: int | None
    amount: float
    unit: str
    message: str
    cell: str = ""  # where to change it: Regions!F3 (budget_mcny)


def diagnose(d: ModelData, time_limit_s: float, threads: int | None = None
             ) -> tuple[list[Relaxation], str]:
    """Relaxations that make the scenario feasible, and a status sentence."""
    m = build_model(d)
    m.obj_welfare.deactivate()
    slacks: list[tuple[str, object, pyo.Var, float]] = []
    m.DIAG = pyo.Block()
    count = 0
    for family in FAMILIES:
        comp = getattr(m, family)
        for index, con in comp.items():
            if not con.active:
                continue
            count += 1
            up = pyo.Var(domain=pyo.NonNegativeReals)
            m.DIAG.add_component(f"s{count}", up)
            scale = max(1.0, abs(_limit(d, family, index)))
            if con.equality:
                down = pyo.Var(domain=pyo.NonNegativeReals)
                m.DIAG.add_component(f"t{count}", down)
                con.set_value(con.body + up - down == con.upper)
                slacks.append((family, index, up, scale))
                slacks.append((family, index, down, scale))
            elif con.has_ub():
                con.set_value(con.body - up <= con.upper)
                slacks.append((family, index, up, scale))
            else:
                con.set_value(con.body + up >= con.lower)
                slacks.append((family, index, up, scale))
    m.diag_obj = pyo.Objective(expr=sum(v / s for _, _, v, s in slacks), sense=pyo.minimize)
    solver = SolverFactory("highs")
    options: dict = {"output_flag": False, "mip_rel_gap": 1e-6}
    if threads:
        options["threads"] = threads
    res = solver.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                       time_limit=time_limit_s, solver_options=options)
    if res.solution_status not in (SolutionStatus.optimal, SolutionStatus.feasible):
        return [], ("no relaxation of the planner-facing limits makes it feasible: check "
                    "fixed_site/fixed_location, plots and the return rule")
    res.solution_loader.load_vars()
    found = []
    for family, index, var, _ in slacks:
        amount = var.value or 0.0
        if amount > SLACK_TOL:
            found.append(_describe(d, family, index, amount))
    proven = res.solution_status == SolutionStatus.optimal
    return found, ("smallest relaxation found" if proven
                   else "a relaxation found (not proven smallest: time limit)")


def _limit(d: ModelData, family: str, index: object) -> float:
    """The planner's value of the limit, so that slacks are compared relative to it."""
    if family in ("c_budget", "c_quota"):
        r = d.regions[index]
        return r.budget_mcny if family == "c_budget" else r.land_quota_ha
    if family == "c_fund":
        return d.policy["provincial_fund_mcny"]
    if family == "c_loc_land":
        return d.locations[index].land_available_ha
    if family == "c_floor":
        return d.sites[index].floor_m2
    if family in ("c_sponsor_cap", "c_host_cap"):
        key = "max_sites_per_sponsor" if family == "c_sponsor_cap" else "max_enclaves_per_host"
        return d.policy[key] or 0
    if family == "c_trade_cap":
        return d.links[index].max_ha or 0
    return 1.0  # must-place, locked status: one firm / one site; equity: 1 mcny


def _describe(d: ModelData, family: str, index: object, amount: float) -> Relaxation:
    sheet, column, unit = FAMILIES[family]
    key = index if isinstance(index, str) else (
        "→".join(index) if isinstance(index, tuple) else "")
    row = d.rows.get((sheet, key)) if isinstance(index, str) else None
    region = d.regions.get(key)
    name = f"{region.name} ({key})" if region else key
    if family == "c_budget":
        text = f"{name}'s budget is short by {amount:,.3f} mcny"
    elif family == "c_fund":
        text = f"the provincial fund is short by {amount:,.3f} mcny"
    elif family == "c_loc_land":
        text = f"location {key} needs {amount:,.3f} ha more land than land_available_ha"
    elif family == "c_quota":
        text = f"{name}'s land quota is short by {amount:,.3f} ha"
    elif family == "c_floor":
        text = f"site {key} needs {amount:,.1f} m² more floor than floor_m2"
    elif family == "c_sponsor_cap":
        text = f"{name} needs {amount:,.0f} more cross-region park(s) than max_sites_per_sponsor"
    elif family == "c_host_cap":
        text = f"{name} needs {amount:,.0f} more park(s) of other regions than " \
               "max_enclaves_per_host"
    elif family == "c_equity":
        text = f"developing regions' net benefit falls {amount:,.3f} mcny short of the " \
               "equity floor (min_developing_share)"
    elif family == "c_place":
        text = f"firm {key} cannot be placed although must_place = yes: set must_place " \
               "to no, or make room for it"
    elif family == "c_site_status":
        status = d.sites[key].status
        text = (f"site {key} cannot be opened although its status is open: set it to "
                "candidate" if status == "open" else
                f"site {key} would have to open although its status is closed")
    else:
        text = f"quota link {key} needs {amount:,.3f} ha more than max_ha"
    cell = d.cell(sheet, column if sheet == "Policy" else key, column)
    return Relaxation(family, key, sheet, column, row, amount, unit, text, cell)
