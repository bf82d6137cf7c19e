"""Overrides rows of one package that disagree about a cell.

A package's rows apply in sheet order. Two of its rows that change the same cell (the
same column of the same row, however each selects it: an id, `*` or filters) conflict
when at least one of them is `set` and swapping the two would change the result:
two `set`s to different values, or a `set` of v and a `scale` by f (v × f ≠ v) or an
`add` of a (a ≠ 0). `scale` and `add` rows alone combine in order and never conflict;
the same `set` twice is harmless. A child package changing a cell its parent changed is
no conflict: the child's row applies last and its Overrides row in the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from ..errors import Issue

SHOWN_ROWS = 5  # row ids named in a conflict message before "…"


@dataclass(frozen=True)
class Touch:
    """One Overrides row's change to one cell of a package's data."""

    package: str
    override_row: int
    cell: str  # the Overrides row's value cell, e.g. "Overrides!F3"
    letter: str | None  # its column letter (None: not read from a workbook)
    operation: str
    operand: Any  # set: the parsed new value; scale/add: the factor or amount
    sheet: str
    row_id: str
    column: str


def value_cell(ov: dict[str, Any]) -> tuple[str, str | None]:
    """('Overrides!F3', 'F') for an Overrides row, or ('Overrides row 3', None)."""
    letter = (ov.get("_letters") or {}).get("value")
    sheet = ov.get("_sheet", "Overrides")  # a sweep's point: its Sweeps row
    return (f"{sheet}!{letter}{ov['_row']}" if letter else f"{sheet} row {ov['_row']}"), letter


def order_matters(a: Touch, b: Touch) -> bool:
    if "set" not in (a.operation, b.operation):
        return False
    if a.operation == b.operation == "set":
        return a.operand != b.operand
    value, other = (a, b) if a.operation == "set" else (b, a)
    v = value.operand
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return True  # a blank (or text) cannot be scaled: one order fails
    changed = v * other.operand if other.operation == "scale" else v + other.operand
    return changed != v


def show(value: Any) -> str:
    if value is None:
        return "blank"
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    return repr(value)


def conflicts(touches: dict[Any, list[Touch]]) -> list[Issue]:
    """One error per pair of one package's rows that conflict, naming both cells."""
    pairs: dict[tuple[Touch, Touch], list[str]] = {}
    for cell_touches in touches.values():
        if all(t.operation != "set" for t in cell_touches):
            continue  # scale and add rows alone combine in order (and most cells end here)
        for a, b in combinations(cell_touches, 2):
            if a.override_row != b.override_row and order_matters(a, b):
                key = (replace(a, row_id=""), replace(b, row_id=""))
                pairs.setdefault(key, []).append(a.row_id)
    issues = []
    for (a, b), row_ids in pairs.items():
        if a.sheet == "Policy":
            what = f"Policy {row_ids[0]}"
        else:
            shown = ", ".join(row_ids[:SHOWN_ROWS]) + (" …" if len(row_ids) > SHOWN_ROWS else "")
            what = f"{a.sheet} {a.column} of {shown}"
        if a.operation == b.operation == "set":
            message = (
                f"{a.cell} and {b.cell} both set {what} ({show(a.operand)} and "
                f"{show(b.operand)}) in package {a.package!r}"
            )
            hint = "keep one of the two rows (a child package may change what it inherits)"
        else:
            message = (
                f"{a.cell} ({a.operation} {show(a.operand)}) and {b.cell} ({b.operation} "
                f"{show(b.operand)}) both change {what} in package {a.package!r}, and the "
                "result depends on their order"
            )
            hint = (
                "keep one of the rows, or move the later one to a child package (a child "
                "applies its parent's overrides first)"
            )
        issues.append(
            Issue(
                "Overrides",
                message,
                hint,
                row=b.override_row,
                column="value",
                cell=f"{b.letter}{b.override_row}" if b.letter else None,
            )
        )
    return issues


def inherited_note(touch: Touch, earlier: Touch) -> str:
    """What the result's Overrides sheet says of a row changing an inherited change."""
    verb = "replaces" if touch.operation == "set" else "applies to"
    return f"{verb} the parent's ({earlier.package}, {earlier.cell})"
