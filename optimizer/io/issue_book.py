"""`<stem>_issues.xlsx`: the planner's own workbook with every problem marked in place.

A copy of the input (the input itself is never touched) in which each offending cell is
highlighted and carries a note, plus an `Issues` sheet listing every problem with a link
to its cell.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ..errors import Issue
from .reader import normalise
from .xlsx import publish, text_cell, unique_path, write_table

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
COLUMNS = {
    "severity": "error (must be fixed) or warning (read anyway)",
    "sheet": "Sheet of the problem",
    "cell": "Cell (or row) of the problem",
    "column": "Column (schema name)",
    "problem": "What is wrong",
    "what_to_do": "How to fix it",
    "go_to": "Click to jump to the cell",
}


def write_issue_book(source: Path, data: bytes, issues: list[Issue], out_dir: Path) -> Path:
    """Write the marked-up copy; returns its path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), keep_links=False)
    actual = {normalise(n): n for n in wb.sheetnames}
    rows = []
    for issue in issues:
        sheet = actual.get(normalise(issue.sheet)) if issue.sheet else None
        cell = issue.cell or (f"A{issue.row}" if issue.row else None)
        if sheet and cell and ":" not in cell and hasattr(wb[sheet], "cell"):
            target = wb[sheet][cell]
            target.fill = ERROR_FILL if issue.severity == "error" else WARNING_FILL
            note = f"{issue.severity}: {issue.message}" + (f" — {issue.hint}" if issue.hint else "")
            if target.comment is not None:
                note = f"{target.comment.text}\n{note}"
            target.comment = Comment(note[:30000], "enclave", width=300, height=120)
        rows.append(
            {
                "severity": issue.severity,
                "sheet": issue.sheet or "(workbook)",
                "cell": issue.cell or (f"row {issue.row}" if issue.row else ""),
                "column": issue.column or "",
                "problem": issue.message,
                "what_to_do": issue.hint,
                "go_to": "go to cell" if sheet and cell else "",
                "_link": f"#'{sheet}'!{cell.split(':')[0]}" if sheet and cell else None,
            }
        )
    if "Issues" in wb.sheetnames:
        del wb["Issues"]
    ws = write_table(wb, "Issues", rows, list(COLUMNS), COLUMNS)
    wb.move_sheet(ws, offset=-(len(wb.sheetnames) - 1))
    wb.active = 0
    for i, row in enumerate(rows, start=2):
        if row["_link"]:
            link = ws.cell(row=i, column=len(COLUMNS))
            text_cell(ws, i, len(COLUMNS), "go to cell")
            link.hyperlink = row["_link"]
            link.style = "Hyperlink"
    target = unique_path(Path(out_dir), f"{source.stem}_issues")
    return publish(wb, target, [source])
