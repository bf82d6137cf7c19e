"""What `optimizer.solve` hands a Python user: the run's result sheets as pandas tables,
and the result workbook on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .tables import RunReport


class Result:
    """One run of one or more packages.

    `summary` has a row per package (the Summary sheet's columns); `sites`, `firms`,
    `quota`, `regions` and `limits` the rows of those sheets for every package with a
    plan, each with a `scenario` column. `write(folder)` writes the result workbook (as
    `enclave solve` does) and returns its path. `report` is the run itself."""

    def __init__(self, report: RunReport) -> None:
        self.report = report

    def _sheet(self, name: str) -> pd.DataFrame:
        from .schema import SHEETS

        rows = [row for r in self.report.results for row in r.tables.get(name, [])]
        return pd.DataFrame(rows, columns=list(SHEETS[name]) if not rows else None)

    @property
    def summary(self) -> pd.DataFrame:
        from .workbook import summary_rows

        return pd.DataFrame(summary_rows(self.report)).set_index("scenario", drop=False)

    @property
    def sites(self) -> pd.DataFrame:
        return self._sheet("Sites")

    @property
    def firms(self) -> pd.DataFrame:
        return self._sheet("Firms")

    @property
    def quota(self) -> pd.DataFrame:
        return self._sheet("Quota")

    @property
    def regions(self) -> pd.DataFrame:
        return self._sheet("Regions")

    @property
    def limits(self) -> pd.DataFrame:
        return self._sheet("Limits")

    def plan(self, scenario: str = "baseline") -> Any:
        """The decisions of one package (`model.plan.Decisions`), or None."""
        return next((r.plan for r in self.report.results if r.scenario == scenario), None)

    def write(self, folder: str | Path = "reports", stem: str | None = None) -> Path:
        """The result workbook, written under a new name in `folder`; its path."""
        from .workbook import write_report

        name = stem or (self.report.input_path.stem if self.report.input_path else "enclave")
        return write_report(self.report, Path(folder), name)

    def __repr__(self) -> str:
        lines = [
            f"{r.scenario}: {r.outcome.label}"
            + (f", {r.outcome.objective:,.3f} mcny" if r.outcome.objective is not None else "")
            for r in self.report.results
        ]
        return "Result(" + "; ".join(lines) + ")"
