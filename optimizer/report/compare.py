"""Policy packages side by side (sheet `Compare`): KPI deltas against baseline, the decisions
that changed, the input changes that caused them, and native Excel charts.

Every delta says whether it lies within solver tolerance: each package's plan is proven
only to within its gap (|objective| x mip_gap), so two packages whose welfare differs by
less than the sum of their two gaps may differ only because the solver stopped there."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ..io.stream import Sheet
from .charts import bars
from .formats import AS_ENTERED, COUNT, HECTARES, MONEY, PERCENT
from .printing import CM_PER_CHARACTER
from .tables import RunReport

KPIS = (
    "objective_mcny",
    "options_opened",
    "firms_incubated",
    "firms_producing_in_developing",
    "quota_moved_ha",
    "net_benefit_developed_mcny",
    "net_benefit_developing_mcny",
)
TOLERANCE_NOTE = (
    "yes = this difference may come from the solver stopping within its gap, not from the "
    "policy: for mcny indicators |change| < tolerance_mcny; for the other indicators and "
    "for decisions, the two plans' welfare differs by less than tolerance_mcny (either "
    "plan could be swapped for the other); a smaller mip_gap in Policy settles it. "
    "unknown = a package has no proven bound"
)
KPI_COLUMNS = {
    "scenario": "Scenario id",
    "kpi": "Indicator (see Summary for its meaning; its unit is the name's suffix, else a count)",
    "value": "Value in this scenario",
    "reference": "Value in the reference scenario",
    "change": "value - reference",
    "change_pct": "change / |reference|, in % (blank if reference 0)",
    "tolerance_mcny": "Solver tolerance of the comparison: |objective| x mip_gap of this "
    "scenario plus that of the reference, mcny",
    "within_tolerance": TOLERANCE_NOTE,
}
DECISION_COLUMNS = {
    "scenario": "Scenario id",
    "change": "What changed against the reference scenario",
    "count": "Options, firms or flows in the row, count",
    "item": "Option, quota flow, or the firms (ids) that made the same change",
    "reference": "In the reference scenario",
    "now": "In this scenario",
    "within_tolerance": TOLERANCE_NOTE,
}
INPUT_COLUMNS = {
    "scenario": "Scenario id",
    "sheet": "Input sheet changed",
    "row_id": "Row changed",
    "column": "Column changed",
    "old": "Value before",
    "new": "Value used",
}
CHART_CM = (7.5, 12.5)  # height, width of a chart
CHART_ROWS = 16  # rows a chart covers


def kpi_format(kpi: str) -> str:
    return MONEY if kpi.endswith("_mcny") else HECTARES if kpi.endswith("_ha") else COUNT


def package_slack(result: Any) -> float | None:
    """How far the package's plan may be from its best: |objective| x mip_gap, mcny."""
    o = result.outcome
    if o.objective is None or o.mip_gap is None:
        return None
    return abs(o.objective) * o.mip_gap


def tolerance(a: Any, b: Any) -> float | None:
    """The solver tolerance of a comparison of two packages, mcny (None: unknown)."""
    sa, sb = package_slack(a), package_slack(b)
    return None if sa is None or sb is None else sa + sb


def within(size: float, tol: float | None) -> str:
    return "unknown" if tol is None else "yes" if abs(size) < tol else "no"


def reference_of(report: RunReport) -> Any:
    solved = [r for r in report.results if r.outcome.has_plan]
    return next((r for r in solved if r.scenario == "baseline"), solved[0] if solved else None)


def kpi_rows(report: RunReport, ref: Any) -> list[dict[str, Any]]:
    rows = []
    base = {"objective_mcny": ref.outcome.objective, **ref.summary}
    for r in report.results:
        if r is ref or not r.outcome.has_plan:
            continue
        now = {"objective_mcny": r.outcome.objective, **r.summary}
        tol = tolerance(r, ref)
        plans_alike = within(now["objective_mcny"] - base["objective_mcny"], tol)
        for k in KPIS:
            change = now[k] - base[k]
            alike = plans_alike
            if k.endswith("_mcny") and alike == "no":
                alike = within(change, tol)
            rows.append(
                {
                    "scenario": r.scenario,
                    "kpi": k,
                    "value": now[k],
                    "reference": base[k],
                    "change": change,
                    "change_pct": change / abs(base[k]) if abs(base[k]) > 1e-12 else None,
                    "tolerance_mcny": tol,
                    "within_tolerance": alike,
                }
            )
    return rows


def decision_rows(report: RunReport, ref: Any) -> list[dict[str, Any]]:
    """Every decision that changed against `ref`; firms that made the same change (from
    the same park or location to the same one) share a row, their ids listed in `item`."""
    rows: list[dict[str, Any]] = []
    ref_sites = {s["site_id"]: s["opened"] for s in ref.tables["Sites"]}
    ref_firms = {f["firm_id"]: f for f in ref.tables["Firms"]}
    ref_quota = _flows(ref)
    for r in report.results:
        if r is ref or not r.outcome.has_plan:
            continue
        first = len(rows)
        for s in r.tables["Sites"]:
            if s["opened"] != ref_sites.get(s["site_id"]):
                rows.append(
                    {
                        "scenario": r.scenario,
                        "item": s["site_id"],
                        "change": "option opened" if s["opened"] == "yes" else "option closed",
                        "reference": ref_sites.get(s["site_id"]),
                        "now": s["opened"],
                    }
                )
        for f in r.tables["Firms"]:
            b = ref_firms[f["firm_id"]]
            if f["site_id"] != b["site_id"]:
                change = (
                    "firm newly incubated"
                    if not b["site_id"]
                    else "firm no longer incubated"
                    if not f["site_id"]
                    else "firm moved to another park"
                )
                rows.append(
                    {
                        "scenario": r.scenario,
                        "item": f["firm_id"],
                        "change": change,
                        "reference": b["site_id"] or "(none)",
                        "now": f["site_id"] or "(none)",
                    }
                )
            if f["location_id"] != b["location_id"] and f["site_id"] and b["site_id"]:
                rows.append(
                    {
                        "scenario": r.scenario,
                        "item": f["firm_id"],
                        "change": "firm moved production",
                        "reference": b["location_id"],
                        "now": f["location_id"],
                    }
                )
        flows = _flows(r)
        for key in sorted(set(flows) | set(ref_quota)):
            old, new = ref_quota.get(key, 0.0), flows.get(key, 0.0)
            if abs(old - new) > 1e-9:
                rows.append(
                    {
                        "scenario": r.scenario,
                        "item": f"{key[0]} {key[1]}→{key[2]}",
                        "change": "quota flow changed (ha)",
                        "reference": old,
                        "now": new,
                    }
                )
        alike = within(r.outcome.objective - ref.outcome.objective, tolerance(r, ref))
        rows[first:] = grouped(rows[first:])
        for row in rows[first:]:
            row["within_tolerance"] = alike
    return rows


def grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one package with the same change, reference and now merged, items listed."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["change"], row["reference"], row["now"])
        if key in out and row["change"].startswith("firm"):
            out[key]["item"] += ", " + row["item"]
            out[key]["count"] += 1
        else:
            out[key if row["change"].startswith("firm") else (*key, row["item"])] = {
                **row,
                "count": 1,
            }
    return list(out.values())


def _flows(result: Any) -> dict[tuple[str, str, str], float]:
    out: dict[tuple[str, str, str], float] = defaultdict(float)
    for q in result.tables["Quota"]:
        out[(q["kind"], q["from_region"], q["to_region"])] += q["amount_ha"]
    return out


def input_rows(report: RunReport) -> list[dict[str, Any]]:
    return [
        {
            "scenario": a.scenario,
            "sheet": a.sheet,
            "row_id": a.row_id,
            "column": a.column,
            "old": _plain(a.old),
            "new": _plain(a.new),
        }
        for a in report.applied
    ]


def _plain(value: Any) -> Any:
    return "(blank)" if value is None else ", ".join(value) if isinstance(value, tuple) else value


def region_rows(report: RunReport, ref: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Net benefit of every region (rows) in every package with a plan (columns)."""
    solved = [r for r in report.results if r.outcome.has_plan]
    net = {
        (r.scenario, g["region_id"]): g["net_benefit_mcny"]
        for r in solved
        for g in r.tables["Regions"]
    }
    headers = ["region"] + [r.scenario for r in solved]
    regions = [g["region_id"] for g in ref.tables["Regions"]]
    return headers, [
        {"region": g, **{r.scenario: net[r.scenario, g] for r in solved}} for g in regions
    ]


def chart_rows(report: RunReport, ref: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Per package: net benefit of developed and developing regions, and the options
    opened in each host (the data of the two charts)."""
    solved = [r for r in report.results if r.outcome.has_plan]
    hosts = sorted({s["host_region"] for s in ref.tables["Sites"]})
    headers = ["scenario", "developed_mcny", "developing_mcny"] + [f"parks_in_{h}" for h in hosts]
    rows = []
    for r in solved:
        row = {
            "scenario": r.scenario,
            "developed_mcny": r.summary["net_benefit_developed_mcny"],
            "developing_mcny": r.summary["net_benefit_developing_mcny"],
        }
        for h in hosts:
            row[f"parks_in_{h}"] = sum(
                1 for s in r.tables["Sites"] if s["host_region"] == h and s["opened"] == "yes"
            )
        rows.append(row)
    return headers, rows


def write_compare(wb: Workbook, report: RunReport, prepare: Any = None) -> Sheet:
    """The Compare sheet; `prepare(sheet, repeat_rows)` sets its print setup before it is
    written."""
    ref = reference_of(report)
    sheet = Sheet(wb, "Compare")
    if ref is None:
        sheet.append([sheet.text("No scenario has a plan: nothing to compare.")])
        if prepare:
            prepare(sheet, None)
        sheet.close()
        return sheet
    kpis = kpi_rows(report, ref)
    for row in kpis:
        fmt = kpi_format(row["kpi"])
        for k in ("value", "reference", "change"):
            row[k] = sheet.number_style(fmt, row[k])
    sheet.title_line(f"Indicators against the reference scenario '{ref.scenario}'")
    row = sheet.table(
        "Compare_KPIs",
        kpis,
        list(KPI_COLUMNS),
        KPI_COLUMNS,
        {"change_pct": PERCENT, "tolerance_mcny": MONEY},
    )
    # net benefit by region: a table shaded per region from its lowest package (white) to
    # its highest (green); 14 regions x 7 packages as bars would be unreadable
    headers, rows = region_rows(report, ref)
    sheet.skip_to(row + 2)
    sheet.title_line("Net benefit by region and package (mcny): green = the region's best package")
    top = len(sheet.rows) + 1
    last = sheet.table("Compare_Regions", rows, headers, None, {h: MONEY for h in headers[1:]})
    end = get_column_letter(len(headers))
    for i in range(top + 1, last + 1):
        sheet.ws.conditional_formatting.add(
            f"B{i}:{end}{i}",
            ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="63BE7B"
            ),
        )
    headers, rows = chart_rows(report, ref)
    sheet.skip_to(last + 2)
    start = len(sheet.rows) + 1
    sheet.title_line("Data of the charts below")
    top = len(sheet.rows) + 1
    fmts = {h: MONEY if h.endswith("_mcny") else COUNT for h in headers[1:]}
    last = sheet.table("Compare_Charts", rows, headers, None, fmts)
    cats = (1, top + 1, last)
    tiers = bars(sheet.ws, "Net benefit: developed vs developing regions", "mcny",
                 (2, 3, top, last), cats, CHART_CM)  # fmt: skip
    hosts = bars(sheet.ws, "Options opened per host", "options", (4, len(headers), top, last),
                 cats, CHART_CM, stacked=True)  # fmt: skip
    widths = sheet.fit_columns()
    sheet.ws.add_chart(tiers, f"A{last + 2}")
    sheet.ws.add_chart(hosts, f"{_column_after(widths, CHART_CM[1])}{last + 2}")
    row = last + 2 + CHART_ROWS
    sheet.keep.append((start, row))  # the charts and their data on one page
    for title, name, columns, rows, formats in (
        (
            "Decisions that changed",
            "Compare_Decisions",
            DECISION_COLUMNS,
            decision_rows(report, ref),
            {"reference": HECTARES, "now": HECTARES, "count": COUNT},
        ),
        (
            "Input changes that caused them (Overrides applied)",
            "Compare_Inputs",
            INPUT_COLUMNS,
            input_rows(report),
            {"old": AS_ENTERED, "new": AS_ENTERED},
        ),
    ):
        sheet.skip_to(row + 1)
        sheet.title_line(title)
        row = sheet.table(name, rows, list(columns), columns, formats) + 1
    if prepare:
        prepare(sheet, None)
    sheet.close()
    return sheet


def _column_after(widths: dict[int, float], cm: float) -> str:
    """The letter of the first column right of a chart `cm` wide anchored in column A."""
    room, j = 0.0, 1
    while room < cm / CM_PER_CHARACTER + 1 and j < 200:
        room += widths.get(j, 8.43)
        j += 1
    return get_column_letter(j)
