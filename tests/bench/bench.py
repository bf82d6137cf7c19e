"""Benchmark: plan quality and wall time of `enclave solve` through the planner's workbook,
side by side with HiGHS alone on the same model (the MPS our run wrote) and time limit.

    python tests/bench/bench.py [--only NAME ...] [--repeats 3] [--write-doc]
    python tests/bench/bench.py --best-known M12 --time-limit 900     # a long run

Instances: the generated sizes S, M12 (the command of issue 11: 2,000 firms, 12 regions),
M30 (30 regions) and L (10,000 firms, time_limit_s 300); OR-Library capa at its four
capacities and Holmberg p56-p71, as single-source workbooks (tests/support/benchmarks.py),
each with its published optimum. Each run is a fresh process; repeat k runs both sides
with HiGHS random_seed k. Prints a table; --write-doc puts it in docs/performance.md
between the bench markers (the analysis around it is kept). Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "support"))
GENERATED = {  # firms, enclave options, locations, regions, time_limit_s
    "S": (200, 20, 30, 12, 120),
    "M12": (2000, 60, 80, 12, 120),
    "M30": (2000, 60, 80, 30, 120),
    "L": (10000, 150, 200, 90, 300),
}
CAPA = (8000, 10000, 12000, 14000)
HOLMBERG = tuple(f"p{n}" for n in range(56, 72))
BEST_KNOWN = HERE / "best_known.json"  # long runs: {"M12": {"objective": ..., "how": ...}}


def instances() -> dict[str, dict]:
    out = {k: {"kind": "generated", "time_limit": v[4]} for k, v in GENERATED.items()}
    out.update({f"capa-{c}": {"kind": "capa", "capacity": c, "time_limit": 120} for c in CAPA})
    out.update({h: {"kind": "holmberg", "time_limit": 120} for h in HOLMBERG})
    return out


def workbook(name: str, spec: dict, folder: Path, time_limit: float) -> tuple[Path, float | None]:
    """The instance as a planner workbook, and the published optimum in our sign (or the
    best known value of a generated size, or None)."""
    import benchmarks as bi

    from optimizer.data.synthetic import generate_tables
    from optimizer.io.template import write_input_workbook

    path = folder / f"{name}-{int(time_limit)}.xlsx"
    if spec["kind"] == "generated":
        firms, sites, locs, regions, _ = GENERATED[name]
        tables = generate_tables(firms, sites, locs, regions, 7)
        tables["Policy"] = [r for r in tables["Policy"] if r["parameter"] != "time_limit_s"]
        tables["Policy"].append({"parameter": "time_limit_s", "value": time_limit})
        known = json.loads(BEST_KNOWN.read_text()) if BEST_KNOWN.exists() else {}
        reference = known.get(name, {}).get("objective")
    elif spec["kind"] == "capa":
        inst = bi.parse_orlib_cap(bi.orlib_cap_path("capa"), capacity=spec["capacity"])
        tables = bi.sscflp_tables(inst, time_limit_s=time_limit)
        reference = -bi.ORLIB_CAP_OPTIMA[f"capa-{spec['capacity']}"]["ss"]
    else:
        inst = bi.parse_holmberg(bi.holmberg_path(name))
        tables = bi.sscflp_tables(inst, time_limit_s=time_limit)
        reference = -bi.HOLMBERG_OPTIMA[name]
    if not path.exists():
        write_input_workbook(path, tables)
    return path, reference


def ours(book: Path, seed: int, out: Path) -> dict:
    """`enclave solve BOOK --scenario baseline`, timed as a whole process, read back."""
    import pandas as pd

    mps = out / "mps"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "solve",
            str(book),
            "--scenario",
            "baseline",
            "--out",
            str(out),
            "--write-mps",
            str(mps),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    found = sorted(out.glob("*_results_*.xlsx"))
    if not found:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        print(f"  our run wrote no result (exit {proc.returncode}): " + " | ".join(tail))
        return {"wall": wall, "exit": proc.returncode, "status": "failed", "objective": None}
    result = found[-1]
    summary = pd.read_excel(result, sheet_name="Summary").iloc[0]
    run = pd.read_excel(result, sheet_name="Run")
    bound_note = run[run["item"].str.endswith("bound the gap is measured against", na=False)][
        "value"
    ].tolist()
    objective = "objective_mcny" if "objective_mcny" in summary else "objective"
    return {
        "wall": wall,
        "exit": proc.returncode,
        "status": summary["status"],
        "objective": _num(summary[objective]),
        "gap": _num(summary["mip_gap"]),
        "solve_seconds": _num(summary["solve_seconds"]),
        "bound_note": bound_note[0] if bound_note else "",
        "mps": str(mps / "baseline.mps"),
    }


def _num(v):
    return None if v is None or v != v else float(v)


def highs_alone(mps: str, time_limit: float, mip_gap: float, seed: int) -> dict:
    """HiGHS reading the MPS with the same limit and gap, default options otherwise, in a
    child process that prints every improving plan; killed if it overruns its limit by
    more than half the limit and 30 s."""
    code = f"""
import json, sys, time, highspy
h = highspy.Highs(); h.setOptionValue("output_flag", False)
h.readModel({mps!r})
h.setOptionValue("time_limit", {time_limit}); h.setOptionValue("mip_rel_gap", {mip_gap})
h.setOptionValue("random_seed", {seed})
t0 = time.perf_counter()
def plan(e):
    print(json.dumps({{"plan": e.data_out.objective_function_value,
                      "at": time.perf_counter() - t0}}), flush=True)
h.cbMipImprovingSolution.subscribe(plan)
h.run(); i = h.getInfo()
print(json.dumps({{"done": str(h.getModelStatus()), "bound": i.mip_dual_bound,
                  "objective": i.objective_function_value if i.primal_solution_status == 2
                  else None, "gap": i.mip_gap}}), flush=True)
"""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        stdout, _ = proc.communicate(timeout=1.5 * time_limit + 30)
        killed = False
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, _ = proc.communicate()
        killed = True
    wall = time.perf_counter() - t0
    lines = [json.loads(x) for x in stdout.splitlines() if x.startswith("{")]
    plans = [x["plan"] for x in lines if "plan" in x]
    done = next((x for x in lines if "done" in x), {})
    objective = done.get("objective") if done else (max(plans) if plans else None)
    bound = done.get("bound") if done and abs(done.get("bound", 1e31)) < 1e30 else None
    return {
        "mps_sha256": sha256(mps),
        "wall": wall,
        "killed": killed,
        "objective": objective,
        "gap": abs(bound - objective) / max(abs(objective), 1e-9)
        if objective is not None and bound is not None
        else None,
        "status": done.get("done", "killed at 1.5x its limit + 30 s"),
    }


def sha256(path: str) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def earlier_alone(saved: str | None, name: str, seed: int, mps: str) -> dict | None:
    """HiGHS alone's figures of this instance and seed from an earlier saved run, if the
    model is the same; marked as reused."""
    if not saved:
        return None
    runs = json.loads(Path(saved).read_text()).get(name, [])
    alone = next((r["alone"] for r in runs if r["seed"] == seed), None)
    if alone is None or alone.get("mps_sha256", "unrecorded") not in ("unrecorded", sha256(mps)):
        return None
    return {**alone, "reused_from": saved}


def fmt(v, spec=",.1f"):
    return "none" if v is None else format(v, spec)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def off(value, reference):
    """How far a plan is below the reference, as a share of |reference| (maximisation)."""
    if value is None or reference is None:
        return None
    return (reference - value) / abs(reference)


def table(results: dict[str, list[dict]]) -> str:
    head = (
        "| instance | limit s | ours: wall s (max) | status | plan (median) | gap reported "
        "(bound) | below reference | HiGHS alone: wall s (max) | plan | below reference | "
        "reference |"
    )
    lines = [head, "|" + "---|" * 11]
    for name, runs in results.items():
        ref = runs[0]["reference"]
        o = [r["ours"] for r in runs]
        a = [r["alone"] for r in runs]
        statuses = "/".join(sorted({r["status"] for r in o}))
        lines.append(
            f"| {name} | {runs[0]['limit']:g} | {fmt(median([r['wall'] for r in o]))} "
            f"({fmt(max(r['wall'] for r in o))}) | {statuses} | "
            f"{fmt(median([r['objective'] for r in o]))} | "
            f"{fmt(median([r['gap'] for r in o]), '.2%')} ({o[0]['bound_note'].split(':')[0]}) | "
            f"{fmt(median([off(r['objective'], ref) for r in o]), '.3%')} | "
            f"{fmt(median([r['wall'] for r in a]))} ({fmt(max(r['wall'] for r in a))}) | "
            f"{fmt(median([r['objective'] for r in a]))} | "
            f"{fmt(median([off(r['objective'], ref) for r in a]), '.3%')} | {fmt(ref)} |"
        )
    return "\n".join(lines)


def per_run(results: dict[str, list[dict]]) -> str:
    lines = [
        "| instance | seed | ours wall s | ours status | ours plan | ours gap | HiGHS alone "
        "wall s | HiGHS alone plan | HiGHS alone gap |",
        "|" + "---|" * 9,
    ]
    for name, runs in results.items():
        for r in runs:
            o, a = r["ours"], r["alone"]
            lines.append(
                f"| {name} | {r['seed']} | {o['wall']:.1f} | {o['status']} | "
                f"{fmt(o['objective'])} | {fmt(o['gap'], '.2%')} | {a['wall']:.1f} | "
                f"{fmt(a['objective'])} | {fmt(a['gap'], '.2%')} |"
            )
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    old = (
        doc.read_text(encoding="utf-8")
        if doc.exists()
        else "<!-- bench:begin -->\n<!-- bench:end -->\n"
    )
    a, b = old.index("<!-- bench:begin -->"), old.index("<!-- bench:end -->")
    doc.write_text(old[:a] + "<!-- bench:begin -->\n" + text + "\n" + old[b:], encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="*", help="instance names (default: all)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--write-doc", action="store_true")
    p.add_argument("--best-known", metavar="NAME", help="one long run of a generated size")
    p.add_argument("--time-limit", type=float, help="with --best-known: its time limit")
    p.add_argument("--save", metavar="JSON", help="also save every run's figures there")
    p.add_argument("--load", metavar="JSON", help="only print (and --write-doc) saved figures")
    p.add_argument(
        "--alone-from",
        metavar="JSON",
        help="take HiGHS alone's figures of (instance, seed) from an earlier --save where "
        "the model's MPS is the same (checked by its SHA-256 where the earlier run "
        "recorded it), instead of running it again",
    )
    args = p.parse_args()
    if args.load:
        results = json.loads(Path(args.load).read_text())
        known = json.loads(BEST_KNOWN.read_text()) if BEST_KNOWN.exists() else {}
        for name, runs in results.items():  # best known values may have come since
            for r in runs:
                if name in known:
                    r["reference"] = known[name]["objective"]
        return report(results, args)
    chosen = instances()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.best_known:
            book, _ = workbook(args.best_known, chosen[args.best_known], work, args.time_limit)
            r = ours(book, 0, work / "out")
            known = json.loads(BEST_KNOWN.read_text()) if BEST_KNOWN.exists() else {}
            how = (
                f"enclave solve with time_limit_s {args.time_limit:g}, seed 0, "
                f"{time.strftime('%Y-%m-%d')}: {r['status']}, gap {fmt(r['gap'], '.2%')}"
            )
            if r["objective"] is not None and r["objective"] > known.get(args.best_known, {}).get(
                "objective", -float("inf")
            ):
                known[args.best_known] = {"objective": r["objective"], "how": how}
                BEST_KNOWN.write_text(json.dumps(known, indent=1) + "\n")
            print(json.dumps(r, indent=1))
            return 0
        results: dict[str, list[dict]] = {}
        for name, spec in chosen.items():
            if args.only and name not in args.only:
                continue
            book, reference = workbook(name, spec, work, spec["time_limit"])
            results[name] = []
            for seed in range(args.repeats):
                out = work / f"{name}-{seed}"
                mine = ours(book, seed, out)
                if "mps" not in mine:
                    continue
                alone = earlier_alone(args.alone_from, name, seed, mine["mps"]) or highs_alone(
                    mine["mps"], spec["time_limit"], _mip_gap(book), seed
                )
                results[name].append(
                    {
                        "seed": seed,
                        "ours": mine,
                        "alone": alone,
                        "reference": reference,
                        "limit": spec["time_limit"],
                    }
                )
                print(
                    f"{name} seed {seed}: ours {fmt(mine['objective'])} ({mine['status']}, "
                    f"{mine['wall']:.1f} s), HiGHS alone {fmt(alone['objective'])} "
                    f"({alone['wall']:.1f} s), reference {fmt(reference)}",
                    flush=True,
                )
                if args.save:
                    Path(args.save).write_text(json.dumps(results, indent=1))
    return report(results, args)


def report(results: dict[str, list[dict]], args: argparse.Namespace) -> int:
    repeats = max(len(r) for r in results.values())
    text = (
        f"Measured by `python tests/bench/bench.py --repeats {repeats} --write-doc` on "
        f"{platform.node()} ({platform.machine()}, 2 cores), Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}. Medians of up to "
        f"{repeats} runs (the table 'Each run' lists them; repeat k: HiGHS random_seed k "
        "on both sides); wall = the whole "
        "`enclave solve` process (read, build, solve, write) and the whole HiGHS-alone "
        "process (read the MPS, solve). 'below reference' = (reference - plan) / |reference|: "
        "published optima for capa and Holmberg, the best known value for generated "
        "sizes (tests/bench/best_known.json).\n\n"
        + table(results)
        + "\n\nEach run:\n\n"
        + per_run(results)
    )
    print(text)
    if args.write_doc:
        write_doc(text)
    return 0


def _mip_gap(book: Path) -> float:
    from openpyxl import load_workbook

    ws = load_workbook(book, read_only=True)["Policy"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] == "mip_gap":
            return float(row[1])
    return 0.001


if __name__ == "__main__":
    sys.exit(main())
