"""Small input cases built in Python, shared by several test modules."""

from __future__ import annotations

import copy
from typing import Any

TWO_REGIONS: dict[str, list[dict[str, Any]]] = {
    "Policy": [{"parameter": "mip_gap", "value": 1e-9}],
    "Regions": [
        {"region_id": "HZ", "name": "Hangzhou", "tier": "developed", "land_quota_ha": 0,
         "budget_mcny": 0, "quota_value_mcny_per_ha": 10, "quota_demand_ha": 5},
        {"region_id": "QZ", "name": "Quzhou", "tier": "developing", "land_quota_ha": 10,
         "budget_mcny": 100},
        {"region_id": "LY", "name": "Longyou", "tier": "developing", "land_quota_ha": 10,
         "budget_mcny": 50},
    ],
    "Sectors": [{"sector_id": "NM"}, {"sector_id": "DE"}],
    "Sites": [
        {"site_id": "E1", "host_region": "HZ", "sponsor_region": "QZ", "floor_m2": 1000,
         "setup_cost_mcny": 20, "land_ha": 1},
        {"site_id": "E2", "host_region": "HZ", "sponsor_region": "LY", "floor_m2": 600,
         "setup_cost_mcny": 10, "sectors": "NM"},
    ],
    "Locations": [
        {"location_id": "P1", "region": "QZ", "land_available_ha": 5},
        {"location_id": "P2", "region": "LY", "land_available_ha": 5},
    ],
    "Firms": [
        {"firm_id": "F1", "sector": "NM", "floor_need_m2": 600, "rd_value_mcny": 10,
         "prod_value_mcny": 30, "land_need_ha": 2},
        {"firm_id": "F2", "sector": "DE", "floor_need_m2": 600, "rd_value_mcny": 8,
         "prod_value_mcny": 30, "land_need_ha": 2},
    ],
}


def rows(base: dict | None = None, **changes: list[dict[str, Any]]) -> dict:
    """A deep copy of `base` (TWO_REGIONS) with whole sheets replaced or added."""
    out = copy.deepcopy(base if base is not None else TWO_REGIONS)
    out.update(copy.deepcopy(changes))
    return out
