"""Sweeps declared in the workbook, expanded once into generated packages.

A `Sweeps` row changes one cell range (`sheet`, `key`, `column`, `operation`, exactly as
an `Overrides` row) through a list of values (`1,1.5,2`) or a range (`0:0.6:0.05`, stop
included). Rows with the same `sweep_id` combine as a grid. Every point becomes a package
(a `Scenarios` row whose parent is the sweep's `parent`, and one `Overrides` row per sweep
row), so validation, resolution, solving and side-by-side runs are those of any package.
Its id names its values: `ratio:exchange_ratio=1.5`, `grid:exchange_ratio=2,host_share=0.4`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ..errors import Issue
from ..io.cells import CellError, parse_number
from ..io.schema import BASELINE, POLICY_BY_NAME, SHEET_BY_NAME, Tables

MAX_POINTS = 500  # points of one sweep (a grid multiplies its rows' values)
SWEEP = "_sweep"  # marks a generated Scenarios row with its sweep's id


@dataclass(frozen=True)
class Sweep:
    sweep_id: str
    parent: str
    rows: tuple[dict[str, Any], ...]  # the Sweeps rows, in sheet order
    points: tuple[str, ...]  # generated package ids, in grid order
    labels: tuple[str, ...]  # the parameter each row varies, e.g. "exchange_ratio"
    values: dict[str, tuple[Any, ...]]  # point id -> its value of each row


def cell(row: dict[str, Any], column: str) -> str | None:
    letter = (row.get("_letters") or {}).get(column)
    return f"{letter}{row['_row']}" if letter else None


def _issue(row: dict[str, Any], column: str, message: str, hint: str) -> Issue:
    return Issue("Sweeps", message, hint, row=row["_row"], column=column, cell=cell(row, column))


def show(value: Any) -> str:
    """A value as it appears in a point's id: 0.15, not 0.15000000000000002."""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def parse_values(raw: Any, numeric: bool) -> list[Any]:
    """The values of a `values` cell; raises CellError saying what to write instead."""
    if isinstance(raw, (datetime, date, time)):
        raise CellError(
            "Excel turned the cell into a date/time",
            "format the cell as Text (or type an apostrophe first), e.g. '0:0.6:0.05",
        )
    if isinstance(raw, bool) or raw is None:
        raise CellError("no values", "write a list 1,1.5,2 or a range start:stop:step")
    if isinstance(raw, (int, float)):
        return [float(raw)]
    text = str(raw).strip()
    if not text:
        raise CellError("no values", "write a list 1,1.5,2 or a range start:stop:step")
    if ":" in text:
        parts = [p.strip() for p in text.split(":")]
        if len(parts) != 3:
            raise CellError(f"range {text!r} is not start:stop:step", "e.g. 0:0.6:0.05")
        try:
            start, stop, step = (float(parse_number(p)) for p in parts)
        except CellError:
            raise CellError(
                f"range {text!r} holds a non-number", "write numbers, e.g. 0:0.6:0.05"
            ) from None
        if step == 0:
            raise CellError(f"range {text!r} has step 0", "use a step other than 0")
        if (stop - start) * step < 0:
            raise CellError(
                f"range {text!r} never reaches its stop from its start",
                "use a positive step for a rising range, a negative one for a falling range",
            )
        count = int(math.floor((stop - start) / step + 1e-9)) + 1
        if count > MAX_POINTS:
            raise CellError(
                f"range {text!r} has {count} values, more than {MAX_POINTS}",
                "use a larger step",
            )
        return [round(start + i * step, 12) for i in range(count)]
    items = [p.strip() for p in text.split(",")]
    if any(not p for p in items):
        raise CellError(f"list {text!r} has an empty item", "separate values by single commas")
    if not numeric:
        return items
    try:
        return [float(parse_number(p)) for p in items]
    except CellError:
        raise CellError(
            f"list {text!r} holds a non-number", "write numbers, e.g. 1,1.5,2"
        ) from None


def _numeric(row: dict[str, Any]) -> bool:
    """Whether the values must be numbers (scale, add, or a numeric column)."""
    if row["operation"] in ("scale", "add"):
        return True
    if row["sheet"] == "Policy":
        param = POLICY_BY_NAME.get(row["key"] or "")
        return param is None or param.kind != "enum"
    schema = SHEET_BY_NAME[row["sheet"]]
    if row["column"] in schema.column_names:
        return schema.column(row["column"]).kind in ("number", "integer")
    return False


def _label(row: dict[str, Any]) -> str:
    return row["key"] if row["sheet"] == "Policy" else row["column"]


def expand(tables: Tables) -> tuple[Tables, list[Sweep], list[Issue]]:
    """Tables with every sweep point added to Scenarios and Overrides (the sheets as written
    untouched), the sweeps, and every problem of the Sweeps rows at once."""
    rows = [r for r in tables.get("Sweeps", []) if r.get("sweep_id")]
    if not rows:
        return tables, [], []
    issues: list[Issue] = []
    known = {r["scenario_id"] for r in tables.get("Scenarios", [])} | {BASELINE}
    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_id.setdefault(r["sweep_id"], []).append(r)
    scenarios = list(tables.get("Scenarios", []))
    overrides = list(tables.get("Overrides", []))
    sweeps = []
    for sid, group in by_id.items():
        found = _sweep(sid, group, known, issues)
        if found is None:
            continue
        sweep, generated, changes = found
        clash = [p for p in sweep.points if p in known]
        if clash:
            issues.append(
                _issue(
                    group[0],
                    "sweep_id",
                    f"sweep {sid!r} generates package {clash[0]!r}, which already exists",
                    "choose another sweep_id",
                )
            )
            continue
        known |= set(sweep.points)
        sweeps.append(sweep)
        scenarios += generated
        overrides += changes
    return {**tables, "Scenarios": scenarios, "Overrides": overrides}, sweeps, issues


def _sweep(sid: str, group: list[dict[str, Any]], known: set[str], issues: list[Issue]):
    parents = {(r.get("parent") or BASELINE) for r in group}
    before = len(issues)
    if len(parents) > 1:
        issues.append(
            _issue(
                group[1],
                "parent",
                f"the rows of sweep {sid!r} name different parents ({', '.join(sorted(parents))})",
                "give every row of one sweep the same parent",
            )
        )
    parent = (group[0].get("parent") or BASELINE).strip()
    if parent not in known:
        issues.append(
            _issue(
                group[0],
                "parent",
                f"parent {parent!r} is not a scenario id",
                "use baseline or an id of sheet Scenarios",
            )
        )
    lists = []
    for r in group:
        if None in (r["sheet"], r["key"], r["column"], r["operation"]):
            continue  # blanks already reported by the checks
        if r["sheet"] == "Policy" and r["column"] != "value":
            issues.append(
                _issue(r, "column", "for Policy the column must be 'value'", "write value")
            )
        elif r["sheet"] != "Policy" and r["column"] not in SHEET_BY_NAME[r["sheet"]].column_names:
            issues.append(
                _issue(
                    r,
                    "column",
                    f"{r['sheet']} has no column {r['column']!r}",
                    "use one of: " + ", ".join(SHEET_BY_NAME[r["sheet"]].column_names),
                )
            )
        try:
            lists.append(parse_values(r["values"], _numeric(r)))
        except CellError as exc:
            issues.append(_issue(r, "values", str(exc), exc.hint))
    if len(issues) > before or len(lists) != len(group):
        return None
    count = math.prod(len(v) for v in lists)
    if count > MAX_POINTS:
        issues.append(
            _issue(
                group[0],
                "values",
                f"sweep {sid!r} has {count} points ({' x '.join(str(len(v)) for v in lists)}), "
                f"more than {MAX_POINTS}",
                "use fewer values or split the sweep",
            )
        )
        return None
    labels = [_label(r) for r in group]
    labels = [
        f"{r['key']}.{lab}" if labels.count(lab) > 1 else lab for r, lab in zip(group, labels)
    ]
    points, values, generated, changes = [], {}, [], []
    for combo in itertools.product(*lists):
        pid = f"{sid}:" + ",".join(f"{lab}={show(v)}" for lab, v in zip(labels, combo))
        points.append(pid)
        values[pid] = combo
        generated.append(
            {
                "_row": group[0]["_row"],
                "_letters": {},
                SWEEP: sid,
                "_labels": tuple(labels),
                "_values": combo,
                "scenario_id": pid,
                "description": f"sweep {sid}: "
                + ", ".join(
                    f"{lab} {r['operation']} {show(v)}" for r, lab, v in zip(group, labels, combo)
                ),
                "parent": parent,
            }
        )
        for r, v in zip(group, combo):
            letters = dict(r.get("_letters") or {})
            letters["value"] = letters.get("values")
            changes.append(
                {
                    "_row": r["_row"],
                    "_letters": letters,
                    "_sheet": "Sweeps",
                    "scenario_id": pid,
                    "sheet": r["sheet"],
                    "key": r["key"],
                    "column": r["column"],
                    "operation": r["operation"],
                    "value": v,
                }
            )
    sweep = Sweep(sid, parent, tuple(group), tuple(points), tuple(labels), values)
    return sweep, generated, changes


def sweep_points(tables: Tables) -> set[str]:
    """The ids of the generated packages (solved only when asked: --sweep or --scenario)."""
    return {r["scenario_id"] for r in tables.get("Scenarios", []) if r.get(SWEEP)}


@dataclass(frozen=True)
class Point:
    package: str
    labels: tuple[str, ...]
    values: tuple[Any, ...]
    parent: str


def sweeps_of(tables: Tables) -> dict[str, list[Point]]:
    """Every expanded sweep's points, in grid order."""
    out: dict[str, list[Point]] = {}
    for r in tables.get("Scenarios", []):
        if r.get(SWEEP):
            out.setdefault(r[SWEEP], []).append(
                Point(r["scenario_id"], r["_labels"], r["_values"], r["parent"])
            )
    return out
