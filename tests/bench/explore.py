"""Benchmark of issue 14's targets on the bundled example, each run a fresh process.

    python tests/bench/explore.py [--workers 2] [--repeats 3] [--points 12] [--threads N]
                                  [--skip-sweep] [--skip-frontier]

(a) the example's 20-point sweep `exchange` solved one after another (--workers 1) and side
by side (--workers N): wall times, speed-up and whether the objectives are identical;
(b) the example's frontier (--points N, --workers N): wall time, points with a plan and
each point's status and gap. Target (2 cores): (a) at least 1.8x with identical
objectives; (b) at least 12 points in under 2 minutes, every point within mip_gap.
`--threads N` hands HiGHS N threads in every run (by default a run one after another
leaves HiGHS its own default and each side-by-side package gets one thread; HiGHS's
results can differ in their last digits with its number of threads).
Not part of the test run. Results go to a temporary folder.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "inputs" / "zhejiang_example.xlsx"


def run(args: list[str], out: Path) -> tuple[float, float, Path]:
    """Wall seconds, CPU seconds (the process and every process it started) and the
    result workbook of `enclave ARGS --out OUT`."""
    out.mkdir(parents=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", *args, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode not in (0, 3):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    (book,) = out.glob("*.xlsx")
    return seconds, cpu, book


def points(book: Path, sheet: str) -> pd.DataFrame:
    raw = pd.read_excel(book, sheet_name=sheet, header=None)
    top = raw.index[raw[0] == "point_no"][0]
    return pd.read_excel(book, sheet_name=sheet, skiprows=top).dropna(subset=["point"])


def sweep(folder: Path, workers: int, repeats: int, threads: list[str]) -> None:
    """The pairs alternated (serial, side by side, serial, ...), each run a fresh process;
    medians, and each pair's own ratio."""
    runs: dict[int, list[tuple[float, float]]] = {1: [], workers: []}
    objectives: dict[int, list[float]] = {}
    for k in range(repeats):
        for w in (1, workers):
            seconds, cpu, book = run(
                ["solve", str(EXAMPLE), "--sweep", "exchange", "--workers", str(w), *threads],
                folder / f"w{w}-{k}",
            )
            runs[w].append((seconds, cpu))
            table = points(book, "Sweep")
            objectives.setdefault(w, list(table["objective_mcny"]))
            if list(table["objective_mcny"]) != objectives[w]:
                print(f"    note: run {k} of --workers {w} gave other objectives than run 0")
    same = objectives[1] == objectives[workers]
    worst = max(abs(a - b) for a, b in zip(objectives[1], objectives[workers]))
    wall = {w: statistics.median(s for s, _ in r) for w, r in runs.items()}
    print(
        f"(a) sweep 'exchange' of the example: {len(objectives[1])} points, {repeats} pairs"
        + (f", HiGHS threads {threads[1]}" if threads else "")
    )
    for w, label in ((1, "serial (--workers 1)"), (workers, f"side by side (--workers {workers})")):
        each = ", ".join(f"{s:.1f} s wall / {c:.1f} s CPU" for s, c in runs[w])
        print(f"    {label:<28} median {wall[w]:6.1f} s  ({each})")
    ratios = ", ".join(f"{a[0] / b[0]:.2f}x" for a, b in zip(runs[1], runs[workers]))
    speedup = wall[1] / wall[workers]
    print(f"    speed-up of the medians {speedup:.2f}x (target >= 1.8x); pairs: {ratios}")
    print(
        f"    objectives identical: {'yes' if same else 'no'} (largest difference {worst:g} mcny)"
    )


def frontier(folder: Path, workers: int, n: int) -> None:
    seconds, _, book = run(
        ["frontier", str(EXAMPLE), "--points", str(n), "--workers", str(workers)], folder / "fr"
    )
    table = points(book, "Frontier")
    planned = table[table["developing_share"].notna()]
    print(f"(b) frontier of the example (--points {n}, --workers {workers}): {seconds:.1f} s")
    print(f"    {len(planned)} points with a plan, {len(table) - len(planned)} without")
    for _, r in table.iterrows():
        gap = f"{r['mip_gap']:.4%}" if pd.notna(r["mip_gap"]) else "n/a"
        share = f"{r['developing_share']:.2%}" if pd.notna(r["developing_share"]) else "-"
        print(
            f"    floor {r['min_developing_share']:.4f}: {r['status']:<22} gap {gap:>9}  "
            f"share {share:>7}  welfare {r['objective_mcny']:,.1f}"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--points", type=int, default=12)
    p.add_argument("--repeats", type=int, default=3, help="pairs of sweep runs, alternated")
    p.add_argument("--threads", type=int, help="HiGHS threads in every run of the sweep")
    p.add_argument("--skip-sweep", action="store_true")
    p.add_argument("--skip-frontier", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_sweep:
            threads = ["--threads", str(args.threads)] if args.threads else []
            sweep(Path(tmp), args.workers, args.repeats, threads)
        if not args.skip_frontier:
            frontier(Path(tmp), args.workers, args.points)


if __name__ == "__main__":
    main()
