"""The result workbook's sheets and columns, declared once: order, unit and meaning.

Units are the suffix of each name (_mcny million CNY, _ha hectares, _m2 square metres);
the meaning becomes the header's cell note and the table in docs/results.md.
"""

from __future__ import annotations

from ..model.welfare import TERMS

SUMMARY = {
    "scenario": "Scenario (policy package) id",
    "description": "What the policy package is",
    "status": "optimal (proven within 0.005% of the best possible) / optimal within x% "
    "(proven within the mip_gap tolerance) / feasible (stopped at the time limit, not proven "
    "optimal) / interrupted (Ctrl-C: the best plan found until then) / infeasible / "
    "impossible (found before solving, see Diagnosis) / unbounded / no solution / not run",
    "status_message": "The solver outcome in plain words",
    "objective_mcny": "Weighted regional welfare of the plan, mcny (sum over regions of "
    "welfare_weight x net benefit without quota payments)",
    "best_bound_mcny": "Best proven bound on the weighted welfare, mcny",
    "mip_gap": "Relative gap between the plan and the bound (0.1 % = within 0.1 % of best)",
    "solve_seconds": "Solver wall time, seconds",
    "options_opened": "Enclave options opened, count",
    "firms_incubated": "Firms incubated in a park, count",
    "firms_producing_in_developing": "Incubated firms producing in developing regions, count",
    "quota_moved_ha": "Land quota moved between regions (enclave deals plus trades), ha",
    "net_benefit_developed_mcny": "Net benefit of developed regions, unweighted, mcny",
    "net_benefit_developing_mcny": "Net benefit of developing regions, unweighted, mcny",
    "participation": "Policy participation of the package: none, or no_loss (every region "
    "at least at its stand-alone value); blank when no region has a guarantee",
    "welfare_without_guarantee_mcny": "Weighted welfare of the package solved without the "
    "participation guarantees (no_loss and min_net_benefit_mcny): the better of that solve's "
    "plan and this plan (which is also a plan without them), mcny",
    "guarantee_cost_mcny": "Welfare cost of the guarantees: welfare_without_guarantee_mcny "
    "minus objective_mcny, mcny (0 = the guarantees cost nothing; both solves stop within "
    "mip_gap, so a cost below |objective| x mip_gap may be solver tolerance)",
}
SITES = {
    "scenario": "Scenario id",
    "site_id": "Enclave option",
    "name": "Option name",
    "host_region": "Region where the park is",
    "sponsor_region": "Region that runs and pays",
    "plot": "Plot or building (one option per plot)",
    "status_input": "Status in the input: candidate, open (forced) or closed (forced)",
    "opened": "yes if the plan opens the option",
    "firms_incubated": "Firms incubated here, count",
    "floor_used_m2": "Floor used by incubated firms, m²",
    "floor_m2": "Floor available, m²",
    "land_ha": "Park land the host provides (opened options), ha",
    "quota_to_host_ha": "Quota the sponsor transfers to the host for this park "
    "(exchange_ratio x land), ha",
    "cost_mcny": "Setup plus operating cost paid by the sponsor, mcny",
}
FIRMS = {
    "scenario": "Scenario id",
    "firm_id": "Firm",
    "name": "Firm name",
    "sector": "Sector",
    "must_place": "yes if the input requires the firm to be placed",
    "incubated": "yes if the plan incubates the firm",
    "site_id": "Park where it is incubated",
    "host_region": "Host region of the park",
    "sponsor_region": "Sponsor region of the park",
    "location_id": "Production location",
    "production_region": "Region where it produces",
    "floor_m2": "Floor it uses in the park, m²",
    "land_ha": "Land it uses for production, ha",
    "incubation_value_mcny": "Incubation value v = rd_value x innovation_level + site "
    "affinity, mcny",
    "incubation_value_host_mcny": "Part of v counted for the host (all of v when host = "
    "sponsor), mcny",
    "incubation_value_sponsor_mcny": "Part of v counted for the sponsor of a cross-region "
    "park, mcny",
    "production_value_mcny": "Production value w = success x (prod_value - prod_cost x "
    "cost_index) + location affinity, mcny",
    "spillover_mcny": "Spillover to the local base = success x spillover_rate x strength x "
    "prod_value, mcny",
    "land_cost_mcny": "Land cost paid by the production region, mcny",
    "subsidy_mcny": "Subsidy paid by the sponsor, mcny",
}
QUOTA = {
    "scenario": "Scenario id",
    "kind": "enclave deal (fixed by opening a cross-region park) or trade (QuotaLinks)",
    "from_region": "Region giving quota",
    "to_region": "Region receiving quota",
    "site_id": "Park of the enclave deal",
    "amount_ha": "Quota moved, ha",
    "price_mcny_per_ha": "Price per ha (trades), mcny/ha",
    "payment_mcny": "Payment from receiver to giver, mcny",
}
REGIONS = {
    "scenario": "Scenario id",
    "region_id": "Region",
    "name": "Region name",
    "tier": "developed or developing",
    "budget_used_mcny": "Spending: park costs + subsidies + land costs + quota bought, mcny",
    "budget_mcny": "Budget limit from the input, mcny",
    "fund_received_mcny": "Provincial fund allocated to the region, mcny",
    "quota_used_ha": "Quota used: production land + park land + own use + sold + given in "
    "deals, ha",
    "quota_available_ha": "Quota available: held + bought + received in deals, ha",
    "quota_own_use_ha": "Quota kept for the region's own other development, ha",
}


def _role(sign: int) -> str:
    """How a term enters net benefit, in the one sign convention of every sheet."""
    return "a gain, added" if sign > 0 else "a cost, shown positive and subtracted"


for _term in TERMS:
    REGIONS[f"{_term.name}_mcny"] = (
        f"{_term.words}, unweighted: {_role(_term.sign)} in net_benefit_mcny, mcny"
    )
REGIONS["net_benefit_mcny"] = "Net benefit N_r = the gains above minus the costs above, mcny"
REGIONS["welfare_weight"] = "Weight of the region in the objective"
for _term in TERMS:
    REGIONS[f"weighted_{_term.name}_mcny"] = (
        f"{_term.words}: 0, a payment between regions creates no welfare (it stays in "
        "net_benefit_mcny and counts for the equity floor), mcny"
        if _term.transfer
        else f"{_term.words} x welfare_weight: {_role(_term.sign)} in weighted_welfare_mcny, mcny"
    )
REGIONS["weighted_welfare_mcny"] = (
    "welfare_weight x (net benefit without quota payments) = the weighted gains minus the "
    "weighted costs, mcny; summed over regions this is the scenario's objective"
)
REGIONS["min_net_benefit_mcny"] = (
    "Negotiated floor on the region's net benefit from the input (blank = none), mcny"
)
REGIONS["standalone_mcny"] = (
    "Stand-alone value: the region's best net benefit acting alone (only its own parks and "
    "production locations, no quota trade, no provincial fund); computed when "
    "participation = no_loss, else blank, mcny"
)
REGIONS["gain_vs_standalone_mcny"] = (
    "net_benefit_mcny minus standalone_mcny: what taking part gains the region (negative = "
    "worse off than alone), mcny"
)
HOST_SHARE = {
    "scenario": "Scenario id",
    "site_id": "Opened cross-region park",
    "host_region": "Host region",
    "sponsor_region": "Sponsor region",
    "incubation_value_mcny": "Incubation value of the firms incubated in the park, mcny",
    "host_share_used": "host_share of the package (Policy)",
    "host_share_low": "Lowest host_share at which, the plan held fixed, both the host and "
    "the sponsor get at least their stand-alone net benefit (blank: no such share)",
    "host_share_high": "Highest such host_share (blank: no such share)",
    "meaning": "In a sentence",
}
ALTERNATIVES = {
    "scenario": "Scenario id",
    "plan": "0 = the package's plan (optimum); 1, 2, ... its near-optimal alternatives, "
    "in the order found",
    "status": "How the plan was found, or why the search stopped: no further distinct plan "
    "exists within the slack (proven), or none found in the time limit",
    "welfare_mcny": "Weighted welfare of the plan, mcny",
    "welfare_gap_vs_plan_0": "Welfare given up against plan 0, as a share of it (at most "
    "the slack)",
    "min_distance": "Changed decisions (parks opened, incubations, production placements) "
    "to the nearest earlier plan: the alternative differs from every earlier plan in at "
    "least this many",
    "nearest_plan": "The earlier plan at min_distance",
    "min_parks_differing": "Parks opened in one plan but not the other, against the "
    "earlier plan where they are fewest, count",
    "min_firm_placements_differing": "Firms incubated in a different park (or in one plan "
    "only), against the earlier plan where they are fewest, count",
    "min_production_differing": "Firms producing at a different location (or in one plan "
    "only), against the earlier plan where they are fewest, count",
    "distances": "Distance to every earlier plan, with its parks, placements and locations",
    "parks_opened": "Parks the plan opens",
    "meaning": "In a sentence",
}
ROBUSTNESS = {
    "scenario": "Scenario id",
    "kind": "park or firm",
    "item": "The park (site) or firm",
    "region": "Park: host / sponsor region; firm: its sector",
    "in_plan_0": "Park: opened or not in the package's plan; firm: its park there",
    "plans_agreeing": "Plans (0 and the alternatives) that decide as plan 0 does, count",
    "plans_opening": "Park: plans that open it; firm: plans that incubate it, count",
    "plans": "Plans compared (plan 0 and its alternatives), count",
    "verdict": "must-have (the same in every plan), never, or negotiable (varies): what is "
    "open to negotiation at little welfare cost",
    "plan_matrix": "The decision in each plan, 0 first: ■ opened / □ not (parks); the park "
    "or - (firms)",
    "irreplaceability_mcny": "What forbidding the opened park costs (sheet "
    "Irreplaceability; run with --irreplaceability), mcny",
}
SIGN_NOTE = (
    "marginal_value_mcny: change in weighted welfare (mcny) for one more unit of the "
    "limit, integer decisions held fixed; positive = loosening helps. For the equity "
    "floor the unit is one more mcny required for developing regions (negative = "
    "the floor costs welfare)."
)
LIMITS = {
    "scenario": "Scenario id",
    "limit": "The limit, in words",
    "family": "Model constraint family (docs/model.md)",
    "where": "Region, location, park or link it applies to",
    "used": "Amount used by the plan (equity: net benefit required for developing regions)",
    "available": "Amount available (equity: net benefit developing regions get)",
    "slack": "available - used, in the limit's unit",
    "unit": "Unit of used / available / slack",
    "binding": "yes if the limit is exhausted (slack 0)",
    "marginal_value_mcny": SIGN_NOTE,
    "meaning": "The marginal value in words (of one more unit of the limit at where)",
}
IRREPLACEABILITY = {
    "scenario": "Scenario id",
    "decision": "opened option, quota trade, or a locked input (status, fixed_site, "
    "fixed_location, must_place)",
    "item": "The option, trade, site or firm",
    "test": "What the re-solve changed",
    "status": "Status of the re-solve",
    "welfare_mcny": "Weighted welfare of the re-solve, mcny",
    "welfare_change_mcny": "Re-solve minus the scenario's objective, mcny: negative = what "
    "the decision is worth; positive = what a lock costs",
    "meaning": "In a sentence",
}
OVERRIDES = {
    "scenario": "Scenario solved",
    "defined_in": "Scenario whose Overrides row made the change (itself or a parent)",
    "override_row": "Row of the Overrides sheet",
    "sheet": "Sheet changed",
    "row_id": "Row changed (its id)",
    "column": "Column changed",
    "operation": "set, scale or add",
    "value": "Value of the override",
    "old": "Value before",
    "new": "Value used",
    "note": "Blank, or how the row meets a change a parent package made to the same cell: "
    "replaces the parent's (set) or applies to the parent's (scale, add), naming that "
    "package and its Overrides cell",
}
DIAGNOSIS = {
    "scenario": "Infeasible scenario",
    "explanation": "What has to give, in plain words",
    "limit": "Model constraint family (docs/model.md)",
    "where": "Region, site, location, firm or link concerned",
    "input_cell": "Input cell to change, e.g. Regions!F3 (budget_mcny)",
    "relax_by": "Smallest change that admits a plan, in the unit shown",
    "unit": "Unit of relax_by",
    "note": "Whether the relaxation is proven smallest",
}
RUN = {"item": "What", "value": "Value"}
BRIEF_KPIS = {  # the key figures table of sheet Brief
    "package": "Policy package (scenario) id",
    "status": SUMMARY["status"],
    "welfare_mcny": SUMMARY["objective_mcny"],
    "change_mcny": "welfare_mcny minus that of the reference package (baseline), mcny",
    "within_tolerance": "yes = the change is smaller than the two packages' solver gaps "
    "(|welfare| x mip_gap each): it may not be a real difference (see Compare)",
    "mip_gap": SUMMARY["mip_gap"],
    "parks_opened": SUMMARY["options_opened"],
    "firms_incubated": SUMMARY["firms_incubated"],
    "firms_in_developing": SUMMARY["firms_producing_in_developing"],
    "quota_moved_ha": SUMMARY["quota_moved_ha"],
    "net_benefit_developed_mcny": SUMMARY["net_benefit_developed_mcny"],
    "net_benefit_developing_mcny": SUMMARY["net_benefit_developing_mcny"],
}

POINTS = {  # sheets Sweep and Frontier: one row per point, in order
    "point_no": "Position of the point along the sweep or frontier (1, 2, ...)",
    "point": "Package of the point: its generated id names the value(s) it sets",
    "<parameter>": "The value the point sets, one column per swept parameter (Sweeps row); "
    "Frontier: min_developing_share, the equity floor the point is solved with",
    "status": SUMMARY["status"],
    "mip_gap": SUMMARY["mip_gap"],
    "objective_mcny": SUMMARY["objective_mcny"],
    "developing_share": "Developing regions' share of the total net benefit: "
    "net_benefit_developing / (net_benefit_developing + net_benefit_developed)",
    "options_opened": SUMMARY["options_opened"],
    "firms_incubated": SUMMARY["firms_incubated"],
    "quota_moved_ha": SUMMARY["quota_moved_ha"],
    "incubation_value_mcny": "Total incubation value of the plan (agglomeration: what the "
    "parks in the host cities create), mcny",
    "spillover_developing_mcny": "Spillover reaching developing regions' industrial bases "
    "(diffusion), mcny",
    "net_benefit_developed_mcny": SUMMARY["net_benefit_developed_mcny"],
    "net_benefit_developing_mcny": SUMMARY["net_benefit_developing_mcny"],
    "knee": "yes where the curve of objective_mcny bends most (a turn of at least 10 degrees "
    "on the chart scaled to its ranges, more than its neighbours): past a knee each step "
    "costs a different amount of welfare; blank for a grid or text values (no curve)",
    "knee_objective_mcny": "objective_mcny at the knees, blank elsewhere (the chart's knee "
    "markers), mcny",
    "parks_opened_vs_previous": "Parks this point opens that the previous point (with a "
    "plan) does not, count (blank for the first point)",
    "parks_closed_vs_previous": "Parks the previous point opens that this point does not, count",
    "firms_moved_vs_previous": "Firms whose park or production location differs from the "
    "previous point (incubated, dropped or moved), count",
    "changes_vs_previous": "Those changes in short: +E3 opened, -E1 closed; F4 E1>E2 moved "
    "park, F7 P1>P2 moved production, F9 in / F2 out (incubated / dropped)",
    "net_benefit_<region>_mcny": "Net benefit of each region (unweighted), one column per "
    "region, mcny; charted along the points",
}

SHEETS: dict[str, dict[str, str]] = {
    "Summary": SUMMARY,
    "Sites": SITES,
    "Firms": FIRMS,
    "Quota": QUOTA,
    "Regions": REGIONS,
    "Limits": LIMITS,
    "Irreplaceability": IRREPLACEABILITY,
    "HostShare": HOST_SHARE,
    "Alternatives": ALTERNATIVES,
    "Robustness": ROBUSTNESS,
    "Overrides": OVERRIDES,
    "Diagnosis": DIAGNOSIS,
    "Run": RUN,
}
