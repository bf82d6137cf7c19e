"""One planning run: workbook -> checked tables -> every scenario solved -> results."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .data.model_data import ModelData, from_tables
from .errors import InputError, Issue
from .model import build_model
from .data.presolve import presolve_issues
from .analysis.irreplaceability import irreplaceability_rows
from .analysis.limits import limit_rows, matrix_duals, pyomo_duals
from .model.matrix import MatrixModel, build_matrix
from .solve.bound import bound_for_large, tighten
from .solve.core import improve_start
from .solve.greedy import greedy_plan, warm_start_note
from .solve.highs import solve_matrix, values_of
from .report.tables import Decisions, ScenarioResult, decisions_of, extract
from .data.scenarios import AppliedOverride, check_scenarios, resolve, scenario_ids
from .analysis.diagnose import diagnose
from .solve.pyomo_engine import INFEASIBLE, SolveOutcome, solve_model
from .io.validate import Tables, check_tables
from .io.reader import read_workbook


@dataclass
class RunOptions:
    scenarios: list[str] | None = None  # None = all
    threads: int | None = None
    irreplaceability: bool = False
    log: Callable[[str], None] | None = None  # progress lines of long extra work
    mps_dir: Path | None = None  # also write each scenario's model as <scenario>.mps
    engine: str = "direct"  # "direct": arrays to HiGHS (fast); "pyomo": the reference model


@dataclass
class RunReport:
    input_path: Path | None
    input_sha256: str
    options: RunOptions
    started: datetime
    finished: datetime | None = None
    results: list[ScenarioResult] = field(default_factory=list)
    applied: list[AppliedOverride] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    sheets_read: dict[str, int] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


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
    from .io.schema import SHEET_BY_NAME
    from .io.reader import RawTable
    from openpyxl.utils import get_column_letter
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
        raise InputError([Issue("Scenarios", f"unknown scenario(s) {', '.join(unknown)}; "
                                f"known: {', '.join(known)}", "check --scenario")])
    return wanted


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


def prepare(tables: Tables, ids: list[str]) -> list[tuple[str, ModelData, list]]:
    """Model data of every scenario, after overrides and the pre-solve checks; raises
    InputError with every problem of every scenario."""
    prepared, problems = [], []
    for sid, (data, applied) in resolve_all(tables, ids).items():
        d = from_tables(data)
        problems += presolve_issues(d, sid)
        prepared.append((sid, d, applied))
    if problems:
        raise InputError(problems)
    return prepared


def solve_tables(tables: Tables, options: RunOptions | None = None,
                 progress: Callable[[ScenarioResult], None] | None = None,
                 report: RunReport | None = None) -> RunReport:
    """Solve every requested scenario of checked tables."""
    options = options or RunOptions()
    report = report or RunReport(None, "", options, datetime.now(timezone.utc))
    ids = check_requested(tables, options.scenarios)
    descriptions = {r["scenario_id"]: r.get("description") or ""
                    for r in tables.get("Scenarios", [])}
    descriptions.setdefault("baseline", "the workbook as written")
    for sid, d, applied in prepare(tables, ids):
        report.applied += applied
        result = solve_scenario(sid, descriptions.get(sid, ""), d, options)
        report.results.append(result)
        if progress:
            progress(result)
        if options.irreplaceability and result.outcome.has_plan:
            result.tables["Irreplaceability"] = irreplaceability_rows(
                sid, d, result, options.threads, options.log)
    report.finished = datetime.now(timezone.utc)
    return report


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]", "_", text)


@dataclass
class ArraySolve:
    """What `solve_array` did: the outcome and plan, and the lines and figures of its
    starts and bound."""
    outcome: SolveOutcome
    x: Decisions | None
    warm_start: str  # for the Run sheet: the greedy plan, and the cores on large models
    bound_note: str  # for the Run sheet: the priced bound on large models, else ""
    greedy: float | None  # weighted welfare of the greedy plan (mcny)
    start: float | None  # weighted welfare of the plan handed to HiGHS (mcny)
    seconds: dict[str, float]  # "warmstart" (greedy and cores), "bound", "solve"


def solve_array(d: ModelData, mm: MatrixModel, options: RunOptions,
                mps: Path | None = None, highs: Any = None) -> ArraySolve:
    """The default engine once the model is built: a greedy start; on large models cores
    and the priced bound; then HiGHS on the whole model (`highs`, if it has been handed
    over already) with what is left of the time limit. The benchmark times this same path."""
    t0 = time.perf_counter()
    plan = greedy_plan(d, mm)
    greedy = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    warm_start = warm_start_note(mm, plan, time.perf_counter() - t0)
    if options.log:
        options.log(f"    warm start: {warm_start}")
    t1 = time.perf_counter()
    plan, core_note = improve_start(d, mm, plan, options.threads)
    if core_note:
        warm_start += f"; {core_note}"
        if options.log:
            options.log(f"    warm start: {core_note}")
    t2 = time.perf_counter()
    priced, bound_note = bound_for_large(d, mm, plan)
    if bound_note and options.log:
        options.log(f"    upper bound: {bound_note}")
    t3 = time.perf_counter()
    outcome, x = solve_matrix(mm, mip_gap=d.policy["mip_gap"],
                              time_limit_s=max(d.policy["time_limit_s"] - (t3 - t1), 1.0),
                              threads=options.threads, mps_path=mps, progress=options.log,
                              start_values=plan, highs=highs)
    outcome = tighten(outcome, priced, d.policy["mip_gap"])
    start = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    seconds = {"warmstart": t2 - t0, "bound": t3 - t2, "solve": time.perf_counter() - t3}
    return ArraySolve(outcome, x, warm_start, bound_note, greedy, start, seconds)


def solve_scenario(sid: str, description: str, d: ModelData,
                   options: RunOptions) -> ScenarioResult:
    mps = options.mps_dir / f"{safe_name(sid)}.mps" if options.mps_dir else None
    start = time.perf_counter()
    if options.engine == "pyomo":
        m = build_model(d)
        build_seconds = time.perf_counter() - start
        outcome = solve_model(m, mip_gap=d.policy["mip_gap"],
                              time_limit_s=d.policy["time_limit_s"], threads=options.threads,
                              mps_path=mps, progress=options.log)
        x = decisions_of(m) if outcome.has_plan else None
        duals = (lambda: pyomo_duals(m, options.threads))
        warm_start = "not used (the Pyomo engine starts HiGHS without a plan)"
        bound_note = ""
    else:
        mm = build_matrix(d)
        build_seconds = time.perf_counter() - start
        run = solve_array(d, mm, options, mps)
        outcome, x, warm_start, bound_note = run.outcome, run.x, run.warm_start, run.bound_note
        duals = (lambda: matrix_duals(mm, values_of(mm, x), options.threads))
    if outcome.has_plan:
        result = extract(sid, description, d, x, outcome)
        result.tables["Limits"] = limit_rows(sid, d, duals(), x, result.tables["Regions"],
                                             result.tables["Sites"])
    else:
        result = ScenarioResult(sid, description, outcome)
        if outcome.status == INFEASIBLE:
            found, note = diagnose(d, d.policy["time_limit_s"], options.threads)
            result.diagnosis, result.diagnosis_note = found, note
    result.data = d
    result.summary["build_seconds"] = build_seconds
    result.summary["warm_start"] = warm_start
    result.summary["priced_bound"] = bound_note
    result.summary["policy"] = dict(d.policy)
    return result


def run_workbook(path: str | Path, options: RunOptions | None = None,
                 progress: Callable[[ScenarioResult], None] | None = None,
                 announce: Callable[[list[str], list[Issue]], None] | None = None
                 ) -> RunReport:
    """Read, check and solve a workbook; `announce` hears the scenarios before solving."""
    options = options or RunOptions()
    started = datetime.now(timezone.utc)
    tables, raw, issues = load(path)
    report = RunReport(Path(path), raw.sha256, options, started,
                       warnings=[i for i in issues if i.severity != "error"],
                       sheets_read={k: len(v.rows) for k, v in raw.tables.items()},
                       ignored_sheets=raw.ignored_sheets, sheet_names=raw.sheet_names)
    if announce:
        announce(check_requested(tables, options.scenarios), report.warnings)
    return solve_tables(tables, options, progress, report)
