"""Read an input workbook into raw tables: the only module that opens planners' files.

The file's bytes are read once (a private snapshot: Excel may hold or change the file) and
inspected (`container.py`) before openpyxl parses them. Cells are read one by one with
openpyxl, never pandas (which would turn "NA" into a missing value and rename duplicate
headers). Headers are matched to the schema after a documented normalisation: surrounding
spaces, non-breaking spaces and line breaks are removed, Unicode is NFC-normalised and case
is ignored; a header that needed normalising is reported as a warning. A header that names
no column is reported too (`names.py`): an error at its cell, with "did you mean", when it
is close to a column; a warning otherwise.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import InputError, Issue
from .container import inspect
from .names import header_issues
from .schema import SHEET_BY_NAME, SHEETS
from .sheetscan import SheetScan, scan_sheet

BLANK_ROWS_STOP = 1000  # stop reading a sheet after this many blank rows in a row
MAX_ROWS = 1_000_000  # data rows per sheet
HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    sheet: str
    letters: dict[str, str]  # schema column -> column letter
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row no., values)
    formats: dict[tuple[int, str], str] = field(default_factory=dict)  # non-General numbers

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
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(
            [
                Issue(
                    None,
                    f"Cannot read {path}: {reason}",
                    "check the path and permissions; close the file in Excel",
                )
            ]
        ) from None
    issues = inspect(path.name, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError(
            [
                Issue(
                    None,
                    f"{path.name} is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                    "open it in Excel and save it again as .xlsx",
                )
            ]
        ) from None
    tables: dict[str, RawTable] = {}
    by_norm: dict[str, str] = {}
    for name in wb.sheetnames:
        norm = normalise(name)
        if norm in by_norm:
            issues.append(
                Issue(
                    name,
                    f"sheets {by_norm[norm]!r} and {name!r} have the same "
                    "name apart from case/spaces",
                    "rename or delete one",
                )
            )
        by_norm.setdefault(norm, name)
    wanted = {normalise(s.name) for s in SHEETS}
    ignored = [actual for norm, actual in by_norm.items() if norm not in wanted]
    try:
        for sheet in SHEETS:
            actual = by_norm.get(normalise(sheet.name))
            if actual is None:
                if sheet.required:
                    issues.append(
                        Issue(
                            sheet.name,
                            f"required sheet {sheet.name!r} is missing; "
                            f"sheets found: {', '.join(map(repr, wb.sheetnames))}",
                            "add or rename the sheet (see inputs/template.xlsx)",
                        )
                    )
                continue
            ws = wb[actual]
            if not hasattr(ws, "iter_rows"):
                issues.append(
                    Issue(
                        sheet.name,
                        "is a chart sheet, not a data sheet",
                        "put the table on a normal worksheet",
                    )
                )
                continue
            if actual != sheet.name:
                issues.append(
                    Issue(
                        sheet.name, f"sheet {actual!r} read as {sheet.name!r}", severity="warning"
                    )
                )
            if getattr(ws, "sheet_state", "visible") != "visible":
                issues.append(
                    Issue(
                        sheet.name,
                        f"the sheet is {ws.sheet_state}; it is read all the same",
                        severity="warning",
                    )
                )
            scan = scan_sheet(data, getattr(ws, "_worksheet_path", None))
            tables[sheet.name] = _read_sheet(sheet.name, ws, scan, issues)
    finally:
        wb.close()
    digest = hashlib.sha256(data).hexdigest()
    return RawWorkbook(path, digest, tables, list(wb.sheetnames), ignored), issues


def _match_header(header: tuple, known: dict[str, str]) -> list[tuple[str, int, str]]:
    """(schema column, position, header text) for every header that names a column."""
    found = []
    for idx, value in enumerate(header):
        if not isinstance(value, str) or not value.strip():
            continue
        col = known.get(normalise(value))
        if col is None and "(" in value:  # headers may carry a unit: "floor_m2 (m²)"
            col = known.get(normalise(value.split("(")[0]))
        if col is not None:
            found.append((col, idx, value))
    return found


def _read_sheet(name: str, ws: Any, scan: SheetScan, issues: list[Issue]) -> RawTable:
    schema = SHEET_BY_NAME[name]
    known = {normalise(c.name): c.name for c in schema.columns}
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # never trust a file's stated dimension
    rows = ws.iter_rows()
    head_cells = next(rows, None) or ()
    header = tuple(getattr(c, "value", None) for c in head_cells)
    letters: dict[str, str] = {}
    positions: dict[str, int] = {}
    matched = _match_header(header, known)
    for col, idx, text in matched:
        letter = get_column_letter(idx + 1)
        if col in letters:
            issues.append(
                Issue(
                    name,
                    f"column {col!r} appears twice (columns {letters[col]} and {letter})",
                    "delete one of them",
                    row=1,
                    column=col,
                )
            )
            continue
        letters[col], positions[col] = letter, idx
        if text != col:
            issues.append(
                Issue(
                    name, f"header {text!r} in column {letter} read as {col!r}", severity="warning"
                )
            )
    named = {idx for _, idx, _ in matched}
    unknown = [
        (i, v)
        for i, v in enumerate(header)
        if i not in named and v is not None and not (isinstance(v, str) and not v.strip())
    ]
    found, adopted = header_issues(schema, unknown, letters)
    issues += found
    for col, idx in adopted.items():  # refused all the same, but the values are checked
        letters[col], positions[col] = get_column_letter(idx + 1), idx
    for rng in scan.merged:
        issues.append(
            Issue(
                name,
                f"merged cells {rng}",
                "unmerge them and type the value in every cell",
                cell=rng.split(":")[0],
                row=int("".join(ch for ch in rng.split(":")[0] if ch.isdigit())),
            )
        )
    missing = [c.name for c in schema.columns if c.required and c.name not in letters]
    table = RawTable(name, letters)
    blank_run = 0
    cached: list[tuple[int, tuple]] = []
    for excel_row, cells in enumerate(rows, start=2):
        values = tuple(getattr(c, "value", None) for c in cells)
        if len(cached) < HEADER_SEARCH_ROWS:
            cached.append((excel_row, values))
        record: dict[str, Any] = {}
        for col, i in positions.items():
            if i >= len(cells):
                record[col] = None
                continue
            value = values[i]
            address = f"{letters[col]}{excel_row}"
            formula = scan.formulas.get(address)
            if formula is not None:
                text, has_value = formula
                if "[" in text:
                    issues.append(
                        Issue(
                            name,
                            f"the formula ={text} refers to another workbook",
                            "paste the value instead",
                            row=excel_row,
                            column=col,
                            cell=address,
                        )
                    )
                elif not has_value:
                    issues.append(
                        Issue(
                            name,
                            f"formula ={text} has no stored result (the "
                            "file was never saved by Excel)",
                            "open and save it in Excel, or paste values",
                            row=excel_row,
                            column=col,
                            cell=address,
                        )
                    )
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                fmt = getattr(cells[i], "number_format", "General")
                if fmt and fmt != "General":
                    table.formats[(excel_row, col)] = fmt
            record[col] = value
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
            blank_run += 1
            if blank_run >= BLANK_ROWS_STOP:
                break
            continue
        blank_run = 0
        table.rows.append((excel_row, record))
        if len(table.rows) > MAX_ROWS:
            issues.append(
                Issue(
                    name,
                    f"more than {MAX_ROWS:,} data rows",
                    "split the case or remove unused rows",
                )
            )
            break
    if missing:
        _report_missing(name, header, missing, cached, known, issues)
        table.rows = []
    hidden = sorted(r for r, _ in table.rows if r in scan.hidden_rows)
    if hidden or scan.autofilter or scan.hidden_columns:
        parts = []
        if hidden:
            shown = ", ".join(map(str, hidden[:20])) + (" …" if len(hidden) > 20 else "")
            parts.append(f"hidden rows {shown} are read")
        if scan.hidden_columns:
            parts.append("some columns are hidden")
        if scan.autofilter:
            parts.append("an AutoFilter is active: filtered-out rows are read too")
        issues.append(Issue(name, "; ".join(parts), severity="warning"))
    return table


def _report_missing(
    name: str,
    header: tuple,
    missing: list[str],
    cached: list[tuple[int, tuple]],
    known: dict[str, str],
    issues: list[Issue],
) -> None:
    for excel_row, values in cached:
        if len({c for c, _, _ in _match_header(values, known)}) >= max(1, len(missing)):
            issues.append(
                Issue(
                    name,
                    f"the headers seem to be in row {excel_row}; they must be in row 1",
                    "delete the title rows above the headers",
                    row=excel_row,
                )
            )
            return
    found = [str(v) for v in header if v is not None]
    issues.append(
        Issue(
            name,
            f"missing required column(s) {', '.join(missing)}; headers "
            f"found in row 1: {', '.join(map(repr, found)) or 'none'}",
            "headers must be in row 1 (see inputs/template.xlsx)",
            row=1,
        )
    )
