"""Quota payments are transfers (MODEL.md §3, changed 2026-12): they move net benefit from
buyer to seller but create no welfare, in both forms of the model and in the reports."""

import pytest
from solving import ENGINES, optimum

from optimizer.app import solve_tables, tables_from_rows
from optimizer.errors import InputError


def trade_case(quota_value=0.0, demand=0.0):
    """HZ (weight 1.0, budget 40, no quota) may buy up to 5 ha from QZ (weight 1.2) at
    6 mcny/ha; the only park costs 1,000 mcny and never opens, the only firm is worth 0."""
    return {
        "Policy": [{"parameter": "mip_gap", "value": 1e-9}],
        "Regions": [
            {
                "region_id": "HZ",
                "name": "Hangzhou",
                "tier": "developed",
                "land_quota_ha": 0,
                "budget_mcny": 40,
                "welfare_weight": 1.0,
                "quota_value_mcny_per_ha": quota_value,
                "quota_demand_ha": demand,
            },
            {
                "region_id": "QZ",
                "name": "Quzhou",
                "tier": "developing",
                "land_quota_ha": 10,
                "budget_mcny": 100,
                "welfare_weight": 1.2,
            },
        ],
        "Sectors": [{"sector_id": "K"}],
        "Sites": [
            {
                "site_id": "E1",
                "host_region": "HZ",
                "sponsor_region": "QZ",
                "floor_m2": 100,
                "setup_cost_mcny": 1000,
            }
        ],
        "Locations": [{"location_id": "P1", "region": "QZ", "land_available_ha": 5}],
        "Firms": [{"firm_id": "F1", "sector": "K", "floor_need_m2": 10}],
        "QuotaLinks": [
            {"from_region": "QZ", "to_region": "HZ", "max_ha": 5, "price_mcny_per_ha": 6}
        ],
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_purchase_nobody_uses_never_raises_welfare(engine):
    # Counting payments, HZ would buy 5 ha it cannot use: it pays 30 (weight 1.0), QZ gets
    # 30 (weight 1.2), "welfare" +0.2 x 30 = 6 mcny. A transfer creates nothing: 0.
    value, _ = optimum(trade_case(), engine)
    assert value == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_useful_purchase_is_worth_its_use_not_its_payment(engine):
    # HZ values quota at 10 mcny/ha (demand 5 ha): it buys 5 ha (the link's max; 30 of its
    # 40 mcny): welfare 10 x 5 = 50. Counting the payment at the weights it would be
    # 50 + 0.2 x 30 = 56.
    value, x = optimum(trade_case(quota_value=10, demand=5), engine)
    assert value == pytest.approx(50.0, abs=1e-6)
    assert x.trade["QZ", "HZ"] == pytest.approx(5.0, abs=1e-6)


def test_the_reports_keep_the_payment_in_net_benefit_and_out_of_the_weighted_welfare():
    (res,) = solve_tables(tables_from_rows(trade_case(quota_value=10, demand=5))).results
    regions = {r["region_id"]: r for r in res.tables["Regions"]}
    hz, qz = regions["HZ"], regions["QZ"]
    # costs shown positive, as in every sheet; net benefit = gains - costs: 50 - 30
    assert hz["quota_purchase_mcny"] == pytest.approx(30.0)
    assert hz["net_benefit_mcny"] == pytest.approx(20.0)
    assert qz["quota_sales_mcny"] == pytest.approx(30.0) and qz[
        "net_benefit_mcny"
    ] == pytest.approx(30.0)
    assert hz["weighted_quota_purchase_mcny"] == 0.0 and qz["weighted_quota_sales_mcny"] == 0.0
    # weighted welfare: HZ 1.0 x 50, QZ 1.2 x 0: the objective
    assert hz["weighted_welfare_mcny"] == pytest.approx(50.0)
    assert qz["weighted_welfare_mcny"] == pytest.approx(0.0)
    assert res.outcome.objective == pytest.approx(50.0, abs=1e-6)


def test_a_quota_link_from_a_region_to_itself_is_refused_at_its_cell():
    data = trade_case()
    data["QuotaLinks"].append({"from_region": "HZ", "to_region": "HZ", "max_ha": 1})
    with pytest.raises(InputError) as err:
        tables_from_rows(data)
    (issue,) = err.value.issues
    assert (issue.sheet, issue.cell, issue.column) == ("QuotaLinks", "B3", "to_region")
    assert "sells quota to itself" in issue.message
