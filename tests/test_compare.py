"""Compare sheet: KPI deltas against baseline, decision changes, input changes, charts."""

import pytest
from cases import rows
from openpyxl import Workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.report.compare import decision_rows, kpi_rows, reference_of, write_compare


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
