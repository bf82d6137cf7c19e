"""The result workbook: one long table per sheet with a scenario column."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.pagebreak import Break

from .. import __version__
from ..io.stream import Sheet, digest
from ..io.xlsx import publish, unique_path
from .alternatives import write_plan_matrix
from .audit import write_audit
from .brief import write_brief
from .compare import write_compare
from .explore import write_points
from .formats import formats_of
from .pictures import draw_all, file_names, publish_pictures, write_network_sheet
from .printing import CM_PER_CHARACTER, breaks_keeping, page_header, set_print
from .schema import SHEETS
from .tables import RunReport

PLAN_SHEETS = ("Sites", "Firms", "Quota", "Regions", "Limits")
PLAN_STATUS_NOTE = (
    "optimal (within x% if shown), or feasible = the solver stopped at the time limit, or "
    "interrupted = stopped by Ctrl-C: not proven optimal, see mip_gap in Summary"
)
MAX_SHEET_ROWS = 1_048_575  # Excel's row limit less the header
PIXELS_PER_CHARACTER = 7.0  # a unit of column width, on screen
NOISE = 1e-9  # a result this close to 0 is solver round-off: shown and stored as 0


def summary_rows(report: RunReport) -> list[dict[str, Any]]:
    rows = []
    for r in report.results:
        o = r.outcome
        row = {
            "scenario": r.scenario,
            "description": r.description,
            "status": o.label,
            "status_message": o.message,
            "objective_mcny": o.objective,
            "best_bound_mcny": o.bound,
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


def run_rows(
    report: RunReport, files: dict[str, tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
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
        if r.summary.get("memory"):
            rows.append((f"scenario {r.scenario}: peak memory", r.summary["memory"]))
        for note in r.summary.get("solver_notes", []):
            rows.append((f"scenario {r.scenario}: solver", note))
        if r.scenario in (files or {}):
            rows.append(
                (f"scenario {r.scenario}: network picture", " and ".join(files[r.scenario]))
            )
    return [{"item": k, "value": v if isinstance(v, (int, float)) else str(v)} for k, v in rows]


def build_workbook(
    report: RunReport,
    pictures: dict[str, tuple[bytes, bytes]] | None = None,
    files: dict[str, tuple[str, str]] | None = None,
) -> tuple[Workbook, dict[str, tuple[int, str]]]:
    """The result workbook (write-only: save it once) and the content digest of its sheets;
    `pictures` (package -> PNG, SVG of its network, default: drawn here) and `files` (their
    names beside the workbook) fill sheet Network."""
    wb = Workbook(write_only=True)
    sheets: list[Sheet] = []
    if pictures is None:
        pictures = draw_all(report)
    files = files or file_names("results", list(pictures))
    data = sheet_rows(report, files)
    input_name = report.input_path.name if report.input_path else "tables given in Python"
    header = page_header(
        input_name, f"enclave {__version__}", report.started.strftime("%Y-%m-%d %H:%M UTC")
    )

    def prepare(
        sheet: Sheet,
        repeat_rows: str | None = "1:1",
        one_page: bool = False,
        orientation: str | None = None,
    ) -> None:
        widths = sheet.fit_columns()
        width = sum(widths.values()) + _drawn_width(sheet)
        heights = sheet.row_heights()
        page = set_print(
            sheet.ws,
            header,
            width,
            sum(heights),
            repeat_rows,
            one_page,
            orientation,
            bool(sheet.keep or sheet.ws.row_breaks.brk),
        )
        for row in breaks_keeping(heights, sheet.keep, page):
            sheet.ws.row_breaks.append(Break(id=row))

    sheets.append(write_brief(wb, report, input_name, prepare))
    if report.explore is not None:  # a sweep or frontier: its points come next
        sheets.append(write_points(wb, report, prepare))
    status = {r.scenario: r.outcome.label for r in report.results}
    for name, columns in SHEETS.items():
        if name in ON_REQUEST and not data[name]:
            continue  # --alternatives / participation not asked for: no empty pages
        headers = list(columns)
        if name in PLAN_SHEETS:  # every plan row says whether its plan is proven optimal
            headers.insert(1, "plan_status")
            columns = {**columns, "plan_status": PLAN_STATUS_NOTE}
            for row in data[name]:
                row["plan_status"] = status[row["scenario"]]
        rows = data[name]
        formats = formats_of(name, headers)
        for part, start in enumerate(range(0, max(len(rows), 1), MAX_SHEET_ROWS)):
            title = name if part == 0 else f"{name} ({part + 1})"  # O9: never truncate
            sheets.append(Sheet(wb, title))
            sheets[-1].table(title, rows[start : start + MAX_SHEET_ROWS], headers, columns, formats)
            prepare(sheets[-1])
            sheets[-1].close()
        if name == "Summary":
            sheets.append(write_compare(wb, report, prepare))
            sheets.append(write_network_sheet(wb, pictures, files, prepare))
        if name == "Robustness" and data[name]:
            sheets.append(write_plan_matrix(wb, report, prepare))
    sheets += write_audit(wb, [(r, r.data) for r in report.results if r.outcome.has_plan], prepare)
    return wb, digest(sheets)


ON_REQUEST = ("HostShare", "Alternatives", "Robustness")  # written only when they have rows


def sheet_rows(
    report: RunReport, files: dict[str, tuple[str, str]]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of every sheet declared in `schema.SHEETS`, solver noise set to 0."""
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
    data["Run"] = run_rows(report, files)
    for name, rows in data.items():
        if name != "Overrides":  # inputs as the planner typed them
            for row in rows:
                for k, v in row.items():
                    if type(v) is float and abs(v) < NOISE:
                        row[k] = 0.0
    return data


def _drawn_width(sheet: Sheet) -> float:
    """How wide (in characters) the sheet's charts and pictures are, anchored in column A:
    printing fits them to the page as well."""
    charts = [c.width / CM_PER_CHARACTER for c in sheet.ws._charts]
    pictures = [p.width / PIXELS_PER_CHARACTER for p in sheet.ws._images]
    cells = sum(sheet.fit_columns().values())
    return max([0.0] + [w - cells for w in charts + pictures])


def _cell(value: Any) -> Any:
    if value is None:
        return "(blank)"
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def write_report(report: RunReport, out_dir: Path, stem: str) -> Path:
    """Write the result workbook under a new, unique name in out_dir, and beside it the
    network picture of every package with a plan (PNG and SVG, never over a file)."""
    stamp = report.started.strftime("%Y%m%d-%H%M%S")
    target = unique_path(Path(out_dir), f"{stem}_results_{stamp}")
    protected = [report.input_path] if report.input_path else []
    pictures = draw_all(report)
    written = publish_pictures(pictures, Path(out_dir), target.stem, protected)
    try:
        files = {p: (png.name, svg.name) for p, (png, svg) in written.items()}
        wb, expected = build_workbook(report, pictures, files)
        return publish(wb, target, protected, expected)
    except BaseException:
        for paths in written.values():  # no pictures without their workbook
            for path in paths:
                path.unlink(missing_ok=True)
        raise
