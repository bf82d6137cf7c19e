"""Sheets written top to bottom, whole rows at a time: the fast path for the result workbook.

A `Sheet` writes the same cells as `xlsx.put`/`xlsx.add_table` (literal text, formulas, the
same number formats, header styles, notes and Excel tables) as whole rows of an openpyxl
write-only workbook (`Workbook(write_only=True)`): no per-cell look-ups, and styled cells
share one style each instead of an assignment per cell. Rows are held until `close`, which
writes the sheet's size first (so that readers need not scan the sheet for it) and then the
rows. A write-only workbook cannot be read before it is saved, so every `Sheet` keeps the
content digest of what it wrote (`verify.rows_digest`) for
`publish(..., expected=digest(sheets))` to check the saved file against. A `Sheet` also works
on an ordinary workbook (there, empty cells inside a row are stored as blank cells).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .verify import rows_digest
from .xlsx import FORMULA_START, HEADER_FILL, Formula, check_text, number_format_for


class Sheet:
    """One worksheet, filled from row 1 down by `append`, `title_line` and `table`, then
    written by `close`."""

    def __init__(self, wb: Workbook, title: str) -> None:
        self.ws = wb.create_sheet(title)
        self.title = title
        self.rows: list[list[Any]] = []  # held until close()
        self._digest: tuple[int, str] | None = None
        self._styles: dict[tuple[str | None, bool], Any] = {}
        self._convert: dict[str | None, Callable[[Any], Any]] = {}

    def append(self, values: list[Any]) -> None:
        """Add the next row: plain values, or cells made by this sheet."""
        self.rows.append(values)

    def close(self) -> None:
        """Write the held rows, after the sheet's size (its `<dimension>`); add tables and
        charts before this."""
        plain, last_row, last_col = [], 0, 0
        for i, values in enumerate(self.rows, start=1):
            # values first: openpyxl may reuse an appended unstyled cell for the next value
            row = [v.value if isinstance(v, Cell) else v for v in values]
            n = len(row)
            while n and row[n - 1] is None:
                n -= 1
            if n:
                last_row, last_col = i, max(last_col, n)
            plain.append(row)
        del self.rows[last_row:]  # no empty rows at the end
        if self.ws.parent.write_only:  # the size openpyxl's writer asks the sheet for
            size = f"A1:{get_column_letter(max(last_col, 1))}{max(last_row, 1)}"
            self.ws.calculate_dimension = lambda: size
        for values in self.rows:
            self.ws.append(values)
        if self.ws.parent.write_only:
            self.ws.close()  # its XML is complete: tables, notes and charts come before
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

    def text(self, value: str) -> Any:
        """`value` as literal text (as `xlsx.text_cell`): never a formula, error or number."""
        check_text(value)
        if value.startswith(FORMULA_START) or value in ERROR_CODES:
            return self.text_cell(value)
        return value  # openpyxl types any other str as text ("s")

    def text_cell(self, value: str) -> Cell:
        check_text(value)
        quote = value.startswith(FORMULA_START)  # shown as text, and Excel keeps it text
        cell = Cell(self.ws, 1, 1, value, self._style(None, quote) if quote else None)
        cell.data_type = "s"
        return cell

    def title_line(self, text: str) -> None:
        """A bold heading in column A of the next row."""
        cell = self.text_cell(text)
        cell.font = Font(bold=True, size=12)
        self.append([cell])

    def header(self, headers: list[str], notes: dict[str, str] | None = None) -> None:
        """Header row (bold, shaded, wrapped, with notes), as `xlsx.header_row`."""
        notes = notes or {}
        cells = []
        for name in headers:
            cell = self.text_cell(name)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if notes.get(name):
                cell.comment = Comment(notes[name], "enclave", width=320, height=110)
            cells.append(cell)
        self.widen(headers)
        if not self.rows:
            self.ws.freeze_panes = "A2"
        self.append(cells)

    def table(self, name: str, rows: list[dict[str, Any]], headers: list[str],
              notes: dict[str, str] | None = None) -> int:
        """An Excel table (with filters) from the next row down; returns its last row."""
        top = len(self.rows) + 1
        self.header(headers, notes)
        convert = [self.converter(number_format_for(h)) for h in headers]
        for row in rows:
            self.append([c(row.get(h)) for h, c in zip(headers, convert)])
        last = top + max(1, len(rows))
        ref = f"A{top}:{get_column_letter(len(headers))}{last}"
        table = Table(displayName=re.sub(r"\W", "_", f"t_{name}"), ref=ref,
                      autoFilter=AutoFilter(ref=ref),
                      tableColumns=[TableColumn(id=j, name=h)
                                    for j, h in enumerate(headers, start=1)])
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        # named here: openpyxl names a table's columns from its header cells, which a
        # write-only sheet cannot give back (and its add_table warns so)
        self.ws.tables.add(table)
        return last

    def converter(self, number_format: str | None) -> Callable[[Any], Any]:
        """value -> what to append for it, as `xlsx.put(..., number_format)` writes it."""
        if number_format in self._convert:
            return self._convert[number_format]
        ws, text = self.ws, self.text
        style = self._style(number_format, False) if number_format else None

        def convert(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, Formula):
                cell = Cell(ws, 1, 1, str(value), style)
                cell.data_type = "f"
                return cell
            if isinstance(value, str):
                return text(value)
            if isinstance(value, bool):
                return "yes" if value else "no"
            if style is not None and isinstance(value, (int, float)):
                return Cell(ws, 1, 1, value, style)
            return value
        self._convert[number_format] = convert
        return convert

    def _style(self, number_format: str | None, quote: bool) -> Any:
        """The style array shared by cells with this number format / quote prefix."""
        key = (number_format, quote)
        if key not in self._styles:
            model = Cell(self.ws, 1, 1)
            if number_format:
                model.number_format = number_format
            model.quotePrefix = quote
            self._styles[key] = model._style  # copied by every Cell made with it
        return self._styles[key]


def digest(sheets: Iterable[Sheet]) -> dict[str, tuple[int, str]]:
    """The content digest of a workbook written through these sheets (all of its sheets)."""
    return {s.title: s.digest() for s in sheets}
