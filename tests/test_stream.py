"""The result workbook's rows are written as XML by optimizer.io.stream: the same XML openpyxl
writes for the same cells, and the same look (styles, notes, panes, widths, tables)."""

import io

import pytest
from cases import rows
from lxml.etree import xmlfile
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import lxml_write_cell
from openpyxl.utils.exceptions import IllegalCharacterError

from optimizer.app import solve_tables, tables_from_rows
from optimizer.io.stream import Sheet, _cell_xml
from optimizer.io.xlsx import Formula
from optimizer.report.workbook import write_report

TEXTS = [
    "plain",
    "",
    " lead",
    "trail ",
    "   ",
    "\tindent",
    "a\rb\nc\r\n",
    "x<y & z>w",
    "quote \" and ' and ]]>",
    "中文 é ✓ 😀",
    "=1+1",
    "#N/A",
    "\u00a0nbsp",
]
NUMBERS = [
    0,
    1,
    -7,
    0.1,
    -0.0,
    1e-7,
    1 / 3,
    12345678901234567,
    2**53 + 1,
    1e300,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
]
FORMULAS = ["=B2*2", '=IF(A1<>"a&b",1,0)', '=SUMIFS(AuditFirms!$X$2:$X$9,A2,">0")']


def openpyxl_xml(value, data_type=None):
    """What openpyxl's writer makes of one cell (`A1`, unstyled), in UTF-8 (openpyxl's
    sheets are ASCII with character references for the rest: the same text)."""
    ws = Workbook(write_only=True).create_sheet()
    cell = WriteOnlyCell(ws, value)
    if data_type:
        cell.data_type = data_type
    out = io.BytesIO()
    with xmlfile(out, encoding="utf-8") as xf:
        lxml_write_cell(xf, ws, cell, False)
    return out.getvalue().decode("utf-8")


@pytest.mark.parametrize("value", TEXTS)
def test_text_is_written_as_openpyxl_writes_it(value):
    assert _cell_xml("A1", "", value) == openpyxl_xml(value, "s")


@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_are_written_as_openpyxl_writes_them(value):
    assert _cell_xml("A1", "", value) == openpyxl_xml(value)


@pytest.mark.parametrize("value", FORMULAS)
def test_formulas_are_written_as_openpyxl_writes_them(value):
    assert _cell_xml("A1", "", Formula(value)) == openpyxl_xml(value)


@pytest.mark.parametrize("value", ["bell\x07", "nul\x00", "\ud800"])
def test_characters_xml_cannot_hold_are_refused(value):
    sheet = Sheet(Workbook(write_only=True), "T")
    sheet.append([value])
    with pytest.raises(IllegalCharacterError):
        sheet.close()


def test_result_workbook_keeps_its_look(tmp_path):
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
    data["Firms"][0]["name"] = '=HYPERLINK("x")'
    wb = load_workbook(write_report(solve_tables(tables_from_rows(data)), tmp_path, "look"))
    firms = wb["Firms"]
    header = [c.value for c in firms[1]]
    a1 = firms["A1"]
    assert a1.font.b and a1.fill.fgColor.rgb.endswith("DDEBF7") and a1.alignment.wrap_text
    assert "not proven optimal" in firms.cell(row=1, column=2).comment.text  # plan_status
    assert firms.freeze_panes == "A2"
    assert firms.column_dimensions["B"].width == len("plan_status") + 2  # fits the header
    last = firms.cell(row=firms.max_row, column=len(header)).coordinate
    assert firms.tables["t_Firms"].ref == f"A1:{last}" and firms.max_row == 5
    name = firms.cell(row=2, column=header.index("name") + 1)
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("x")', "s", True)
    money = next(j for j, h in enumerate(header, start=1) if h.endswith("_mcny"))
    assert firms.cell(row=2, column=money).number_format == "#,##0.0"  # to 0.1 mcny
    compare = wb["Compare"]
    assert compare["A1"].font.b and compare["A1"].font.sz == 12
    assert len(compare._charts) == 2  # net benefit by tier, options per host
    assert len(wb["Brief"]._charts) == 2
    audit = wb["AuditFirms"]
    formulas = [c for c in audit[2] if c.data_type == "f"]
    assert formulas and all(c.number_format == "#,##0.0" for c in formulas)  # all mcny
