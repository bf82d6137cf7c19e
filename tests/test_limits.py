"""Limits sheet: every limit family with slack and a marginal value that re-solving confirms."""

import pytest
from cases import rows

from optimizer.app import solve_tables, tables_from_rows

FAMILIES = {
    "c_budget",
    "c_fund",
    "c_quota",
    "c_own_use",
    "c_trade_cap",
    "c_loc_land",
    "c_floor",
    "c_sponsor_cap",
    "c_host_cap",
    "c_equity",
}


def limits_case(**policy):
    data = rows()
    data["Policy"] = [{"parameter": "mip_gap", "value": 1e-9}] + [
        {"parameter": k, "value": v} for k, v in policy.items()
    ]
    data["QuotaLinks"] = [
        {"from_region": "LY", "to_region": "HZ", "max_ha": 2, "price_mcny_per_ha": 4}
    ]
    return data


def solve(data):
    return solve_tables(tables_from_rows(data)).results


def test_every_limit_family_is_listed_with_slack_and_value():
    (res,) = solve(
        limits_case(
            provincial_fund_mcny=5,
            max_sites_per_sponsor=1,
            max_enclaves_per_host=2,
            min_developing_share=0.1,
        )
    )
    limits = res.tables["Limits"]
    assert {r["family"] for r in limits} == FAMILIES
    for r in limits:
        assert r["slack"] == pytest.approx(r["available"] - r["used"])
        assert r["binding"] == (
            "yes" if abs(r["slack"]) <= 1e-6 * max(1, abs(r["available"])) else "no"
        )
        assert isinstance(r["marginal_value_mcny"], float) and r["meaning"]


def test_marginal_value_of_quota_matches_resolve_with_one_more_hectare():
    # Hangzhou (HZ) holds no quota of its own and values quota kept for own use at
    # 10 mcny/ha (demand 5 ha). Its budget is 0, so it cannot buy from Longyou, and E1's
    # deal gives it exactly the 1 ha its park uses: HZ's quota row binds. One more ha of
    # HZ quota goes to own use: worth 10 mcny (own use stays below the 5 ha demand).
    base_data = limits_case()
    (base,) = solve(base_data)
    quota = next(
        r for r in base.tables["Limits"] if r["family"] == "c_quota" and r["where"].endswith("(HZ)")
    )
    assert quota["binding"] == "yes"
    more = limits_case()
    more["Regions"][0]["land_quota_ha"] = 1  # HZ: 0 -> 1 ha
    (after,) = solve(more)
    assert after.outcome.objective - base.outcome.objective == pytest.approx(
        quota["marginal_value_mcny"], abs=1e-6
    )
    assert quota["marginal_value_mcny"] == pytest.approx(10.0, abs=1e-6)


def test_marginal_value_of_budget_matches_resolve_with_one_more_mcny():
    # Give HZ a budget of 3 mcny: it buys 3/4 = 0.75 ha from LY at 4 mcny/ha. Each ha is
    # worth 10 to HZ (own use); the 4 mcny payment moves from HZ to LY (both weight 1), so
    # welfare rises 10 per ha, i.e. 10/4 = 2.5 per mcny of HZ budget.
    data = limits_case()
    data["Regions"][0]["budget_mcny"] = 3
    (base,) = solve(data)
    budget = next(
        r
        for r in base.tables["Limits"]
        if r["family"] == "c_budget" and r["where"].endswith("(HZ)")
    )
    assert budget["binding"] == "yes"
    assert budget["marginal_value_mcny"] == pytest.approx(2.5, abs=1e-6)
    data["Regions"][0]["budget_mcny"] = 4
    (after,) = solve(data)
    assert after.outcome.objective - base.outcome.objective == pytest.approx(2.5, abs=1e-6)
