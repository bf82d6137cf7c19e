"""Sheets `Sweep` and `Frontier`: one row per point (its values, welfare, developing share,
KPIs, status and gap, what changed from the previous point), the knees marked, and native
Excel charts of the curve and of each region's net benefit along the points."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series

from ..analysis.frontier import knees, share
from ..data.scenarios import chain
from ..data.sweeps import sweeps_of
from ..errors import InputError, Issue
from ..io.schema import BASELINE, Tables
from ..io.stream import Sheet
from .charts import title
from .formats import formats_of
from .schema import POINTS
from .tables import RunReport, ScenarioResult

LISTED = 6  # changes named in changes_vs_previous before "and n more"
CHART = (8.0, 14.0)  # height, width, cm
CHART_ROWS = 17


@dataclass
class Exploration:
    """What a sweep or frontier run adds to its report: the sheet, each point's values in
    order and the curve's x axis (a parameter, developing_share or point_no)."""

    sheet: str  # "Sweep" or "Frontier"
    heading: str
    labels: list[str]  # the parameter columns
    values: dict[str, tuple[Any, ...]]  # point package -> its parameter values
    x: str = "point_no"
    notes: list[str] = field(default_factory=list)  # sentences atop the sheet


def changes(before: ScenarioResult | None, now: ScenarioResult) -> tuple[int, int, int, str]:
    """Parks opened, parks closed, firms moved and those changes in short."""
    if before is None or before.plan is None or now.plan is None:
        return 0, 0, 0, ""
    a, b = before.plan, now.plan
    opened, closed = sorted(b.opened - a.opened), sorted(a.opened - b.opened)
    items = [f"+{s}" for s in opened] + [f"-{s}" for s in closed]
    moved = 0
    for f in sorted(set(a.site_of) | set(b.site_of)):
        s0, s1 = a.site_of.get(f), b.site_of.get(f)
        p0, p1 = a.location_of.get(f), b.location_of.get(f)
        if s0 == s1 and p0 == p1:
            continue
        moved += 1
        if s0 is None:
            items.append(f"{f} in")
        elif s1 is None:
            items.append(f"{f} out")
        elif s0 != s1:
            items.append(f"{f} {s0}>{s1}")
        else:
            items.append(f"{f} {p0}>{p1}")
    text = ", ".join(items[:LISTED])
    if len(items) > LISTED:
        text += f" and {len(items) - LISTED} more"
    return len(opened), len(closed), moved, text


def point_rows(report: RunReport, ex: Exploration) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of the sheet, in the points' order, and the regions charted."""
    by_id = {r.scenario: r for r in report.results}
    results = [by_id[p] for p in ex.values if p in by_id]
    regions = next((list(r.data.regions) for r in results if r.data is not None), [])
    rows, previous = [], None
    for i, r in enumerate(results, start=1):
        o = r.outcome
        row: dict[str, Any] = {"point_no": i, "point": r.scenario}
        row.update(dict(zip(ex.labels, ex.values[r.scenario])))
        row.update(status=o.label, mip_gap=o.mip_gap, objective_mcny=o.objective)
        row["developing_share"] = share(r)
        for k in ("options_opened", "firms_incubated", "quota_moved_ha"):
            row[k] = r.summary.get(k)
        for k in ("net_benefit_developed_mcny", "net_benefit_developing_mcny"):
            row[k] = r.summary.get(k)
        region_rows = r.tables.get("Regions", [])
        if region_rows:
            row["incubation_value_mcny"] = sum(g["inc_value_mcny"] for g in region_rows)
            row["spillover_developing_mcny"] = sum(
                g["spillover_mcny"] for g in region_rows if g["tier"] == "developing"
            )
        for g in region_rows:
            row[f"net_benefit_{g['region_id']}_mcny"] = g["net_benefit_mcny"]
        if o.has_plan and previous is not None:
            (
                row["parks_opened_vs_previous"],
                row["parks_closed_vs_previous"],
                row["firms_moved_vs_previous"],
                row["changes_vs_previous"],
            ) = changes(previous, r)
        previous = r if o.has_plan else previous
        rows.append(row)
    if ex.x == "point_no":  # a grid or text values: no curve to have knees
        return rows, regions
    planned = [row for row in rows if row["objective_mcny"] is not None and _x(row, ex) is not None]
    for row, knee in zip(
        planned, knees([_x(w, ex) for w in planned], [w["objective_mcny"] for w in planned])
    ):
        row["knee"] = "yes" if knee else "no"
        row["knee_objective_mcny"] = row["objective_mcny"] if knee else None
    return rows, regions


def _x(row: dict[str, Any], ex: Exploration) -> float | None:
    v = row.get(ex.x)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def headers_of(ex: Exploration, regions: list[str]) -> tuple[list[str], dict[str, str]]:
    headers, notes = [], {}
    for name, meaning in POINTS.items():
        if name == "<parameter>":
            headers += ex.labels
            notes.update({lab: meaning for lab in ex.labels})
        elif name == "net_benefit_<region>_mcny":
            for g in regions:
                headers.append(f"net_benefit_{g}_mcny")
                notes[headers[-1]] = f"Net benefit of region {g} (unweighted), mcny"
        else:
            headers.append(name)
            notes[name] = meaning
    return headers, notes


def _scatter(heading: str, x_title: str, y_title: str) -> ScatterChart:
    chart = ScatterChart()
    chart.title = title(heading)
    chart.style = 13
    chart.x_axis.title = title(x_title, 800)
    chart.y_axis.title = title(y_title, 800)
    chart.y_axis.numFmt = "#,##0"
    chart.height, chart.width = CHART
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _series(ws: Any, x: tuple[int, int, int], col: int, top: int, line: bool = True) -> Series:
    xcol, first, last = x
    xs = Reference(ws, min_col=xcol, min_row=first, max_row=last)
    ys = Reference(ws, min_col=col, min_row=top, max_row=last)
    s = Series(ys, xs, title_from_data=True)
    s.marker.symbol = "circle" if line else "diamond"
    s.marker.size = 6 if line else 11
    if not line:
        s.graphicalProperties.line.noFill = True
    return s


def write_points(wb: Workbook, report: RunReport, prepare: Any = None) -> Sheet:
    ex: Exploration = report.explore
    sheet = Sheet(wb, ex.sheet)
    rows, regions = point_rows(report, ex)
    sheet.title_line(ex.heading)
    for note in ex.notes:
        sheet.append([sheet.text(note, "line")])
    sheet.append([])
    headers, notes = headers_of(ex, regions)
    top = len(sheet.rows) + 1
    last = sheet.table(ex.sheet, rows, headers, notes, formats_of(ex.sheet, headers))
    col = {h: j for j, h in enumerate(headers, start=1)}
    x = (col[ex.x], top + 1, last)
    anchor = len(sheet.rows) + 2
    main = _scatter(f"Weighted welfare against {ex.x}", ex.x, "objective_mcny (mcny)")
    main.series.append(_series(sheet.ws, x, col["objective_mcny"], top))
    main.series.append(_series(sheet.ws, x, col["knee_objective_mcny"], top, line=False))
    sheet.ws.add_chart(main, f"A{anchor}")
    regional = _scatter(f"Net benefit of each region against {ex.x}", ex.x, "mcny")
    for g in regions:
        regional.series.append(_series(sheet.ws, x, col[f"net_benefit_{g}_mcny"], top))
    sheet.ws.add_chart(regional, f"A{anchor + CHART_ROWS}")
    charts = 2
    if ex.sheet == "Frontier":
        view = _scatter(
            "Agglomeration and diffusion: incubation value against spillover to developing regions",
            "incubation_value_mcny (mcny)",
            "spillover_developing_mcny (mcny)",
        )
        view.series.append(
            _series(
                sheet.ws,
                (col["incubation_value_mcny"], top + 1, last),
                col["spillover_developing_mcny"],
                top,
            )
        )
        sheet.ws.add_chart(view, f"A{anchor + 2 * CHART_ROWS}")
        charts = 3
    sheet.skip_to(anchor + charts * CHART_ROWS)
    sheet.append([sheet.text(" ", "line")])  # the charts' rows count for printing
    if prepare:
        prepare(sheet, None, orientation="landscape")
    sheet.close()
    return sheet


def sweep_lines(tables: Tables) -> list[str]:
    """What `enclave validate` (and a plain solve) says of each sweep."""
    out = []
    for sid, points in sweeps_of(tables).items():
        labels = points[0].labels
        counts = [len({p.values[i] for p in points}) for i in range(len(labels))]
        grid = f" ({' x '.join(map(str, counts))})" if len(labels) > 1 else ""
        out.append(
            f"sweep {sid}: {len(points)} point(s){grid} of {', '.join(labels)}, parent "
            f"{points[0].parent}; solve them with --sweep {sid}"
        )
    return out


def sweep_exploration(tables: Tables, sid: str) -> tuple[Exploration, list[str]]:
    """The Sweep sheet's frame of sweep `sid` and the packages to solve (the parent's line
    first, then the points)."""
    sweeps = sweeps_of(tables)
    if sid not in sweeps:
        known = ", ".join(sweeps) or "none (the workbook has no Sweeps rows)"
        raise InputError(
            [Issue("Sweeps", f"unknown sweep {sid!r}; sweeps: {known}", "check --sweep")]
        )
    points = sweeps[sid]
    # a swept column named as a column of the sheet (Sites.status) is shown as status_value
    labels = [f"{lab}_value" if lab in POINTS else lab for lab in points[0].labels]
    numeric = all(isinstance(p.values[0], float) for p in points)
    x = labels[0] if len(labels) == 1 and numeric else "point_no"
    parent = points[0].parent
    ex = Exploration(
        "Sweep",
        f"Sweep {sid}: {len(points)} points of {', '.join(labels)}, each starting from "
        f"package {parent}",
        labels,
        {p.package: p.values for p in points},
        x,
    )
    lineage = [BASELINE, *chain(tables, parent)] if parent != BASELINE else [BASELINE]
    return ex, lineage + [p.package for p in points]
