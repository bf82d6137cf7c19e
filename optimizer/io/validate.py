"""Check raw tables against the schema and turn them into typed tables.

Every problem is collected as an `Issue` naming sheet, cell and column; nothing is
raised until the whole workbook has been checked, and the raw tables are never changed.
A typed table is a list of row dicts holding every schema column (defaults applied) plus
`_row`, the Excel row the values came from.
"""

from __future__ import annotations

from typing import Any

from ..errors import Issue
from .cells import CellError, parse_value
from .names import QUOTE, close_ids, guess, id_index
from .reader import RawTable
from .schema import (
    ANY,
    ID,
    INTEGER,
    NUMBER,
    POLICY_BY_NAME,
    REF,
    SHEET_BY_NAME,
    SHEETS,
    TEXT,
    Column,
    Tables,
)


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
    _check_links(tables, raw, issues)
    _check_policy(tables, raw, issues)
    _check_magnitudes(tables, raw, issues)
    return tables, issues


def _check_links(tables: Tables, raw: dict[str, RawTable], issues: list[Issue]) -> None:
    """A quota link joins two different regions."""
    table = raw.get("QuotaLinks")
    for row in tables.get("QuotaLinks", []):
        if row["from_region"] is not None and row["from_region"] == row["to_region"]:
            issues.append(
                Issue(
                    "QuotaLinks",
                    f"{row['to_region']!r} sells quota to itself",
                    "a region uses its own quota without a link: delete the row or name another "
                    "region",
                    row=row["_row"],
                    column="to_region",
                    cell=table.cell(row["_row"], "to_region") if table else None,
                )
            )


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
    index: dict[str, dict[str, list[str]]] = {}  # for "did you mean", built when needed
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
                        if col.ref not in index:
                            index[col.ref] = id_index(known[col.ref])
                        close = close_ids(v, index[col.ref])
                        issues.append(
                            Issue(
                                sheet.name,
                                f"{v!r} is not a {col.ref[:-1].lower()} id in sheet {col.ref}"
                                + guess(close, QUOTE),
                                f"ids must match exactly: write {close[0]!r}"
                                if len(close) == 1
                                else f"use an id listed in {col.ref} or add it there",
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
