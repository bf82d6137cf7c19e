"""Policy packages side by side (sheet `Compare`): KPI deltas against baseline, the decisions
that changed, the input changes that caused them, and native Excel charts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from ..io.stream import Sheet
from .tables import RunReport

KPIS = (
    "objective",
    "options_opened",
    "firms_incubated",
    "firms_producing_in_developing",
    "quota_moved_ha",
    "net_benefit_developed_mcny",
    "net_benefit_developing_mcny",
)
KPI_COLUMNS = {
    "scenario": "Scenario id",
    "kpi": "Indicator (see Summary for its meaning and unit)",
    "value": "Value in this scenario",
    "reference": "Value in the reference scenario",
    "change": "value - reference",
    "change_pct": "change / |reference| (blank if reference 0)",
}
DECISION_COLUMNS = {
    "scenario": "Scenario id",
    "change": "What changed against the reference scenario",
    "item": "Option, firm or quota flow",
    "reference": "In the reference scenario",
    "now": "In this scenario",
}
INPUT_COLUMNS = {
    "scenario": "Scenario id",
    "sheet": "Input sheet changed",
    "row_id": "Row changed",
    "column": "Column changed",
    "old": "Value before",
    "new": "Value used",
}


def reference_of(report: RunReport) -> Any:
    solved = [r for r in report.results if r.outcome.has_plan]
    return next((r for r in solved if r.scenario == "baseline"), solved[0] if solved else None)


def kpi_rows(report: RunReport, ref: Any) -> list[dict[str, Any]]:
    rows = []
    base = {"objective": ref.outcome.objective, **ref.summary}
    for r in report.results:
        if r is ref or not r.outcome.has_plan:
            continue
        now = {"objective": r.outcome.objective, **r.summary}
        for k in KPIS:
            change = now[k] - base[k]
            rows.append(
                {
                    "scenario": r.scenario,
                    "kpi": k,
                    "value": now[k],
                    "reference": base[k],
                    "change": change,
                    "change_pct": change / abs(base[k]) if abs(base[k]) > 1e-12 else None,
                }
            )
    return rows


def decision_rows(report: RunReport, ref: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    ref_sites = {s["site_id"]: s["opened"] for s in ref.tables["Sites"]}
    ref_firms = {f["firm_id"]: f for f in ref.tables["Firms"]}
    ref_quota = _flows(ref)
    for r in report.results:
        if r is ref or not r.outcome.has_plan:
            continue
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
    return rows


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


def write_compare(wb: Workbook, report: RunReport) -> Sheet:
    ref = reference_of(report)
    sheet = Sheet(wb, "Compare")
    if ref is None:
        sheet.append([sheet.text("No scenario has a plan: nothing to compare.")])
        sheet.close()
        return sheet
    solved = [r for r in report.results if r.outcome.has_plan]
    tables = [
        (
            f"Indicators against the reference scenario '{ref.scenario}'",
            "Compare_KPIs",
            list(KPI_COLUMNS),
            kpi_rows(report, ref),
            KPI_COLUMNS,
        ),
        (
            "Decisions that changed",
            "Compare_Decisions",
            list(DECISION_COLUMNS),
            decision_rows(report, ref),
            DECISION_COLUMNS,
        ),
        (
            "Input changes that caused them (Overrides applied)",
            "Compare_Inputs",
            list(INPUT_COLUMNS),
            input_rows(report),
            INPUT_COLUMNS,
        ),
    ]
    # matrices behind the charts
    regions = [g["region_id"] for g in ref.tables["Regions"]]
    hosts = sorted({s["host_region"] for s in ref.tables["Sites"]})
    blocks = [
        (
            "Net benefit by region (mcny)",
            "Chart_Regions",
            ["region"] + [r.scenario for r in solved],
            [
                {
                    "region": g,
                    **{
                        r.scenario: next(
                            x["net_benefit_mcny"]
                            for x in r.tables["Regions"]
                            if x["region_id"] == g
                        )
                        for r in solved
                    },
                }
                for g in regions
            ],
        ),
        (
            "Developed vs developing net benefit (mcny)",
            "Chart_Tiers",
            ["scenario", "developed", "developing"],
            [
                {
                    "scenario": r.scenario,
                    "developed": r.summary["net_benefit_developed_mcny"],
                    "developing": r.summary["net_benefit_developing_mcny"],
                }
                for r in solved
            ],
        ),
        (
            "Enclave options opened per host",
            "Chart_Hosts",
            ["host"] + [r.scenario for r in solved],
            [
                {
                    "host": h,
                    **{
                        r.scenario: sum(
                            1
                            for s in r.tables["Sites"]
                            if s["host_region"] == h and s["opened"] == "yes"
                        )
                        for r in solved
                    },
                }
                for h in hosts
            ],
        ),
    ]
    row = 1
    for title, name, headers, rows, notes in tables:
        sheet.skip_to(row)
        sheet.title_line(title)
        row = sheet.table(name, rows, headers, notes) + 2
    chart_row = 1
    for title, name, headers, rows in blocks:
        sheet.skip_to(row)
        sheet.title_line(title)
        top = row + 1
        last = sheet.table(name, rows, headers)
        chart = BarChart()
        chart.title, chart.y_axis.title = title, title.split("(")[-1].rstrip(")")
        chart.height, chart.width = 8, 16
        data = Reference(sheet.ws, min_col=2, max_col=len(headers), min_row=top, max_row=last)
        cats = Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        sheet.ws.add_chart(chart, f"J{chart_row}")
        chart_row += 17
        row = last + 2
    sheet.close()
    return sheet
