"""Near-optimal alternatives and robustness (--alternatives K --slack s), by hand.

One region Q with two parks of its own, E1 (setup 1) and E2 (setup 1.1), one production
zone P1, one firm F1 (R&D 10, no production value). Plans: nothing (0), F1 at E1
(10 - 1 = 9, the optimum), F1 at E2 (10 - 1.1 = 8.9, 1.11% below), both parks open
(10 - 2.1 = 7.9, 12.2% below). F1 at E2 changes 4 decisions of the optimum: y_E1, y_E2,
x_F1,E1, x_F1,E2 (it produces at P1 in both).
"""

import copy

import pytest

from optimizer.app import RunOptions, solve_tables, tables_from_rows
from optimizer.model.plan import NO_MORE

BASE = {
    "Policy": [{"parameter": "mip_gap", "value": 1e-9}],
    "Regions": [
        {
            "region_id": "Q",
            "name": "Quzhou",
            "tier": "developing",
            "land_quota_ha": 10,
            "budget_mcny": 100,
        }
    ],
    "Sectors": [{"sector_id": "K"}],
    "Sites": [
        {
            "site_id": "E1",
            "host_region": "Q",
            "sponsor_region": "Q",
            "floor_m2": 1000,
            "setup_cost_mcny": 1,
        },
        {
            "site_id": "E2",
            "host_region": "Q",
            "sponsor_region": "Q",
            "floor_m2": 1000,
            "setup_cost_mcny": 1.1,
        },
    ],
    "Locations": [{"location_id": "P1", "region": "Q", "land_available_ha": 10}],
    "Firms": [{"firm_id": "F1", "sector": "K", "floor_need_m2": 600, "rd_value_mcny": 10}],
}


def solved(data=None, k=2, slack=0.02):
    report = solve_tables(
        tables_from_rows(copy.deepcopy(data or BASE)), RunOptions(alternatives=k, slack=slack)
    )
    (result,) = report.results
    return result


def test_an_alternative_is_within_the_slack_and_certified_with_its_distance():
    result = solved(slack=0.02)  # floor 9 - 0.18 = 8.82: F1 at E2 (8.9) qualifies
    rows = result.tables["Alternatives"]
    assert [r["plan"] for r in rows] == [0, 1, 2]
    best, alt, stop = rows
    assert best["welfare_mcny"] == pytest.approx(9)
    assert alt["welfare_mcny"] == pytest.approx(8.9)
    assert alt["welfare_gap_vs_plan_0"] == pytest.approx(0.1 / 9)
    assert alt["welfare_gap_vs_plan_0"] <= 0.02
    assert alt["min_distance"] == 4 and alt["nearest_plan"] == 0
    assert alt["min_parks_differing"] == 2  # E1 closed, E2 opened
    assert alt["min_firm_placements_differing"] == 1
    assert alt["min_production_differing"] == 0
    assert alt["parks_opened"] == "E2"
    assert "proven the largest" in alt["status"]
    # a third plan would have to differ from both: only "both parks" (7.9) or nothing (0)
    # do, and neither is within the slack
    assert stop["status"] == NO_MORE
    robust = {r["item"]: r for r in result.tables["Robustness"]}
    assert robust["E1"]["plan_matrix"] == "■ □"
    assert robust["E1"]["verdict"].startswith("negotiable")
    assert robust["F1"]["verdict"].startswith("must-have firm, negotiable park")  # E1 or E2
    assert robust["F1"]["plans_opening"] == 2  # incubated in both plans


def test_only_one_plan_within_the_slack_says_so():
    result = solved(slack=0.01)  # floor 9 - 0.09 = 8.91 > 8.9: only the optimum
    (best, stop) = result.tables["Alternatives"]
    assert best["plan"] == 0 and best["parks_opened"] == "E1"
    assert stop["status"] == NO_MORE
    robust = {r["item"]: r for r in result.tables["Robustness"]}
    assert robust["E1"]["verdict"].startswith("must-have")
    assert robust["E2"]["verdict"] == "never opened"
    assert robust["F1"]["verdict"].startswith("must-have")


def test_the_slack_is_taken_from_the_size_of_a_negative_optimum():
    # F1 must be placed and brings nothing (R&D 0): the optimum is E1 at -1, E2 costs
    # -1.1. With slack 0.15 the floor is -1 - 0.15 = -1.15: E2 qualifies (a floor of
    # (1 - slack) x W* = -0.85 would have excluded even the optimum). With 0.05 it is
    # -1.05: E2 is out.
    data = copy.deepcopy(BASE)
    data["Firms"][0].update(rd_value_mcny=0, must_place="yes")
    rows = solved(data, k=1, slack=0.15).tables["Alternatives"]
    assert rows[0]["welfare_mcny"] == pytest.approx(-1)
    assert rows[1]["welfare_mcny"] == pytest.approx(-1.1)
    rows = solved(data, k=1, slack=0.05).tables["Alternatives"]
    assert [r["plan"] for r in rows] == [0, 1] and rows[1]["status"] == NO_MORE


def test_without_the_option_no_alternative_sheets():
    report = solve_tables(tables_from_rows(copy.deepcopy(BASE)), RunOptions())
    assert "Alternatives" not in report.results[0].tables


def test_cli_writes_the_sheets_and_refuses_a_bad_slack(tmp_path, capsys):
    from openpyxl import load_workbook

    from optimizer.cli import main

    template, book = tmp_path / "t.xlsx", tmp_path / "plan.xlsx"
    assert main(["template", str(template)]) == 0
    wb = load_workbook(template)
    for sheet, items in BASE.items():
        if sheet == "Policy":
            continue
        headers = [c.value for c in wb[sheet][1]]
        for i, item in enumerate(items, start=2):
            for col, value in item.items():
                wb[sheet].cell(row=i, column=headers.index(col) + 1, value=value)
    wb.save(book)
    out = tmp_path / "out"
    assert main(["solve", str(book), "--out", str(out), "--alternatives", "3"]) == 0
    (written,) = out.glob("*.xlsx")
    result = load_workbook(written, read_only=True)
    rows = list(result["Alternatives"].iter_rows(values_only=True))
    assert rows[0][:3] == ("scenario", "plan", "status")
    assert [r[1] for r in rows[1:]] == [0, 1, 2]  # the optimum, E2, then the proof
    matrix = [r for r in result["PlanMatrix"].iter_rows(values_only=True) if r[0] in ("E1", "E2")]
    assert [r[2:4] for r in matrix] == [(1, 0), (0, 1)]
    with pytest.raises(SystemExit):
        main(["solve", str(book), "--out", str(out), "--slack", "2"])
    assert "not a share from 0 to below 1" in capsys.readouterr().err


def test_robustness_shows_the_irreplaceability_of_each_opened_park():
    # forbidding E1 leaves F1 at E2: 8.9, so E1 is worth 9 - 8.9 = 0.1
    options = RunOptions(alternatives=1, slack=0.02, irreplaceability=True)
    (result,) = solve_tables(tables_from_rows(copy.deepcopy(BASE)), options).results
    robust = {r["item"]: r for r in result.tables["Robustness"]}
    assert robust["E1"]["irreplaceability_mcny"] == pytest.approx(0.1)
    assert robust["E2"]["irreplaceability_mcny"] is None  # not opened in plan 0
