"""Output safety (RELIABILITY.md O1-O16): atomic, verified, never replacing, literal text."""

import pytest
from cases import TWO_REGIONS
from openpyxl import Workbook, load_workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.io.xlsx import MAX_TEXT, held_open, publish, text_cell
from optimizer.report.workbook import write_report


def small_workbook(text="hello"):
    wb = Workbook()
    wb.active["A1"] = text
    return wb


def test_crash_mid_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def crash(self, handle):
        handle.write(b"PK\x03\x04 partial")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        publish(small_workbook(), tmp_path / "result.xlsx")
    assert list(tmp_path.iterdir()) == []  # no target, no .enclave-*.partial.xlsx


def test_verification_failure_publishes_nothing(tmp_path, monkeypatch):
    import optimizer.io.xlsx as x

    real = x.file_digest

    def differ(path):  # the file read back is not what was meant
        return {k: (v[0] + 1, v[1]) for k, v in real(path).items()}

    monkeypatch.setattr(x, "file_digest", differ)
    with pytest.raises(OSError, match="verification"):
        publish(small_workbook(), tmp_path / "result.xlsx")
    assert list(tmp_path.iterdir()) == []

    def unreadable(path):
        raise KeyError("xl/worksheets/sheet1.xml")

    monkeypatch.setattr(x, "file_digest", unreadable)
    with pytest.raises(OSError, match=r"verification.*cannot be read back"):
        publish(small_workbook(), tmp_path / "result.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_never_replaces_an_existing_file_and_never_the_input(tmp_path):
    first = publish(small_workbook("first"), tmp_path / "r.xlsx")
    second = publish(small_workbook("second"), tmp_path / "r.xlsx")
    assert (first.name, second.name) == ("r.xlsx", "r_2.xlsx")
    assert load_workbook(first).active["A1"].value == "first"
    (tmp_path / "~$r_3.xlsx").write_bytes(b"Excel owner file")
    third = publish(small_workbook(), tmp_path / "r_3.xlsx")
    assert third.name != "r_3.xlsx"  # a name Excel holds open is avoided
    with pytest.raises(FileExistsError):
        publish(small_workbook(), first, protected=[first])


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","x")', "@SUM(A1)", "+1", "-1", "=1+1", "=cmd|' /C calc'!A0"]
)
def test_formula_like_text_round_trips_as_text(tmp_path, text):
    data = dict(TWO_REGIONS)
    data["Firms"] = [dict(TWO_REGIONS["Firms"][0], name=text), TWO_REGIONS["Firms"][1]]
    path = write_report(solve_tables(tables_from_rows(data)), tmp_path, "inj")
    ws = load_workbook(path)["Firms"]
    col = [c.value for c in ws[1]].index("name") + 1
    got = ws.cell(row=2, column=col)
    assert got.value == text and got.data_type == "s"


def test_error_literal_and_long_text(tmp_path):
    # O7: a text equal to an Excel error literal is written as text, not as an error.
    # (On input such a cell is an error value; the reader refuses it, see test_reliability.)
    wb = Workbook()
    text_cell(wb.active, 1, 1, "#N/A")
    text_cell(wb.active, 1, 2, "x" * MAX_TEXT)
    text_cell(wb.active, 1, 3, "\tindent")  # inputs are stripped, so only text we make
    path = publish(wb, tmp_path / "t.xlsx")
    ws = load_workbook(path).active
    assert (ws["A1"].value, ws["A1"].data_type) == ("#N/A", "s")
    assert len(ws["B1"].value) == MAX_TEXT
    assert (ws["C1"].value, ws["C1"].data_type, ws["C1"].quotePrefix) == ("\tindent", "s", True)
    # O8: nothing is truncated silently; one character more is refused, not cut.
    with pytest.raises(ValueError, match="32768 characters"):
        text_cell(wb.active, 2, 1, "x" * (MAX_TEXT + 1))


def test_owner_files_of_both_styles_are_respected(tmp_path):
    # Excel: "~$results.xlsx"; Word-style owners drop the first two characters.
    (tmp_path / "~$sults.xlsx").write_bytes(b"owner")
    assert held_open(tmp_path / "results.xlsx")
    assert not held_open(tmp_path / "other.xlsx")
    placed = publish(small_workbook(), tmp_path / "results.xlsx")
    assert placed.name == "results_2.xlsx" and not (tmp_path / "results.xlsx").exists()


def test_streamed_sheets_keep_text_literal_and_are_verified(tmp_path):
    # the result workbook is written row by row in write-only mode (optimizer.io.stream)
    from optimizer.io.stream import Sheet, digest
    from optimizer.io.xlsx import Formula

    texts = ["#N/A", "=1+1", "@SUM(A1)", "\tindent", "-1", "plain", "x" * MAX_TEXT]

    def streamed():
        wb = Workbook(write_only=True)
        sheet = Sheet(wb, "T")
        sheet.table(
            "T",
            [{"text": t, "amount_mcny": 1.5, "f": Formula("=B2*2")} for t in texts],
            ["text", "amount_mcny", "f"],
        )
        sheet.close()
        return wb, digest([sheet])

    with pytest.raises(OSError, match="verification"):  # the digest must match the file
        publish(streamed()[0], tmp_path / "bad.xlsx", expected={"T": (1, "0")})
    assert list(tmp_path.iterdir()) == []
    wb, expected = streamed()
    ws = load_workbook(publish(wb, tmp_path / "t.xlsx", expected=expected))["T"]
    for i, text in enumerate(texts, start=2):
        cell = ws.cell(row=i, column=1)
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t"))
        assert ws.cell(row=i, column=2).number_format == "#,##0.000"
        assert ws.cell(row=i, column=3).data_type == "f"
    with pytest.raises(ValueError, match="32768 characters"):
        Sheet(Workbook(write_only=True), "U").text("x" * (MAX_TEXT + 1))
