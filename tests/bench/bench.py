"""Benchmark: seconds per phase and peak memory at sizes S, M, L, side by side with HiGHS
alone reading and solving the same model from MPS with the same options.

    python tests/bench/bench.py --sizes S M L --repeats 3 [--time-limit 120] [--write-doc]

Each measurement runs in a fresh subprocess (so peak RSS is that run's own). Prints a
table; with --write-doc also writes docs/performance.md with the machine, versions and
the exact command. Not part of the default test run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

SIZES = {  # firms, enclave options, locations, regions
    "S": (200, 20, 30, 12),
    "M": (2000, 60, 80, 30),
    "L": (10000, 150, 200, 90),
}
PHASES = (
    "read",
    "validate",
    "build",
    "handover",
    "warmstart",
    "bound",
    "solve",
    "extract",
    "write",
)


def one_run(size: str, time_limit: float, workdir: Path, pyomo: bool, seed: int) -> dict:
    """Time every phase of `enclave solve` (default engine) on the baseline scenario."""
    from datetime import datetime

    from optimizer.app import RunOptions, load, prepare
    from optimizer.data.synthetic import generate
    from optimizer.io.reader import read_workbook
    from optimizer.model.matrix import build_matrix
    from optimizer.report.tables import RunReport, extract
    from optimizer.report.workbook import write_report
    from optimizer.solve.highs import to_highs
    from optimizer.solve.strategy import solve_array

    firms, sites, locs, regions = SIZES[size]
    book = workdir / f"{size}.xlsx"
    if not book.exists():
        generate(book, firms, sites, locs, regions, seed=7)
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    read_workbook(book)
    t["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    tables, raw, _ = load(book)  # reads again: the read time measured above is subtracted
    ((sid, d, _),) = prepare(tables, ["baseline"])
    t["validate"] = time.perf_counter() - t0 - t["read"]
    t0 = time.perf_counter()
    mm = build_matrix(d)
    t["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    h = to_highs(mm)
    t["handover"] = time.perf_counter() - t0
    mps = workdir / f"{size}.mps"
    h.writeModel(str(mps))  # not timed: the yardstick for HiGHS alone
    h.setOptionValue("random_seed", seed)  # repeat k: HiGHS alone runs with the same seed
    d.policy["time_limit_s"] = time_limit
    run = solve_array(d, mm, highs=h)  # exactly what `enclave solve` runs
    del h
    t.update(run.seconds)
    out, x = run.outcome, run.x
    t0 = time.perf_counter()
    result = extract(sid, "", d, x, out) if out.has_plan else None
    t["extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if result is not None:
        result.data = d
        write_report(
            RunReport(book, raw.sha256, RunOptions(), datetime.now(UTC), results=[result]),
            workdir / "out",
            size,
        )
    t["write"] = time.perf_counter() - t0
    extra = {}
    if pyomo:  # the reference engine's construction and hand-over, for comparison
        from pyomo.contrib.solver.common.factory import SolverFactory

        from optimizer.model.pyomo_form import pyomo_model

        t0 = time.perf_counter()
        m = pyomo_model(d)
        extra["pyomo_build"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        SolverFactory("highs").set_instance(m)
        extra["pyomo_handover"] = time.perf_counter() - t0
    return {
        "phases": t,
        "extra": extra,
        "status": out.status,
        "objective": out.objective,
        "gap": out.mip_gap,
        "greedy": run.greedy,
        "start": run.start,
        "cols": mm.n_cols,
        "rows": len(mm.row_lower),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mps": str(mps),
        "mip_gap": d.policy["mip_gap"],
    }


def highs_alone(mps: str, time_limit: float, mip_gap: float, seed: int) -> dict:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", seed)
    t0 = time.perf_counter()
    h.readModel(mps)
    read = time.perf_counter() - t0
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    t0 = time.perf_counter()
    h.run()
    info = h.getInfo()
    return {
        "read": read,
        "solve": time.perf_counter() - t0,
        "objective": info.objective_function_value if info.primal_solution_status == 2 else None,
        "gap": info.mip_gap,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(args: argparse.Namespace) -> None:
    work = Path(args.workdir)
    if args.highs_only:
        print(json.dumps(highs_alone(args.highs_only, args.time_limit, args.mip_gap, args.seed)))
    else:
        print(json.dumps(one_run(args.size, args.time_limit, work, args.pyomo, args.seed)))


def spawn(extra: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *extra], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=list(SIZES))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--time-limit", type=float, default=120)
    p.add_argument("--write-doc", action="store_true")
    p.add_argument(
        "--pyomo",
        action="store_true",
        help="also time the Pyomo reference model's build and hand-over",
    )
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--size", help=argparse.SUPPRESS)
    p.add_argument("--workdir", help=argparse.SUPPRESS)
    p.add_argument("--highs-only", help=argparse.SUPPRESS)
    p.add_argument("--mip-gap", type=float, default=0.01, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        return child(args)
    work = Path(tempfile.mkdtemp(prefix="enclave-bench-"))
    lines = [
        "| size (firms, options, locations, regions) | columns x rows | "
        + " | ".join(PHASES)
        + " | ours total | peak MiB | HiGHS read MPS "
        "| HiGHS solve | HiGHS total | (build + hand-over) / HiGHS read | total ratio "
        "| objective ours / HiGHS (greedy start, start handed to HiGHS) | gap ours / HiGHS "
        "| Pyomo build, hand-over |"
    ]
    lines.append("|" + "---|" * (lines[0].count("|") - 1))
    details = [
        "| size | seed | ours total s | ours solve s | ours status | ours objective "
        "| ours gap | HiGHS alone total s | HiGHS objective | HiGHS gap |",
        "|" + "---|" * 10,
    ]
    for size in args.sizes:
        ours, alone = [], []
        for k in range(args.repeats):  # repeat k runs both sides with HiGHS random_seed k
            r = spawn(
                [
                    "--size",
                    size,
                    "--workdir",
                    str(work),
                    "--time-limit",
                    str(args.time_limit),
                    "--seed",
                    str(k),
                ]
                + (["--pyomo"] if args.pyomo else [])
            )
            ours.append(r)
            alone.append(
                spawn(
                    [
                        "--highs-only",
                        r["mps"],
                        "--workdir",
                        str(work),
                        "--time-limit",
                        str(args.time_limit),
                        "--mip-gap",
                        str(r["mip_gap"]),
                        "--seed",
                        str(k),
                    ]
                )
            )
        med = {ph: statistics.median(r["phases"][ph] for r in ours) for ph in PHASES}
        total = statistics.median(sum(r["phases"].values()) for r in ours)
        h_read = statistics.median(a["read"] for a in alone)
        h_solve = statistics.median(a["solve"] for a in alone)
        peak = max(r["peak_rss_mib"] for r in ours)
        last = ours[-1]
        handover = med["build"] + med["handover"]

        def fmt(v, spec=",.1f"):
            return "none" if v is None or v != v or abs(v) > 1e29 else format(v, spec)

        def median(values):
            known = [v for v in values if v is not None and abs(v) < 1e29]
            return statistics.median(known) if len(known) == len(values) else None

        objs = (
            f"{fmt(median([r['objective'] for r in ours]))} / "
            f"{fmt(median([a['objective'] for a in alone]))} "
            f"({fmt(last['greedy'])}, {fmt(last['start'])})"
        )
        alone_gaps = [a["gap"] if a["objective"] is not None else None for a in alone]
        gap = f"{fmt(median([r['gap'] for r in ours]), '.2%')} / {fmt(median(alone_gaps), '.2%')}"
        for k, (r, a) in enumerate(zip(ours, alone)):
            details.append(
                f"| {size} | {k} | {sum(r['phases'].values()):.1f} | {r['phases']['solve']:.1f} "
                f"| {r['status']} | {fmt(r['objective'])} | {fmt(r['gap'], '.2%')} | "
                f"{a['read'] + a['solve']:.1f} | {fmt(a['objective'])} | "
                f"{fmt(a['gap'] if a['objective'] is not None else None, '.2%')} |"
            )
        py = last["extra"]
        pyomo = f"{py['pyomo_build']:.1f} s, {py['pyomo_handover']:.1f} s" if py else "not run"
        lines.append(
            f"| {size} {SIZES[size]} | {last['cols']:,} x {last['rows']:,} | "
            + " | ".join(f"{med[ph]:.2f}" for ph in PHASES)
            + f" | {total:.2f} | {peak:.0f} | {h_read:.2f} | {h_solve:.2f} | "
            f"{h_read + h_solve:.2f} | {handover / max(h_read, 1e-9):.1f}x | "
            f"{total / max(h_read + h_solve, 1e-9):.2f}x | {objs} | {gap} | {pyomo} |"
        )
        print(lines[-1], flush=True)
    table = (
        "\n".join(lines) + "\n\nEach run (objective in mcny of weighted welfare; "
        "`none` = no plan or no bound):\n\n" + "\n".join(details)
    )
    print(table)
    if args.write_doc:
        from importlib import metadata

        import highspy  # noqa: F401

        doc = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
        measured = (
            "Measured by `python tests/bench/bench.py "
            + " ".join(sys.argv[1:])
            + f"` on {platform.node()} ({platform.machine()}, "
            f"{__import__('os').cpu_count()} cores), Python {platform.python_version()}, "
            f"pyomo {metadata.version('pyomo')}, highspy {metadata.version('highspy')}, "
            f"{time.strftime('%Y-%m-%d')}. Seconds are medians of {args.repeats} runs "
            "(baseline scenario of `enclave generate` workbooks, seed 7; repeat k runs both "
            "sides with HiGHS `random_seed` k, since one seed's branch-and-bound path can be "
            "several times faster or slower than another's); peak memory is the "
            "largest peak RSS of our runs. HiGHS alone reads and solves the MPS our run "
            "handed it, with the same time limit and gap, in the same session.\n\n" + table + "\n"
        )
        begin, end = "<!-- bench:begin -->\n", "<!-- bench:end -->"
        old = doc.read_text(encoding="utf-8") if doc.exists() else ""
        if begin in old and end in old:  # keep the hand-written analysis around the table
            text = old[: old.index(begin) + len(begin)] + measured + old[old.index(end) :]
        else:
            text = f"# Performance\n\n{begin}{measured}{end}\n"
        doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
