"""One planning run: workbook -> checked tables -> every scenario solved -> results."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .analysis.diagnose import diagnose
from .analysis.irreplaceability import irreplaceability_rows
from .analysis.limits import limit_rows, matrix_duals
from .data.model_data import ModelData
from .data.scenarios import chain, check_scenarios, scenario_ids
from .errors import InputError, Issue
from .io.reader import read_workbook
from .io.schema import Tables
from .io.validate import check_tables
from .model import build_matrix
from .model.plan import Decisions, values_of
from .packages import (
    impossible,
    interrupted,
    not_run,
    prepare,
)
from .report.tables import RunReport, ScenarioResult, extract
from .solver.outcome import INFEASIBLE
from .solver.strategy import Interrupted, Pool, solve_array


@dataclass
class RunOptions:
    scenarios: list[str] | None = None  # None = all
    threads: int | None = None
    irreplaceability: bool = False
    log: Callable[[str], None] | None = None  # progress lines of long extra work
    mps_dir: Path | None = None  # also write each scenario's model as <scenario>.mps
    seed: int | None = None  # HiGHS's random seed (every HiGHS run of the solve)
    engine: str = "direct"  # "direct": arrays to HiGHS (fast); "pyomo": the reference model
    console: Any = None  # a report.console.Console: the live line per package
    verbose: bool = False  # show HiGHS's own log


def load(path: str | Path) -> tuple[Tables, Any, list[Issue]]:
    """Read and check a workbook; raise InputError with every problem found."""
    raw, issues = read_workbook(path)
    tables, more = check_tables(raw.tables)
    issues += more + check_scenarios(tables)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return tables, raw, issues


def tables_from_rows(rows: dict[str, list[dict[str, Any]]]) -> Tables:
    """Checked tables from plain row dicts keyed by schema column names (as a workbook
    would hold them); raises InputError like a workbook would."""
    from openpyxl.utils import get_column_letter

    from .io.reader import RawTable
    from .io.schema import SHEET_BY_NAME

    raw = {}
    for name, items in rows.items():
        sheet = SHEET_BY_NAME[name]
        letters = {c: get_column_letter(i + 1) for i, c in enumerate(sheet.column_names)}
        raw[name] = RawTable(name, letters, [(i + 2, dict(r)) for i, r in enumerate(items)])
    tables, issues = check_tables(raw)
    issues += check_scenarios(tables)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return tables


def check_requested(tables: Tables, wanted: list[str] | None) -> list[str]:
    known = scenario_ids(tables)
    if not wanted:
        return known
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise InputError(
            [
                Issue(
                    "Scenarios",
                    f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}",
                    "check --scenario",
                )
            ]
        )
    return wanted


def solve_tables(
    tables: Tables,
    options: RunOptions | None = None,
    progress: Callable[[ScenarioResult], None] | None = None,
    report: RunReport | None = None,
    starts: dict[str, list[Decisions]] | None = None,
) -> RunReport:
    """Solve every requested package of checked tables.

    Packages are solved parents first (baseline, then the packages built on it, ...), and
    each starts from the best of its greedy plan, the plans of its ancestors solved in this
    run that meet its limits (a package differs little from its parent) and `starts` (plans
    a caller offers, by package id); it takes its nearest ancestor's prices. A package's
    solve depends on nothing else, so that the packages of one generation may be solved in
    any order, or side by side, with the same results. `report.results` keeps the order of
    `Scenarios`."""
    options = options or RunOptions()
    report = report or RunReport(None, "", options, datetime.now(UTC))
    ids = check_requested(tables, options.scenarios)
    descriptions = {
        r["scenario_id"]: r.get("description") or "" for r in tables.get("Scenarios", [])
    }
    descriptions.setdefault("baseline", "the workbook as written")
    packages = prepare(tables, ids)
    lineage = {
        p.sid: ["baseline", *chain(tables, p.sid)][:-1] if p.sid != "baseline" else []
        for p in packages
    }
    order = sorted(packages, key=lambda p: len(lineage[p.sid]))  # parents first (stable)
    done: dict[str, ScenarioResult] = {}
    prices: dict[str, dict] = {}
    with Pool(verbose=options.verbose) as pool:  # workers, reused by every package
        for i, p in enumerate(order):
            report.applied += p.applied
            description = descriptions.get(p.sid, "")
            ancestors = [a for a in lineage[p.sid] if a in done]
            carry = Carry(
                [done[a].plan for a in ancestors if done[a].plan is not None]
                + list((starts or {}).get(p.sid, [])),
                next((prices[a] for a in reversed(ancestors) if a in prices), None),
            )
            if options.console is not None:
                options.console.begin(p.sid)
            try:
                if p.problems:
                    result = impossible(p, description)
                else:
                    result = solve_scenario(p.sid, description, p.data, options, pool, carry)
                    if options.irreplaceability and result.outcome.has_plan:
                        result.tables["Irreplaceability"] = irreplaceability_rows(
                            p.sid, p.data, result, options.threads, options.log, pool
                        )
            except (Interrupted, KeyboardInterrupt) as stop:  # Ctrl-C or SIGTERM
                result = interrupted(p, description, getattr(stop, "partial", None))
                done[p.sid] = result
                for q in order[i + 1 :]:
                    done[q.sid] = not_run(q, descriptions.get(q.sid, ""))
                report.interrupted = True
                if progress:
                    progress(result)
                break
            done[p.sid] = result
            if carry.prices is not None:
                prices[p.sid] = carry.prices
            if progress:
                progress(result)
    report.results += [done[p.sid] for p in packages]
    report.finished = datetime.now(UTC)
    return report


@dataclass
class Carry:
    """What a package starts from: plans (it starts from the best that meets its limits)
    and an earlier priced bound's prices; the solve adds its own."""

    plans: list[Decisions] = field(default_factory=list)
    prices: dict | None = None


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]", "_", text)


def solve_scenario(
    sid: str,
    description: str,
    d: ModelData,
    options: RunOptions,
    pool: Pool | None = None,
    carry: Carry | None = None,
) -> ScenarioResult:
    """One package: its model built and solved by its time limit (counted from here),
    its plan's tables, limits and marginal values, or the diagnosis of its infeasibility."""
    mps = options.mps_dir / f"{safe_name(sid)}.mps" if options.mps_dir else None
    start = time.perf_counter()
    if options.engine == "pyomo":  # the Pyomo form, compiled by Pyomo itself
        from .model.pyomo_form import pyomo_model, to_matrix

        mm = to_matrix(pyomo_model(d))
    else:
        mm = build_matrix(d)
    build_seconds = time.perf_counter() - start
    console = options.console
    if console is not None:
        console.set_phase("start and solve")
    carry = carry if carry is not None else Carry()
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
        earlier=carry.plans,
        prices=carry.prices,
        deadline=start + d.policy["time_limit_s"],
    )
    carry.plans += [run.x] if run.x is not None else []
    carry.prices = run.prices or carry.prices
    try:
        if console is not None:
            console.set_phase("marginal values and result tables")
        return _tables(sid, description, d, mm, run, options, build_seconds)
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


def run_workbook(
    path: str | Path,
    options: RunOptions | None = None,
    progress: Callable[[ScenarioResult], None] | None = None,
    announce: Callable[[list[str], list[Issue]], None] | None = None,
) -> RunReport:
    """Read, check and solve a workbook; `announce` hears the scenarios before solving."""
    options = options or RunOptions()
    started = datetime.now(UTC)
    tables, raw, issues = load(path)
    report = RunReport(
        Path(path),
        raw.sha256,
        options,
        started,
        warnings=[i for i in issues if i.severity != "error"],
        sheets_read={k: len(v.rows) for k, v in raw.tables.items()},
        ignored_sheets=raw.ignored_sheets,
        sheet_names=raw.sheet_names,
    )
    if announce:
        announce(check_requested(tables, options.scenarios), report.warnings)
    return solve_tables(tables, options, progress, report)


def model_data(source: str | Path | dict, scenario: str = "baseline") -> ModelData:
    """The checked model data of one package: from a workbook path or from row tables
    ({sheet: [row dict keyed by column name]}); raises InputError like `enclave solve`."""
    tables = tables_from_rows(source) if isinstance(source, dict) else load(source)[0]
    (package,) = prepare(tables, check_requested(tables, [scenario]))
    if package.problems:
        raise InputError(package.problems)
    return package.data
