"""Policy packages: resolve scenario parents and apply Overrides to the typed tables.

`resolve(tables, scenario)` is a pure function: it returns new tables for the scenario
and the list of every change applied; the baseline tables are never modified. Rows of one
package that disagree about a cell are refused (`conflicts.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Issue
from ..io.cells import CellError, check_bounds, parse_number, parse_value
from ..io.names import QUOTE, close_ids, close_names, guess, id_index
from ..io.schema import (
    BASELINE,
    INTEGER,
    NUMBER,
    PACKAGE_SHEETS,
    POLICY_BY_NAME,
    REF,
    REFLIST,
    SHEET_BY_NAME,
    Tables,
)
from ..io.validate import ids_of
from .conflicts import Touch, conflicts, inherited_note, value_cell


@dataclass(frozen=True)
class AppliedOverride:
    scenario: str  # scenario being solved
    defined_in: str  # scenario whose Overrides row made the change (self or an ancestor)
    override_row: int  # Excel row in Overrides
    sheet: str
    row_id: str
    column: str
    operation: str
    value: Any
    old: Any
    new: Any
    note: str = ""  # e.g. "replaces the parent's (mid, Overrides!F2)"
    cell: str = ""  # the row's value cell, e.g. "Overrides!F3" or "Sweeps!F2"


def scenario_ids(tables: Tables) -> list[str]:
    return [BASELINE] + [
        r["scenario_id"] for r in tables.get("Scenarios", []) if r["scenario_id"] != BASELINE
    ]


def chain(tables: Tables, scenario: str) -> list[str]:
    """Ancestors from the oldest to `scenario` itself, baseline excluded."""
    parents = {r["scenario_id"]: (r.get("parent") or BASELINE) for r in tables["Scenarios"]}
    result: list[str] = []
    current = scenario
    while current != BASELINE:
        if current in result or current not in parents:
            break  # cycles and unknown parents are reported by check_scenarios
        result.append(current)
        current = parents[current]
    return list(reversed(result))


def check_scenarios(tables: Tables) -> list[Issue]:
    issues = []
    parents = {r["scenario_id"]: (r.get("parent") or BASELINE) for r in tables["Scenarios"]}
    for r in tables["Scenarios"]:
        sid, parent = r["scenario_id"], r.get("parent") or BASELINE
        if sid == BASELINE:
            issues.append(
                Issue(
                    "Scenarios",
                    "'baseline' is built in and cannot be redefined",
                    "choose another scenario id",
                    row=r["_row"],
                    column="scenario_id",
                )
            )
        if parent != BASELINE and parent not in parents:
            close = close_ids(parent, id_index([BASELINE, *parents]))
            issues.append(
                Issue(
                    "Scenarios",
                    f"parent {parent!r} is not a scenario id{guess(close, QUOTE)}",
                    "use baseline or another scenario's id",
                    row=r["_row"],
                    column="parent",
                )
            )
            continue
        seen, current = {sid}, parent
        while current != BASELINE and current in parents:
            if current in seen:
                issues.append(
                    Issue(
                        "Scenarios",
                        f"scenario {sid!r} is its own ancestor (parent cycle)",
                        "break the cycle of parents",
                        row=r["_row"],
                        column="parent",
                    )
                )
                break
            seen.add(current)
            current = parents[current]
    return issues


def resolve(tables: Tables, scenario: str) -> tuple[Tables, list[AppliedOverride], list[Issue]]:
    """Tables of `scenario` with its own and its ancestors' overrides applied in order."""
    data = {
        name: [dict(r) for r in rows] for name, rows in tables.items() if name not in PACKAGE_SHEETS
    }
    applied: list[AppliedOverride] = []
    issues: list[Issue] = []
    inherited: dict[tuple[int, str], Touch] = {}  # cell -> an ancestor package's last change
    for sid in chain(tables, scenario):
        own: dict[tuple[int, str], list[Touch]] = {}  # cell -> this package's changes
        for ov in tables["Overrides"]:
            if ov["scenario_id"] == sid:
                _apply(data, ov, scenario, applied, issues, (own, inherited))
        issues += conflicts(own)
        inherited.update({cell: touches[-1] for cell, touches in own.items()})
    return data, applied, issues


def _apply(
    data: Tables,
    ov: dict[str, Any],
    scenario: str,
    applied: list[AppliedOverride],
    issues: list[Issue],
    cells: tuple[dict[tuple[int, str], list[Touch]], dict[tuple[int, str], Touch]],
) -> None:
    """Apply one Overrides row; record each cell it changes in `cells` (this package's
    changes, the ancestors' last ones) for the conflict check and the result's notes."""
    sheet, key, column, op = ov["sheet"], ov["key"], ov["column"], ov["operation"]

    def fail(message: str, hint: str, col: str = "key") -> None:
        where = ov.get("_sheet", "Overrides")  # a sweep's point: its Sweeps row
        col = "values" if where == "Sweeps" and col == "value" else col
        letter = (ov.get("_letters") or {}).get(col)
        cell = f"{letter}{ov['_row']}" if where == "Sweeps" and letter else None
        issues.append(Issue(where, message, hint, row=ov["_row"], column=col, cell=cell))

    if sheet is None or key is None or column is None or op is None:
        return  # blanks already reported by the checks
    if sheet == "Policy":
        param = POLICY_BY_NAME.get(key)
        if param is None:
            return fail(
                f"{key!r} is not a policy parameter{guess(close_names(key, POLICY_BY_NAME))}",
                "use one of: " + ", ".join(POLICY_BY_NAME),
            )
        if column != "value":
            return fail(
                f"for Policy the column must be 'value', not {column!r}",
                "write value in column",
                col="column",
            )
        rows = [r for r in data["Policy"] if r["parameter"] == key]
        if not rows:
            rows = [
                {
                    "_row": None,
                    "parameter": key,
                    "value": None,
                    "unit": param.unit,
                    "description": None,
                }
            ]
            data["Policy"].append(rows[0])
        spec: Any = param
        current = [r["value"] if r["value"] is not None else param.default for r in rows]
    else:
        schema = SHEET_BY_NAME[sheet]
        if column not in schema.column_names:
            close = close_names(column, schema.column_names)
            return fail(
                f"{sheet} has no column {column!r}{guess(close)}",
                "use one of: " + ", ".join(schema.column_names),
                col="column",
            )
        if column in schema.key:
            return fail(
                f"{column!r} identifies rows and cannot be changed by an override",
                "change another column",
                col="column",
            )
        rows = _select(data, sheet, key)
        if isinstance(rows, str):
            return fail(rows, "use a row id, * or column=value filters joined by &")
        if not rows:
            plain = "=" not in key and key.strip() != "*"  # a plain id, not filters
            close = close_ids(key.strip(), id_index(ids_of(data, sheet))) if plain else []
            return fail(
                f"key {key!r} selects no row of {sheet}{guess(close, QUOTE)}",
                "check the id or filter (ids are case-sensitive)",
            )
        spec = schema.column(column)
        current = [r[column] for r in rows]
    try:
        new_values = [_new_value(spec, op, ov["value"], old) for old in current]
        if spec.kind in (REF, REFLIST):
            known = ids_of(data, spec.ref)
            for v in new_values:
                for item in v if isinstance(v, tuple) else (v,):
                    if item is not None and item not in known:
                        close = close_ids(item, id_index(known))
                        raise CellError(
                            f"{item!r} is not an id in sheet {spec.ref}{guess(close, QUOTE)}",
                            f"use an id listed in {spec.ref}",
                        )
    except CellError as exc:
        return fail(f"{sheet}.{column}: {exc}", exc.hint, col="value")
    id_col = "parameter" if sheet == "Policy" else None
    own, inherited = cells
    where, letter = value_cell(ov)
    operand = new_values[0] if op == "set" else parse_number(ov["value"])
    for row, old, new in zip(rows, current, new_values):
        row[column] = new
        row_id = row[id_col] if id_col else _row_id(sheet, row)
        touch = Touch(
            ov["scenario_id"], ov["_row"], where, letter, op, operand, sheet, row_id, column
        )
        cell = (id(row), column)
        own.setdefault(cell, []).append(touch)
        earlier = inherited.get(cell)
        applied.append(
            AppliedOverride(
                scenario,
                ov["scenario_id"],
                ov["_row"],
                sheet,
                row_id,
                column,
                op,
                ov["value"],
                old,
                new,
                inherited_note(touch, earlier) if earlier else "",
                where,
            )
        )


def _row_id(sheet: str, row: dict[str, Any]) -> str:
    return " / ".join(str(row[k]) for k in SHEET_BY_NAME[sheet].key)


def _select(data: Tables, sheet: str, key: str) -> list[dict[str, Any]] | str:
    rows = data[sheet]
    key = key.strip()
    if key == "*":
        return list(rows)
    if "=" not in key:
        id_keys = SHEET_BY_NAME[sheet].key
        if len(id_keys) != 1:
            return (
                f"{sheet} rows are identified by {' and '.join(id_keys)}; a plain id "
                "cannot select them"
            )
        return [r for r in rows if r[id_keys[0]] == key]
    selected = list(rows)
    for part in key.split("&"):
        if "=" not in part:
            return f"filter part {part!r} is not column=value"
        col, _, wanted = (p.strip() for p in part.partition("="))
        if col not in SHEET_BY_NAME[sheet].column_names:
            return f"{sheet} has no column {col!r} to filter on"
        selected = [r for r in selected if _matches(r.get(col), wanted)]
    return selected


def _matches(value: Any, wanted: str) -> bool:
    if value is None:
        return wanted == ""
    if isinstance(value, bool):
        return wanted.casefold() in (("yes", "true", "1") if value else ("no", "false", "0"))
    if isinstance(value, (int, float)):
        try:
            return float(wanted) == float(value)
        except ValueError:
            return False
    if isinstance(value, tuple):
        return wanted in value
    return str(value).casefold() == wanted.casefold()


def _new_value(spec: Any, op: str, value: Any, old: Any) -> Any:
    if op == "set":
        return parse_value(spec, value)
    if spec.kind not in (NUMBER, INTEGER):
        raise CellError(f"{op} needs a numeric column", "use set for text columns")
    if old is None:
        raise CellError(f"cannot {op} a blank (unlimited) value", "use set instead")
    factor = parse_number(value)
    new = old * factor if op == "scale" else old + factor
    if spec.kind == INTEGER:
        if abs(new - round(new)) > 1e-9:
            raise CellError(
                f"{op} by {factor:g} gives {new:g}, not a whole number",
                "choose a value that gives a whole number",
            )
        new = int(round(new))
    check_bounds(new, spec.min, spec.max, spec.min_exclusive)
    return new
