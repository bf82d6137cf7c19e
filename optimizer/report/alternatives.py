"""Sheets `Alternatives` (each plan, certified) and `Robustness` (must-have and negotiable
decisions per park and per firm over the optimum and its alternatives)."""

from __future__ import annotations

from typing import Any

from ..analysis.alternatives import MIN_DISTANCE, Found
from ..data.model_data import ModelData
from ..model.plan import Decisions

OPEN, SHUT = "■", "□"  # the park-by-plan matrix, one mark per plan


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
    seconds: float,
) -> list[dict[str, Any]]:
    plans = [optimum] + [f.plan for f in found]
    rows = [_row(scenario, 0, optimum, welfare, welfare, [], [], "the package's plan (reference)")]
    for i, f in enumerate(found, start=1):
        counts = [differences(f.plan, plans[k]) for k in range(i)]
        status = (
            "found; its distance to the nearest earlier plan is proven the largest within the slack"
            if f.proven
            else f"found; time limit ({seconds:,.0f} s): a plan farther away may exist"
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
                "verdict": (
                    "must-have: the same park in every plan"
                    if same == n and where[0]
                    else "never incubated"
                    if placed == 0
                    else "negotiable: its park varies between plans"
                ),
                "plan_matrix": " ".join(w or "-" for w in where),
                "irreplaceability_mcny": None,
            }
        )
    return rows


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
