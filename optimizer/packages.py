"""The policy packages of a run: prepared for solving (overrides applied, impossibilities
found before solving, one message per mistake), each solved (`solve_scenario`: model,
solve, tables, limits or diagnosis), and the results of packages that were impossible,
interrupted or not run."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

from .analysis.alternatives import search
from .analysis.diagnose import Relaxation, diagnose
from .analysis.limits import limit_rows, matrix_duals
from .analysis.participation import guaranteed, report_guarantee, solve_free
from .analysis.presolve import presolve_issues
from .data.model_data import ModelData, from_tables
from .data.scenarios import resolve
from .errors import InputError, Issue
from .io.schema import Tables
from .model import build_matrix
from .model.plan import Decisions, values_of
from .report.alternatives import alternative_rows, robustness_rows
from .report.tables import ScenarioResult, extract
from .solver.outcome import IMPOSSIBLE, INFEASIBLE, INTERRUPTED, NOT_RUN, SolveOutcome
from .solver.strategy import Interrupted, Pool, solve_array


def resolve_all(tables: Tables, ids: list[str]) -> dict[str, tuple[Tables, list]]:
    """Every requested scenario's data; all override problems are reported together."""
    resolved, issues = {}, []
    for sid in ids:
        data, applied, problems = resolve(tables, sid)
        issues += problems
        resolved[sid] = (data, applied)
    if issues:
        unique = list(dict.fromkeys(issues))  # a parent's problem shows once
        raise InputError(unique)
    return resolved


@dataclass
class Package:
    """One policy package ready to solve: its data, the overrides that made it, and the
    impossibilities found before solving (none: it can be solved)."""

    sid: str
    data: ModelData
    applied: list
    problems: list[Issue]


def prepare(tables: Tables, ids: list[str]) -> list[Package]:
    """Every requested package's model data, after its overrides, with its pre-solve
    problems (each at the input cell to change, naming the Overrides cell where an override
    set the value). Problems of the sheets as written (the baseline) are input errors:
    InputError, listing every package's problems; a problem an override brings in stays
    with its package, and the other packages are solved."""
    letter = (tables.get("Overrides") or [{}])[0].get("_letters", {}).get("value", "")
    packages = []
    for sid, (data, applied) in resolve_all(
        tables, list(dict.fromkeys(["baseline", *ids]))
    ).items():
        d = from_tables(data)
        overridden = {
            (a.sheet, a.row_id, a.column): (
                (a.cell or f"Overrides!{letter}{a.override_row}")
                + ("" if a.defined_in == sid else f" (of package {a.defined_in})"),
                a.old,
                a.new,
            )
            for a in applied
        }
        packages.append(Package(sid, d, applied, presolve_issues(d, overridden)))
    if packages[0].problems:  # the sheets as written cannot be solved
        raise InputError(presolve_problems(packages))
    return [p for p in packages if p.sid in ids]


def presolve_problems(packages: list[Package]) -> list[Issue]:
    """The packages' pre-solve problems, one message per mistake naming the packages it
    affects (for `enclave validate`)."""
    seen: dict[Issue, list[str]] = {}
    for p in packages:
        for issue in p.problems:
            seen.setdefault(issue, []).append(p.sid)
    every = len(packages)
    out = []
    for issue, sids in seen.items():
        if sids != ["baseline"] or every > 1:
            which = (
                "every package"
                if len(sids) == every > 1
                else ("package " if len(sids) == 1 else "packages ") + ", ".join(sids)
            )
            issue = replace(issue, message=f"[{which}] {issue.message}")
        out.append(issue)
    return out


def impossible(p: Package, description: str) -> ScenarioResult:
    """A package no plan can satisfy, found before solving: its problems as Diagnosis."""
    outcome = SolveOutcome(
        IMPOSSIBLE,
        f"impossible: {len(p.problems)} limit(s) no plan can "
        "meet, found before solving (see Diagnosis)",
        None,
        None,
        None,
        0.0,
        "found before solving",
    )
    result = ScenarioResult(p.sid, description, outcome, data=p.data)
    result.diagnosis = [
        Relaxation(
            "before solving",
            i.column or "",
            i.sheet or "",
            i.column or "",
            i.row,
            0.0,
            "",
            f"{i.message} — {i.hint}" if i.hint else i.message,
            f"{i.sheet}!{i.cell}" if i.cell else "",
        )
        for i in p.problems
    ]
    result.diagnosis_note = "found before solving: no relaxation computed"
    return result


def interrupted(p: Package, description: str, partial: Any) -> ScenarioResult:
    """The package being solved when the run was interrupted: its best plan so far (if
    any), marked interrupted, with its gap."""
    o = partial.outcome if partial is not None else None
    gap = f"gap {o.mip_gap:.2%}" if o is not None and o.mip_gap is not None else "gap unknown"
    if o is not None and o.objective is not None and partial.x is not None:
        outcome = replace(
            o,
            status=INTERRUPTED,
            message=f"interrupted: the best plan found until then ({gap}), not proven optimal",
        )
        result = extract(p.sid, description, p.data, partial.x, outcome)
    else:
        outcome = SolveOutcome(
            INTERRUPTED,
            "interrupted before a plan was found",
            None,
            o.bound if o else None,
            None,
            o.seconds if o else 0.0,
            "interrupted",
        )
        result = ScenarioResult(p.sid, description, outcome)
    result.data = p.data
    return result


def not_run(p: Package, description: str) -> ScenarioResult:
    outcome = SolveOutcome(
        NOT_RUN,
        "not run: the run was interrupted before this package",
        None,
        None,
        None,
        0.0,
        "not run",
    )
    return ScenarioResult(p.sid, description, outcome, data=p.data)


@dataclass
class Carry:
    """What a package starts from: plans (it starts from the best that meets its limits)
    and an earlier priced bound's prices; the solve adds its own."""

    plans: list[Decisions] = field(default_factory=list)
    prices: dict | None = None


def time_limit(d: ModelData, options: Any, notes: list[str]) -> float:
    """Seconds from the model's build to the solve's end: `time_limit_s`, less the time
    the run spent reading the workbook before this package (at most half of it)."""
    limit = d.policy["time_limit_s"]
    spent = min(getattr(options, "spent_s", 0.0), limit / 2)
    if spent >= 0.5:
        notes.append(
            f"time limit: {spent:,.1f} s of the {limit:,.0f} s went to reading the workbook"
        )
    return limit - spent


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]", "_", text)


def solve_scenario(
    sid: str,
    description: str,
    d: ModelData,
    options: Any,  # app.RunOptions
    pool: Pool | None = None,
    carry: Carry | None = None,
) -> ScenarioResult:
    """One package: its model built and solved by its time limit (counted from here),
    its plan's tables, limits and marginal values, or the diagnosis of its infeasibility."""
    mps = options.mps_dir / f"{safe_name(sid)}.mps" if options.mps_dir else None
    carry = carry if carry is not None else Carry()
    # stand-alone values and the package without its guarantees: before the own solve,
    # whose time limit counts from after them
    guarantee = solve_free(d, options, pool, carry.plans) if guaranteed(d) else None
    start = time.perf_counter()
    if options.engine == "pyomo":  # the Pyomo form, compiled by Pyomo itself
        from .model.pyomo_form import pyomo_model, to_matrix

        mm = to_matrix(pyomo_model(d))
    else:
        mm = build_matrix(d)
    build_seconds = time.perf_counter() - start
    console = options.console
    limit_notes: list[str] = []
    limit = time_limit(d, options, limit_notes)
    if console is not None:
        console.set_phase("start and solve")
    run = solve_array(
        d,
        mm,
        threads=options.threads,
        seed=options.seed,
        log=options.log,
        status=console.status if console is not None else None,
        verbose=options.verbose,
        mps=mps,
        pool=pool,
        earlier=carry.plans + (guarantee["plans"] if guarantee else []),
        prices=carry.prices,
        deadline=start + limit,
    )
    run.notes[:0] = limit_notes
    carry.plans += [run.x] if run.x is not None else []
    carry.prices = run.prices or carry.prices
    try:
        if console is not None:
            console.set_phase("marginal values and result tables")
        result = _tables(sid, description, d, mm, run, options, build_seconds)
        if guarantee is not None:
            report_guarantee(result, d, guarantee)
        if getattr(options, "alternatives", 0) and result.outcome.has_plan:
            if console is not None:
                console.set_phase("near-optimal alternatives")
            add_alternatives(result, d, mm, options)
        return result
    except KeyboardInterrupt:  # after the solve: the plan is not lost
        raise Interrupted(run) from None


def _tables(sid, description, d, mm, run, options, build_seconds) -> ScenarioResult:
    """A solved package's result tables, its limits' marginal values, or its diagnosis."""
    outcome, x = run.outcome, run.x
    if outcome.has_plan:
        result = extract(sid, description, d, x, outcome)
        duals = matrix_duals(mm, values_of(mm, x), options.threads)
        result.tables["Limits"] = limit_rows(
            sid, d, duals, x, result.tables["Regions"], result.tables["Sites"]
        )
    else:
        result = ScenarioResult(sid, description, outcome)
        if outcome.status == INFEASIBLE:
            found, note = diagnose(d, d.policy["time_limit_s"], options.threads, mm)
            result.diagnosis, result.diagnosis_note = found, note
    result.data = d
    result.summary["build_seconds"] = build_seconds
    result.summary["warm_start"] = run.warm_start
    result.summary["bound_note"] = run.bound_note
    result.summary["solver_notes"] = run.notes
    result.summary["policy"] = dict(d.policy)
    return result


def add_alternatives(result: ScenarioResult, d: ModelData, mm: Any, options: Any) -> None:
    """Sheets Alternatives and Robustness of a package with a plan: up to
    `options.alternatives` plans within `options.slack`, each solve given
    `options.alternative_seconds` (default: a minute, at most the package's time limit,
    shared by the K solves)."""
    k, slack = int(options.alternatives), float(options.slack)
    seconds = options.alternative_seconds or min(60.0, d.policy["time_limit_s"]) / max(k, 1)
    welfare = result.outcome.objective
    t0 = time.perf_counter()
    found, stop = search(mm, result.plan, welfare, k, slack, seconds, options.threads)
    result.summary.setdefault("solver_notes", []).append(
        f"alternatives: {len(found)} of {k} found within {slack:.1%} in "
        f"{time.perf_counter() - t0:,.1f} s (at most {k} x {seconds:,.1f} s)"
        + (f"; {stop}" if stop else "")
    )
    result.tables["Alternatives"] = alternative_rows(
        result.scenario, result.plan, welfare, found, stop, slack
    )
    result.tables["Robustness"] = robustness_rows(result.scenario, d, result.plan, found)
    if result.outcome.status != "optimal":
        result.summary["solver_notes"].append(
            "alternatives measured against the best plan found, not a proven optimum"
        )
