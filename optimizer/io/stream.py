"""Sheets written top to bottom, whole rows at a time: the fast path for the result workbook.

A `Sheet` writes the same cells as `xlsx.put`/`xlsx.add_table` (literal text, formulas, the
same number formats, header styles, notes and Excel tables) into a sheet of an openpyxl
write-only workbook (`Workbook(write_only=True)`). openpyxl writes everything around the
cells: the sheet's size, frozen panes, column widths, tables, the notes and their drawing,
charts, and the workbook's styles. The rows themselves are turned into XML here, in the form
openpyxl gives them (text as inline strings, `xml:space="preserve"` where it has outer
spaces; formulas without a cached value; numbers to 16 significant digits; `s=` the index
of a style registered with openpyxl), a row at a time instead of a cell object at a time.

Rows are held until `close`, which lets openpyxl write the sheet with no rows and then puts
the rows' XML in its empty `<sheetData>`. A write-only workbook cannot be read before it is
saved, so every `Sheet` keeps the digest of what it wrote (`verify.rows_digest`) for
`publish(..., expected=digest(sheets))` to check the saved file against.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .verify import rows_digest
from .xlsx import FORMULA_START, HEADER_FILL, Formula, check_text, number_format_for

LOOKS: dict[str, dict[str, Any]] = {
    "": {},
    "header": {
        "font": Font(bold=True),
        "fill": HEADER_FILL,
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "title": {"font": Font(bold=True, size=12)},
}
EMPTY_SHEET_DATA = (b"<sheetData></sheetData>", b"<sheetData/>")  # as lxml writes it


class Styled(NamedTuple):
    """A value written with one of the workbook's cell styles (its index, 0 for none)."""

    value: Any
    style: int


class Sheet:
    """One worksheet, filled from row 1 down by `append`, `title_line` and `table`, then
    written by `close`."""

    def __init__(self, wb: Workbook, title: str) -> None:
        if not wb.write_only:
            raise ValueError("a Sheet writes into a write-only workbook")
        self.ws = wb.create_sheet(title)
        self.title = title
        self.rows: list[list[Any]] = []  # held until close()
        self._notes: list[CommentRecord] = []
        self._digest: tuple[int, str] | None = None
        self._styles: dict[tuple[str | None, bool, str], int] = {}
        self._convert: dict[str | None, Callable[[Any], Any]] = {}

    def append(self, values: list[Any]) -> None:
        """Add the next row: None, text (a `Formula` as a formula), numbers, or values made
        by this sheet (`text`, `converter`)."""
        self.rows.append(values)

    def close(self) -> None:
        """Write the sheet; add tables and charts before this."""
        while self.rows and all(v is None for v in self.rows[-1]):
            self.rows.pop()  # no empty rows at the end
        xml, plain, width = [], [], 1
        for i, values in enumerate(self.rows, start=1):
            row, values = _row_xml(i, values)
            xml.append(row)
            plain.append(values)
            width = max(width, len(values))
        size = f"A1:{get_column_letter(width)}{max(len(self.rows), 1)}"
        ws = self.ws
        ws.calculate_dimension = lambda: size  # the size openpyxl's writer asks the sheet for
        ws._get_writer()  # writes the sheet's top: size, views, column widths
        ws._comments.extend(self._notes)  # openpyxl collects notes while it writes cells
        ws.close()  # no rows, then tables, the notes' drawing and charts
        _fill_sheet_data(Path(ws._writer.out), "".join(xml).encode("utf-8"))
        self._digest, self.rows = rows_digest(plain), []

    def digest(self) -> tuple[int, str]:
        if self._digest is None:
            raise RuntimeError(f"sheet {self.title} was not closed")
        return self._digest

    def skip_to(self, row: int) -> None:
        """Leave rows empty so that the next row written is `row`."""
        while len(self.rows) < row - 1:
            self.append([])

    def widen(self, headers: list[str]) -> None:
        """Column widths fitting `headers` (never narrower than set before)."""
        for j, name in enumerate(headers, start=1):
            dim = self.ws.column_dimensions[get_column_letter(j)]
            dim.width = max(dim.width or 0, 10, min(40, len(name) + 4))

    def text(self, value: str, look: str = "") -> Any:
        """`value` as literal text (as `xlsx.text_cell`): never a formula, error or number;
        `look` one of `LOOKS` ("header", "title")."""
        check_text(value)
        quote = value.startswith(FORMULA_START)  # shown as text, and Excel keeps it text
        style = self._style(None, quote, look) if quote or look else 0
        return Styled(value, style) if style else value

    def title_line(self, text: str) -> None:
        """A bold heading in column A of the next row."""
        self.append([self.text(text, "title")])

    def header(self, headers: list[str], notes: dict[str, str] | None = None) -> None:
        """Header row (bold, shaded, wrapped, with notes), as `xlsx.header_row`."""
        notes = notes or {}
        row = len(self.rows) + 1
        for j, name in enumerate(headers, start=1):
            if notes.get(name):
                cell = Cell(self.ws, row=row, column=j)
                cell.comment = Comment(notes[name], "enclave", width=320, height=110)
                self._notes.append(CommentRecord.from_cell(cell))
        self.widen(headers)
        if not self.rows:
            self.ws.freeze_panes = "A2"
        self.append([self.text(name, "header") for name in headers])

    def table(
        self,
        name: str,
        rows: list[dict[str, Any]],
        headers: list[str],
        notes: dict[str, str] | None = None,
    ) -> int:
        """An Excel table (with filters) from the next row down; returns its last row."""
        top = len(self.rows) + 1
        self.header(headers, notes)
        convert = [self.converter(number_format_for(h)) for h in headers]
        for row in rows:
            self.append([c(row.get(h)) for h, c in zip(headers, convert)])
        last = top + max(1, len(rows))
        ref = f"A{top}:{get_column_letter(len(headers))}{last}"
        table = Table(
            displayName=re.sub(r"\W", "_", f"t_{name}"),
            ref=ref,
            autoFilter=AutoFilter(ref=ref),
            tableColumns=[TableColumn(id=j, name=h) for j, h in enumerate(headers, start=1)],
        )
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        # named here: openpyxl names a table's columns from its header cells, which a
        # write-only sheet cannot give back (and its add_table warns so)
        self.ws.tables.add(table)
        return last

    def converter(self, number_format: str | None) -> Callable[[Any], Any]:
        """value -> what to append for it, as `xlsx.put(..., number_format)` writes it."""
        if number_format in self._convert:
            return self._convert[number_format]
        text = self.text
        style = self._style(number_format, False) if number_format else 0

        def convert(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, Formula):
                return Styled(value, style) if style else value
            if isinstance(value, str):
                return text(value)
            if isinstance(value, bool):
                return "yes" if value else "no"
            if style and isinstance(value, (int, float)):
                return Styled(value, style)
            return value

        self._convert[number_format] = convert
        return convert

    def _style(self, number_format: str | None, quote: bool, look: str = "") -> int:
        """The index of the workbook's cell style with this number format, quote prefix
        and look (`LOOKS`), registered with openpyxl the first time."""
        key = (number_format, quote, look)
        if key not in self._styles:
            model = Cell(self.ws)
            if number_format:
                model.number_format = number_format
            model.quotePrefix = quote
            for attribute, value in LOOKS[look].items():
                setattr(model, attribute, value)
            self._styles[key] = model.style_id if model.has_style else 0
        return self._styles[key]


def digest(sheets: Iterable[Sheet]) -> dict[str, tuple[int, str]]:
    """The content digest of a workbook written through these sheets (all of its sheets)."""
    return {s.title: s.digest() for s in sheets}


def _fill_sheet_data(part: Path, rows: bytes) -> None:
    """Put the rows' XML into the empty `<sheetData>` of a sheet's part written by openpyxl."""
    xml = part.read_bytes()
    for empty in EMPTY_SHEET_DATA:
        head, found, tail = xml.partition(empty)
        if found:
            with part.open("wb") as out:
                out.writelines([head, b"<sheetData>", rows, b"</sheetData>", tail])
            return
    raise RuntimeError(f"no empty <sheetData> in {part}: openpyxl wrote the sheet differently")


# -- the XML of rows and cells, as openpyxl writes them ------------------------------------

_LETTERS: list[str] = []
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_FINITE = ("nan", "inf", "-inf")


def _row_xml(i: int, values: list[Any]) -> tuple[str, list[Any]]:
    """Row `i` as XML, and its plain values (trailing empty cells left out)."""
    if len(values) > len(_LETTERS):
        _LETTERS.extend(get_column_letter(j) for j in range(len(_LETTERS) + 1, len(values) + 1))
    cells, plain = [], []
    for letter, value in zip(_LETTERS, values):
        if value is None:
            plain.append(None)
            continue
        style = ""
        if type(value) is Styled:
            value, style = value.value, (f' s="{value.style}"' if value.style else "")
        cells.append(_cell_xml(f"{letter}{i}", style, value))
        plain.append(value)
    while plain and plain[-1] is None:
        plain.pop()
    return f'<row r="{i}">{"".join(cells)}</row>', plain


def _cell_xml(ref: str, style: str, value: Any) -> str:
    if isinstance(value, str):
        check_text(value)
        if isinstance(value, Formula):
            return f'<c r="{ref}"{style}><f>{_escape(value[1:])}</f><v></v></c>'
        if not value:
            return f'<c r="{ref}"{style} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        number = "%.16g" % value
        return f'<c r="{ref}"{style} t="n"><v>{"" if number in _NOT_FINITE else number}</v></c>'
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) in cell {ref}")


def _escape(text: str) -> str:
    """`text` for an XML element; characters XML cannot hold are refused, as openpyxl does."""
    if not _SPECIAL.search(text):
        return text
    if _NOT_XML.search(text):
        raise IllegalCharacterError(f"{text!r} cannot be used in worksheets.")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
