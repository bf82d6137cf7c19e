"""Live audit formulas, recomputed by a real spreadsheet engine (LibreOffice)."""

import pandas as pd
import pytest
from libreoffice import recalculate, soffice
from openpyxl import load_workbook

# example_result: the bundled example's result workbook (conftest.py)


def test_audit_sheets_hold_formulas_over_value_cells(example_result):
    wb = load_workbook(example_result)
    audit = wb["Audit"]
    assert [c.value for c in audit[1]] == [
        "scenario",
        "formula_total_mcny",
        "solver_objective_mcny",
        "check_mcny",
    ]
    assert audit["B2"].data_type == "f" and audit["B2"].value.startswith("=SUMIFS(")
    regions = wb["AuditRegions"]
    header = [c.value for c in regions[1]]
    assert regions.cell(row=2, column=header.index("net_benefit_mcny") + 1).data_type == "f"
    firms = wb["AuditFirms"]
    header = [c.value for c in firms[1]]
    assert firms.cell(row=2, column=header.index("rd_value_mcny") + 1).data_type == "n"
    assert firms.cell(row=2, column=header.index("inc_value_mcny") + 1).data_type == "f"


@pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: .ci/run installs it from Debian's packages",
)
def test_libreoffice_recalculated_totals_equal_solver_objectives(example_result, tmp_path):
    summary = pd.read_excel(example_result, sheet_name="Summary").set_index("scenario")
    wb = recalculate(example_result, tmp_path)
    rows = list(wb["Audit"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == set(summary.index)
    for scenario, formula_total, _objective, check in rows:
        assert isinstance(formula_total, (int, float)), f"{scenario}: not computed"
        assert formula_total == pytest.approx(summary.loc[scenario, "objective_mcny"], abs=1e-6)
        assert abs(check) <= 1e-6


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_changing_an_input_cell_moves_the_formula_total(example_result, tmp_path):
    wb = load_workbook(example_result)
    firms = wb["AuditFirms"]
    header = [c.value for c in firms[1]]
    inc, rd = header.index("incubated") + 1, header.index("rd_value_mcny") + 1
    row = next(r for r in range(2, firms.max_row + 1) if firms.cell(row=r, column=inc).value == 1)
    scenario = firms.cell(row=row, column=1).value
    firms.cell(row=row, column=rd).value += 10  # +10 mcny of R&D value for one firm
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    rows = {
        r[0]: r
        for r in recalculate(edited, tmp_path)["Audit"].iter_rows(min_row=2, values_only=True)
    }
    # the firm's incubation value rises by 10 x innovation_level, shared host/sponsor with
    # weights: the check column now shows a non-zero difference for that scenario only
    assert abs(rows[scenario][3]) > 1
    assert all(abs(r[3]) <= 1e-6 for s, r in rows.items() if s != scenario)
