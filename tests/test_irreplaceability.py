"""Irreplaceability: welfare lost without each decision, welfare cost of each lock."""

import pytest
from cases import rows

from optimizer.app import RunOptions, solve_tables, tables_from_rows


def test_values_of_decisions_and_locks():
    data = rows()
    data["Firms"] = [dict(data["Firms"][0]), dict(data["Firms"][1], fixed_location="P1")]
    data["QuotaLinks"] = [
        {"from_region": "LY", "to_region": "HZ", "max_ha": 1, "price_mcny_per_ha": 2}
    ]
    data["Regions"][0] = dict(data["Regions"][0], budget_mcny=5)
    lines = []
    report = solve_tables(
        tables_from_rows(data), RunOptions(irreplaceability=True, log=lines.append)
    )
    (res,) = report.results
    # Baseline 48 + trade: HZ buys 1 ha from LY (own use worth 10; the 2 mcny payment is a
    # transfer) -> 58. F1 at E2 (Longyou) worth 10 + 30 - 10 = 30; F2 at E1 worth
    # 8 + 30 - 20 = 18.
    assert res.outcome.objective == pytest.approx(58.0, abs=1e-6)
    rows_by = {(r["decision"], r["item"]): r for r in res.tables["Irreplaceability"]}
    # Without E2 only E1 (1000 m²) is left for F1 and F2 (600 m² each): the better one is
    # F1 (10 + 30 - 20 = 20 > 18); plus the trade's 10 -> 30, i.e. -28.
    assert rows_by[("opened option", "E2")]["welfare_change_mcny"] == pytest.approx(-28, abs=1e-6)
    # Without E1, F2 (sector DE) has no park; F1 stays at E2: 30 + 10 = 40: -18.
    assert rows_by[("opened option", "E1")]["welfare_change_mcny"] == pytest.approx(-18, abs=1e-6)
    # Without the trade HZ has no own-use quota: -10.
    assert rows_by[("quota trade", "LY → HZ")]["welfare_change_mcny"] == pytest.approx(
        -10, abs=1e-6
    )
    # F2's fixed_location P1 is where it goes anyway (strict return to QZ): costs 0.
    assert rows_by[("locked fixed_location", "F2")]["welfare_change_mcny"] == pytest.approx(
        0, abs=1e-6
    )
    progress = [line for line in lines if "irreplaceability" in line]
    assert len(progress) == len(res.tables["Irreplaceability"]) == 4
