"""Small input cases built in Python, shared by several test modules."""

from __future__ import annotations

import copy
import random
from typing import Any

TWO_REGIONS: dict[str, list[dict[str, Any]]] = {
    "Policy": [{"parameter": "mip_gap", "value": 1e-9}],
    "Regions": [
        {
            "region_id": "HZ",
            "name": "Hangzhou",
            "tier": "developed",
            "land_quota_ha": 0,
            "budget_mcny": 0,
            "quota_value_mcny_per_ha": 10,
            "quota_demand_ha": 5,
        },
        {
            "region_id": "QZ",
            "name": "Quzhou",
            "tier": "developing",
            "land_quota_ha": 10,
            "budget_mcny": 100,
        },
        {
            "region_id": "LY",
            "name": "Longyou",
            "tier": "developing",
            "land_quota_ha": 10,
            "budget_mcny": 50,
        },
    ],
    "Sectors": [{"sector_id": "NM"}, {"sector_id": "DE"}],
    "Sites": [
        {
            "site_id": "E1",
            "host_region": "HZ",
            "sponsor_region": "QZ",
            "floor_m2": 1000,
            "setup_cost_mcny": 20,
            "land_ha": 1,
        },
        {
            "site_id": "E2",
            "host_region": "HZ",
            "sponsor_region": "LY",
            "floor_m2": 600,
            "setup_cost_mcny": 10,
            "sectors": "NM",
        },
    ],
    "Locations": [
        {"location_id": "P1", "region": "QZ", "land_available_ha": 5},
        {"location_id": "P2", "region": "LY", "land_available_ha": 5},
    ],
    "Firms": [
        {
            "firm_id": "F1",
            "sector": "NM",
            "floor_need_m2": 600,
            "rd_value_mcny": 10,
            "prod_value_mcny": 30,
            "land_need_ha": 2,
        },
        {
            "firm_id": "F2",
            "sector": "DE",
            "floor_need_m2": 600,
            "rd_value_mcny": 8,
            "prod_value_mcny": 30,
            "land_need_ha": 2,
        },
    ],
}


def rows(base: dict | None = None, **changes: list[dict[str, Any]]) -> dict:
    """A deep copy of `base` (TWO_REGIONS) with whole sheets replaced or added."""
    out = copy.deepcopy(base if base is not None else TWO_REGIONS)
    out.update(copy.deepcopy(changes))
    return out


def random_case(seed: int) -> dict:
    rnd = random.Random(seed)
    regions = [
        {
            "region_id": "H1",
            "name": "Host 1",
            "tier": "developed",
            "land_quota_ha": rnd.uniform(0, 2),
            "budget_mcny": 5,
            "quota_value_mcny_per_ha": rnd.uniform(1, 15),
            "quota_demand_ha": 3,
        },
        {
            "region_id": "H2",
            "name": "Host 2",
            "tier": "developed",
            "land_quota_ha": rnd.uniform(0, 2),
            "budget_mcny": 5,
            "quota_value_mcny_per_ha": rnd.uniform(1, 15),
            "quota_demand_ha": 3,
        },
    ]
    regions += [
        {
            "region_id": f"S{i}",
            "name": f"Sponsor {i}",
            "tier": "developing",
            "land_quota_ha": rnd.uniform(3, 12),
            "budget_mcny": rnd.uniform(10, 60),
            "welfare_weight": rnd.choice([1, 1.2, 1.5]),
        }
        for i in (1, 2)
    ]
    sites = [
        {
            "site_id": f"E{j}",
            "host_region": rnd.choice(["H1", "H2"]),
            "sponsor_region": rnd.choice(["S1", "S2"]),
            "floor_m2": rnd.choice([800, 1500]),
            "setup_cost_mcny": rnd.uniform(2, 25),
            "land_ha": rnd.choice([0, 0.5, 1]),
            "innovation_level": rnd.uniform(1, 1.5),
            "plot": f"L{j % 3}",
        }
        for j in range(4)
    ]
    locations = [
        {
            "location_id": f"P{k}",
            "region": f"S{1 + k % 2}",
            "land_available_ha": rnd.uniform(2, 8),
            "land_cost_mcny_per_ha": rnd.uniform(0, 3),
        }
        for k in range(3)
    ]
    firms = [
        {
            "firm_id": f"F{i}",
            "sector": rnd.choice(["A", "B"]),
            "floor_need_m2": rnd.choice([300, 500, 700]),
            "land_need_ha": rnd.uniform(0, 3),
            "rd_value_mcny": rnd.uniform(0, 12),
            "prod_value_mcny": rnd.uniform(5, 40),
            "prod_cost_mcny": rnd.uniform(0, 20),
            "subsidy_mcny": rnd.uniform(0, 3),
            "success_prob": rnd.uniform(0.3, 1),
        }
        for i in range(7)
    ]
    return {
        "Policy": [
            {"parameter": "mip_gap", "value": 1e-9},
            {"parameter": "return_rule", "value": rnd.choice(["strict", "free"])},
            {"parameter": "provincial_fund_mcny", "value": rnd.choice([0, 10])},
        ],
        "Regions": regions,
        "Sectors": [{"sector_id": "A"}, {"sector_id": "B"}],
        "Sites": sites,
        "Locations": locations,
        "Firms": firms,
        "IndustrialBase": [{"location_id": "P0", "sector_id": "A", "strength": 0.5}],
        "QuotaLinks": [
            {
                "from_region": "S1",
                "to_region": "H1",
                "max_ha": 2,
                "price_mcny_per_ha": rnd.uniform(1, 8),
            }
        ],
    }


def with_policy(data: dict, **policy: Any) -> dict:
    """`data` with these Policy values (replacing rows of the same parameters)."""
    data = dict(data)
    kept = [r for r in data.get("Policy", []) if r["parameter"] not in policy]
    data["Policy"] = kept + [{"parameter": k, "value": v} for k, v in policy.items()]
    return data


def site_floor_case(seed: int) -> dict:
    """A random case where some firms need a park-specific floor (SiteAffinity.floor_need_m2)
    and affinities add value, with host_share and exchange_ratio away from their defaults."""
    data = with_policy(random_case(seed), host_share=0.3, exchange_ratio=1.7)
    rnd = random.Random(seed + 1000)
    data["SiteAffinity"] = [
        {
            "firm_id": f["firm_id"],
            "site_id": s["site_id"],
            "value_mcny": round(rnd.uniform(-2, 4), 2),
            "floor_need_m2": rnd.choice([100, 250, 900]),
        }
        for f in data["Firms"][:4]
        for s in data["Sites"][:3]
    ]
    data["LocationAffinity"] = [
        {"firm_id": f["firm_id"], "location_id": "P0", "value_mcny": round(rnd.uniform(-3, 3), 2)}
        for f in data["Firms"][2:6]
    ]
    return data


def equivalence_cases() -> dict[str, dict]:
    """The instances on which both forms of the model are held equal."""
    import benchmarks as bi

    return {
        "two_regions": rows(),
        "equity_caps": with_policy(
            rows(),
            min_developing_share=0.7,
            max_sites_per_sponsor=1,
            max_enclaves_per_host=1,
            provincial_fund_mcny=3,
        ),
        **{f"random_{s}": random_case(s) for s in range(6)},
        "random_equity": with_policy(random_case(11), min_developing_share=0.8),
        "host_share_exchange": with_policy(random_case(3), host_share=0.25, exchange_ratio=2.5),
        **{f"site_floor_{s}": site_floor_case(s) for s in (1, 2)},
        "holmberg_p1": bi.sscflp_tables(bi.parse_holmberg(bi.holmberg_path("p1"))),
        "gap_c0515_1": bi.gap_tables(bi.parse_gap(bi.gap_path("c0515_1"))),
    }
