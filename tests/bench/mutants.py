"""Mutation check: each realistic mistake below, applied alone to a copy of the repository,
must make the default test suite fail. Prints one line per mutant (killed by which test,
or SURVIVED) and exits 1 if any survives.

    python tests/bench/mutants.py [--only NAME ...]

About a minute per mutant that survives, seconds for one that is killed early (-x).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# name: (file, text, replacement, the mistake in words)
MUTANTS = {
    "quota_used_without_deals": (
        "optimizer/report/tables.py",
        "x.own_use[r] + sold + deals_out",
        "x.own_use[r] + sold",
        "Regions.quota_used_ha leaves out the quota a sponsor hands over in its deals",
    ),
    "host_sponsor_swap": (
        "optimizer/model/welfare.py",
        "np.concatenate([np.where(cross, eta * v, v), (1.0 - eta) * v[cross]])",
        "np.concatenate([np.where(cross, (1.0 - eta) * v, v), eta * v[cross]])",
        "the array model gives the host the sponsor's share of incubation value",
    ),
    "floor_ignores_site_need": (
        "optimizer/model/matrix.py",
        'return self._pair_values(self.inc, base, self.d.site_floor, "set")',
        "return base",
        "the array model's floor rows ignore SiteAffinity.floor_need_m2",
    ),
    "greedy_finds_nothing": (
        "optimizer/solver/greedy.py",
        "return values if residual(mm, values) is None else None",
        "return None",
        "the greedy start never returns a plan",
    ),
    "core_finds_nothing": (
        "optimizer/solver/core.py",
        'return plan, f"core of {size}", solved',
        'return None, f"core of {size}", solved',
        "a core never returns its plan",
    ),
    "time_limit_zero_accepted": (
        "optimizer/io/schema.py",
        'unit="s", default=300.0, min=0,\n                min_exclusive=True)',
        'unit="s", default=300.0, min=0,\n                min_exclusive=False)',
        "Policy.time_limit_s = 0 is accepted",
    ),
    "no_read_as_yes": (
        "optimizer/io/cells.py",
        "        if text in NO_VALUES:\n            return False",
        '        if text in NO_VALUES:\n            return text != "n"',
        "a yes/no cell holding N is read as yes",
    ),
    "purchases_outside_budget": (
        "optimizer/model/welfare.py",
        '"Σ_{(a,r)∈L} `price_mcny_per_ha`_ar · t_ar", spending=True)',
        '"Σ_{(a,r)∈L} `price_mcny_per_ha`_ar · t_ar")',
        "quota purchases are not paid out of the buyer's budget (both forms)",
    ),
    "duals_sign": (
        "optimizer/analysis/limits.py",
        "float(duals[i]) if duals is not None",
        "-float(duals[i]) if duals is not None",
        "marginal values with the wrong sign",
    ),
    "equity_weight_sign": (
        "optimizer/model/families/equity.py",
        "(1.0 if reg.developing else 0.0) - share",
        "share - (1.0 if reg.developing else 0.0)",
        "the array model's equity row points the wrong way",
    ),
    "deal_not_received": (
        "optimizer/model/families/land.py",
        "                quota[s.host][mm.b_open[s.id]] -= e * s.land_ha\n",
        "",
        "the array model's host never receives the deal's quota",
    ),
    "pyomo_deals_in_missing": (
        "optimizer/model/families/land.py",
        "<= d.regions[r].land_quota_ha + bought + deals_in",
        "<= d.regions[r].land_quota_ha + bought",
        "the Pyomo form's host never receives the deal",
    ),
    "diagnosis_scale": (
        "optimizer/analysis/diagnose.py",
        "scale = max(1.0, abs(family.limit(d, index)))",
        "scale = 1.0",
        "diagnosis compares slacks without their limit's size",
    ),
}


def run(name: str, mutant: tuple[str, str, str, str]) -> tuple[bool, str, float]:
    """(killed, by which test or why not, seconds)."""
    path, old, new, _ = mutant
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "reports", "__pycache__", ".pytest_cache", ".ruff_cache"
            ),
        )
        target = copy / path
        text = target.read_text(encoding="utf-8")
        if text.count(old) != 1:
            return False, f"mutation site not found once in {path}", 0.0
        target.write_text(text.replace(old, new), encoding="utf-8")
        t0 = time.perf_counter()
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                "-W",
                "ignore::pytest.PytestUnraisableExceptionWarning",
            ],
            cwd=copy,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t0
        failed = [
            line.split(" ")[1]
            for line in out.stdout.splitlines()
            if line.startswith(("FAILED ", "ERROR "))
        ]
        return out.returncode != 0, (failed[0] if failed else out.stdout.strip()[-200:]), seconds


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="*", default=None, help="mutant names (default: all)")
    args = p.parse_args()
    survived = 0
    for name, mutant in MUTANTS.items():
        if args.only and name not in args.only:
            continue
        killed, by, seconds = run(name, mutant)
        survived += not killed
        print(
            f"{'killed  ' if killed else 'SURVIVED'} {name:28s} {seconds:6.1f} s  {by}", flush=True
        )
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
