"""How each numeric column of the result sheets is shown, declared once (the cell keeps
the full value): by the unit suffix of its name, by its name, or by sheet and name."""

from __future__ import annotations

# Number formats, declared once: how each numeric column is shown (the cell keeps the full
# value). Money to 0.1 mcny, areas to 0.1 ha (whole m²), shares as %, counts whole; rates
# (mcny per unit: prices, marginal values) to 0.01.
MONEY = "#,##0.0"
RATE = "#,##0.00"
HECTARES = "#,##0.0"
SQUARE_METRES = "#,##0"
COUNT = "#,##0"
PERCENT = "0.0%"
GAP = "0.00%"
FACTOR = "0.00"
SECONDS = "0.0"
CHECK = "0.000"  # a reconciliation difference, rounded to zero below 1e-6 by its formula
AS_ENTERED = "General"  # planner inputs echoed as typed (Overrides): a number or text
SUFFIX_FORMATS = (
    ("_mcny_per_ha", RATE),
    ("_mcny", MONEY),
    ("_ha", HECTARES),
    ("_m2", SQUARE_METRES),
    ("_seconds", SECONDS),
)
COLUMN_FORMATS = {
    "mip_gap": GAP,
    "options_opened": COUNT,
    "firms_incubated": COUNT,
    "firms_producing_in_developing": COUNT,
    "welfare_weight": FACTOR,
    "marginal_value_mcny": RATE,
    "used": HECTARES,  # Limits: mcny, ha, m² or parks, all to 0.1
    "available": HECTARES,
    "slack": HECTARES,
    "override_row": COUNT,
    "relax_by": RATE,
    "check_mcny": CHECK,
    # audit inputs
    "innovation_level": FACTOR,
    "host_share_used": PERCENT,
    "welfare_gap_vs_plan_0": GAP,
    "plan": COUNT,
    "min_distance": COUNT,
    "nearest_plan": COUNT,
    "min_parks_differing": COUNT,
    "min_firm_placements_differing": COUNT,
    "min_production_differing": COUNT,
    "plans_agreeing": COUNT,
    "plans_opening": COUNT,
    "plans": COUNT,
    "host_share_low": PERCENT,
    "host_share_high": PERCENT,
    "success_prob": PERCENT,
    "cost_index": FACTOR,
    "spillover_rate": PERCENT,
    "base_strength": FACTOR,
    "incubated": COUNT,
    "produces": COUNT,
    "opened": COUNT,
}
POINT_FORMATS = {
    "point_no": COUNT,
    "min_developing_share": PERCENT,
    "developing_share": PERCENT,
    "quota_moved_ha": HECTARES,
    "parks_opened_vs_previous": COUNT,
    "parks_closed_vs_previous": COUNT,
    "firms_moved_vs_previous": COUNT,
}
SHEET_FORMATS = {  # columns whose format depends on the sheet
    "Sweep": POINT_FORMATS,
    "Frontier": POINT_FORMATS,
    "Overrides": {"value": AS_ENTERED, "old": AS_ENTERED, "new": AS_ENTERED},
    "Run": {"value": COUNT},
}


def number_format(sheet: str, column: str) -> str | None:
    """The number format of `column` in result sheet `sheet` (None: not a numeric column)."""
    own = SHEET_FORMATS.get(sheet, {})
    if column in own:
        return own[column]
    if column in COLUMN_FORMATS:
        return COLUMN_FORMATS[column]
    return next((f for suffix, f in SUFFIX_FORMATS if column.endswith(suffix)), None)


def formats_of(sheet: str, columns: list[str]) -> dict[str, str | None]:
    return {c: number_format(sheet, c) for c in columns}
