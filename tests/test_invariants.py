"""Invariants on random small instances: monotonicity in limits, terms add up."""

import pytest
from cases import random_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.app import solve_tables, tables_from_rows
from optimizer.model.welfare import TERMS


def solve_with(case: dict, scenarios: list, overrides: list):
    data = dict(case, Scenarios=scenarios, Overrides=overrides)
    return solve_tables(tables_from_rows(data)).results


# HiGHS stops when the plan is within mip_abs_gap (1e-6 mcny) of the bound, so two optimal
# objectives may differ by that much in the "wrong" direction.
TOL = 1e-5
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(seed=st.integers(0, 10_000), factor=st.floats(0.0, 0.9))
def test_tighter_budget_never_raises_welfare(seed, factor):
    results = solve_with(
        random_case(seed),
        [{"scenario_id": "tight"}],
        [
            {
                "scenario_id": "tight",
                "sheet": "Regions",
                "key": "tier=developing",
                "column": "budget_mcny",
                "operation": "scale",
                "value": factor,
            }
        ],
    )
    base, tight = results
    assert base.outcome.status == "optimal"
    if tight.outcome.status == "optimal":
        assert tight.outcome.objective <= base.outcome.objective + TOL
    else:  # tightening may only remove plans
        assert tight.outcome.status == "infeasible"


@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_more_floor_or_quota_never_lowers_welfare(seed):
    results = solve_with(
        random_case(seed),
        [{"scenario_id": "loose"}],
        [
            {
                "scenario_id": "loose",
                "sheet": "Sites",
                "key": "*",
                "column": "floor_m2",
                "operation": "scale",
                "value": 2,
            },
            {
                "scenario_id": "loose",
                "sheet": "Regions",
                "key": "*",
                "column": "land_quota_ha",
                "operation": "add",
                "value": 5,
            },
        ],
    )
    base, loose = results
    assert loose.outcome.objective >= base.outcome.objective - TOL


@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_reported_terms_sum_to_objective_and_limits_hold(seed):
    (res,) = solve_with(random_case(seed), [], [])
    regions = res.tables["Regions"]
    total = sum(r["weighted_welfare_mcny"] for r in regions)
    assert total == pytest.approx(res.outcome.objective, abs=1e-6)
    # the weighted gains minus the weighted costs (costs are shown positive)
    signed = sum(
        t.sign * r[f"weighted_{t.name}_mcny"] * (not t.transfer) for r in regions for t in TERMS
    )
    assert signed == pytest.approx(total, abs=1e-6)
    for r in regions:
        assert r["net_benefit_mcny"] == pytest.approx(
            sum(t.sign * r[f"{t.name}_mcny"] for t in TERMS), abs=1e-6
        )
        assert all(r[f"{t.name}_mcny"] >= -1e-9 for t in TERMS if t.sign < 0)
    for r in regions:
        assert r["budget_used_mcny"] <= r["budget_mcny"] + r["fund_received_mcny"] + 1e-6
        assert r["quota_used_ha"] <= r["quota_available_ha"] + 1e-6
    for s in res.tables["Sites"]:
        assert s["floor_used_m2"] <= s["floor_m2"] + 1e-6
        assert s["opened"] == "yes" or s["firms_incubated"] == 0
