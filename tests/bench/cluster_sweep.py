"""Benchmark of issue 14's cluster target: a sweep of 200 points of the bundled example
solved on a Dask `LocalCluster` (2 workers of one thread), as a fresh process.

    python tests/bench/cluster_sweep.py [--workers 2]

The example's CSV source with one more sweep `grid` (exchange_ratio 1 to 2.9 by 0.1 x
host_share 0.3 to 0.75 by 0.05: 200 points) is built into a workbook in a temporary
folder and solved with `enclave solve --sweep grid --scheduler ADDRESS`. Prints the wall
time, how many points have a plan, how many are missing from the Sweep sheet (lost), and
the largest peak memory a package reported (the Run sheet). Needs `pip install ".[cluster]"`.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
GRID = [
    ["grid", "Policy", "exchange_ratio", "value", "set", "1:2.9:0.1", "baseline"],
    ["grid", "Policy", "host_share", "value", "set", "0.3:0.75:0.05", "baseline"],
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "example"
        shutil.copytree(ROOT / "inputs" / "zhejiang_example", src)
        with open(src / "Sweeps.csv", "a", newline="") as f:
            csv.writer(f).writerows(GRID)
        book = Path(tmp) / "grid.xlsx"
        enclave = [sys.executable, "-m", "optimizer"]
        subprocess.run([*enclave, "build-workbook", str(src), str(book)], check=True)
        with LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            t0 = time.perf_counter()
            done = subprocess.run(
                [
                    *enclave,
                    "solve",
                    str(book),
                    "--sweep",
                    "grid",
                    "--out",
                    str(Path(tmp) / "out"),
                    "--scheduler",
                    cluster.scheduler_address,
                ],
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - t0
        if done.returncode not in (0, 3):
            sys.exit(f"solve failed ({done.returncode}):\n{done.stderr[-2000:]}")
        (result,) = (Path(tmp) / "out").glob("*.xlsx")
        raw = pd.read_excel(result, sheet_name="Sweep", header=None)
        top = raw.index[raw[0] == "point_no"][0]
        points = pd.read_excel(result, sheet_name="Sweep", skiprows=top).dropna(subset=["point"])
        run = pd.read_excel(result, sheet_name="Run", header=None)
        memory = [
            float(m.group(1).replace(",", ""))
            for v in run[1].astype(str)
            if (m := re.match(r"([\d,]+) MiB", v))
        ]
        planned = int(points["objective_mcny"].notna().sum())
        print(f"200-point sweep on a LocalCluster of {args.workers} workers: {wall:.1f} s wall")
        print(
            f"    points in the Sweep sheet {len(points)}, with a plan {planned}, "
            f"lost {200 - len(points)}"
        )
        print(f"    statuses: {points['status'].value_counts().to_dict()}")
        print(
            "    largest peak memory of a package (process and HiGHS workers): "
            f"{max(memory, default=0):,.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
