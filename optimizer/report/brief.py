"""Sheet `Brief`, the workbook's first: the decision of every package in plain sentences,
its key figures, what binds and what one more unit is worth, and two charts; it prints on
one landscape page."""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..io.stream import Sheet
from .charts import bars
from .compare import reference_of, tolerance, within
from .formats import COUNT, GAP, HECTARES, MONEY
from .schema import BRIEF_KPIS as KPI
from .tables import RunReport, ScenarioResult

LINE = 165  # characters of a sentence line (it runs over the cells to its right)
LISTED = 3  # regions named in a list of quota givers or receivers
BINDS_SHOWN = 3  # limits named per package
CHART = (8.0, 11.0)  # height, width of a chart, cm
CHART_ROWS = 17  # rows a chart covers
FORMATS = {
    "welfare_mcny": MONEY,
    "change_mcny": MONEY,
    "mip_gap": GAP,
    "parks_opened": COUNT,
    "firms_incubated": COUNT,
    "firms_in_developing": COUNT,
    "quota_moved_ha": HECTARES,
    "net_benefit_developed_mcny": MONEY,
    "net_benefit_developing_mcny": MONEY,
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _short(where: str) -> str:
    """'Longyou County (Quzhou) (LONGYOU)' -> 'LONGYOU': the id a name ends with."""
    found = re.search(r"\(([^()]+)\)$", where)
    return found[1] if found else where


def _listed(amounts: dict[str, float]) -> str:
    ranked = sorted(amounts.items(), key=lambda x: (-x[1], x[0]))
    names = [f"{k} ({v:,.1f})" for k, v in ranked[:LISTED]]
    rest = len(ranked) - LISTED
    return ", ".join(names) + (f" and {rest} more" if rest > 0 else "")


def decision(result: ScenarioResult, ref: ScenarioResult | None) -> str:
    """What the package decides, in a sentence: the parks it opens (against the reference
    package, those it opens and closes besides), the firms, the quota that moves."""
    o = result.outcome
    if not o.has_plan:
        return f"No plan ({o.status}): {o.message}" + (
            " See sheet Diagnosis." if result.diagnosis else ""
        )
    t, summary = result.tables, result.summary
    opened = [s for s in t["Sites"] if s["opened"] == "yes"]
    other = ref if ref is not None and ref is not result and ref.outcome.has_plan else None
    if other is None:
        by_host: dict[str, list[str]] = defaultdict(list)
        for s in opened:
            by_host[s["host_region"]].append(s["site_id"])
        parks = "; ".join(f"{', '.join(ids)} in {h}" for h, ids in by_host.items())
        text = f"Open {_plural(len(opened), 'park')}" + (f": {parks}" if parks else "")
    else:
        before = {s["site_id"] for s in other.tables["Sites"] if s["opened"] == "yes"}
        now = {s["site_id"] for s in opened}
        moves = [f"open {', '.join(sorted(now - before))}"] if now - before else []
        moves += [f"close {', '.join(sorted(before - now))}"] if before - now else []
        text = (
            f"As {other.scenario}, but " + " and ".join(moves) if moves else f"As {other.scenario}"
        ) + f" ({_plural(len(opened), 'park')} open)"
    text += (
        f"; incubate {_plural(summary['firms_incubated'], 'firm')}, "
        f"{summary['firms_producing_in_developing']} of them producing in developing regions"
    )
    given: dict[str, float] = defaultdict(float)
    taken: dict[str, float] = defaultdict(float)
    for q in t["Quota"]:
        given[q["from_region"]] += q["amount_ha"]
        taken[q["to_region"]] += q["amount_ha"]
    moved = sum(given.values())
    if moved > 1e-9:
        text += f"; {moved:,.1f} ha of quota moves from {_listed(given)} to {_listed(taken)}"
    if other is not None:
        change = o.objective - other.outcome.objective
        noise = within(change, tolerance(result, other)) == "yes"
        text += f"; welfare {change:+,.1f} mcny against {other.scenario}" + (
            " (within solver tolerance: may not be a real difference)" if noise else ""
        )
    return text + "."


def binds(result: ScenarioResult) -> str:
    """The binding limits worth most at the margin, in a sentence."""
    if not result.outcome.has_plan:
        return "-"
    rows = [
        r
        for r in result.tables.get("Limits", [])
        if r["binding"] == "yes" and abs(r["marginal_value_mcny"]) > 1e-9
    ]
    rows.sort(key=lambda r: -abs(r["marginal_value_mcny"]))
    if not rows:
        return "No binding limit changes welfare at the margin (decisions held fixed)."
    parts = [
        f"{r['limit']} at {_short(r['where'])}: one more {r['unit']} "
        f"{'is worth' if r['marginal_value_mcny'] > 0 else 'costs'} "
        f"{abs(r['marginal_value_mcny']):,.2f} mcny"
        for r in rows[:BINDS_SHOWN]
    ]
    more = len(rows) - BINDS_SHOWN
    return "; ".join(parts) + (
        f" ({more} more binding limits in sheet Limits)." if more > 0 else "."
    )


def kpi_rows(report: RunReport) -> list[dict[str, Any]]:
    ref = reference_of(report)
    rows = []
    for r in report.results:
        o, s = r.outcome, r.summary
        row: dict[str, Any] = {"package": r.scenario, "status": o.status}
        if o.has_plan:
            row.update(
                welfare_mcny=o.objective,
                mip_gap=o.mip_gap,
                parks_opened=s["options_opened"],
                firms_incubated=s["firms_incubated"],
                firms_in_developing=s["firms_producing_in_developing"],
                quota_moved_ha=s["quota_moved_ha"],
                net_benefit_developed_mcny=s["net_benefit_developed_mcny"],
                net_benefit_developing_mcny=s["net_benefit_developing_mcny"],
            )
            if ref is not None and r is not ref:
                change = o.objective - ref.outcome.objective
                row["change_mcny"] = change
                row["within_tolerance"] = within(change, tolerance(r, ref))
        rows.append(row)
    return rows


def _lines(sheet: Sheet, label: str, text: str) -> None:
    for i, line in enumerate(textwrap.wrap(text, LINE) or [""]):
        sheet.append([sheet.text(label, "bold") if i == 0 else None, sheet.text(line, "line")])


def write_brief(wb: Workbook, report: RunReport, input_name: str, prepare: Any = None) -> Sheet:
    sheet = Sheet(wb, "Brief")
    ref = reference_of(report)
    n = len(report.results)
    solved = sum(r.outcome.has_plan for r in report.results)
    sheet.title_line(f"Brief: {input_name}, {_plural(n, 'policy package')}")
    gaps = [r.outcome.mip_gap for r in report.results if r.outcome.mip_gap is not None]
    status = ", ".join(sorted({r.outcome.status for r in report.results}))
    sheet.append(
        [
            sheet.text(
                f"{solved} of {n} packages have a plan ({status}; largest gap "
                f"{max(gaps, default=0):.2%}). Money in mcny (million CNY over the planning "
                "horizon); welfare = weighted regional welfare. Reference package: "
                f"{ref.scenario if ref else '-'}.",
                "line",
            )
        ]
    )
    sheet.append([])
    sheet.title_line("What each package decides")
    for r in report.results:
        _lines(sheet, r.scenario, decision(r, ref))
    sheet.append([])
    sheet.title_line("Key figures")
    top = len(sheet.rows) + 1
    rows = kpi_rows(report)
    last = sheet.table("Brief_KPIs", rows, list(KPI), KPI, FORMATS)
    sheet.append([])
    sheet.title_line(
        "What binds, and what one more unit is worth (weighted welfare, decisions fixed)"
    )
    for r in report.results:
        _lines(sheet, r.scenario, binds(r))
    headers = list(KPI)
    col = headers.index
    cats = (1, top + 1, last)
    right = get_column_letter(len(headers) + 1)  # right of the table
    for k, (heading, axis, first, final) in enumerate(
        (
            ("Weighted welfare by package", "mcny", col("welfare_mcny"), col("welfare_mcny")),
            (
                "Net benefit of developed and developing regions",
                "mcny",
                col("net_benefit_developed_mcny"),
                col("net_benefit_developing_mcny"),
            ),
        )
    ):
        chart = bars(sheet.ws, heading, axis, (first + 1, final + 1, top, last), cats, CHART)
        sheet.ws.add_chart(chart, f"{right}{3 + k * CHART_ROWS}")
    sheet.skip_to(3 + 2 * CHART_ROWS)
    sheet.append([sheet.text(" ", "line")])  # the charts' rows count for printing
    if prepare:
        prepare(sheet, None, one_page=True)
    sheet.close()
    return sheet
