"""What each decision is worth (`--irreplaceability`, sheet `Irreplaceability`).

For every opened enclave option and every quota trade of a scenario's plan, the scenario is
re-solved with that option or trade forbidden: the welfare lost is what the decision is
worth. For every locked decision (status open/closed, fixed_site, fixed_location,
must_place) it is re-solved with the lock freed: the welfare gained is what the lock costs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ..data.model_data import ModelData
from ..model.matrix import build_matrix
from ..solver.strategy import solve_array

Step = tuple[str, str, str, Callable[[ModelData], None]]  # kind, item, test, change


def _steps(d: ModelData, result: Any) -> Iterator[Step]:
    for s in result.tables["Sites"]:
        if s["opened"] == "yes" and s["status_input"] != "open":

            def close(m: ModelData, sid: str = s["site_id"]) -> None:
                m.sites[sid] = replace(m.sites[sid], status="closed")

            yield "opened option", s["site_id"], "forbid opening it", close
    for q in result.tables["Quota"]:
        if q["kind"] == "trade":

            def stop(m: ModelData, key: tuple = (q["from_region"], q["to_region"])) -> None:
                m.links[key] = replace(m.links[key], max_ha=0.0)

            yield "quota trade", f"{q['from_region']} → {q['to_region']}", "forbid the trade", stop
    for s in d.sites.values():
        if s.status in ("open", "closed"):

            def free(m: ModelData, sid: str = s.id) -> None:
                m.sites[sid] = replace(m.sites[sid], status="candidate")

            yield f"locked status {s.status}", s.id, "set status to candidate", free
    for f in d.firms.values():
        for attr, label in (
            ("fixed_site", "fixed_site"),
            ("fixed_location", "fixed_location"),
            ("must_place", "must_place"),
        ):
            value = getattr(f, attr)
            if value:

                def unlock(m: ModelData, fid: str = f.id, a: str = attr) -> None:
                    m.firms[fid] = replace(
                        m.firms[fid], **{a: False if a == "must_place" else None}
                    )

                yield f"locked {label}", f.id, f"clear {label}", unlock


def irreplaceability_rows(
    scenario: str,
    d: ModelData,
    result: Any,
    threads: int | None,
    progress: Callable[[str], None] | None = None,
    pool: Any = None,
) -> list[dict[str, Any]]:
    """One re-solve per decision, each by the package's own solve path and time limit,
    started from the package's plan where it still meets the changed limits."""
    steps = list(_steps(d, result))
    base = result.outcome.objective
    rows = []
    for i, (kind, item, test, change) in enumerate(steps, start=1):
        variant = copy.copy(d)
        variant.sites, variant.links, variant.firms = dict(d.sites), dict(d.links), dict(d.firms)
        change(variant)
        earlier = [result.plan] if result.plan is not None else []
        out = solve_array(
            variant, build_matrix(variant), threads=threads, pool=pool, earlier=earlier
        ).outcome
        delta = out.objective - base if out.has_plan else None
        rows.append(
            {
                "scenario": scenario,
                "decision": kind,
                "item": item,
                "test": test,
                "status": out.status,
                "welfare_mcny": out.objective,
                "welfare_change_mcny": delta,
                "meaning": _meaning(kind, item, delta, out.status),
            }
        )
        if progress:
            progress(
                f"  irreplaceability {scenario} {i}/{len(steps)}: {test} ({item}) -> "
                + (f"{delta:+,.3f} mcny" if delta is not None else out.status)
            )
    return rows


def _meaning(kind: str, item: str, delta: float | None, status: str) -> str:
    if delta is None:
        return (
            f"without it no plan exists ({status}): {item} is indispensable"
            if not kind.startswith("locked")
            else f"freeing it leaves no plan ({status})"
        )
    if kind.startswith("locked"):
        return f"the lock on {item} costs {max(delta, 0.0):,.3f} mcny of weighted welfare"
    return f"{item} is worth {max(-delta, 0.0):,.3f} mcny of weighted welfare (lost without it)"
