"""The result workbook: one long table per sheet with a scenario column."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from .. import __version__
from ..io.stream import Sheet, digest
from ..io.xlsx import publish, unique_path
from .audit import write_audit
from .compare import write_compare
from .schema import SHEETS
from .tables import RunReport

PLAN_SHEETS = ("Sites", "Firms", "Quota", "Regions", "Limits")
PLAN_STATUS_NOTE = (
    "optimal (within x% if shown), or feasible = the solver stopped at the time limit, or "
    "interrupted = stopped by Ctrl-C: not proven optimal, see mip_gap in Summary"
)
MAX_SHEET_ROWS = 1_048_575  # Excel's row limit less the header


def summary_rows(report: RunReport) -> list[dict[str, Any]]:
    rows = []
    for r in report.results:
        o = r.outcome
        row = {
            "scenario": r.scenario,
            "description": r.description,
            "status": o.label,
            "status_message": o.message,
            "objective": o.objective,
            "best_bound": o.bound,
            "mip_gap": o.mip_gap,
            "solve_seconds": o.seconds,
        }
        row.update({k: v for k, v in r.summary.items() if k in SHEETS["Summary"]})
        rows.append(row)
    return rows


def versions() -> dict[str, str]:
    import xml.parsers.expat

    out = {
        "enclave": __version__,
        "python": platform.python_version(),
        "expat": xml.parsers.expat.EXPAT_VERSION,
    }
    for pkg in ("pyomo", "highspy", "pandas", "openpyxl", "defusedxml"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def run_rows(report: RunReport) -> list[dict[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("input file", str(report.input_path or "")),
        ("input SHA-256", report.input_sha256),
        ("started (UTC)", report.started.isoformat(timespec="seconds")),
        (
            "finished (UTC)",
            report.finished.isoformat(timespec="seconds") if report.finished else "",
        ),
        ("command", " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])),
        ("threads", report.options.threads or "HiGHS default"),
        ("model engine", report.options.engine),
        ("scenarios requested", ", ".join(report.options.scenarios or ["all"])),
        (
            "irreplaceability computed",
            "yes" if report.options.irreplaceability else "no (run with --irreplaceability)",
        ),
    ]
    rows += [(f"version of {k}", v) for k, v in versions().items()]
    rows += [(f"rows read from {k}", n) for k, n in report.sheets_read.items()]
    rows.append(("sheets in the input", ", ".join(report.sheet_names)))
    if report.ignored_sheets:
        rows.append(("sheets ignored (not part of schema v1)", ", ".join(report.ignored_sheets)))
    for w in report.warnings:
        rows.append(("input warning", str(w)))
    for r in report.results:
        o = r.outcome
        gap = f"{o.mip_gap:.4%}" if o.mip_gap is not None else "n/a"
        policy = r.summary.get("policy", {})
        rows.append(
            (
                f"scenario {r.scenario}",
                f"{o.status}; gap {gap}; {o.seconds:.2f} s; "
                f"termination {o.termination}; mip_gap option {policy.get('mip_gap')}; "
                f"time_limit_s {policy.get('time_limit_s')}",
            )
        )
        if r.summary.get("warm_start"):
            rows.append((f"scenario {r.scenario}: start", r.summary["warm_start"]))
        if r.summary.get("bound_note"):
            rows.append(
                (
                    f"scenario {r.scenario}: bound the gap is measured against",
                    r.summary["bound_note"],
                )
            )
        for note in r.summary.get("solver_notes", []):
            rows.append((f"scenario {r.scenario}: solver", note))
    return [{"item": k, "value": v if isinstance(v, (int, float)) else str(v)} for k, v in rows]


def build_workbook(report: RunReport) -> tuple[Workbook, dict[str, tuple[int, str]]]:
    """The result workbook (write-only: save it once) and the content digest of its sheets."""
    wb = Workbook(write_only=True)
    sheets: list[Sheet] = []
    data: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    data["Summary"] = summary_rows(report)
    for r in report.results:
        for name, rows in r.tables.items():
            data[name].extend(rows)
    data["Overrides"] = [
        {
            "scenario": a.scenario,
            "defined_in": a.defined_in,
            "override_row": a.override_row,
            "sheet": a.sheet,
            "row_id": a.row_id,
            "column": a.column,
            "operation": a.operation,
            "value": _cell(a.value),
            "old": _cell(a.old),
            "new": _cell(a.new),
            "note": a.note,
        }
        for a in report.applied
    ]
    data["Diagnosis"] = [
        {
            "scenario": r.scenario,
            "explanation": x.message,
            "limit": x.family,
            "where": x.index,
            "input_cell": x.cell,
            "relax_by": x.amount,
            "unit": x.unit,
            "note": r.diagnosis_note,
        }
        for r in report.results
        for x in r.diagnosis
    ]
    data["Run"] = run_rows(report)
    status = {r.scenario: r.outcome.label for r in report.results}
    for name, columns in SHEETS.items():
        headers = list(columns)
        if name in PLAN_SHEETS:  # every plan row says whether its plan is proven optimal
            headers.insert(1, "plan_status")
            columns = {**columns, "plan_status": PLAN_STATUS_NOTE}
            for row in data[name]:
                row["plan_status"] = status[row["scenario"]]
        rows = data[name]
        for part, start in enumerate(range(0, max(len(rows), 1), MAX_SHEET_ROWS)):
            title = name if part == 0 else f"{name} ({part + 1})"  # O9: never truncate
            sheets.append(Sheet(wb, title))
            sheets[-1].table(title, rows[start : start + MAX_SHEET_ROWS], headers, columns)
            sheets[-1].close()
    sheets.append(write_compare(wb, report))
    sheets += write_audit(wb, [(r, r.data) for r in report.results if r.outcome.has_plan])
    wb.move_sheet("Compare", offset=1 - wb.sheetnames.index("Compare"))
    return wb, digest(sheets)


def _cell(value: Any) -> Any:
    if value is None:
        return "(blank)"
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def write_report(report: RunReport, out_dir: Path, stem: str) -> Path:
    """Write the result workbook under a new, unique name in out_dir."""
    wb, expected = build_workbook(report)
    stamp = report.started.strftime("%Y%m%d-%H%M%S")
    target = unique_path(Path(out_dir), f"{stem}_results_{stamp}")
    protected = [report.input_path] if report.input_path else []
    return publish(wb, target, protected, expected)
