"""The content digest behind O15: verify what was written before publishing it.

A digest gives, per sheet, the number of rows up to the last one holding a value and a
SHA-256 of the rows' canonical values (`rows_digest`). `content_digest` takes it from an
openpyxl workbook in memory, `stream.Sheet` from the rows it writes, and `file_digest` from
a saved .xlsx, read straight from its XML parts with lxml: a reader independent of the
library that wrote the file, and several times faster than re-opening it with openpyxl.
`xlsx.publish` compares the digest of what was meant with that of the file.

What `file_digest` sees, as openpyxl does: a row missing from a part is an empty row, a
cell missing from a row an empty cell; numbers (dates and times are compared as the Excel
serial numbers they are stored as); text, inline or shared; booleans; error literals as
their text; a formula as "=" and its text (shared formulas are not expanded: this tool
never writes them, and a file holding them does not verify).
"""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, RUN = (
    MAIN + tag for tag in ("row", "c", "v", "f", "is", "t", "r")
)
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DATES = (datetime.date, datetime.time, datetime.timedelta)  # a datetime is a date
EMPTY_ROW = b"()"  # row_bytes of a row without values
Digest = dict[str, tuple[int, str]]


def content_digest(wb: Any) -> Digest:
    """The digest of every sheet of an openpyxl workbook."""
    return {ws.title: rows_digest(ws.iter_rows(values_only=True), wb.epoch) for ws in wb.worksheets}


def rows_digest(
    rows: Iterable[Iterable[Any]], epoch: datetime.datetime = WINDOWS_EPOCH
) -> tuple[int, str]:
    """The number of rows up to the last one holding a value, and a SHA-256 of their values.

    Empty rows at the end count for nothing: a sheet's extent is not content, and writers
    differ in the empty rows they store (touched cells, row heights, an empty sheet's A1)."""
    h, n, pending = hashlib.sha256(), 0, 0
    for row in rows:
        data = row_bytes(row, epoch)
        if data == EMPTY_ROW:
            pending += 1
            continue
        h.update(EMPTY_ROW * pending + data)
        n, pending = n + pending + 1, 0
    return n, h.hexdigest()


def row_bytes(row: Iterable[Any], epoch: datetime.datetime = WINDOWS_EPOCH) -> bytes:
    """One row's contribution to a digest. Trailing empty cells are left out, so a row
    padded to the sheet's width and the same row as written agree."""
    values = [_canonical(v, epoch) for v in row]
    while values and values[-1] is None:
        values.pop()
    return repr(tuple(values)).encode("utf-8", "replace")


def _canonical(value: Any, epoch: datetime.datetime) -> Any:
    """Numbers as stored: 16 significant digits ("%.16g"), -0 as 0; "" as an empty cell."""
    if type(value) is float or type(value) is int:  # most cells, first
        return float("%.16g" % value) + 0.0
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float("%.16g" % value) + 0.0
    if isinstance(value, DATES):
        return float("%.16g" % to_excel(value, epoch)) + 0.0
    return value


def file_digest(path: Path | str) -> Digest:
    """The digest of every worksheet of the saved workbook at `path`, read from its XML."""
    with zipfile.ZipFile(path) as zf:
        sheets, strings = _parts(zf)
        shared = [_text(si) for si in _xml(zf, strings).iter(MAIN + "si")] if strings else []
        out = {}
        for name, part in sheets:
            with zf.open(part) as src:
                out[name] = rows_digest(_sheet_rows(src, shared))
    return out


def _parts(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """(name, part) of every worksheet in workbook order, and the shared strings' part."""
    book = next(
        rel.get("Target")
        for rel in _xml(zf, "_rels/.rels").iter(PACKAGE_RELS)
        if rel.get("Type") == f"{OFFICE_RELS}/officeDocument"
    ).lstrip("/")
    folder, name = posixpath.split(book)
    worksheets, strings = {}, None
    for rel in _xml(zf, posixpath.join(folder, "_rels", name + ".rels")).iter(PACKAGE_RELS):
        target = rel.get("Target")
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        kind = rel.get("Type").rsplit("/", 1)[-1]
        if kind == "worksheet":
            worksheets[rel.get("Id")] = target
        elif kind == "sharedStrings":
            strings = target
    rid = f"{{{OFFICE_RELS}}}id"
    sheets = [
        (s.get("name"), worksheets[s.get(rid)])
        for s in _xml(zf, book).iter(MAIN + "sheet")
        if s.get(rid) in worksheets
    ]  # chart sheets hold no cells
    return sheets, strings


def _xml(zf: zipfile.ZipFile, part: str) -> Any:
    return etree.fromstring(zf.read(part), etree.XMLParser(resolve_entities=False, no_network=True))


def _sheet_rows(src: IO[bytes], shared: list[str]) -> Iterator[list[Any]]:
    """The values of every row of a worksheet part, a missing row as an empty one; each row
    is dropped from memory once read."""
    n = 0
    for _, element in etree.iterparse(
        src, events=("end",), tag=ROW, resolve_entities=False, no_network=True
    ):
        r = element.get("r")
        index = int(r) if r else n + 1
        if index <= n:
            raise ValueError(f"row {index} is out of order")
        for _ in range(n + 1, index):
            yield []
        yield _row_values(element, shared)
        n = index
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _row_values(row: Any, shared: list[str]) -> list[Any]:
    values: list[Any] = []
    for cell in row:
        if cell.tag != CELL:
            continue
        ref = cell.get("r")
        j = _column(ref.rstrip("0123456789")) if ref else len(values) + 1
        if j > len(values):
            values += [None] * (j - len(values))
        values[j - 1] = _value(cell, shared)
    return values


_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    """1 for A, 27 for AA."""
    n = _COLUMNS.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        _COLUMNS[letters] = n
    return n


def _value(cell: Any, shared: list[str]) -> Any:
    kind = cell.get("t", "n")
    value = None
    for child in cell:
        tag = child.tag
        if tag == FORMULA:
            return "=" + (child.text or "")
        if tag == VALUE:
            value = child.text
        elif tag == INLINE and kind == "inlineStr":
            return _text(child)
    if not value or kind == "inlineStr":
        return None
    if kind == "n":
        return float(value)  # an int or a float: the same number once canonical
    if kind == "s":
        return shared[int(value)]
    if kind == "b":
        return bool(int(value))
    return value  # "e" (an error literal), "str" (a formula's text), "d" (ISO date text)


def _text(element: Any) -> str:
    """The plain text of a string: its `t`, or the `t` of each of its runs."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts += [t.text or "" for t in child if t.tag == TEXT]
    return "".join(parts)
