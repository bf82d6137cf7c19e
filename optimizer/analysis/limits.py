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

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.util import NoDualsError

from ..data.model_data import ModelData
from ..report.tables import Decisions

BIND_TOL = 1e-6
# family -> (limit in planner words, unit of the limit)
FAMILIES: dict[str, tuple[str, str]] = {
    "c_budget": ("budget (incl. provincial fund received)", "mcny"),
    "c_fund": ("provincial fund", "mcny"),
    "c_quota": ("land-development quota", "ha"),
    "c_own_use": ("quota demand for own development", "ha"),
    "c_trade_cap": ("quota link capacity (max_ha)", "ha"),
    "c_loc_land": ("industrial land at the location", "ha"),
    "c_floor": ("park floor", "m²"),
    "c_sponsor_cap": ("cross-region parks per sponsor", "parks"),
    "c_host_cap": ("parks of other regions per host", "parks"),
    "c_equity": ("equity floor for developing regions", "mcny"),
}
SIGN_NOTE = ("marginal_value_mcny: change in weighted welfare (mcny) for one more unit of the "
             "limit, integer decisions held fixed; positive = loosening helps. For the equity "
             "floor the unit is one more mcny required for developing regions (negative = "
             "the floor costs welfare).")


Duals = dict[tuple[str, Any], float]  # (family, index) -> dual; only rows that exist


def pyomo_duals(m: pyo.ConcreteModel, threads: int | None = None) -> Duals:
    """Duals of the Pyomo model's LP left when every binary is fixed at its value."""
    binaries = [v for v in m.component_data_objects(pyo.Var) if v.is_binary()]
    for v in binaries:
        v.fix(round(v.value))
        v.domain = pyo.Reals
    try:
        solver = SolverFactory("highs")
        options: dict = {"output_flag": False}
        if threads:
            options["threads"] = threads
        res = solver.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                           solver_options=options)
        try:
            values = res.solution_loader.get_duals()
        except NoDualsError:
            values = {}
    finally:
        for v in binaries:
            v.domain = pyo.Binary
            v.unfix()
    out: Duals = {}
    for family in FAMILIES:
        comp = getattr(m, family)
        for index, con in comp.items():
            if con.active:
                out[(family, index)] = float(values.get(con, 0.0))
    return out


def matrix_duals(mm: Any, values: Any, threads: int | None = None) -> Duals:
    """The same for the array model: integer columns fixed, LP re-solved, row duals."""
    import highspy
    import numpy as np
    h = mm.to_highs()
    ints = np.nonzero(np.array(mm.col_int))[0]
    if ints.size:
        fixed = np.round(np.asarray(values)[ints])
        h.changeColsBounds(len(ints), ints.astype(np.int32), fixed, fixed)
        h.changeColsIntegrality(len(ints), ints.astype(np.int32),
                                np.array([highspy.HighsVarType.kContinuous] * len(ints)))
    if threads:
        h.setOptionValue("threads", int(threads))
    h.run()
    ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    duals = h.getSolution().row_dual if ok else [0.0] * len(mm.row_family)
    return {key: float(duals[i]) for i, key in enumerate(mm.row_family)
            if key[0] in FAMILIES}


def limit_rows(scenario: str, d: ModelData, duals: Duals, x: Decisions,
               regions: list[dict[str, Any]], sites: list[dict[str, Any]]
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
        words, unit = FAMILIES[family]
        slack = available - used
        value = duals[(family, index)]
        rows.append({"scenario": scenario, "limit": words, "family": family, "where": where,
                     "used": used, "available": available, "slack": slack, "unit": unit,
                     "binding": "yes" if abs(slack) <= BIND_TOL * max(1, abs(available))
                     else "no",
                     "marginal_value_mcny": value + 0.0,
                     "meaning": _sentence(words, where, unit, value)})

    for r, reg in d.regions.items():
        row = by_region[r]
        add("c_budget", r, named(reg.name, r), row["budget_used_mcny"],
            reg.budget_mcny + row["fund_received_mcny"])
        add("c_quota", r, named(reg.name, r), row["quota_used_ha"], row["quota_available_ha"])
        add("c_own_use", r, named(reg.name, r), x.own_use[r], reg.quota_demand_ha)
    add("c_fund", None, "province", sum(x.fund.values()), d.policy["provincial_fund_mcny"])
    for (a, b), link in d.links.items():
        add("c_trade_cap", (a, b), f"{a} → {b}", x.trade[a, b], link.max_ha or 0.0)
    for p, loc in d.locations.items():
        used = sum(d.firms[f].land_need_ha for f, q in x.location_of.items() if q == p)
        add("c_loc_land", p, named(loc.name, p), used, loc.land_available_ha)
    for s, site in d.sites.items():
        add("c_floor", s, named(site.name, s), by_site[s]["floor_used_m2"],
            site.floor_m2 if s in x.opened else 0.0)
    for family, role, key in (("c_sponsor_cap", "sponsor", "max_sites_per_sponsor"),
                              ("c_host_cap", "host", "max_enclaves_per_host")):
        for r in d.regions:
            used = sum(1 for s in x.opened if d.sites[s].cross_region
                       and getattr(d.sites[s], role) == r)
            add(family, r, named(d.regions[r].name, r), used, d.policy[key] or 0)
    if ("c_equity", None) in duals:
        dev = sum(row["net_benefit_mcny"] for row in regions if row["tier"] == "developing")
        total = sum(row["net_benefit_mcny"] for row in regions)
        required = d.policy["min_developing_share"] * total
        add("c_equity", None, "developing regions", required, dev)
    return rows


def _sentence(words: str, where: str, unit: str, value: float) -> str:
    if abs(value) <= 1e-9:
        return f"one more {unit} of {words} for {where} would not change welfare (decisions fixed)"
    verb = "is worth" if value > 0 else "would cost"
    return f"one more {unit} of {words} for {where} {verb} {abs(value):,.3f} mcny of " \
           "weighted welfare"
