"""Read an input workbook into raw tables: the only module that opens planners' files.

Cells are read one by one with openpyxl (never pandas, which would turn "NA" into a
missing value and rename duplicate headers). Headers are matched to the schema after a
documented normalisation: surrounding spaces, non-breaking spaces and line breaks are
removed, Unicode is NFC-normalised and case is ignored.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .issues import InputError, Issue
from .schema import SHEETS, SHEET_BY_NAME

BLANK_ROWS_STOP = 1000  # stop reading a sheet after this many blank rows in a row


@dataclass
class RawTable:
    sheet: str
    letters: dict[str, str]  # schema column -> column letter
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row no., values)

    def cell(self, row: int, column: str) -> str | None:
        letter = self.letters.get(column)
        return f"{letter}{row}" if letter else None


@dataclass
class RawWorkbook:
    path: Path
    sha256: str
    tables: dict[str, RawTable]
    sheet_names: list[str]
    ignored_sheets: list[str]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


def read_workbook(path: str | Path) -> tuple[RawWorkbook, list[Issue]]:
    """Read every schema sheet found; return raw tables and the problems met on the way."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        raise InputError([Issue(None, f"Cannot read {path}: {exc}",
                                "check the path and permissions; close the file in Excel")])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError([Issue(None, f"{path.name} is not a valid .xlsx workbook (not a ZIP "
                                "container)", "save the workbook as Excel .xlsx")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # parse a private in-memory snapshot: the file may change while Excel has it open
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                               keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError([Issue(None, f"{path.name} is not a readable .xlsx workbook: "
                                f"{type(exc).__name__}: {exc}",
                                "open it in Excel and save it again as .xlsx")])
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    by_norm: dict[str, str] = {}
    for name in wb.sheetnames:
        by_norm.setdefault(normalise(name), name)
    ignored = []
    wanted = {normalise(s.name): s.name for s in SHEETS}
    for norm, actual in by_norm.items():
        if norm not in wanted:
            ignored.append(actual)
    try:
        for sheet in SHEETS:
            actual = by_norm.get(normalise(sheet.name))
            if actual is None:
                if sheet.required:
                    issues.append(Issue(sheet.name, f"required sheet {sheet.name!r} is missing; "
                                        f"sheets found: {', '.join(map(repr, wb.sheetnames))}",
                                        "add the sheet (see inputs/template.xlsx)"))
                continue
            ws = wb[actual]
            if not hasattr(ws, "iter_rows"):
                issues.append(Issue(sheet.name, "is a chart sheet, not a data sheet",
                                    "put the table on a normal worksheet"))
                continue
            tables[sheet.name] = _read_sheet(sheet.name, ws, issues)
    finally:
        wb.close()
    digest = hashlib.sha256(data).hexdigest()
    return RawWorkbook(path, digest, tables, list(wb.sheetnames), ignored), issues


def _read_sheet(name: str, ws: Any, issues: list[Issue]) -> RawTable:
    schema = SHEET_BY_NAME[name]
    known = {normalise(c.name): c.name for c in schema.columns}
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # never trust a file's stated dimension
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    letters: dict[str, str] = {}
    positions: dict[str, int] = {}
    for idx, value in enumerate(header):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        col = known.get(normalise(str(value)))
        # headers may carry a unit in brackets, as in the template: "floor_m2 (m²)"
        if col is None and isinstance(value, str) and "(" in value:
            col = known.get(normalise(value.split("(")[0]))
        if col is None:
            continue
        letter = get_column_letter(idx + 1)
        if col in letters:
            issues.append(Issue(name, f"column {col!r} appears twice (columns {letters[col]} "
                                f"and {letter})", "delete one of them", row=1, column=col))
            continue
        letters[col] = letter
        positions[col] = idx
    missing = [c.name for c in schema.columns if c.required and c.name not in letters]
    if missing:
        found = [str(v) for v in header if v is not None]
        issues.append(Issue(name, f"missing required column(s) {', '.join(missing)}; "
                            f"headers found in row 1: {', '.join(map(repr, found)) or 'none'}",
                            "headers must be in row 1 (see inputs/template.xlsx)", row=1))
    table = RawTable(name, letters)
    blank_run = 0
    for excel_row, values in enumerate(rows, start=2):
        record = {col: (values[i] if i < len(values) else None) for col, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
            blank_run += 1
            if blank_run >= BLANK_ROWS_STOP:
                break
            continue
        blank_run = 0
        table.rows.append((excel_row, record))
    return table
