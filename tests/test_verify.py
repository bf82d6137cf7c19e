"""O15: the saved file is read back straight from its XML (optimizer.io.verify) and must give
the same digest as openpyxl reading it, and as what was meant to be written."""

import datetime as dt
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from cases import TWO_REGIONS
from libreoffice import soffice
from openpyxl import Workbook, load_workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.io.stream import Sheet, digest
from optimizer.io.verify import content_digest, file_digest
from optimizer.io.xlsx import Formula, publish, text_cell
from optimizer.report.workbook import write_report

TRICKY = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tindent",
    "#N/A",
    "#DIV/0!",
    "plain",
    "",
    " lead",
    "trail ",
    "   ",
    "a\rb\nc",
    "x<y & z>w",
    "quote \" and ' and ]]>",
    "中文 é ✓",
    "x" * 32767,
]
NUMBERS = [0, 1, -7, 0.1, -0.0, 1e-7, 1 / 3, 12345678901234567, 2**53 + 1, 1e300, 5e-324]


def openpyxl_digest(path):
    wb = load_workbook(path, read_only=True)
    try:
        return content_digest(wb)
    finally:
        wb.close()


def streamed_book():
    """A write-only workbook as the result workbook is written, with awkward values."""
    wb = Workbook(write_only=True)
    sheet = Sheet(wb, "T")
    sheet.title_line("A title")
    sheet.skip_to(3)  # an empty row inside the sheet
    rows = [
        {
            "text": t,
            "amount_mcny": n,
            "count": n,
            "f": Formula(f"=B{i}*2"),
            "flag": i % 2 == 0,
            "gap": None,
        }
        for i, (t, n) in enumerate(zip(TRICKY, NUMBERS * 2), start=4)
    ]
    sheet.table(
        "T", rows, ["text", "gap", "amount_mcny", "count", "f", "flag", "empty"], {"text": "a note"}
    )
    sheet.append([None, None, "after blanks"])
    sheet.append([])
    sheet.append([None])  # empty rows at the end are not written
    sheet.close()
    other = Sheet(wb, "U")
    other.append(["only"])
    other.close()
    return wb, digest([sheet, other])


def test_streamed_workbook_reads_back_as_openpyxl_reads_it(tmp_path):
    wb, expected = streamed_book()
    path = publish(wb, tmp_path / "t.xlsx", expected=expected)
    assert file_digest(path) == openpyxl_digest(path) == expected
    assert expected["T"][0] == 4 + len(TRICKY)


def test_result_workbook_reads_back_as_openpyxl_reads_it(tmp_path):
    data = dict(TWO_REGIONS)
    data["Firms"] = [
        dict(TWO_REGIONS["Firms"][0], name='=HYPERLINK("x")'),
        dict(TWO_REGIONS["Firms"][1], name="\tindented"),
    ]
    path = write_report(solve_tables(tables_from_rows(data)), tmp_path, "r")
    found = file_digest(path)
    assert found == openpyxl_digest(path)
    assert {"Summary", "Firms", "AuditFirms", "Compare"} <= set(found)


def test_ordinary_workbook_with_dates_booleans_and_formulas_is_published(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            dt.datetime(2024, 5, 17, 13, 30),
            dt.date(1900, 1, 5),
            dt.time(6, 0),
            True,
            False,
            "=SUM(1,2)",
            0.1,
            None,
            "text",
        ]
    )
    text_cell(ws, 2, 3, "#N/A")
    ws.cell(row=4, column=2, value=1.5)
    ws.cell(row=6, column=2)  # touched but empty: trailing empty rows count for nothing
    ws.row_dimensions[9].height = 30  # stored as an empty row 9
    wb.create_sheet("Empty")  # openpyxl stores its size as A1:A1
    path = publish(wb, tmp_path / "o.xlsx")  # verified against the in-memory workbook
    assert file_digest(path) == content_digest(wb) == openpyxl_digest(path)
    assert file_digest(path)["Sheet"][0] == 4 and file_digest(path)["Empty"][0] == 0


def tamper(path, old: bytes, new: bytes):
    """A copy of `path` with the first `old` in a worksheet part replaced by `new`."""
    out = path.with_name("tampered.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        done = False
        for item in src.infolist():
            data = src.read(item)
            if not done and item.filename.startswith("xl/worksheets/sheet") and old in data:
                data, done = data.replace(old, new, 1), True
            dst.writestr(item, data)
    assert done
    return out


@pytest.mark.parametrize(
    "old,new",
    [
        (b"<v>0.1</v>", b"<v>0.2</v>"),  # a number
        (b"<t>plain</t>", b"<t>plain </t>"),  # a text
        (b"<f>B", b"<f>C"),  # a formula
        (b'<c r="B', b'<c r="H'),  # a cell moved to another column
        (b'<row r="3"', b'<row r="99"'),  # rows out of order
        (b'<row r="1"', b'<row r="2"'),  # a row moved down
    ],
)
def test_a_changed_file_fails_verification(tmp_path, old, new):
    wb, expected = streamed_book()
    path = publish(wb, tmp_path / "t.xlsx", expected=expected)
    assert file_digest(path) == expected
    changed = tamper(path, old, new)
    try:
        assert file_digest(changed) != expected
    except ValueError:  # not readable as a sheet: publish refuses it as well
        pass


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_file_written_by_another_program_reads_as_openpyxl_reads_it(tmp_path):
    # LibreOffice stores text as shared strings, with its own attribute order and styles
    wb = Workbook()
    ws = wb.active
    for text, number in zip(TRICKY[4:-1], NUMBERS):
        ws.append([text, number, None, True])
    text_cell(ws, 20, 2, "=not a formula")
    source = tmp_path / "plain.xlsx"
    wb.save(source)
    profile = Path(tempfile.mkdtemp(dir=tmp_path))
    out = tmp_path / "lo"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    resaved = out / "plain.xlsx"
    with zipfile.ZipFile(resaved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    assert file_digest(resaved) == openpyxl_digest(resaved)
    shutil.rmtree(profile, ignore_errors=True)
