"""Sheets `Alternatives` (each plan, certified) and `Robustness` (must-have and negotiable
decisions per park and per firm over the optimum and its alternatives)."""

from __future__ import annotations

from argparse import ArgumentTypeError
from typing import Any

from ..data.model_data import ModelData
from ..model.plan import MIN_DISTANCE, Decisions, Found

OPEN, SHUT = "■", "□"  # the park-by-plan matrix, one mark per plan
PLANS_HELP = (
    "also find up to K near-optimal plans per package that differ most from the optimum and "
    "from each other (sheets Alternatives, Robustness, PlanMatrix)"
)
SLACK_HELP = "share of welfare an alternative may give up (default 0.02 = 2%%)"


def plans_arg(text: str) -> int:
    """`--alternatives K`: a whole number (argparse reports the message, no traceback)."""
    if not text.isdigit():
        raise ArgumentTypeError(f"{text!r} is not a whole number of plans (e.g. 5)")
    return int(text)


def slack_arg(text: str) -> float:
    """`--slack SHARE`: a share from 0 to below 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 1:
        raise ArgumentTypeError(f"{text!r} is not a share from 0 to below 1 (e.g. 0.02)")
    return value


def differences(a: Decisions, b: Decisions) -> tuple[int, int, int]:
    """(parks opened in one plan only, firms placed in a different park or in one plan
    only, firms producing at a different location or in one plan only)."""
    parks = len(a.opened ^ b.opened)
    firms = set(a.site_of) | set(b.site_of)
    placed = sum(1 for f in firms if a.site_of.get(f) != b.site_of.get(f))
    firms |= set(a.location_of) | set(b.location_of)
    made = sum(1 for f in firms if a.location_of.get(f) != b.location_of.get(f))
    return parks, placed, made


def alternative_rows(
    scenario: str,
    optimum: Decisions,
    welfare: float,
    found: list[Found],
    stop: str,
    slack: float,
) -> list[dict[str, Any]]:
    plans = [optimum] + [f.plan for f in found]
    rows = [_row(scenario, 0, optimum, welfare, welfare, [], [], "the package's plan (reference)")]
    for i, f in enumerate(found, start=1):
        counts = [differences(f.plan, plans[k]) for k in range(i)]
        status = (
            "found; its distance to the nearest earlier plan is proven the largest within the slack"
            if f.proven
            else "found at the time limit: a plan farther away may exist"
        )
        rows.append(_row(scenario, i, f.plan, f.welfare, welfare, f.distance, counts, status))
    if stop:
        rows.append(
            {
                "scenario": scenario,
                "plan": len(plans),
                "status": stop,
                "meaning": f"within {slack:.1%} of the welfare of plan 0, "
                + (
                    f"every plan differs from one above by fewer than {MIN_DISTANCE} decision(s)"
                    if stop.startswith("no further distinct plan exists")
                    else "the search stopped at its time limit"
                ),
            }
        )
    return rows


def _row(scenario, i, plan, w, best, dist, counts, status) -> dict[str, Any]:
    near = min(range(len(dist)), key=lambda k: dist[k]) if dist else None
    return {
        "scenario": scenario,
        "plan": i,
        "status": status,
        "welfare_mcny": w,
        "welfare_gap_vs_plan_0": (best - w) / max(abs(best), 1e-9) if i else 0.0,
        "min_distance": min(dist) if dist else None,
        "nearest_plan": near,
        "min_parks_differing": min(c[0] for c in counts) if counts else None,
        "min_firm_placements_differing": min(c[1] for c in counts) if counts else None,
        "min_production_differing": min(c[2] for c in counts) if counts else None,
        "distances": "; ".join(
            f"to plan {k}: {d} ({c[0]} parks, {c[1]} placements, {c[2]} locations)"
            for k, (d, c) in enumerate(zip(dist, counts))
        ),
        "parks_opened": ", ".join(sorted(plan.opened)),
        "meaning": ""
        if not i
        else f"differs from every earlier plan in at least {min(dist)} "
        f"decisions; {(best - w):,.3f} mcny below plan 0",
    }


def robustness_rows(
    scenario: str, d: ModelData, optimum: Decisions, found: list[Found]
) -> list[dict[str, Any]]:
    plans = [optimum] + [f.plan for f in found]
    n = len(plans)
    rows = []
    for s, site in d.sites.items():
        marks = [s in p.opened for p in plans]
        k = sum(marks)
        rows.append(
            {
                "scenario": scenario,
                "kind": "park",
                "item": s,
                "region": f"{site.host} / {site.sponsor}",
                "in_plan_0": "opened" if marks[0] else "not opened",
                "plans_agreeing": sum(m == marks[0] for m in marks),
                "plans_opening": k,
                "plans": n,
                "verdict": _verdict(k, n, "opened", "never opened"),
                "plan_matrix": " ".join(OPEN if m else SHUT for m in marks),
                "irreplaceability_mcny": None,
            }
        )
    for f in d.firms:
        where = [p.site_of.get(f) for p in plans]
        same = sum(w == where[0] for w in where)
        placed = sum(w is not None for w in where)
        rows.append(
            {
                "scenario": scenario,
                "kind": "firm",
                "item": f,
                "region": d.firms[f].sector,
                "in_plan_0": where[0] or "not incubated",
                "plans_agreeing": same,
                "plans_opening": placed,
                "plans": n,
                "verdict": _firm_verdict(same, placed, n, where[0]),
                "plan_matrix": " ".join(w or "-" for w in where),
                "irreplaceability_mcny": None,
            }
        )
    return rows


def _firm_verdict(same: int, placed: int, n: int, first: str | None) -> str:
    if same == n and first:
        return "must-have: the same park in every plan"
    if placed == n:
        return "must-have firm, negotiable park: incubated in every plan, its park varies"
    if placed == 0:
        return "never incubated"
    return f"negotiable: incubated in {placed} of {n} plans"


def _verdict(k: int, n: int, yes: str, no: str) -> str:
    if k == n:
        return f"must-have: {yes} in every plan"
    if k == 0:
        return no
    return f"negotiable: {yes} in {k} of {n} plans"


def add_irreplaceability(rows: list[dict[str, Any]], scores: list[dict[str, Any]]) -> None:
    """The irreplaceability score of each opened park (what forbidding it costs) beside
    its robustness row."""
    worth = {
        s["item"]: -s["welfare_change_mcny"]
        for s in scores
        if s["decision"] == "opened option" and s["welfare_change_mcny"] is not None
    }
    for r in rows:
        if r["kind"] == "park" and r["item"] in worth:
            r["irreplaceability_mcny"] = worth[r["item"]]


def write_plan_matrix(wb: Any, report: Any, prepare: Any = None) -> Any:
    """Sheet PlanMatrix: per package with alternatives, parks as rows and plans as
    columns, 1 = opened (green) / 0 (grey)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    from ..io.stream import Sheet

    sheet = Sheet(wb, "PlanMatrix")
    green, grey = PatternFill("solid", bgColor="63BE7B"), PatternFill("solid", bgColor="EDEDED")
    top = 1
    for r in report.results:
        rows = [x for x in r.tables.get("Robustness", []) if x["kind"] == "park"]
        if not rows:
            continue
        n = rows[0]["plans"]
        plans = [f"plan_{i}" for i in range(n)]
        table = [
            {
                "park": x["item"],
                "host / sponsor": x["region"],
                **{p: int(m == OPEN) for p, m in zip(plans, x["plan_matrix"].split())},
                "verdict": x["verdict"],
            }
            for x in rows
        ]
        sheet.title_line(f"{r.scenario}: parks opened (1) in the package's plan (plan_0) and "
                         "its near-optimal alternatives")  # fmt: skip
        top = len(sheet.rows) + 1
        headers = ["park", "host / sponsor", *plans, "verdict"]
        last = sheet.table(f"PlanMatrix_{r.scenario}", table, headers, None,
                           {p: "0" for p in plans})  # fmt: skip
        cells = f"C{top + 1}:{get_column_letter(2 + n)}{last}"
        sheet.ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=["1"],
                                                              fill=green))  # fmt: skip
        sheet.ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=["0"],
                                                              fill=grey))  # fmt: skip
        sheet.skip_to(last + 2)
    if top == 1:
        sheet.append([sheet.text("No alternatives computed (run with --alternatives K).")])
    if prepare:
        prepare(sheet, None)
    sheet.close()
    return sheet
