"""End to end: template -> filled in Python -> solve (CLI) -> result workbook read back."""

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from cases import TWO_REGIONS
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from optimizer.cli import main
from optimizer.io.schema import SHEET_BY_NAME


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_template(template: Path, target: Path, data: dict) -> None:
    """Type rows under the template's headers, as a planner would."""
    wb = load_workbook(template)
    for sheet, items in data.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        if sheet == "Policy":  # the template lists every parameter with its default
            for row in ws.iter_rows(min_row=2):
                for item in items:
                    if row[0].value == item["parameter"]:
                        row[1].value = item["value"]
            continue
        for i, item in enumerate(items, start=2):
            for col, value in item.items():
                ws.cell(row=i, column=headers.index(col) + 1, value=value)
    wb.save(target)


@pytest.fixture
def filled(tmp_path):
    template = tmp_path / "template.xlsx"
    assert main(["template", str(template)]) == 0
    data = dict(TWO_REGIONS)
    data["Scenarios"] = [{"scenario_id": "double_floor", "description": "E1 twice as big"}]
    data["Overrides"] = [
        {
            "scenario_id": "double_floor",
            "sheet": "Sites",
            "key": "E1",
            "column": "floor_m2",
            "operation": "scale",
            "value": 2,
        }
    ]
    target = tmp_path / "plan.xlsx"
    fill_template(template, target, data)
    return target


def test_template_has_readme_every_sheet_notes_and_dropdowns(tmp_path):
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == 0
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "README"
    assert set(SHEET_BY_NAME) <= set(wb.sheetnames)
    sites = wb["Sites"]
    assert [c.value for c in sites[1]] == list(SHEET_BY_NAME["Sites"].column_names)
    assert "m²" in sites["D1"].comment.text  # floor_m2 note carries the unit
    formulas = {dv.formula1 for dv in sites.data_validations.dataValidation}
    assert '"candidate,open,closed"' in formulas  # status dropdown
    assert any(f.startswith("OFFSET(Regions!$A$2") for f in formulas)  # host/sponsor ids
    assert sites.freeze_panes == "A2"
    assert main(["template", str(path)]) == 2  # never overwrites


def test_solve_writes_one_result_workbook_and_leaves_input_untouched(filled, tmp_path):
    before = sha(filled)
    out = tmp_path / "reports"
    assert main(["solve", str(filled), "--out", str(out)]) == 0
    assert sha(filled) == before
    written = list(out.glob("plan_results_*.xlsx"))
    assert len(written) == 1
    summary = pd.read_excel(written[0], sheet_name="Summary")
    assert {"scenario", "status", "objective_mcny", "mip_gap", "solve_seconds"} <= set(summary)
    assert list(summary["scenario"]) == ["baseline", "double_floor"]
    assert list(summary["status"]) == ["optimal", "optimal"]
    # baseline: E1 (QZ, cost 20) takes F1 or F2 (floor 1000 < 1200); E2 (LY, cost 10,
    # NM only, floor 600) takes F1: F1 at E2 -> 10 inc + 30 prod - 10 cost = 30;
    # F2 at E1 -> 8 + 30 - 20 = 18, and E1's land deal gives HZ 1 ha (used by the park).
    # Total 48. With E1's floor doubled (2000 m²) both firms fit in E1 and E2 stays shut:
    # 10 + 8 + 30 + 30 - 20 = 58 (QZ land 2+2 = 4 <= 5 ha; quota 4 + 1 deal <= 10 ha).
    assert list(summary["objective_mcny"]) == pytest.approx([48.0, 58.0], abs=1e-6)
    regions = pd.read_excel(written[0], sheet_name="Regions")
    for sid, group in regions.groupby("scenario"):
        objective = summary.set_index("scenario").loc[sid, "objective_mcny"]
        assert group["weighted_welfare_mcny"].sum() == pytest.approx(objective, abs=1e-6)
    overrides = pd.read_excel(written[0], sheet_name="Overrides")
    assert overrides.loc[0, ["old", "new"]].tolist() == [1000, 2000]
    run = pd.read_excel(written[0], sheet_name="Run").set_index("item")["value"]
    assert run["input SHA-256"] == before
    # the greedy warm start is reported per scenario, and it is a plan no better than the
    # optimum HiGHS returned
    for sid in ("baseline", "double_floor"):
        note = run[f"scenario {sid}: start"]
        greedy = float(re.search(r"greedy plan of ([\d,.-]+) mcny", note)[1].replace(",", ""))
        assert greedy <= summary.set_index("scenario").loc[sid, "objective_mcny"] + 1e-6
    # a second run never overwrites the first
    assert main(["solve", str(filled), "--out", str(out)]) == 0
    assert len(list(out.glob("plan_results_*.xlsx"))) == 2


def test_invalid_input_exits_2_and_writes_nothing(filled, tmp_path, capsys):
    wb = load_workbook(filled)
    wb["Firms"]["C2"] = "lots"  # floor_need_m2 of F1
    wb["Sites"]["B3"] = "NOWHERE"  # host_region of E2
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    out = tmp_path / "reports"
    assert main(["solve", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Firms!C2 (floor_need_m2)" in err and "'lots' is not a number" in err
    assert "Sites!B3 (host_region)" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["bad_issues.xlsx"]  # no results
    marked = load_workbook(out / "bad_issues.xlsx")
    assert marked.sheetnames[0] == "Issues"
    assert "is not a number" in marked["Firms"]["C2"].comment.text
    assert marked["Firms"]["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    links = [
        c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
        for c in marked["Issues"]["G"][1:]
        if c.hyperlink
    ]
    assert "#'Firms'!C2" in links or "'Firms'!C2" in links
    assert main(["validate", str(bad), "--out", str(tmp_path / "v")]) == 2


def test_infeasible_scenario_exits_3_and_others_are_written(filled, tmp_path):
    wb = load_workbook(filled)
    ws = wb["Scenarios"]
    ws.append(["impossible", "F1 must be placed but needs more land than any location has"])
    wb["Overrides"].append(["impossible", "Firms", "F1", "land_need_ha", "set", 6])
    wb["Overrides"].append(["impossible", "Firms", "F1", "must_place", "set", "yes"])
    path = tmp_path / "plan2.xlsx"
    wb.save(path)
    out = tmp_path / "r"
    assert main(["solve", str(path), "--out", str(out)]) == 3
    summary = pd.read_excel(next(out.glob("*.xlsx")), sheet_name="Summary")
    assert list(summary["status"]) == ["optimal", "optimal", "infeasible"]
    firms = pd.read_excel(next(out.glob("*.xlsx")), sheet_name="Firms")
    assert set(firms["scenario"]) == {"baseline", "double_floor"}


def test_presolve_names_the_input_responsible(filled, tmp_path, capsys):
    wb = load_workbook(filled)
    wb["Scenarios"].append(["no_park", "F2 must be placed but no park accepts DE"])
    wb["Overrides"].append(["no_park", "Sites", "E1", "status", "set", "closed"])
    wb["Overrides"].append(["no_park", "Firms", "F2", "must_place", "set", "yes"])
    path = tmp_path / "plan3.xlsx"
    wb.save(path)
    # only this package is impossible: it is marked, the baseline is solved and written
    assert main(["solve", str(path), "--out", str(tmp_path / "r")]) == 3
    out = capsys.readouterr().out
    assert "no_park: impossible" in out
    assert (
        "firm F2 must be placed but no open or candidate site accepts sector DE "
        "(must_place = yes is set by Overrides!F4; the sheet holds no)"
    ) in out
    assert "[change Firms!K3]" in out
    (written,) = (tmp_path / "r").glob("*_results_*.xlsx")
    summary = pd.read_excel(written, sheet_name="Summary").set_index("scenario")
    assert summary.loc["no_park", "status"] == "impossible"
    assert summary.loc["baseline", "status"] == "optimal"
    diagnosis = pd.read_excel(written, sheet_name="Diagnosis")
    assert diagnosis["input_cell"].tolist() == ["Firms!K3"]


def test_an_impossibility_of_the_sheets_as_written_is_an_input_error(filled, tmp_path, capsys):
    wb = load_workbook(filled)
    wb["Firms"]["K3"] = "yes"  # F2 (sector DE) must be placed ...
    wb["Sites"]["K2"] = "NM"  # ... but E1, the only park accepting DE, no longer does
    wb["Scenarios"].append(["other", "a second package"])
    path = tmp_path / "plan4.xlsx"
    wb.save(path)
    assert main(["solve", str(path), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    # one message for the mistake, naming the packages it affects, at its cell
    assert err.count("firm F2 must be placed") == 1
    assert "Firms!K3 (must_place): [every package] firm F2 must be placed" in err
    assert not list((tmp_path / "r").glob("*_results_*"))


def test_unknown_scenario_is_an_input_error(filled, tmp_path, capsys):
    assert main(["solve", str(filled), "--scenario", "nope", "--out", str(tmp_path)]) == 2
    assert "unknown scenario" in capsys.readouterr().err


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from optimizer.app import solve_tables, tables_from_rows
    from optimizer.report.workbook import write_report

    data = dict(TWO_REGIONS)
    data["Firms"] = [
        dict(TWO_REGIONS["Firms"][0], name='=HYPERLINK("http://x","y")'),
        dict(TWO_REGIONS["Firms"][1], name="@SUM(A1)"),
    ]
    report = solve_tables(tables_from_rows(data))
    path = write_report(report, tmp_path, "inj")
    ws = load_workbook(path)["Firms"]
    col = [c.value for c in ws[1]].index("name") + 1
    names = {ws.cell(row=i, column=col).value: ws.cell(row=i, column=col) for i in (2, 3)}
    for cell in names.values():
        assert cell.data_type == "s" and cell.quotePrefix
    assert set(names) == {'=HYPERLINK("http://x","y")', "@SUM(A1)"}


def test_infeasible_scenario_is_diagnosed_in_console_and_sheet(filled, tmp_path, capsys):
    wb = load_workbook(filled)
    wb["Scenarios"].append(["tight", "Quzhou's budget cannot pay for the forced park"])
    wb["Overrides"].append(["tight", "Sites", "E1", "status", "set", "open"])
    wb["Overrides"].append(["tight", "Regions", "QZ", "budget_mcny", "set", 20])
    wb["Overrides"].append(["tight", "Firms", "F2", "must_place", "set", "yes"])
    wb["Overrides"].append(["tight", "Firms", "F2", "subsidy_mcny", "set", 7.5])
    path = tmp_path / "plan4.xlsx"
    wb.save(path)
    out = tmp_path / "r"
    assert main(["solve", str(path), "--out", str(out)]) == 3
    # E1 (cost 20) is forced open and F2 must be placed; only E1 accepts DE, and
    # incubating F2 there costs QZ its subsidy 7.5: 20 + 7.5 = 27.5 > budget 20,
    # so the budget is short by exactly 7.5 mcny (cheaper than dropping F2's must_place
    # in relative terms: 7.5/20 = 0.375 < 1).
    console = capsys.readouterr().out
    assert "Quzhou (QZ)'s budget is short by 7.500 mcny" in console
    diag = pd.read_excel(next(out.glob("*.xlsx")), sheet_name="Diagnosis")
    assert diag["scenario"].tolist() == ["tight"]
    assert diag.loc[0, "relax_by"] == pytest.approx(7.5, abs=1e-6)
    letter = get_column_letter([c.value for c in wb["Regions"][1]].index("budget_mcny") + 1)
    assert diag.loc[0, "input_cell"] == f"Regions!{letter}3 (budget_mcny)"
    assert f"[change Regions!{letter}3 (budget_mcny)]" in console
    # the feasible packages of the same run are still solved and written
    summary = pd.read_excel(next(out.glob("*.xlsx")), sheet_name="Summary")
    assert set(summary["scenario"]) == {"baseline", "double_floor", "tight"}
    assert (
        summary.set_index("scenario").loc[["baseline", "double_floor"], "status"] == "optimal"
    ).all()
    assert summary.set_index("scenario").loc["baseline", "status"] == "optimal"
