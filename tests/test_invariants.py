"""Invariants on random small instances: monotonicity in limits, terms add up."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.app import solve_tables, tables_from_rows


def random_case(seed: int) -> dict:
    rnd = random.Random(seed)
    regions = [{"region_id": "H1", "name": "Host 1", "tier": "developed",
                "land_quota_ha": rnd.uniform(0, 2), "budget_mcny": 5,
                "quota_value_mcny_per_ha": rnd.uniform(1, 15), "quota_demand_ha": 3},
               {"region_id": "H2", "name": "Host 2", "tier": "developed",
                "land_quota_ha": rnd.uniform(0, 2), "budget_mcny": 5,
                "quota_value_mcny_per_ha": rnd.uniform(1, 15), "quota_demand_ha": 3}]
    regions += [{"region_id": f"S{i}", "name": f"Sponsor {i}", "tier": "developing",
                 "land_quota_ha": rnd.uniform(3, 12), "budget_mcny": rnd.uniform(10, 60),
                 "welfare_weight": rnd.choice([1, 1.2, 1.5])} for i in (1, 2)]
    sites = [{"site_id": f"E{j}", "host_region": rnd.choice(["H1", "H2"]),
              "sponsor_region": rnd.choice(["S1", "S2"]), "floor_m2": rnd.choice([800, 1500]),
              "setup_cost_mcny": rnd.uniform(2, 25), "land_ha": rnd.choice([0, 0.5, 1]),
              "innovation_level": rnd.uniform(1, 1.5), "plot": f"L{j % 3}"}
             for j in range(4)]
    locations = [{"location_id": f"P{k}", "region": f"S{1 + k % 2}",
                  "land_available_ha": rnd.uniform(2, 8),
                  "land_cost_mcny_per_ha": rnd.uniform(0, 3)} for k in range(3)]
    firms = [{"firm_id": f"F{i}", "sector": rnd.choice(["A", "B"]),
              "floor_need_m2": rnd.choice([300, 500, 700]), "land_need_ha": rnd.uniform(0, 3),
              "rd_value_mcny": rnd.uniform(0, 12), "prod_value_mcny": rnd.uniform(5, 40),
              "prod_cost_mcny": rnd.uniform(0, 20), "subsidy_mcny": rnd.uniform(0, 3),
              "success_prob": rnd.uniform(0.3, 1)} for i in range(7)]
    return {
        "Policy": [{"parameter": "mip_gap", "value": 1e-9},
                   {"parameter": "return_rule", "value": rnd.choice(["strict", "free"])},
                   {"parameter": "provincial_fund_mcny", "value": rnd.choice([0, 10])}],
        "Regions": regions, "Sectors": [{"sector_id": "A"}, {"sector_id": "B"}],
        "Sites": sites, "Locations": locations, "Firms": firms,
        "IndustrialBase": [{"location_id": "P0", "sector_id": "A", "strength": 0.5}],
        "QuotaLinks": [{"from_region": "S1", "to_region": "H1", "max_ha": 2,
                        "price_mcny_per_ha": rnd.uniform(1, 8)}],
    }


def solve_with(case: dict, scenarios: list, overrides: list):
    data = dict(case, Scenarios=scenarios, Overrides=overrides)
    return solve_tables(tables_from_rows(data)).results


# HiGHS stops when the plan is within mip_abs_gap (1e-6 mcny) of the bound, so two optimal
# objectives may differ by that much in the "wrong" direction.
TOL = 1e-5
SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(seed=st.integers(0, 10_000), factor=st.floats(0.0, 0.9))
def test_tighter_budget_never_raises_welfare(seed, factor):
    results = solve_with(random_case(seed), [{"scenario_id": "tight"}],
                         [{"scenario_id": "tight", "sheet": "Regions",
                           "key": "tier=developing", "column": "budget_mcny",
                           "operation": "scale", "value": factor}])
    base, tight = results
    assert base.outcome.status == "optimal"
    if tight.outcome.status == "optimal":
        assert tight.outcome.objective <= base.outcome.objective + TOL
    else:  # tightening may only remove plans
        assert tight.outcome.status == "infeasible"


@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_more_floor_or_quota_never_lowers_welfare(seed):
    results = solve_with(random_case(seed), [{"scenario_id": "loose"}],
                         [{"scenario_id": "loose", "sheet": "Sites", "key": "*",
                           "column": "floor_m2", "operation": "scale", "value": 2},
                          {"scenario_id": "loose", "sheet": "Regions", "key": "*",
                           "column": "land_quota_ha", "operation": "add", "value": 5}])
    base, loose = results
    assert loose.outcome.objective >= base.outcome.objective - TOL


@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_reported_terms_sum_to_objective_and_limits_hold(seed):
    (res,) = solve_with(random_case(seed), [], [])
    regions = res.tables["Regions"]
    total = sum(r["weighted_net_benefit_mcny"] for r in regions)
    assert total == pytest.approx(res.outcome.objective, abs=1e-6)
    terms = [k for k in regions[0] if k.startswith("weighted_") and k != "weighted_net_benefit_mcny"]
    assert sum(r[k] for r in regions for k in terms) == pytest.approx(total, abs=1e-6)
    for r in regions:
        assert r["budget_used_mcny"] <= r["budget_mcny"] + r["fund_received_mcny"] + 1e-6
        assert r["quota_used_ha"] <= r["quota_available_ha"] + 1e-6
    for s in res.tables["Sites"]:
        assert s["floor_used_m2"] <= s["floor_m2"] + 1e-6
        assert s["opened"] == "yes" or s["firms_incubated"] == 0
