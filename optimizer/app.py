"""One planning run: workbook -> checked tables -> every scenario solved -> results."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .data.model_data import ModelData
from .data.scenarios import chain, check_scenarios, scenario_ids
from .data.sweeps import expand, sweep_points
from .errors import InputError, Issue
from .io.reader import read_workbook
from .io.schema import Tables
from .io.validate import check_tables
from .model.plan import Decisions
from .packages import (
    Carry,
    Package,
    not_run,
    prepare,
)
from .report.tables import RunReport, ScenarioResult
from .runner import Local, runner_of, serial, side_by_side
from .solver.strategy import Interrupted


@dataclass
class RunOptions:
    scenarios: list[str] | None = None  # None = all
    threads: int | None = None
    irreplaceability: bool = False
    log: Callable[[str], None] | None = None  # progress lines of long extra work
    mps_dir: Path | None = None  # also write each scenario's model as <scenario>.mps
    seed: int | None = None  # HiGHS's random seed (every HiGHS run of the solve)
    engine: str = "direct"  # "direct": arrays to HiGHS (fast); "pyomo": the reference model
    console: Any = None  # a report.console.Board: a live line per package being solved
    verbose: bool = False  # show HiGHS's own log
    workers: int | None = None  # packages solved side by side (None/1: here)
    scheduler: Any = None  # a Dask scheduler address (or Client): solve on that cluster
    alternatives: int = 0  # near-optimal alternatives per package (sheet Alternatives)
    slack: float = 0.02  # share of welfare an alternative may give up
    alternative_seconds: float | None = None  # per alternative (None: a minute shared by K)
    spent_s: float = 0.0  # spent before the first packages (reading): out of their limits


def load(path: str | Path) -> tuple[Tables, Any, list[Issue]]:
    """Read and check a workbook; raise InputError with every problem found."""
    raw, issues = read_workbook(path)
    tables, more = check_tables(raw.tables)
    tables, _, swept = expand(tables)
    issues += more + swept + check_scenarios(tables)
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
    tables, _, swept = expand(tables)
    issues += swept + check_scenarios(tables)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return tables


def check_requested(tables: Tables, wanted: list[str] | None) -> list[str]:
    known = scenario_ids(tables)
    if not wanted:  # a sweep's points are solved when asked for (--sweep, --scenario)
        points = sweep_points(tables)
        return [s for s in known if s not in points]
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise InputError(
            [
                Issue(
                    "Scenarios",
                    f"unknown scenario(s) {', '.join(unknown)}; known: "
                    + ", ".join(s for s in known if s not in sweep_points(tables)),
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
    solve depends on nothing else, so packages are solved one after another, or side by
    side (`options.workers`) or on a cluster (`options.scheduler`), each as soon as its
    ancestors are (`schedule.Schedule`), with the same results. `report.results` keeps
    the order of `Scenarios`."""
    options = options or RunOptions()
    report = report or RunReport(None, "", options, datetime.now(UTC))
    ids = check_requested(tables, options.scenarios)
    descriptions = {
        r["scenario_id"]: r.get("description") or "" for r in tables.get("Scenarios", [])
    }
    descriptions.setdefault("baseline", "the workbook as written")
    packages = prepare(tables, ids)
    for p in packages:
        report.applied += p.applied
    lineage = {
        p.sid: ["baseline", *chain(tables, p.sid)][:-1] if p.sid != "baseline" else []
        for p in packages
    }
    requested = {p.sid for p in packages}
    waits = {p.sid: {a for a in lineage[p.sid] if a in requested} for p in packages}
    order = sorted(packages, key=lambda p: len(lineage[p.sid]))  # parents first
    # the most packages that can be solved at once: those no other package waits for (the
    # packages form a forest, each under its parent)
    waited = set().union(*waits.values())
    widest = sum(p.sid not in waited for p in packages)
    done: dict[str, ScenarioResult] = {}
    prices: dict[str, dict] = {}

    def carry_of(p: Package) -> Carry:
        ancestors = [a for a in lineage[p.sid] if a in done]
        return Carry(
            [done[a].plan for a in ancestors if done[a].plan is not None]
            + list((starts or {}).get(p.sid, [])),
            next((prices[a] for a in reversed(ancestors) if a in prices), None),
        )

    def record(p: Package, result: ScenarioResult, carried: dict | None) -> None:
        done[p.sid] = result
        if carried is not None:
            prices[p.sid] = carried
        if progress:
            progress(result)

    backend = runner_of(options, packages, widest) if packages else None
    try:
        first = [p for p in order if not waits[p.sid]]  # only these wait for the reading
        if backend is None:
            serial(order, options, descriptions, carry_of, record, waits)
        else:
            if isinstance(backend, Local) and len(first) == 1:
                # the package every other waits for is solved here while the worker
                # processes start
                backend.warm(options.verbose)
                serial(first, options, descriptions, carry_of, record)
                order = [p for p in order if p is not first[0]]  # they all wait for it
            side_by_side(backend, order, options, descriptions, carry_of, record, waits)
    except (Interrupted, KeyboardInterrupt):  # Ctrl-C or SIGTERM
        report.interrupted = True
        for p in packages:
            if p.sid not in done:
                done[p.sid] = not_run(p, descriptions.get(p.sid, ""))
    finally:
        if backend is not None:
            backend.close()
    report.results += [done[p.sid] for p in packages]
    report.finished = datetime.now(UTC)
    return report


def run_workbook(
    path: str | Path,
    options: RunOptions | None = None,
    progress: Callable[[ScenarioResult], None] | None = None,
    announce: Callable[[list[str], list[Issue]], None] | None = None,
    prepare: Callable[[Tables, RunReport], None] | None = None,
) -> RunReport:
    """Read, check and solve a workbook; `announce` hears the scenarios before solving;
    `prepare` may choose the packages (`options.scenarios`) and set `report.explore` once
    the workbook is read (a sweep)."""
    options = options or RunOptions()
    started, t0 = datetime.now(UTC), time.perf_counter()
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
    if prepare:
        prepare(tables, report)
    if announce:
        announce(check_requested(tables, options.scenarios), report.warnings)
    options = replace(options, spent_s=time.perf_counter() - t0)
    return solve_tables(tables, options, progress, report)


def model_data(source: str | Path | dict, scenario: str = "baseline") -> ModelData:
    """The checked model data of one package: from a workbook path or from row tables
    ({sheet: [row dict keyed by column name]}); raises InputError like `enclave solve`."""
    tables = tables_from_rows(source) if isinstance(source, dict) else load(source)[0]
    (package,) = prepare(tables, check_requested(tables, [scenario]))
    if package.problems:
        raise InputError(package.problems)
    return package.data


def frontier(
    tables: Tables,
    scenario: str,
    n: int = 12,
    options: RunOptions | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> RunReport:
    """The efficiency-equity frontier of package `scenario` (`analysis.frontier`): a report
    of every point solved, by floor, with the Frontier sheet's frame."""
    from dataclasses import replace

    from .analysis.frontier import FLOOR, notes, point_id, trace, with_points
    from .report.explore import Exploration

    options = options or RunOptions()
    check_requested(tables, [scenario])
    report = RunReport(None, "", options, datetime.now(UTC))

    def solve(floors: list[float], starts: dict[float, list]) -> tuple[list, bool]:
        ids = [point_id(f) for f in floors]
        run = solve_tables(
            with_points(tables, scenario, floors),
            replace(options, scenarios=ids),
            starts={point_id(f): plans for f, plans in starts.items()},
        )
        report.applied += run.applied
        return run.results, run.interrupted

    points = trace(solve, n, options.workers or 1, log)
    floors = sorted(points.points)
    report.results = [points.points[f] for f in floors]
    report.interrupted = points.interrupted
    report.finished = datetime.now(UTC)
    report.explore = Exploration(
        "Frontier",
        f"Efficiency-equity frontier of {scenario}",
        [FLOOR],
        {point_id(f): (f,) for f in floors},
        "developing_share",
        notes(points, scenario, max(3, n)),
    )
    return report
