"""Limits sheet: every limit family with slack and a marginal value that re-solving confirms."""

import numpy as np
import pytest
from cases import random_case, rows, with_policy

from optimizer.app import solve_tables, tables_from_rows
from optimizer.model import build_matrix
from optimizer.model.plan import values_of
from optimizer.solver.highs import activity

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
        tol = 1e-6 * max(1, abs(r["available"]))
        exhausted = abs(r["available"] - r["used"]) <= tol
        # an exhausted limit shows slack 0 (what is left is round-off), the others the gap
        assert r["slack"] == (0.0 if exhausted else pytest.approx(r["available"] - r["used"]))
        assert r["binding"] == ("yes" if exhausted else "no")
        assert isinstance(r["marginal_value_mcny"], float) and r["meaning"]
        assert f"for {r['where']} for {r['where']}" not in r["meaning"]


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


def deal_heavy_case(seed):
    """A random case with quota deals (land, exchange ratio 1.7), trades, a fund, caps and
    an equity floor, so that every term of every limit is in play."""
    data = with_policy(
        random_case(seed),
        exchange_ratio=1.7,
        host_share=0.3,
        provincial_fund_mcny=8,
        max_sites_per_sponsor=2,
        max_enclaves_per_host=3,
        min_developing_share=0.2,
    )
    data["QuotaLinks"] = [
        {"from_region": "S1", "to_region": "H1", "max_ha": 2, "price_mcny_per_ha": 1.5},
        {"from_region": "S2", "to_region": "H2", "price_mcny_per_ha": 0.5},
    ]
    return data


@pytest.mark.parametrize("seed", [1, 2, 4, 7])
def test_every_reported_limit_is_its_model_row(seed):
    """Limits' and Regions' used and available are computed from the decisions by the
    report, independently of the model; their difference must be the slack of the model's
    row at the plan (upper - activity for a ≤ row, activity - lower for a ≥ row)."""
    (res,) = solve(deal_heavy_case(seed))
    d, x = res.data, res.plan
    mm = build_matrix(d)
    act = activity(mm, values_of(mm, x))
    row = {key: i for i, key in enumerate(mm.row_family)}

    def slack(family, index):
        i = row[family, index]
        return mm.row_upper[i] - act[i] if mm.row_upper[i] < np.inf else act[i] - mm.row_lower[i]

    limits = res.tables["Limits"]
    assert {r["family"] for r in limits} == FAMILIES
    for r in limits:
        index = next(
            k for f, k in mm.row_family if f == r["family"] and where(d, f, k) == r["where"]
        )
        assert r["available"] - r["used"] == pytest.approx(slack(r["family"], index), abs=1e-6), r
    for g in res.tables["Regions"]:
        r = g["region_id"]
        spend = g["budget_mcny"] + g["fund_received_mcny"] - g["budget_used_mcny"]
        assert spend == pytest.approx(slack("c_budget", r), abs=1e-6), r
        quota = g["quota_available_ha"] - g["quota_used_ha"]
        assert quota == pytest.approx(slack("c_quota", r), abs=1e-6), r


def where(d, family, index):
    """The `where` text the Limits sheet gives a row (its region, location, park or link)."""
    if index is None:
        return "province" if family == "c_fund" else "developing regions"
    if isinstance(index, tuple):
        return f"{index[0]} → {index[1]}"
    thing = (
        d.regions.get(index)
        if family in ("c_budget", "c_quota", "c_own_use", "c_sponsor_cap", "c_host_cap")
        else d.locations.get(index)
        if family == "c_loc_land"
        else d.sites.get(index)
    )
    return index if thing.name == index else f"{thing.name} ({index})"
