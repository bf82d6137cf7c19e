"""`enclave generate`: realistic synthetic schema-v1 workbooks of any size.

Distributions follow the bundled Zhejiang example (docs/inputs.md units): developed host
districts with scarce, valuable quota; developing sponsors with quota and budgets; parks of
400-80,000 m² accepting a few sectors; development zones of 20-150 ha; firms needing
300-900 m² and 0.3-7 ha with values of a few to a few hundred mcny. Several policy
packages are included as scenarios. The same seed always gives the same workbook.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from ..io.template import write_input_workbook

SECTORS = [
    ("NM", "New materials"),
    ("LH", "Life and health"),
    ("IM", "Intelligent manufacturing"),
    ("DE", "Digital economy"),
    ("CH", "Chemicals"),
    ("BM", "Biomedicine"),
]
MIX = [0.30, 0.15, 0.20, 0.15, 0.05, 0.15]


def generate_tables(
    firms: int, sites: int, locations: int, regions: int, seed: int
) -> dict[str, list[dict[str, Any]]]:
    rnd = random.Random(seed)
    hosts = max(1, regions // 4)
    reg_rows = []
    for i in range(regions):
        developed = i < hosts
        reg_rows.append(
            {
                "region_id": f"{'H' if developed else 'S'}{i + 1:03d}",
                "name": f"{'Host district' if developed else 'Sponsor county'} {i + 1}",
                "tier": "developed" if developed else "developing",
                "land_quota_ha": round(rnd.uniform(0, 5), 2)
                if developed
                else round(rnd.uniform(0.6, 1.2) * firms / max(1, regions - hosts) * 2.0, 2),
                "budget_mcny": round(rnd.uniform(5, 30), 1)
                if developed
                else round(
                    rnd.uniform(0.7, 1.3)
                    * (sites * 40 + firms * 1.5)
                    / max(1, regions - hosts)
                    * 0.45,
                    1,
                ),
                "welfare_weight": 1.0 if developed else rnd.choice([1.0, 1.2, 1.3]),
                "quota_value_mcny_per_ha": round(rnd.uniform(8, 25), 2)
                if developed
                else round(rnd.uniform(0, 2), 2),
                "quota_demand_ha": round(rnd.uniform(5, 40), 1)
                if developed
                else round(rnd.uniform(0, 10), 1),
            }
        )
    host_ids = [r["region_id"] for r in reg_rows[:hosts]]
    sponsor_ids = [r["region_id"] for r in reg_rows[hosts:]] or host_ids
    sector_ids = [s for s, _ in SECTORS]
    site_rows = []
    for j in range(sites):
        floor = rnd.choice([2000, 4000, 6000, 10000, 20000, 40000])
        accepts = rnd.sample(sector_ids, rnd.randint(2, 5))
        site_rows.append(
            {
                "site_id": f"E{j + 1:04d}",
                "name": f"Enclave option {j + 1}",
                "host_region": rnd.choice(host_ids),
                "sponsor_region": rnd.choice(sponsor_ids),
                "floor_m2": floor,
                "setup_cost_mcny": round(floor * rnd.uniform(0.8, 2.5) / 1000, 2),
                "plot": f"PL{j // 2 + 1:04d}" if rnd.random() < 0.2 else None,
                "land_ha": round(rnd.choice([0, 0, 0.5, 1, 2]), 2),
                "opex_mcny": round(floor * rnd.uniform(0.3, 1.0) / 1000, 2),
                "innovation_level": round(rnd.uniform(1.0, 1.6), 2),
                "sectors": ",".join(accepts),
            }
        )
    loc_rows, base_rows = [], []
    for k in range(locations):
        permitted = rnd.sample(sector_ids, rnd.randint(2, 5))
        loc_id = f"P{k + 1:04d}"
        loc_rows.append(
            {
                "location_id": loc_id,
                "name": f"Development zone {k + 1}",
                "region": sponsor_ids[k % len(sponsor_ids)],
                "land_available_ha": round(rnd.uniform(20, 150), 1),
                "land_cost_mcny_per_ha": round(rnd.uniform(1.0, 6.0), 2),
                "cost_index": round(rnd.uniform(0.85, 1.15), 3),
                "sectors": ",".join(permitted),
            }
        )
        for sec in rnd.sample(permitted, min(2, len(permitted))):
            base_rows.append(
                {
                    "location_id": loc_id,
                    "sector_id": sec,
                    "strength": round(rnd.uniform(0.2, 0.9), 2),
                }
            )
    firm_rows = []
    for i in range(firms):
        sector = rnd.choices(sector_ids, MIX)[0]
        prod = round(rnd.uniform(10, 300), 2)
        firm_rows.append(
            {
                "firm_id": f"F{i + 1:05d}",
                "name": f"Candidate firm {i + 1}",
                "sector": sector,
                "floor_need_m2": rnd.randint(3, 9) * 100,
                "land_need_ha": round(
                    rnd.uniform(0.3, 1.3) if sector == "DE" else rnd.uniform(1.3, 6.7), 2
                ),
                "rd_value_mcny": round(rnd.uniform(1, 25), 2),
                "prod_value_mcny": prod,
                "prod_cost_mcny": round(prod * rnd.uniform(0.4, 0.9), 2),
                "subsidy_mcny": round(rnd.uniform(0.5, 3), 2),
                "success_prob": round(rnd.uniform(0.3, 0.9), 2),
            }
        )
    links = [
        {
            "from_region": s,
            "to_region": h,
            "max_ha": round(rnd.uniform(5, 30), 1),
            "price_mcny_per_ha": round(rnd.uniform(3, 9), 2),
        }
        for s in sponsor_ids[:6]
        for h in host_ids[:2]
    ]
    policy = [
        {"parameter": "exchange_ratio", "value": 1.5},
        {"parameter": "host_share", "value": 0.4},
        {"parameter": "mip_gap", "value": 0.01},
        {"parameter": "time_limit_s", "value": 120},
    ]
    scenarios = [
        {"scenario_id": "free_return", "description": "firms may produce anywhere"},
        {"scenario_id": "high_exchange", "description": "exchange ratio 2.0"},
        {"scenario_id": "equity", "description": "developing regions get >= 60%"},
    ]
    overrides = [
        {
            "scenario_id": "free_return",
            "sheet": "Policy",
            "key": "return_rule",
            "column": "value",
            "operation": "set",
            "value": "free",
        },
        {
            "scenario_id": "high_exchange",
            "sheet": "Policy",
            "key": "exchange_ratio",
            "column": "value",
            "operation": "set",
            "value": 2.0,
        },
        {
            "scenario_id": "equity",
            "sheet": "Policy",
            "key": "min_developing_share",
            "column": "value",
            "operation": "set",
            "value": 0.6,
        },
    ]
    return {
        "Policy": policy,
        "Regions": reg_rows,
        "Sectors": [{"sector_id": s, "name": n} for s, n in SECTORS],
        "Sites": site_rows,
        "Locations": loc_rows,
        "IndustrialBase": base_rows,
        "Firms": firm_rows,
        "QuotaLinks": links,
        "Scenarios": scenarios,
        "Overrides": overrides,
    }


def generate(
    path: str | Path, firms: int, sites: int, locations: int, regions: int, seed: int
) -> Path:
    return write_input_workbook(Path(path), generate_tables(firms, sites, locations, regions, seed))
