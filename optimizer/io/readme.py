"""The README sheet of the input template: how to fill the workbook, and how land quota
moves (enclave deals, exchange_ratio, quota_demand_ha, quota_value_mcny_per_ha, trades),
worked through on three regions with the numbers.

`QUOTA_EXAMPLE` is that case as input rows: the test suite solves it and checks every
number the README states (tests/test_template.py).
"""

from __future__ import annotations

from typing import Any

from .schema import POLICY_PARAMS, SCHEMA_VERSION, SHEETS

TITLE, HEADING, TEXT, REQUIRED, OPTIONAL = "title", "heading", "text", "required", "optional"

QUOTA_EXAMPLE: dict[str, list[dict[str, Any]]] = {
    "Policy": [{"parameter": "exchange_ratio", "value": 1.5}],
    "Regions": [
        {"region_id": "HZ", "name": "Hangzhou district", "tier": "developed",
         "land_quota_ha": 2, "budget_mcny": 100, "welfare_weight": 1.0,
         "quota_value_mcny_per_ha": 24, "quota_demand_ha": 10},
        {"region_id": "QZ", "name": "Quzhou county", "tier": "developing",
         "land_quota_ha": 30, "budget_mcny": 100, "welfare_weight": 1.2,
         "quota_value_mcny_per_ha": 4, "quota_demand_ha": 30},
        {"region_id": "LY", "name": "Longyou county", "tier": "developing",
         "land_quota_ha": 20, "budget_mcny": 100, "welfare_weight": 1.2,
         "quota_value_mcny_per_ha": 4, "quota_demand_ha": 20},
    ],
    "Sectors": [{"sector_id": "NM"}],
    "Sites": [
        {"site_id": "QZ_IN_HZ", "host_region": "HZ", "sponsor_region": "QZ", "floor_m2": 1000,
         "setup_cost_mcny": 0, "land_ha": 2, "status": "open"},
    ],
    "Locations": [{"location_id": "QZ_ZONE", "region": "QZ", "land_available_ha": 10}],
    "Firms": [{"firm_id": "F1", "sector": "NM", "floor_need_m2": 5000}],  # fits no park
    "QuotaLinks": [
        {"from_region": "LY", "to_region": "HZ", "max_ha": 5, "price_mcny_per_ha": 6},
    ],
}  # fmt: skip

QUOTA_LINES = [
    (HEADING, "How land quota moves (the hardest part of building a case)"),
    (TEXT, "Every region holds land_quota_ha of construction-land quota. Quota is used by "
     "park land a host provides (Sites.land_ha), by production land of the firms that "
     "produce in the region (Firms.land_need_ha), by quota sold or given away, and by the "
     "region's own other development (own use). Own use is worth quota_value_mcny_per_ha "
     "for each ha, up to quota_demand_ha: quota beyond the demand is worth nothing."),
    (TEXT, "Enclave deal: opening a park of a sponsor inside another region (a cross-region "
     "park) makes the sponsor give the host exchange_ratio x land_ha of quota (Policy). It "
     "is not a choice of its own: it comes with the park. A park the sponsor runs at home "
     "moves no quota."),
    (TEXT, "Trades: a QuotaLinks row lets quota move from_region -> to_region, up to max_ha, "
     "at price_mcny_per_ha. The payment moves net benefit from buyer to seller but creates "
     "no welfare: a trade pays only where the buyer's quota value (times its weight) beats "
     "the seller's."),
    (TEXT, "Worked example with three regions (the test suite solves this case and checks "
     "every number below):"),
    (TEXT, "  Regions: HZ (developed) holds 2 ha, values own use at 24 mcny/ha up to 10 ha, "
     "weight 1.0; QZ and LY (developing) hold 30 and 20 ha, value it at 4 mcny/ha up to "
     "30 and 20 ha, weight 1.2. Policy exchange_ratio = 1.5."),
    (TEXT, "  Sites: QZ's park QZ_IN_HZ inside HZ, land_ha = 2, status open. QuotaLinks: LY -> "
     "HZ, max_ha 5, price 6 mcny/ha."),
    (TEXT, "  Enclave deal: HZ provides 2 ha of park land (2 ha of its quota); QZ gives HZ "
     "1.5 x 2 = 3 ha. Trade: HZ buys 5 ha from LY (the link's max) and pays 5 x 6 = 30 mcny."),
    (TEXT, "  HZ: 2 held + 3 from the deal + 5 bought = 10 ha; 2 ha park land leave 8 ha of own "
     "use (within its demand of 10): 8 x 24 = 192 mcny; net benefit 192 - 30 paid = 162 mcny."),
    (TEXT, "  QZ: 30 - 3 given = 27 ha of own use: 27 x 4 = 108 mcny. LY: 20 - 5 sold = 15 ha: "
     "15 x 4 = 60 mcny, net benefit 60 + 30 received = 90 mcny."),
    (TEXT, "  Weighted welfare (payments left out): 1.0 x 192 + 1.2 x 108 + 1.2 x 60 = 393.6 "
     "mcny. Without the trade HZ would use 3 ha (72) and LY 20 (80): 297.6; the trade adds "
     "96.0 = 5 ha x (24 x 1.0 - 4 x 1.2)."),
    (TEXT, "  Had HZ's quota_demand_ha been 5, HZ would buy only 2 ha (3 + 2 = 5 ha of own use): "
     "quota beyond the demand is worth nothing, and no one buys it."),
]  # fmt: skip


def readme_lines() -> list[tuple[str, str]]:
    """(look, text) of every line of the README sheet."""
    lines = [
        (TITLE, "Reverse-enclave planning workbook (schema v%s)" % SCHEMA_VERSION),
        (
            TEXT,
            "Fill one sheet per table below. Row 1 holds the headers; do not rename them. Hover "
            "a header to read its unit and meaning. Blank optional cells take the default.",
        ),
        (REQUIRED, "A header like this one (white on dark blue) is a required column."),
        (OPTIONAL, "A header like this one (italic on light blue) is optional: blank = default."),
        (
            TEXT,
            "Units: money in million CNY over the planning horizon (mcny); floor area in m²; "
            "land in hectares (ha; 1 ha = 15 mu).",
        ),
        (
            TEXT,
            "Ids are short text, unique within their sheet; cells that refer to another sheet "
            "offer a dropdown of its ids, down to the last row of the sheet.",
        ),
        (
            TEXT,
            "Scenarios: every workbook solves 'baseline' (the sheets as written). Add rows to "
            "Scenarios and describe each policy package's changes in Overrides: the rows of "
            "`sheet` selected by `key` (an id, * for all rows, or column=value filters joined by "
            "&) get `column` changed by `operation` (set, scale, add) with `value`. For Policy the "
            "key is the parameter name and the column is value.",
        ),
        (
            TEXT,
            "Sweeps: a row of Sweeps changes a cell range as an Overrides row would, through a "
            "list of values (1,1.5,2) or a range start:stop:step (0:0.6:0.05, stop included); "
            "rows with the same sweep_id form a grid. Each point is a package of its own, "
            "solved with:  enclave solve WORKBOOK --sweep ID.  The efficiency-equity "
            "frontier needs no sheet:  enclave frontier WORKBOOK",
        ),
        (
            TEXT,
            "Check the workbook with:  enclave validate WORKBOOK   and solve it with:  enclave "
            "solve WORKBOOK",
        ),
        (TEXT, ""),
        *QUOTA_LINES,
        (TEXT, ""),
        (HEADING, "Sheets"),
    ]
    lines += [
        (TEXT, f"{s.name} ({'required' if s.required else 'optional'}): {s.description}")
        for s in SHEETS
    ]
    lines += [(TEXT, ""), (HEADING, "Policy parameters")]
    lines += [
        (
            TEXT,
            f"{p.name} [default {p.default if p.default is not None else 'no limit'}"
            f"{', ' + p.unit if p.unit else ''}]: {p.description}",
        )
        for p in POLICY_PARAMS
    ]
    return lines
