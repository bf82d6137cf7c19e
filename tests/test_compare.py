"""Compare sheet: KPI deltas against baseline, decision changes, input changes, charts."""

import copy
from types import SimpleNamespace

import pytest
from cases import rows
from openpyxl import Workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.report.compare import (
    decision_rows,
    grouped,
    kpi_rows,
    reference_of,
    tolerance,
    within,
    write_compare,
)


@pytest.fixture(scope="module")
def report():
    data = rows(
        Scenarios=[{"scenario_id": "double_floor"}],
        Overrides=[
            {
                "scenario_id": "double_floor",
                "sheet": "Sites",
                "key": "E1",
                "column": "floor_m2",
                "operation": "scale",
                "value": 2,
            }
        ],
    )
    return solve_tables(tables_from_rows(data))


def test_kpi_deltas_are_exact(report):
    # baseline 48 (F1 at E2 in Longyou, F2 at E1); double_floor 58 (both at E1, E2 shut)
    ref = reference_of(report)
    assert ref.scenario == "baseline"
    kpis = {r["kpi"]: r for r in kpi_rows(report, ref)}
    base, other = report.results
    assert kpis["objective_mcny"]["change"] == other.outcome.objective - base.outcome.objective
    assert kpis["objective_mcny"]["change"] == pytest.approx(10.0, abs=1e-6)
    assert kpis["objective_mcny"]["change_pct"] == pytest.approx(10 / 48, abs=1e-9)
    for k in ("options_opened", "firms_incubated", "net_benefit_developing_mcny"):
        assert kpis[k]["change"] == other.summary[k] - base.summary[k]
    assert kpis["options_opened"]["change"] == -1  # 2 options -> 1


def test_decision_changes_are_listed(report):
    changes = {
        (r["change"], r["item"], r["reference"], r["now"])
        for r in decision_rows(report, reference_of(report))
    }
    assert changes == {
        ("option closed", "E2", "yes", "no"),
        ("firm moved to another park", "F1", "E2", "E1"),
        ("firm moved production", "F1", "P2", "P1"),
    }


def test_compare_sheet_has_its_tables_two_charts_and_shaded_regions(report):
    wb = Workbook(write_only=True)  # as the result workbook
    write_compare(wb, report)
    ws = wb["Compare"]
    assert {
        "t_Compare_KPIs",
        "t_Compare_Regions",
        "t_Compare_Charts",
        "t_Compare_Decisions",
        "t_Compare_Inputs",
    } <= set(ws.tables)
    assert len(ws._charts) == 2
    # one colour scale per region row of the net-benefit table (2 regions in the case)
    assert len(ws.conditional_formatting) == len(report.results[0].tables["Regions"])


def package(objective, gap):
    return SimpleNamespace(outcome=SimpleNamespace(objective=objective, mip_gap=gap))


def test_solver_tolerance_is_the_sum_of_both_packages_gaps():
    # |100| x 1% + |-105| x 2% = 1 + 2.1 = 3.1 mcny
    a, b = package(100.0, 0.01), package(-105.0, 0.02)
    assert tolerance(a, b) == pytest.approx(3.1)
    assert within(3.0, tolerance(a, b)) == "yes" and within(-3.2, tolerance(a, b)) == "no"
    assert tolerance(a, package(100.0, None)) is None
    assert within(0.0, None) == "unknown"


def test_deltas_say_whether_they_lie_within_solver_tolerance(report):
    ref = reference_of(report)
    base, other = report.results
    kpis = {r["kpi"]: r for r in kpi_rows(report, ref)}
    expected = (
        abs(base.outcome.objective) * base.outcome.mip_gap
        + abs(other.outcome.objective) * other.outcome.mip_gap
    )
    assert kpis["objective_mcny"]["tolerance_mcny"] == pytest.approx(expected)
    assert expected < 1e-3  # mip_gap 1e-9: the 10 mcny of welfare are a real difference
    assert {r["within_tolerance"] for r in kpis.values()} == {"no"}
    assert {r["within_tolerance"] for r in decision_rows(report, ref)} == {"no"}


def test_with_wide_gaps_every_change_is_marked_within_tolerance(report):
    # the same two plans, each said to be proven only within 20 %: 48 x 0.2 + 58 x 0.2 =
    # 21.2 mcny > the 10 mcny between them, so every change may be the solver's doing
    wide = copy.deepcopy(report)
    for r in wide.results:
        r.outcome.mip_gap = 0.2
    ref = reference_of(wide)
    kpis = {r["kpi"]: r for r in kpi_rows(wide, ref)}
    assert kpis["objective_mcny"]["tolerance_mcny"] == pytest.approx(21.2)
    assert {r["within_tolerance"] for r in kpis.values()} == {"yes"}
    assert {r["within_tolerance"] for r in decision_rows(wide, ref)} == {"yes"}


def test_firms_making_the_same_move_share_a_row():
    rows = grouped(
        [
            {"change": "firm moved to another park", "item": f, "reference": "A", "now": "B"}
            for f in ("F1", "F2")
        ]
        + [{"change": "option closed", "item": s, "reference": "yes", "now": "no"} for s in "XY"]
    )
    assert [(r["item"], r["count"]) for r in rows] == [("F1, F2", 2), ("X", 1), ("Y", 1)]
