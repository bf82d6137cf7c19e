"""`enclave solve --sweep ID` and `enclave frontier`: runs over many points of one package,
written as a normal result workbook plus a `Sweep` or `Frontier` sheet."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .data.scenarios import chain
from .data.sweeps import sweeps_of
from .errors import InputError, Issue
from .io.schema import BASELINE, Tables
from .report.explore import Exploration
from .report.schema import POINTS
from .report.tables import RunReport


def sweep_lines(tables: Tables) -> list[str]:
    """What `enclave validate` says of each sweep."""
    out = []
    for sid, points in sweeps_of(tables).items():
        labels = points[0].labels
        counts = [len({p.values[i] for p in points}) for i in range(len(labels))]
        grid = f" ({' x '.join(map(str, counts))})" if len(labels) > 1 else ""
        out.append(
            f"sweep {sid}: {len(points)} point(s){grid} of {', '.join(labels)}, parent "
            f"{points[0].parent}; solve them with --sweep {sid}"
        )
    return out


def sweep_exploration(tables: Tables, sid: str) -> tuple[Exploration, list[str]]:
    """The Sweep sheet's frame of sweep `sid` and the packages to solve (the parent's line
    first, then the points)."""
    sweeps = sweeps_of(tables)
    if sid not in sweeps:
        known = ", ".join(sweeps) or "none (the workbook has no Sweeps rows)"
        raise InputError(
            [Issue("Sweeps", f"unknown sweep {sid!r}; sweeps: {known}", "check --sweep")]
        )
    points = sweeps[sid]
    # a swept column named as a column of the sheet (Sites.status) is shown as status_value
    labels = [f"{lab}_value" if lab in POINTS else lab for lab in points[0].labels]
    numeric = all(isinstance(p.values[0], float) for p in points)
    x = labels[0] if len(labels) == 1 and numeric else "point_no"
    parent = points[0].parent
    ex = Exploration(
        "Sweep",
        f"Sweep {sid}: {len(points)} points of {', '.join(labels)}, each starting from "
        f"package {parent}",
        labels,
        {p.package: p.values for p in points},
        x,
    )
    lineage = [BASELINE, *chain(tables, parent)] if parent != BASELINE else [BASELINE]
    return ex, lineage + [p.package for p in points]


def sweep_hook(sid: str | None, options) -> Callable[[Tables, RunReport], None]:
    """What `enclave solve --sweep ID` does once the workbook is read: choose the sweep's
    packages (besides any --scenario) and frame its Sweep sheet. Without --sweep: say
    which sweeps are left out."""

    def hook(tables: Tables, report: RunReport) -> None:
        if sid is None:
            for line in sweep_lines(tables):
                print(f"not solved: {line}")
            return
        ex, ids = sweep_exploration(tables, sid)
        options.scenarios = list(dict.fromkeys([*(options.scenarios or []), *ids]))
        report.explore = ex

    return hook


def cmd_frontier(args: argparse.Namespace) -> int:
    from .analysis.frontier import frontier
    from .app import RunOptions, load
    from .cli import (
        EXIT_INPUT,
        EXIT_INTERRUPTED,
        EXIT_NO_PLAN,
        EXIT_OK,
        _print_issues,
        _refuse_folder,
        _write,
    )
    from .io.folders import usable_folder

    path = Path(args.workbook)
    problem = usable_folder(Path(args.out))
    if problem:
        return _refuse_folder(problem)
    options = RunOptions(threads=args.threads, seed=args.seed, workers=args.workers)
    try:
        tables, raw, issues = load(path)
        print(
            f"Tracing the efficiency-equity frontier of {args.scenario} ({args.points} points) ...",
            flush=True,
        )
        report = frontier(
            tables,
            args.scenario,
            args.points,
            options,
            log=lambda line: print(line, flush=True),
        )
    except InputError as err:
        _print_issues(err, str(path), args.out)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted before the frontier was traced; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    report.input_path, report.input_sha256 = path, raw.sha256
    report.warnings = [i for i in issues if i.severity != "error"]
    report.sheets_read = {k: len(v.rows) for k, v in raw.tables.items()}
    report.ignored_sheets, report.sheet_names = raw.ignored_sheets, raw.sheet_names
    written = _write(report, Path(args.out), f"{path.stem}_frontier")
    if written is None:
        return EXIT_INTERRUPTED
    print(f"Results written to {written}")
    if report.interrupted:
        return EXIT_INTERRUPTED
    if not any(r.outcome.has_plan for r in report.results):
        return EXIT_NO_PLAN
    return EXIT_OK


def add_sweep_argument(solve) -> None:
    solve.add_argument(
        "--sweep",
        metavar="ID",
        help="solve the points of this sweep (sheet Sweeps) and their parent's line; "
        "the result workbook gets a Sweep sheet",
    )


def add_frontier_parser(sub) -> None:
    f = sub.add_parser(
        "frontier",
        help="trace welfare against the developing regions' share (equity floor raised "
        "point by point) and write a result workbook with a Frontier sheet",
    )
    f.add_argument("workbook")
    f.add_argument(
        "--scenario", default=BASELINE, metavar="ID", help="package to trace (default: baseline)"
    )
    f.add_argument(
        "--points",
        type=int,
        default=12,
        metavar="N",
        help="points on the frontier (default 12, at least 3)",
    )
    f.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="folder for the result workbook (default: reports)",
    )
    f.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="points solved side by side (as solve)",
    )
    f.add_argument("--threads", type=int, default=None, help="HiGHS threads (default: HiGHS's)")
    f.add_argument("--seed", type=int, default=None, help="HiGHS's random seed")
    f.set_defaults(func=cmd_frontier)
