"""`enclave solve --sweep ID` and `enclave frontier`: runs over many points of one package,
written as a normal result workbook plus a `Sweep` or `Frontier` sheet."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..io.schema import BASELINE, Tables
from ..report.explore import sweep_exploration, sweep_lines
from ..report.tables import RunReport
from .codes import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_NO_PLAN, EXIT_OK


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
    from ..app import RunOptions, frontier, load
    from ..io.folders import usable_folder
    from . import print_issues, refuse_folder, write_results

    path = Path(args.workbook)
    problem = usable_folder(Path(args.out))
    if problem:
        return refuse_folder(problem)
    options = RunOptions(threads=args.threads, seed=args.seed, workers=args.workers)
    try:
        tables, raw, issues = load(path)
        print(
            f"Tracing the efficiency-equity frontier of {args.scenario} "
            f"({max(3, args.points)} points) ...",
            flush=True,
        )
        report = frontier(
            tables, args.scenario, args.points, options, log=lambda line: print(line, flush=True)
        )
    except InputError as err:
        print_issues(err, str(path), args.out)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted before the frontier was traced; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    report.input_path, report.input_sha256 = path, raw.sha256
    report.warnings = [i for i in issues if i.severity != "error"]
    report.sheets_read = {k: len(v.rows) for k, v in raw.tables.items()}
    report.ignored_sheets, report.sheet_names = raw.ignored_sheets, raw.sheet_names
    written = write_results(report, Path(args.out), f"{path.stem}_frontier")
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
        help="points with a plan on the frontier (default 12, at least 3)",
    )
    f.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="folder for the result workbook (default: reports)",
    )
    f.add_argument(
        "--workers", type=int, default=None, metavar="N", help="points solved side by side"
    )
    f.add_argument("--threads", type=int, default=None, help="HiGHS threads (default: HiGHS's)")
    f.add_argument("--seed", type=int, default=None, help="HiGHS's random seed")
    f.set_defaults(func=cmd_frontier)
