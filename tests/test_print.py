"""The result workbook prints: LibreOffice exports the example's result to PDF within a
page budget, the Brief on one page, and every number shows no more digits than its
format; column widths fit what the cells show."""

import re
import shutil
import subprocess

import pytest
from libreoffice import convert, only_sheet, pdf_pages, shown_cells, soffice
from openpyxl import load_workbook

from optimizer.report.formats import AS_ENTERED

PAGE_BUDGET = 45  # measured 44: 7 packages, two network pictures to a page (see README)
NUMBER = re.compile(r"^-?[\d,]*\.?(\d*)%?$")
needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: .ci/run installs it from Debian's packages",
)


def decimals(number_format: str) -> int:
    """Digits after the point a format shows: '#,##0.0' 1, '0.00%' 2, '#,##0' 0."""
    return len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0


def test_decimals_of_a_format():
    assert [decimals(f) for f in ("#,##0.0", "0.00%", "#,##0", "0.000")] == [1, 2, 0, 3]


@pytest.fixture(scope="module")
def book(example_result):
    return load_workbook(example_result)


def test_every_sheet_has_a_print_setup_naming_input_tool_and_date(book):
    for ws in book.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9 and setup.orientation in ("portrait", "landscape")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, ws.title
        header = ws.oddHeader.left.text
        assert "zhejiang_example.xlsx" in header and "enclave" in header, ws.title
        assert re.search(r"solved \d{4}-\d\d-\d\d \d\d:\d\d UTC", header), ws.title
    for name in ("Summary", "Firms", "Limits", "AuditFirms"):
        assert book[name].print_title_rows.replace("$", "") == "1:1"  # header on every page
    assert book["Brief"].page_setup.fitToHeight == 1  # one page
    assert book["Brief"].page_setup.orientation == "landscape"


def test_every_number_has_a_format_and_text_fits_its_column(book):
    loose = []
    for ws in book.worksheets:
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if cell.number_format == "General":
                        loose.append((ws.title, cell.coordinate))
                if (
                    isinstance(value, str)
                    and cell.data_type == "s"
                    and not cell.alignment.wrap_text
                    and ws.cell(row=cell.row, column=cell.column + 1).value is not None
                ):  # text with a neighbour is cut by its column's width
                    width = widths.get(cell.column_letter, 8.43)
                    assert len(value) <= width * 1.2, (ws.title, cell.coordinate, value)
    # only planner inputs echoed as typed (Overrides, Compare's input changes) are General
    assert {sheet for sheet, _ in loose} <= {"Overrides", "Compare"}, loose[:5]
    assert AS_ENTERED == "General"


def carlito() -> bool:
    """Calibri's metric twin: without it LibreOffice sets the text in wider letters."""
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    return "Carlito" in fonts


@needs_libreoffice
@pytest.mark.skipif(
    shutil.which("fc-list") is None or not carlito(),
    reason="font Carlito missing (Debian fonts-crosextra-carlito, installed by .ci/run): "
    "LibreOffice would lay pages out with other metrics than Excel's",
)
def test_libreoffice_prints_the_example_within_the_page_budget(example_result, tmp_path):
    (pdf,) = convert(example_result, tmp_path, "pdf").glob("*.pdf")
    pages = pdf_pages(pdf)
    assert 18 <= pages <= PAGE_BUDGET, pages  # 18 sheets, each on at least one page


@needs_libreoffice
def test_the_brief_prints_on_one_page(example_result, tmp_path):
    brief = only_sheet(example_result, "Brief", tmp_path / "brief.xlsx")
    (pdf,) = convert(brief, tmp_path, "pdf").glob("*.pdf")
    assert pdf_pages(pdf) == 1
    firms = only_sheet(example_result, "Firms", tmp_path / "firms.xlsx")
    (pdf,) = convert(firms, tmp_path, "pdf").glob("*.pdf")
    assert 2 <= pdf_pages(pdf) <= 6  # 420 rows: the hiding really prints one sheet


@needs_libreoffice
def test_no_number_shows_more_digits_than_its_format(example_result, book, tmp_path):
    shown = shown_cells(example_result, tmp_path)
    assert set(shown) == set(book.sheetnames)
    checked = 0
    for ws in book.worksheets:
        rows = shown[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                numeric = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                if not (numeric or cell.data_type == "f"):
                    continue
                text = rows[cell.row - 1][cell.column - 1]
                found = NUMBER.match(text)
                assert found or cell.data_type == "f", (ws.title, cell.coordinate, text)
                if not found:
                    continue
                most = 6 if cell.number_format == "General" else decimals(cell.number_format)
                assert len(found[1]) <= most, (ws.title, cell.coordinate, text)
                assert text not in ("-0", "-0.0", "-0.00", "-0.000"), (ws.title, cell.coordinate)
                checked += 1
    assert checked > 10_000  # the example's workbook holds that many numbers
