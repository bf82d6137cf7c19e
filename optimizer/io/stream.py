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

from .layout import (
    LINE_POINTS,
    MEASURED_ROWS,
    NOT_FINITE,
    column_width,
    lines,
    shown_width,
    wrap_width,
)
from .verify import rows_digest
from .xlsx import FORMULA_START, HEADER_FILL, Formula, check_text, number_format_for

LOOKS: dict[str, dict[str, Any]] = {
    "": {},
    "header": {
        "font": Font(name="Calibri", bold=True),
        "fill": HEADER_FILL,
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "title": {"font": Font(name="Calibri", bold=True, size=12)},
    "bold": {"font": Font(name="Calibri", bold=True)},
    "wrap": {"alignment": Alignment(wrap_text=True)},
    "line": {"alignment": Alignment(vertical="bottom")},  # a line of text running right
}
FREE_LOOKS = ("title", "line")  # text that runs over the empty cells to its right: sets no width
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
        self._convert: dict[tuple[str | None, str], Callable[[Any], Any]] = {}
        self._format_of: dict[int, str | None] = {0: None}  # style index -> number format
        self._free: set[int] = set()  # style indexes of text that sets no column width
        self._wrapped: set[int] = set()  # style indexes of text that wraps
        self._headers: set[int] = set()  # style indexes of header cells
        self.widths: dict[int, float] = {}  # column (1-based) -> width set by hand
        self.heights: dict[int, float] = {}  # row -> height in points set by hand
        self._tall: set[int] = set()  # rows that may hold wrapped cells
        self.keep: list[tuple[int, int]] = []  # (first, last) rows to print on one page
        self._fitted: dict[int, float] | None = None
        self._height: dict[int, float] = {}  # row -> height of its wrapped cells, points
        self._wrap_at: dict[int, int] = {}  # column -> width its long text wraps at

    def append(self, values: list[Any], wraps: bool = False) -> None:
        """Add the next row: None, text (a `Formula` as a formula), numbers, or values made
        by this sheet (`text`, `converter`); `wraps`: it holds wrapped text, and is made tall
        enough to show it."""
        self.rows.append(values)
        if wraps:
            self._tall.add(len(self.rows))

    def close(self) -> None:
        """Write the sheet; add tables and charts before this."""
        while self.rows and all(v is None for v in self.rows[-1]):
            self.rows.pop()  # no empty rows at the end
        if self._fitted is None:
            self.fit_columns()
        xml, plain, width = [], [], 1
        for i, values in enumerate(self.rows, start=1):
            row, values = _row_xml(i, values, self.heights.get(i) or self._height.get(i))
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

    def fit_columns(self) -> dict[int, float]:
        """Column widths that fit what the cells show, set on the sheet (column -> width in
        characters), and the heights of rows with wrapped cells: a header wraps beyond
        `layout.HEADER_MIN` characters, long text as `layout.wrap_width` says; titles run
        over the empty cells to their right. Call it once all rows are in (`close` does,
        if not called before)."""
        data: dict[int, int] = {}
        head: dict[int, int] = {}
        step = max(1, len(self.rows) // MEASURED_ROWS)  # a long sheet: a sample of its rows
        for values in self.rows[::step]:
            for j, value in enumerate(values, start=1):
                style = value.style if type(value) is Styled else 0
                if value is None or style in self._free:
                    continue
                shown = shown_width(
                    value.value if type(value) is Styled else value, self._format_of.get(style)
                )
                if style in self._headers:
                    head[j] = max(head.get(j, 0), shown)
                else:
                    data[j] = max(data.get(j, 0), min(shown, self._wrap_at.get(j, shown)))
        widths = {}
        for j in sorted(data.keys() | head.keys() | self.widths.keys()):
            widths[j] = self.widths.get(j) or column_width(data.get(j, 0), head.get(j, 0))
            self.ws.column_dimensions[get_column_letter(j)].width = widths[j]
        for i in self._tall:
            tallest = max(
                (
                    lines(str(v.value), widths.get(j, 8.43))
                    for j, v in enumerate(self.rows[i - 1], start=1)
                    if type(v) is Styled and v.style in self._wrapped
                ),
                default=1,
            )
            if tallest > 1 and i not in self.heights:
                self._height[i] = LINE_POINTS * tallest
        self._fitted = widths
        return widths

    def row_heights(self) -> list[float]:
        """The height of every row, in points (after `fit_columns`)."""
        return [
            self.heights.get(i) or self._height.get(i) or LINE_POINTS
            for i in range(1, len(self.rows) + 1)
        ]

    def height_points(self) -> float:
        """The height of the sheet's rows, in points (after `fit_columns`)."""
        return sum(self.row_heights())

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
        if not self.rows:
            self.ws.freeze_panes = "A2"
        self._tall.add(row)
        self.append([self.text(name, "header") for name in headers])

    def table(
        self,
        name: str,
        rows: list[dict[str, Any]],
        headers: list[str],
        notes: dict[str, str] | None = None,
        formats: dict[str, str | None] | None = None,
    ) -> int:
        """An Excel table (with filters) from the next row down; returns its last row.

        `formats`: the number format of each column (default `xlsx.number_format_for`);
        a column of long text wraps (`layout.wrap_width`)."""
        top = len(self.rows) + 1
        self.header(headers, notes)
        formats = formats if formats is not None else {h: number_format_for(h) for h in headers}
        wide: dict[str, int] = {}
        for j, h in enumerate(headers, start=1):
            at = wrap_width([len(r[h]) for r in rows if isinstance(r.get(h), str)])
            if at:
                wide[h] = self._wrap_at[j] = max(at, self._wrap_at.get(j, 0))
        convert = [self.converter(formats.get(h), "wrap" if h in wide else "") for h in headers]
        if wide:
            self._tall.update(range(top + 1, top + 1 + len(rows)))
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

    def converter(self, number_format: str | None, look: str = "") -> Callable[[Any], Any]:
        """value -> what to append for it, as `xlsx.put(..., number_format)` writes it;
        text in `look` (one of `LOOKS`)."""
        key = (number_format, look)
        if key in self._convert:
            return self._convert[key]
        text = self.text
        style = self._style(number_format, False) if number_format else 0

        def convert(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, Formula):
                return Styled(value, style) if style else value
            if isinstance(value, str):
                return text(value, look)
            if isinstance(value, bool):
                return "yes" if value else "no"
            if style and isinstance(value, (int, float)):
                return Styled(value, style)
            return value

        self._convert[key] = convert
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
            index = model.style_id if model.has_style else 0
            self._styles[key] = index
            self._format_of[index] = number_format
            if look in FREE_LOOKS:
                self._free.add(index)
            if look == "header":
                self._headers.add(index)
            if look in ("header", "wrap"):
                self._wrapped.add(index)
        return self._styles[key]

    def number_style(self, number_format: str, value: Any) -> Any:
        """`value` shown in `number_format` (a cell of a row built by hand)."""
        return self.converter(number_format)(value)


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


def _row_xml(i: int, values: list[Any], height: float | None = None) -> tuple[str, list[Any]]:
    """Row `i` as XML (`height` in points, if set by hand), and its plain values (trailing
    empty cells left out)."""
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
    size = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{i}"{size}>{"".join(cells)}</row>', plain


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
        return f'<c r="{ref}"{style} t="n"><v>{"" if number in NOT_FINITE else number}</v></c>'
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
