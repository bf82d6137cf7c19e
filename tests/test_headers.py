"""Headers and ids that are nearly right (issue 12, item 1): a misspelled column is refused
at its cell with "did you mean", an unknown one is a warning on the console and in Run, an
id that differs from a known one only in case or spacing gets its "did you mean"."""

from pathlib import Path

import pytest
from cases import rows
from openpyxl import load_workbook

from optimizer.app import load, tables_from_rows
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.io.names import close_ids, close_names, distance, id_index
from optimizer.io.reader import read_workbook
from optimizer.io.schema import SHEET_BY_NAME
from optimizer.io.template import write_input_workbook

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "zhejiang_example.xlsx"
FIRMS = SHEET_BY_NAME["Firms"].column_names


def edited(src: Path, dst: Path, *cells: tuple[str, str, object]) -> Path:
    wb = load_workbook(src)
    for sheet, ref, value in cells:
        wb[sheet][ref] = value
    wb.save(dst)
    return dst


def small_book(tmp_path: Path, *cells: tuple[str, str, object]) -> Path:
    plain = write_input_workbook(tmp_path / "plain.xlsx", rows())
    return edited(plain, tmp_path / "plan.xlsx", *cells)


def errors_and_warnings(path: Path) -> tuple[list, list]:
    _, issues = read_workbook(path)
    return (
        [i for i in issues if i.severity == "error"],
        [i for i in issues if i.severity == "warning"],
    )


def test_finding_1_renamed_optional_header_is_refused_at_its_cell(tmp_path, capsys):
    # land_need_ha -> land_need: "no problems found" and every land need read as 0 before
    bad = edited(EXAMPLE, tmp_path / "renamed.xlsx", ("Firms", "E1", "land_need"))
    assert main(["validate", str(bad), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Firms!E1: header 'land_need' is not a Firms column; did you mean `land_need_ha`?" in err
    assert "every row would take the default, 0.0" in err
    out = tmp_path / "out"
    assert main(["solve", str(bad), "--out", str(out)]) == 2
    assert not out.exists() or not list(out.glob("*_results_*"))


@pytest.mark.parametrize(
    "header, expected",
    [
        ("land_need", ["land_need_ha"]),  # a missing unit suffix
        ("floor_need", ["floor_need_m2"]),
        ("land_need_mu", ["land_need_ha"]),  # a different unit
        ("floor_need_sqm", ["floor_need_m2"]),
        ("Land Need (ha)", ["land_need_ha"]),  # the same letters: case, spaces, brackets
        ("LandNeedHa", ["land_need_ha"]),
        ("land-need-ha", ["land_need_ha"]),
        ("floor_need_m²", ["floor_need_m2"]),
        ("land_ned_ha", ["land_need_ha"]),  # one edit
        ("sucess_prob", ["success_prob"]),
        ("land_nee_hx", ["land_need_ha"]),  # two edits on a name of 8+ letters
        ("secotr", ["sector"]),  # two neighbours swapped count as one edit
        ("nme", ["name"]),  # one edit on a name of 4-7 letters
        ("lnd_nd_hx", []),  # three edits: too far
        ("factor", []),  # two edits on a 6-letter name: too far
        ("comments", []),
        ("", []),
    ],
)
def test_which_headers_are_close_to_a_column(header, expected):
    assert close_names(header, FIRMS) == expected


def test_short_names_need_an_exact_match_and_edits_are_counted_like_typos():
    overrides = SHEET_BY_NAME["Overrides"].column_names
    assert close_names("keys", overrides) == []  # "key" has 3 letters: no edits allowed
    assert close_names("K E Y", overrides) == ["key"]
    assert close_names("values", overrides) == ["value"]
    assert (distance("abcd", "abdc"), distance("abcd", "ab"), distance("", "ab")) == (1, 2, 2)


def test_a_near_miss_is_still_checked_and_a_required_one_does_not_cascade(tmp_path):
    bad = edited(
        EXAMPLE,
        tmp_path / "near.xlsx",
        ("Firms", "C1", "floor_need"),  # required: no "missing column", no lost rows
        ("Firms", "E1", "land need"),
        ("Firms", "E3", "lots"),  # its values are still checked, under land_need_ha
    )
    errors, _ = errors_and_warnings(bad)
    assert [str(e) for e in errors] == [
        "Firms!C1: header 'floor_need' is not a Firms column; did you mean `floor_need_m2`? "
        "— rename the header to floor_need_m2 (as written it is not read: the required "
        "column is missing)",
        "Firms!E1: header 'land need' is not a Firms column; did you mean `land_need_ha`? "
        "— rename the header to land_need_ha (as written it is not read: every row would "
        "take the default, 0.0)",
    ]
    with pytest.raises(InputError) as err:
        load(bad)
    assert [i.cell for i in err.value.issues] == ["C1", "E1", "E3"]
    assert "'lots' is not a number" in str(err.value)


def test_a_near_duplicate_of_a_present_column_is_refused(tmp_path):
    bad = edited(EXAMPLE, tmp_path / "dup.xlsx", ("Firms", "N1", "Land_Need_HA2"))
    (error,), _ = errors_and_warnings(bad)
    assert error.cell == "N1" and "did you mean `land_need_ha`?" in error.message
    assert error.hint.startswith("land_need_ha is read from column E: delete the column")


def test_two_equally_close_columns_are_both_named_and_neither_is_guessed(tmp_path):
    assert close_names("prd_value_mcny", FIRMS) == ["rd_value_mcny", "prod_value_mcny"]
    bad = edited(EXAMPLE, tmp_path / "two.xlsx", ("Firms", "N1", "prd_value_mcny"))
    (error,), _ = errors_and_warnings(bad)
    assert error.message.endswith("did you mean `rd_value_mcny` or `prod_value_mcny`?")
    assert error.hint == (
        "rd_value_mcny is read from column F, prod_value_mcny from column G: delete the "
        "column you do not mean, or rename this one"
    )


def test_unknown_columns_are_warnings_at_their_cell_on_the_console_and_in_run(tmp_path, capsys):
    book = small_book(tmp_path, ("Firms", "N1", "comments"), ("Regions", "I1", 2024))
    out = tmp_path / "out"
    assert main(["solve", str(book), "--out", str(out)]) == 0
    console = capsys.readouterr().out
    wanted = [
        "Regions!I1: column 2024 is not a Regions column and is not read",
        "Firms!N1: column 'comments' is not a Firms column and is not read",
    ]
    for text in wanted:
        assert f"warning: {text}" in console
    (result,) = out.glob("*_results_*.xlsx")
    run = load_workbook(result, read_only=True)["Run"]
    noted = [v for k, v in run.iter_rows(min_row=2, values_only=True) if k == "input warning"]
    for text in wanted:
        assert any(text in v for v in noted), noted


def test_sources_and_extra_sheets_are_not_checked_and_case_variants_still_read(tmp_path):
    book = edited(EXAMPLE, tmp_path / "ok.xlsx", ("Firms", "C1", "Floor_Need_M2"))
    wb = load_workbook(book)
    wb.create_sheet("Notes")["A1"] = "land_need"
    wb.save(book)
    errors, warnings = errors_and_warnings(book)
    assert errors == []
    assert [w.message for w in warnings] == [
        "header 'Floor_Need_M2' in column C read as 'floor_need_m2'"
    ]


@pytest.mark.parametrize(
    "sheet, changes, cell, message",
    [
        (
            "Firms",
            {0: {"sector": "nm"}},
            "B2",
            "'nm' is not a sector id in sheet Sectors; did you mean 'NM'?",
        ),
        ("Sites", {0: {"host_region": "h z"}}, "B2", "did you mean 'HZ'?"),
        (
            "Sites",
            {1: {"sectors": "NM, d_e"}},
            "K3",
            "'d_e' is not a sector id in sheet Sectors; did you mean 'DE'?",
        ),
    ],
)
def test_ids_differing_only_in_case_or_spacing_get_did_you_mean(sheet, changes, cell, message):
    data = rows()
    for i, change in changes.items():
        data[sheet][i].update(change)
    with pytest.raises(InputError) as err:
        tables_from_rows(data)
    (issue,) = err.value.issues
    assert (issue.sheet, issue.cell) == (sheet, cell) and message in issue.message
    assert issue.hint.startswith("ids must match exactly: write '")


def test_other_unknown_ids_get_no_guess():
    data = rows()
    data["Firms"][0]["sector"] = "XX"
    with pytest.raises(InputError) as err:
        tables_from_rows(data)
    assert str(err.value).endswith(
        "'XX' is not a sector id in sheet Sectors — use an id listed in Sectors or add it there"
    )
    index = id_index({"NM", "nm2", "N-M"})
    assert close_ids("n m", index) == ["N-M", "NM"] and close_ids("NM", index) == ["N-M"]
