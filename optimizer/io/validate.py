"""Check raw tables against the schema and turn them into typed tables.

Every problem is collected as an `Issue` naming sheet, cell and column; nothing is
raised until the whole workbook has been checked, and the raw tables are never changed.
A typed table is a list of row dicts holding every schema column (defaults applied) plus
`_row`, the Excel row the values came from.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

from ..errors import Issue
from .reader import RawTable
from .schema import (
    ANY,
    BOOL,
    ENUM,
    ID,
    INTEGER,
    NO_VALUES,
    NUMBER,
    POLICY_BY_NAME,
    REF,
    REFLIST,
    SHEET_BY_NAME,
    SHEETS,
    TEXT,
    YES_VALUES,
    Column,
    PolicyParam,
)

Tables = dict[str, list[dict[str, Any]]]
EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!")
HUGE = 1e20  # HiGHS treats |values| >= 1e20 as infinite


class CellError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def _describe(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def parse_number(value: Any, integer: bool = False) -> float | int:
    """Strict number parser: numbers as numbers, or text holding a plain number."""
    if isinstance(value, bool):
        raise CellError(f"{value} is not a number", "enter a number")
    if isinstance(value, (datetime, date, time)):
        raise CellError(
            f"{value} is a date/time, not a number",
            "enter a plain number and format the cell as Number",
        )
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise CellError(
                f"{value!r} is not a number",
                "enter a plain number (no units, no thousands separators, '.' for decimals)",
            ) from None
    else:
        raise CellError(f"{_describe(value)} is not a number", "enter a number")
    if math.isnan(number) or math.isinf(number) or abs(number) >= HUGE:
        raise CellError(
            f"{_describe(value)} is not a usable number", "enter a finite number below 1e20"
        )
    if integer:
        if abs(number - round(number)) > 1e-9:
            raise CellError(f"{_describe(value)} is not a whole number", "enter a whole number")
        return int(round(number))
    return number


def _check_bounds(number: float, lo: float | None, hi: float | None, lo_excl: bool) -> None:
    if lo is not None and (number < lo or (lo_excl and number <= lo)):
        rule = f"greater than {lo:g}" if lo_excl else f"at least {lo:g}"
        raise CellError(f"{number:g} is out of range", f"enter a value {rule}")
    if hi is not None and number > hi:
        raise CellError(f"{number:g} is out of range", f"enter a value of at most {hi:g}")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date, time)):
        raise CellError(
            f"{value} is a date/time, not text", "type the text (format the cell as Text)"
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > 15:
        raise CellError(
            f"the number {value} has more than 15 digits and Excel cannot store it exactly",
            "store ids as text (format the column as Text)",
        )
    text = str(value).strip()
    if len(text) > 32767:
        raise CellError(
            f"the text is {len(text):,} characters long (Excel's cell limit is 32,767)",
            "shorten it",
        )
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise CellError("the text holds invalid (unpaired surrogate) characters", "retype the text")
    if text in EXCEL_ERRORS:
        raise CellError(
            f"the cell holds the Excel error {text}", "fix the formula or type the value"
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise CellError("the text holds control characters", "retype the text")
    return text or None


def parse_value(col: Column | PolicyParam, value: Any) -> Any:
    """Turn one cell into its typed value (None = blank); raise CellError if impossible."""
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise CellError(
            f"the cell holds the Excel error {value.strip()}", "fix the formula or type the value"
        )
    blank = value is None or (isinstance(value, str) and not value.strip())
    kind = col.kind
    if kind in (NUMBER, INTEGER):
        if blank:
            return None
        if (
            getattr(col, "optional_limit", False)
            and isinstance(value, str)
            and value.strip().casefold() in ("none", "no limit", "unlimited")
        ):
            return None
        number = parse_number(value, integer=kind == INTEGER)
        _check_bounds(number, col.min, col.max, col.min_exclusive)
        return number
    if kind == BOOL:
        if blank:
            return None
        text = str(value).strip().casefold() if not isinstance(value, bool) else str(value).lower()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = str(int(value)) if float(value).is_integer() else str(value)
        if text in YES_VALUES:
            return True
        if text in NO_VALUES:
            return False
        raise CellError(f"{_describe(value)} is not yes or no", "enter yes or no")
    text = _text(value)
    if text is None:
        return None
    if kind == ENUM:
        for allowed in col.allowed:
            if text.casefold() == allowed.casefold():
                return allowed
        raise CellError(f"{text!r} is not allowed", "use one of: " + ", ".join(col.allowed))
    if kind == REFLIST:
        if text.casefold() == "all":
            return None
        items = tuple(p.strip() for p in text.split(",") if p.strip())
        return items or None
    return text  # ID, TEXT, REF, ANY


def _default(col: Column) -> Any:
    """The typed default of a column ("all" -> None, "no" -> False)."""
    return col.default if col.kind in (ANY, NUMBER, INTEGER) else parse_value(col, col.default)


def check_tables(raw: dict[str, RawTable]) -> tuple[Tables, list[Issue]]:
    """Type every cell, apply defaults, check keys and references across sheets."""
    issues: list[Issue] = []
    tables: Tables = {}
    for sheet in SHEETS:
        table = raw.get(sheet.name)
        if table is None:
            tables[sheet.name] = []
            continue
        typed: list[dict[str, Any]] = []
        for excel_row, values in table.rows:
            row: dict[str, Any] = {"_row": excel_row, "_letters": table.letters}
            for col in sheet.columns:
                try:
                    parsed = (
                        parse_value(col, values.get(col.name))
                        if col.kind != ANY
                        else values.get(col.name)
                    )
                except CellError as exc:
                    issues.append(
                        Issue(
                            sheet.name,
                            str(exc),
                            exc.hint,
                            row=excel_row,
                            column=col.name,
                            cell=table.cell(excel_row, col.name),
                        )
                    )
                    parsed = None
                if parsed is None and col.required and col.name in table.letters:
                    if values.get(col.name) is None or str(values.get(col.name)).strip() == "":
                        issues.append(
                            Issue(
                                sheet.name,
                                "required value is blank",
                                f"enter {col.description[0].lower()}{col.description[1:]}",
                                row=excel_row,
                                column=col.name,
                                cell=table.cell(excel_row, col.name),
                            )
                        )
                row[col.name] = _default(col) if parsed is None else parsed
            typed.append(row)
        _check_formats(sheet.name, table, issues)
        if len(typed) < sheet.min_rows:
            issues.append(Issue(sheet.name, "has no data rows", "fill in at least one row"))
        _check_keys(sheet.name, typed, table, issues)
        tables[sheet.name] = typed
    _check_references(tables, raw, issues)
    _check_policy(tables, raw, issues)
    _check_magnitudes(tables, raw, issues)
    return tables, issues


def _check_formats(name: str, table: RawTable, issues: list[Issue]) -> None:
    """Numbers whose display hides the stored value (RELIABILITY.md cases 28 and 30)."""
    sheet = SHEET_BY_NAME[name]
    for (row, col), fmt in table.formats.items():
        kind = sheet.column(col).kind
        if kind in (ID, REF, TEXT) and fmt.strip("0") == "" and len(fmt) > 1:
            issues.append(
                Issue(
                    name,
                    f"the id is a number shown with leading zeros (format "
                    f"{fmt!r}); the zeros are not stored",
                    "format the column as Text and retype the ids",
                    row=row,
                    column=col,
                    cell=table.cell(row, col),
                )
            )
        elif kind in (NUMBER, INTEGER) and '"' in fmt:
            issues.append(
                Issue(
                    name,
                    f"the cell's format {fmt!r} shows text that is not part "
                    "of the value; the stored number is used",
                    row=row,
                    column=col,
                    cell=table.cell(row, col),
                    severity="warning",
                )
            )


def _check_magnitudes(tables: Tables, raw: dict[str, RawTable], issues: list[Issue]) -> None:
    """Values HiGHS would silently treat as zero, and ranges it cannot resolve."""
    smallest: tuple[float, str] | None = None
    largest: tuple[float, str] | None = None
    for sheet in SHEETS:
        table = raw.get(sheet.name)
        numeric = [c.name for c in sheet.columns if c.kind in (NUMBER, INTEGER)]
        for row in tables[sheet.name]:
            for col in numeric:
                v = row.get(col)
                if not isinstance(v, (int, float)) or v == 0:
                    continue
                where = f"{sheet.name}!{table.cell(row['_row'], col) if table else col}"
                if abs(v) <= 1e-9:
                    issues.append(
                        Issue(
                            sheet.name,
                            f"{v:g} is so small that the solver treats it as 0",
                            "enter 0 or a larger value",
                            row=row["_row"],
                            column=col,
                            severity="warning",
                            cell=table.cell(row["_row"], col) if table else None,
                        )
                    )
                    continue
                if smallest is None or abs(v) < smallest[0]:
                    smallest = (abs(v), where)
                if largest is None or abs(v) > largest[0]:
                    largest = (abs(v), where)
    if smallest and largest and largest[0] / smallest[0] > 1e9:
        issues.append(
            Issue(
                None,
                f"numbers range from {smallest[0]:g} ({smallest[1]}) to "
                f"{largest[0]:g} ({largest[1]}), more than 1e9 apart; the solver "
                "may lose precision",
                "check the units of these cells",
                severity="warning",
            )
        )


def _check_keys(
    name: str, rows: list[dict[str, Any]], table: RawTable, issues: list[Issue]
) -> None:
    key = SHEET_BY_NAME[name].key
    if not key:
        return
    seen: dict[tuple, int] = {}
    for row in rows:
        value = tuple(row.get(k) for k in key)
        if any(v is None for v in value):
            continue
        if value in seen:
            issues.append(
                Issue(
                    name,
                    f"{' / '.join(map(str, value))} appears twice (rows "
                    f"{seen[value]} and {row['_row']})",
                    "keep one of the rows",
                    row=row["_row"],
                    column=key[0],
                    cell=table.cell(row["_row"], key[0]),
                )
            )
        else:
            seen[value] = row["_row"]


def ids_of(tables: Tables, sheet: str) -> set[str]:
    key = SHEET_BY_NAME[sheet].key[0]
    return {r[key] for r in tables.get(sheet, []) if r.get(key) is not None}


def _check_references(tables: Tables, raw: dict[str, RawTable], issues: list[Issue]) -> None:
    known = {s.name: ids_of(tables, s.name) for s in SHEETS if len(s.key) == 1}
    known["Scenarios"] = known.get("Scenarios", set()) | {"baseline"}
    for sheet in SHEETS:
        table = raw.get(sheet.name)
        for col in sheet.columns:
            if col.ref is None:
                continue
            for row in tables[sheet.name]:
                value = row.get(col.name)
                values = value if isinstance(value, tuple) else (value,)
                for v in values:
                    if v is not None and v not in known[col.ref]:
                        issues.append(
                            Issue(
                                sheet.name,
                                f"{v!r} is not a {col.ref[:-1].lower()} id in sheet {col.ref}",
                                f"use an id listed in {col.ref} or add it there",
                                row=row["_row"],
                                column=col.name,
                                cell=table.cell(row["_row"], col.name) if table else None,
                            )
                        )


def _check_policy(tables: Tables, raw: dict[str, RawTable], issues: list[Issue]) -> None:
    table = raw.get("Policy")
    for row in tables["Policy"]:
        param = POLICY_BY_NAME.get(row["parameter"] or "")
        if param is None:
            continue
        try:
            row["value"] = parse_value(param, row["value"])
        except CellError as exc:
            issues.append(
                Issue(
                    "Policy",
                    f"{param.name}: {exc}",
                    exc.hint,
                    row=row["_row"],
                    column="value",
                    cell=table.cell(row["_row"], "value") if table else None,
                )
            )
            row["value"] = None


def policy_of(tables: Tables) -> dict[str, Any]:
    """Policy parameters by name, defaults filled in."""
    values = {p.name: p.default for p in POLICY_BY_NAME.values()}
    for row in tables.get("Policy", []):
        if row.get("parameter") in values and row.get("value") is not None:
            values[row["parameter"]] = row["value"]
    return values


__all__ = [
    "ID",
    "REF",
    "TEXT",
    "CellError",
    "Tables",
    "check_tables",
    "ids_of",
    "parse_value",
    "policy_of",
]
