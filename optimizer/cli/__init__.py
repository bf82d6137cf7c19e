"""`enclave template | validate | solve | frontier | build-workbook | docs` —
the planner's commands.

Exit codes: 0 success; 1 internal error; 2 invalid input or an unusable output folder
(nothing solved, nothing written); 3 at least one scenario infeasible, impossible or without
a solution (the others are still written); 130 interrupted (Ctrl-C or SIGTERM; what was
found until then is written).
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import traceback
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..io.folders import usable_folder
from ..report.alternatives import PLANS_HELP, SLACK_HELP, plans_arg, slack_arg
from ..report.console import Board
from ..report.tables import ScenarioResult
from .codes import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_NO_PLAN, EXIT_OK
from .explore import add_frontier_parser, add_sweep_argument
from .workbooks import cmd_build, cmd_docs, cmd_generate, cmd_template


def refuse_folder(problem: str) -> int:
    print(f"output folder: {problem}; nothing was solved", file=sys.stderr)
    return EXIT_INPUT


def print_issues(err: InputError, path: str, out_dir: str | None = None) -> None:
    print(f"{path}: {len(err.issues)} problem(s) — nothing was solved:", file=sys.stderr)
    for issue in err.issues:
        print(f"  {issue}", file=sys.stderr)
    for w in err.warnings:
        print(f"  warning: {w}", file=sys.stderr)
    if out_dir is not None:
        book = _issue_book(Path(path), err, Path(out_dir))
        if book:
            print(f"Each problem is marked in a copy of the workbook: {book}", file=sys.stderr)


def _issue_book(path: Path, err: InputError, out_dir: Path) -> Path | None:
    """The marked-up copy, when the file is a workbook at all; never fails the run."""
    from ..io.container import inspect
    from ..io.issue_book import write_issue_book

    if any(i.sheet is None and i.severity == "error" for i in err.issues):
        return None  # the file itself is unusable: there is nothing to mark up
    try:
        data = path.read_bytes()
        inspect(path.name, data)
        return write_issue_book(path, data, err.issues + err.warnings, out_dir)
    except Exception:
        return None


def _final_line(console, r: ScenarioResult) -> None:
    """A package's last words on the console: its status, welfare, gap and time, and for a
    package without a plan, why (with the cells to change)."""
    o = r.outcome
    welfare = f"welfare {o.objective:,.3f} mcny" if o.objective is not None else "no plan"
    gap = f"gap {o.mip_gap:.3%}" if o.mip_gap is not None else "gap n/a"
    console.end(
        f"{r.scenario}: {o.label} — {welfare}, {gap}, {o.seconds:.2f} s"
        + ("" if o.has_plan else f" ({o.message})"),
        r.scenario,
    )
    if r.diagnosis_note:
        console.say(f"    diagnosis ({r.diagnosis_note}):")
        for x in r.diagnosis:
            console.say(f"    - {x.message}" + (f"  [change {x.cell}]" if x.cell else ""))


def cmd_validate(args: argparse.Namespace) -> int:
    from ..app import check_requested, load
    from ..data.scenarios import scenario_ids
    from ..packages import prepare, presolve_problems
    from ..report.explore import sweep_lines

    problem = usable_folder(Path(args.out))
    if problem:
        return refuse_folder(problem)

    try:
        tables, _, issues = load(args.workbook)
        problems = presolve_problems(prepare(tables, scenario_ids(tables)))
        if problems:
            raise InputError(problems + [i for i in issues if i.severity != "error"])
    except InputError as err:
        print_issues(err, args.workbook, args.out)
        return EXIT_INPUT
    for w in issues:
        print(f"warning: {w}")
    print(
        f"{args.workbook}: no problems found; scenarios: {', '.join(check_requested(tables, None))}"
    )
    for line in sweep_lines(tables):
        print(line)
    return EXIT_OK


def cmd_solve(args: argparse.Namespace) -> int:
    from ..app import RunOptions, run_workbook
    from .explore import sweep_hook

    path = Path(args.workbook)
    problem = usable_folder(Path(args.out))
    if problem:
        return refuse_folder(problem)
    options = RunOptions(
        args.scenario,
        args.threads,
        args.irreplaceability,
        mps_dir=Path(args.write_mps) if args.write_mps else None,
        seed=args.seed,
        engine=args.engine,
        verbose=args.verbose,
        workers=args.workers,
        scheduler=args.scheduler,
        alternatives=args.alternatives,
        slack=args.slack,
    )

    def announce(ids: list[str], warnings: list) -> None:
        for w in warnings:
            print(f"warning: {w}")
        print(f"Solving {len(ids)} scenario(s) of {path.name} ...", flush=True)
        options.console = Board(len(ids))
        # the solver's own notes (starts, kernels, bounds) are in the Run sheet; on the
        # console with --verbose only
        options.log = options.console.say if args.verbose else None

    try:
        report = run_workbook(
            path,
            options,
            progress=lambda r: _final_line(options.console, r),
            announce=announce,
            prepare=sweep_hook(args.sweep, options),
        )
    except InputError as err:
        print_issues(err, str(path), args.out)
        return EXIT_INPUT
    except KeyboardInterrupt:  # before any package was solved
        print("interrupted before solving; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if options.console is not None:
            options.console.close()
    written = write_results(report, Path(args.out), path.stem)
    if written is None:
        return EXIT_INTERRUPTED
    if report.interrupted:
        skipped = [r.scenario for r in report.results if r.outcome.status == "not run"]
        print(
            f"Interrupted: what was found until then is written to {written}"
            + (f"; not run: {', '.join(skipped)}" if skipped else ""),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(f"Results written to {written}")
    failed = [r.scenario for r in report.results if not r.outcome.has_plan]
    if failed:
        print(f"No plan for: {', '.join(failed)} (see the Summary sheet)", file=sys.stderr)
        return EXIT_NO_PLAN
    return EXIT_OK


def write_results(report, folder: Path, stem: str) -> Path | None:
    """The result workbook (in `folder`, or a named fallback); None if interrupted."""
    from ..report.delivery import deliver

    try:
        return deliver(report, folder, stem)
    except KeyboardInterrupt:
        pass
    _quiet_cleanup()
    print(
        "interrupted while writing the results; nothing was written (no partial file is left)",
        file=sys.stderr,
    )
    return None


def _quiet_cleanup() -> None:
    """Free what an interrupted write left behind without Python's "Exception ignored in
    ZipFile.__del__" noise (a half-written zip cannot be closed cleanly)."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda *_: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="enclave",
        description="Planning optimizer for reverse "
        "enclaves: which parks to open, how much land quota moves, "
        "which firms are incubated where and produce where.",
    )
    p.add_argument("--version", action="version", version=f"enclave {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("template", help="write a blank input workbook")
    t.add_argument("path", help="where to write it, e.g. my_plan.xlsx (must not exist)")
    t.set_defaults(func=cmd_template)
    v = sub.add_parser("validate", help="check a workbook without solving")
    v.add_argument("workbook")
    v.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="folder for <workbook>_issues.xlsx, written when problems are found",
    )
    v.set_defaults(func=cmd_validate)
    s = sub.add_parser("solve", help="solve every scenario and write a result workbook")
    s.add_argument("workbook")
    s.add_argument(
        "--scenario",
        action="append",
        metavar="ID",
        help="solve only this scenario (repeatable; default: all)",
    )
    add_sweep_argument(s)
    s.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="folder for the result workbook (default: reports)",
    )
    s.add_argument("--threads", type=int, default=None, help="HiGHS threads (default: HiGHS's)")
    s.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="packages solved side by side (default: what the cores and memory "
        "allow; 1 = one after another)",
    )
    s.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help='solve on a Dask cluster (pip install ".[cluster]"), e.g. tcp://10.0.0.5:8786',
    )
    s.add_argument(
        "--verbose",
        action="store_true",
        help="also show HiGHS's own log and the solver's notes (starts, kernels, bounds; they "
        "are always in the Run sheet)",
    )
    s.add_argument(
        "--seed",
        type=int,
        default=None,
        help="HiGHS's random seed, for repeatable runs (default: HiGHS's)",
    )
    s.add_argument(
        "--engine",
        choices=("direct", "pyomo"),
        default="direct",
        help="direct (default): the model as arrays straight to HiGHS; pyomo: the "
        "readable reference model (slower to build at scale, same optimum)",
    )
    s.add_argument(
        "--write-mps",
        metavar="DIR",
        default=None,
        help="also write each scenario's model as DIR/<scenario>.mps",
    )
    s.add_argument(
        "--irreplaceability",
        action="store_true",
        help="also re-solve without each opened option/trade and with each lock "
        "freed (sheet Irreplaceability; one extra solve per decision)",
    )
    s.add_argument("--alternatives", metavar="K", type=plans_arg, default=0, help=PLANS_HELP)
    s.add_argument("--slack", metavar="SHARE", type=slack_arg, default=0.02, help=SLACK_HELP)
    s.set_defaults(func=cmd_solve)
    add_frontier_parser(sub)
    b = sub.add_parser("build-workbook", help="build an input workbook from <Sheet>.csv files")
    b.add_argument("folder")
    b.add_argument("out")
    b.add_argument("--replace", action="store_true", help="rebuild an existing workbook")
    b.set_defaults(func=cmd_build)
    g = sub.add_parser("generate", help="write a realistic synthetic workbook of any size")
    g.add_argument("out", metavar="OUT.xlsx")
    g.add_argument("--firms", type=int, default=200)
    g.add_argument("--sites", type=int, default=20, help="enclave options")
    g.add_argument("--locations", type=int, default=30, help="production locations")
    g.add_argument("--regions", type=int, default=12)
    g.add_argument("--seed", type=int, default=1)
    g.set_defaults(func=cmd_generate)
    d = sub.add_parser(
        "docs",
        help="write docs/inputs.md, docs/results.md and docs/model.md's tables from the code",
    )
    d.add_argument("--folder", default="docs")
    d.add_argument("--check", action="store_true", help="only check it is up to date")
    d.set_defaults(func=cmd_docs)
    return p


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a run as Ctrl-C does


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave SIGTERM alone
        previous = None
    try:
        return args.func(args)
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc}\nPlease report this together "
            "with the workbook (run with --debug for details).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if previous is not None:  # main() may be called again in the same process (tests)
            signal.signal(signal.SIGTERM, previous)
    _quiet_cleanup()
    print("interrupted; nothing was written", file=sys.stderr)
    return EXIT_INTERRUPTED
