"""Sheet Brief: the decision of every package in sentences, its key figures, what binds."""

import pytest
from cases import rows
from openpyxl import load_workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.report.brief import binds, decision, kpi_rows
from optimizer.report.workbook import write_report

DOUBLE_FLOOR = {
    "scenario_id": "double_floor",
    "sheet": "Sites",
    "key": "E1",
    "column": "floor_m2",
    "operation": "scale",
    "value": 2,
}


@pytest.fixture(scope="module")
def report():
    data = rows(Scenarios=[{"scenario_id": "double_floor"}], Overrides=[DOUBLE_FLOOR])
    return solve_tables(tables_from_rows(data))


def test_each_package_is_told_in_a_sentence(report):
    # baseline: QZ's E1 and LY's E2 in HZ, F1 at E2 producing in LY, F2 at E1 in QZ; E1's
    # land deal moves 1 x 1 ha from QZ to HZ. double_floor: both firms in E1, E2 shut, +10.
    base, other = report.results
    assert decision(base, base) == (
        "Open 2 parks: E1, E2 in HZ; incubate 2 firms, 2 of them producing in developing "
        "regions; 1.0 ha of quota moves from QZ (1.0) to HZ (1.0)."
    )
    assert decision(other, base) == (
        "As baseline, but close E2 (1 park open); incubate 2 firms, 2 of them producing in "
        "developing regions; 1.0 ha of quota moves from QZ (1.0) to HZ (1.0); welfare "
        "+10.0 mcny against baseline."
    )


def test_key_figures_and_binding_limits(report):
    base, other = kpi_rows(report)
    assert (base["package"], base["parks_opened"], base["firms_incubated"]) == ("baseline", 2, 2)
    assert base["welfare_mcny"] == pytest.approx(48.0)
    assert "change_mcny" not in base  # the reference itself
    assert other["change_mcny"] == pytest.approx(10.0) and other["within_tolerance"] == "no"
    # HZ holds no quota of its own: the 1 ha of E1's deal goes to the park's land, and HZ
    # values own use at 10 mcny/ha (demand 5 ha): one more ha is worth 10
    assert binds(report.results[0]) == (
        "land-development quota at HZ: one more ha is worth 10.00 mcny."
    )


def test_brief_is_the_first_sheet_and_prints_on_one_landscape_page(report, tmp_path):
    wb = load_workbook(write_report(report, tmp_path, "brief"))
    assert wb.sheetnames[:4] == ["Brief", "Summary", "Compare", "Network"]
    brief = wb["Brief"]
    texts = [c.value for c in brief["B"] if isinstance(c.value, str)]
    assert any(t.startswith("Open 2 parks: E1, E2 in HZ") for t in texts)
    assert brief.page_setup.fitToHeight == 1 and brief.page_setup.orientation == "landscape"
    assert "t_Brief_KPIs" in brief.tables
