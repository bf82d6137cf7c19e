"""The 46 bad-input cases of RELIABILITY.md, each as a mutation of the example workbook.

E cases: `enclave solve` exits 2, names the sheet (and the cell where one is at fault), no
traceback, no result written, the bad file unchanged. S cases: the documented safe handling
(`enclave validate` exits 0, with the stated warning). Plus fuzzers over bytes and cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from optimizer.app import load
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.io import container
from optimizer.io import reader as workbook
from optimizer.io.cells import CellError, parse_value
from optimizer.io.schema import SHEET_BY_NAME
from optimizer.io.validate import check_tables

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "zhejiang_example.xlsx"
FIRMS_ROW = 3  # firm F02: referenced nowhere else, not must-place


def edit(fn):
    def build(src: Path, dst: Path) -> Path:
        wb = load_workbook(src)
        fn(wb)
        wb.save(dst)
        return dst

    return build


def zip_edit(fn):
    def build(src: Path, dst: Path) -> Path:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
            for name, data in fn(parts).items():
                z.writestr(name, data)
        return dst

    return build


def raw(data: bytes):
    def build(src: Path, dst: Path) -> Path:
        dst.write_bytes(data if not callable(data) else data(src.read_bytes()))
        return dst

    return build


def cell(sheet, ref, value, fmt=None):
    def fn(wb):
        wb[sheet][ref] = value
        if fmt:
            wb[sheet][ref].number_format = fmt

    return edit(fn)


def sheet_part(parts, name="Firms"):
    wb = load_workbook(io.BytesIO(_zip(parts)), read_only=True)
    return wb[name]._worksheet_path.lstrip("/")


def _zip(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return buf.getvalue()


def _ole(extra=b""):
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + extra


def _bomb(parts):
    parts = dict(parts)
    parts["xl/media/padding.bin"] = b"\x00" * (24 * 2**20)
    return parts


def _dtd(parts, padding=b""):
    parts = dict(parts)
    xml = parts["xl/workbook.xml"]
    dtd = padding + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    end = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    parts["xl/workbook.xml"] = xml[:end] + dtd + xml[end:]
    return parts


def _dimension(parts):
    parts = dict(parts)
    name = sheet_part(parts)
    import re

    parts[name] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', parts[name])
    return parts


def _drop(name):
    def fn(parts):
        return {k: v for k, v in parts.items() if k != name}

    return fn


def _long_string(src: Path, dst: Path) -> Path:
    """openpyxl cuts long strings when writing: put a marker, then lengthen it in the XML."""
    tmp = cell("Firms", "D3", "LONGMARK")(src, dst.with_suffix(".tmp.xlsx"))

    def grow(parts):
        return {k: v.replace(b"LONGMARK", b"x" * 40000) for k, v in parts.items()}

    return zip_edit(grow)(tmp, dst)


def _chartsheet_with_chart(wb):
    from openpyxl.chart import BarChart, Reference

    del wb["Locations"]
    chart = BarChart()
    chart.add_data(Reference(wb["Firms"], min_col=3, min_row=1, max_row=5), titles_from_data=True)
    wb.create_chartsheet("Locations").add_chart(chart)


def _fn(f):
    return edit(f)


def _delete_rows(wb):
    ws = wb["Firms"]
    ws.delete_rows(2, ws.max_row)


def _many_blank_formatted(wb):
    from openpyxl.styles import PatternFill

    ws = wb["Firms"]
    for r in range(200, 2200):
        ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor="FFFF00")


def _hide_row(wb):
    wb["Firms"].row_dimensions[5].hidden = True
    wb["Firms"].auto_filter.ref = "A1:M61"


# (case, id, builder, expected text, cell or None) -- E cases
E_CASES = [
    (1, "missing", None, "Cannot read", None),
    (1, "directory", None, "Cannot read", None),
    (2, "xls", raw(_ole()), "legacy Excel", None),
    (2, "xlsb", raw(_zip({"[Content_Types].xml": b"x", "xl/workbook.bin": b"x"})), ".xlsb", None),
    (
        2,
        "ods",
        raw(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
        "OpenDocument",
        None,
    ),
    (2, "csv", raw(b"firm_id,sector\nF1,NM\n"), "CSV", None),
    (2, "html", raw(b"<html><table><tr><td>1</td></tr></table></html>"), "HTML", None),
    (3, "empty", raw(b""), "empty (0 bytes)", None),
    (3, "truncated", raw(lambda b: b[: len(b) // 2]), "not a valid .xlsx", None),
    (3, "not_zip", raw(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "not a valid .xlsx", None),
    (4, "no_content_types", zip_edit(_drop("[Content_Types].xml")), "incomplete or corrupt", None),
    (5, "encrypted", raw(_ole("EncryptedPackage".encode("utf-16-le"))), "encrypted", None),
    (6, "zip_bomb", zip_edit(_bomb), "zip bomb", None),
    (7, "dtd", zip_edit(_dtd), "DTD/entity", None),
    # a DTD after a 20 kB comment: lxml (which parses the workbook part) must never see it
    (
        7,
        "dtd_after_comment",
        zip_edit(lambda p: _dtd(p, b"<!--" + b"x" * 20000 + b"-->")),
        "DTD/entity",
        None,
    ),
    (8, "long_string", _long_string, "32,767", "Firms!D3"),
    (9, "external_link", cell("Firms", "F3", "=[1]Sheet1!A1"), "another workbook", "Firms!F3"),
    (12, "missing_sheet", _fn(lambda wb: wb.remove(wb["Firms"])), "required sheet 'Firms'", None),
    (13, "duplicate_sheet_names", _fn(lambda wb: wb.create_sheet("FIRMS ")), "same name", None),
    (14, "chartsheet", _fn(_chartsheet_with_chart), "Locations: is a chart sheet", None),
    (16, "header_only", _fn(_delete_rows), "Firms: has no data rows", None),
    (
        17,
        "missing_column",
        _fn(lambda wb: wb["Firms"].delete_cols(3)),
        "missing required column(s) floor_need_m2",
        None,
    ),
    (18, "duplicate_header", cell("Firms", "N1", "floor_need_m2"), "columns C and N", None),
    (
        20,
        "title_row",
        _fn(lambda wb: wb["Firms"].insert_rows(1)),
        "headers seem to be in row 2",
        None,
    ),
    (
        20,
        "merged_header",
        _fn(lambda wb: wb["Firms"].merge_cells("D1:E1")),
        "merged cells D1:E1",
        None,
    ),
    (
        21,
        "merged_data",
        _fn(lambda wb: wb["Firms"].merge_cells("D3:D4")),
        "merged cells D3:D4",
        "Firms!D3",
    ),
    (23, "formula_no_cache", cell("Firms", "C3", "=600"), "no stored result", "Firms!C3"),
    (24, "error_value", cell("Firms", "C3", "#N/A"), "Excel error #N/A", "Firms!C3"),
    (25, "na_in_number", cell("Firms", "C3", "NA"), "'NA' is not a number", "Firms!C3"),
    (26, "blank_required", cell("Firms", "B3", "   "), "required value is blank", "Firms!B3"),
    (27, "thousands", cell("Firms", "C3", "1,234"), "'1,234' is not a number", "Firms!C3"),
    (27, "unit_in_number", cell("Firms", "C3", "12 MW"), "is not a number", "Firms!C3"),
    (28, "zero_padded_id", cell("Firms", "A3", 7, "000"), "leading zeros", "Firms!A3"),
    (
        29,
        "long_numeric_id",
        cell("Firms", "A3", 12345678901234567),
        "more than 15 digits",
        "Firms!A3",
    ),
    (31, "date_text", cell("Firms", "C3", "2024-01-03"), "is not a number", "Firms!C3"),
    (32, "date_value", cell("Firms", "C3", dt.datetime(2024, 1, 3)), "date/time", "Firms!C3"),
    (33, "bad_boolean", cell("Firms", "K3", "maybe"), "is not yes or no", "Firms!K3"),
    (34, "enum", cell("Regions", "C3", "rich"), "use one of: developed, developing", "Regions!C3"),
    (35, "negative", cell("Firms", "C3", -5), "out of range", "Firms!C3"),
    (35, "non_integer", cell("Policy", "B9", 2.5), "not a whole number", "Policy!B9"),
    (36, "huge", cell("Firms", "C3", 1e20), "not a usable number", "Firms!C3"),
    (37, "div0", cell("Firms", "C3", "#DIV/0!"), "#DIV/0!", "Firms!C3"),
    (40, "duplicate_key", cell("Firms", "A3", "F01"), "appears twice (rows 2 and 3)", "Firms!A3"),
    (41, "reference", cell("Firms", "B3", "XX"), "'XX' is not a sector id", "Firms!B3"),
    (42, "fixed_site_closed", cell("Sites", "L2", "closed"), "which is closed", None),
    (
        43,
        "empty_model",
        _fn(
            lambda wb: [
                wb["Sites"].cell(row=r, column=12, value="closed")
                for r in range(2, wb["Sites"].max_row + 1)
            ]
        ),
        "nothing to decide",
        None,
    ),
]

# (case, id, builder, expected warning text or None, values read: (sheet, Excel row,
# column, typed value)) -- S cases, validate exits 0 and the tables hold those values
F02 = 3  # Excel row of firm F02 (floor 800 m², must_place no, name "Lithium cathode ...")
S_CASES = [
    (
        9,
        "macros",
        zip_edit(lambda p: {**p, "xl/vbaProject.bin": b"\x00" * 64}),
        "macros",
        [("Firms", F02, "floor_need_m2", 800.0)],
    ),
    (10, "wrong_dimension", zip_edit(_dimension), None, [("Firms", 61, "firm_id", "F60")]),
    (
        11,
        "formatted_blank_rows",
        _fn(_many_blank_formatted),
        None,
        [("Firms", 61, "firm_id", "F60")],
    ),
    (
        12,
        "sheet_name_variant",
        _fn(lambda wb: setattr(wb["Firms"], "title", "firms ")),
        "read as 'Firms'",
        [("Firms", F02, "floor_need_m2", 800.0)],
    ),
    (
        13,
        "hidden_sheet",
        _fn(lambda wb: setattr(wb["Sectors"], "sheet_state", "hidden")),
        "the sheet is hidden",
        [("Sectors", 2, "sector_id", "NM")],
    ),
    (15, "extra_sheet", _fn(lambda wb: wb.create_sheet("My notes")), None, []),
    (
        19,
        "header_variant",
        cell("Firms", "C1", " Floor_Need_M2 "),
        "read as 'floor_need_m2'",
        [("Firms", F02, "floor_need_m2", 800.0)],
    ),
    (
        22,
        "hidden_rows_filter",
        _fn(_hide_row),
        "hidden rows 5 are read",
        [("Firms", 5, "firm_id", "F04")],
    ),
    (25, "na_as_text", cell("Firms", "D3", "NA"), None, [("Firms", F02, "name", "NA")]),
    (
        27,
        "spaces_around_number",
        cell("Firms", "C3", " 600 "),
        None,
        [("Firms", F02, "floor_need_m2", 600.0)],
    ),
    (
        30,
        "literal_format",
        cell("Firms", "C3", 600, '0" m2"'),
        "shows text",
        [("Firms", F02, "floor_need_m2", 600.0)],
    ),
    (
        33,
        "yes_variants",
        _fn(
            lambda wb: [
                wb["Firms"].__setitem__(ref, v)
                for ref, v in (("K3", "Y"), ("K4", "N"), ("K5", " yes "))
            ]
        ),
        None,
        [
            ("Firms", 3, "must_place", True),
            ("Firms", 4, "must_place", False),
            ("Firms", 5, "must_place", True),
        ],
    ),
    (
        35,
        "float_noise_integer",
        cell("Policy", "B9", 2.0000000001),
        None,
        [("Policy", 9, "value", 2)],
    ),
    (
        36,
        "tiny",
        cell("Firms", "I3", 1e-12),
        "treats it as 0",
        [("Firms", F02, "subsidy_mcny", 1e-12)],
    ),
    (
        39,
        "formula_like_label",
        cell("Firms", "D3", "@SUM(A1)"),
        None,
        [("Firms", F02, "name", "@SUM(A1)")],
    ),
]
COVERAGE = {
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    41,
    42,
    43,
    44,
    45,
    46,
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "case, name, build, expected, where", E_CASES, ids=[f"{c[0]}-{c[1]}" for c in E_CASES]
)
def test_refused_before_solving(tmp_path, capsys, case, name, build, expected, where):
    if name == "missing":
        bad = tmp_path / "nowhere.xlsx"
    elif name == "directory":
        bad = tmp_path / "folder.xlsx"
        bad.mkdir()
    else:
        bad = build(EXAMPLE, tmp_path / f"{name}.xlsx")
    before = sha(bad) if bad.is_file() else None
    out = tmp_path / "out"
    assert main(["solve", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    if where:
        assert where in err, err
    assert "Traceback" not in err
    assert not list(out.glob("*_results_*")) if out.exists() else True
    if before:
        assert sha(bad) == before


@pytest.mark.parametrize(
    "case, name, build, expected, values", S_CASES, ids=[f"{c[0]}-{c[1]}" for c in S_CASES]
)
def test_safe_handling(tmp_path, capsys, case, name, build, expected, values):
    path = build(EXAMPLE, tmp_path / f"{name}.xlsx")
    assert main(["validate", str(path), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr()
    if expected:
        assert expected in out.out + out.err
    assert "Traceback" not in out.out + out.err
    tables, _, _ = load(path)
    for sheet, row, column, value in values:  # the value the tool will use
        (got,) = [r[column] for r in tables[sheet] if r["_row"] == row]
        assert got == value and type(got) is type(value), (sheet, row, column, got)


def test_38_control_characters_are_refused():
    col = SHEET_BY_NAME["Firms"].column("name")
    for bad in ("abc\x01", "a\x1bb", "x\ud800y"):
        with pytest.raises(CellError):
            parse_value(col, bad)


def test_44_rows_beyond_the_cap(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    assert main(["solve", str(EXAMPLE), "--out", str(tmp_path)]) == 2
    assert "Firms: more than 10 data rows" in capsys.readouterr().err


def test_45_too_many_sheets_is_too_complex(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(container, "MAX_SHEETS", 5)
    assert main(["solve", str(EXAMPLE), "--out", str(tmp_path)]) == 2
    assert "file too complex" in capsys.readouterr().err


def test_46_open_in_excel_reads_a_snapshot_and_records_its_hash(tmp_path):
    book = tmp_path / "plan.xlsx"
    shutil.copy(EXAMPLE, book)
    (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    raw_book, _ = workbook.read_workbook(book)
    assert raw_book.sha256 == sha(book)


def test_every_case_has_a_test():
    covered = {c[0] for c in E_CASES} | {c[0] for c in S_CASES} | {38, 44, 45, 46}
    assert covered == COVERAGE == set(range(1, 47))
    assert len(E_CASES) + len(S_CASES) >= 40


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes_only_raise_input_errors(tmp_path, data):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError):
        workbook.read_workbook(path)


@FUZZ
@example(cut=0, flips=[(372, 0)])  # a damaged deflate stream: zlib.error once escaped
@given(
    cut=st.integers(0, 30000),
    flips=st.lists(st.tuples(st.integers(0, 30000), st.integers(0, 255)), max_size=8),
)
def test_fuzz_corrupted_example_only_raises_input_errors(tmp_path, cut, flips):
    data = bytearray(EXAMPLE.read_bytes())
    for pos, value in flips:
        data[pos % len(data)] = value
    if cut:
        data = data[: max(1, len(data) - cut)]
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    try:
        raw_book, _ = workbook.read_workbook(path)
        check_tables(raw_book.tables)
    except InputError:
        pass


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=30,
    ),
    st.sampled_from(["=1+1", "@SUM(A1)", "#N/A", "NA", "yes", "1,5", " 7 "]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


@FUZZ
@given(
    sheet=st.sampled_from(["Firms", "Sites", "Regions", "Locations", "Policy", "Overrides"]),
    row=st.integers(1, 12),
    col=st.integers(1, 13),
    value=VALUES,
)
def test_fuzz_random_cell_values_never_crash(tmp_path, capsys, sheet, row, col, value):
    wb = load_workbook(EXAMPLE)
    try:
        wb[sheet].cell(row=row, column=col).value = value
        path = tmp_path / "cells.xlsx"
        wb.save(path)
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses to write it
        return
    assert main(["validate", str(path), "--out", str(tmp_path)]) in (0, 2)
    assert "Traceback" not in capsys.readouterr().err
