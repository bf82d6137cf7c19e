"""Problems found in a planner's input, collected rather than raised one by one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as possible, with what to do about it."""

    sheet: str | None
    message: str
    hint: str = ""
    row: int | None = None  # Excel row number (1-based, header = 1)
    column: str | None = None  # schema column name
    cell: str | None = None  # A1 address, when a single cell is at fault
    severity: str = "error"  # "error" or "warning"

    def location(self) -> str:
        if self.sheet is None:
            return "workbook"
        if self.cell:
            where = f"{self.sheet}!{self.cell}"
        elif self.row:
            where = f"{self.sheet} row {self.row}"
        else:
            where = self.sheet
        return f"{where} ({self.column})" if self.column else where

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class InputError(Exception):
    """The input cannot be used; carries every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = [i for i in issues if i.severity == "error"]
        self.warnings = [i for i in issues if i.severity != "error"]
        super().__init__("\n".join(str(i) for i in self.issues))


class SolveError(Exception):
    """The solver could not be run or returned something unusable."""
