"""The bundled workbooks are what their sources make (so a diff of the CSVs is the review)."""

from pathlib import Path

from openpyxl import load_workbook

from optimizer.cli import main
from optimizer.io.template import read_csv_folder, write_input_workbook

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def values(path):
    wb = load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_example_workbook_is_built_from_its_csv_files(tmp_path):
    tables, extra = read_csv_folder(INPUTS / "zhejiang_example")
    fresh = write_input_workbook(tmp_path / "example.xlsx", tables, extra)
    assert values(fresh) == values(INPUTS / "zhejiang_example.xlsx"), (
        "run: enclave build-workbook inputs/zhejiang_example inputs/zhejiang_example.xlsx --replace"
    )
    assert "Sources" in load_workbook(fresh).sheetnames


def test_template_is_what_enclave_template_writes(tmp_path):
    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert values(tmp_path / "t.xlsx") == values(INPUTS / "template.xlsx")


def test_example_validates_with_seven_packages_and_enough_firms(capsys):
    assert main(["validate", str(INPUTS / "zhejiang_example.xlsx")]) == 0
    out = capsys.readouterr().out
    assert (
        "baseline, single_centre, multi_centre, free_return, high_exchange, "
        "equity_floor, equity_floor_free_return" in out
    )
    tables, _ = read_csv_folder(INPUTS / "zhejiang_example")
    assert 40 <= len(tables["Firms"]) <= 80 and len(tables["Sectors"]) == 6
