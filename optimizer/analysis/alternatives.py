"""Near-optimal alternatives (`--alternatives K --slack 0.02`, sheet `Alternatives`).

After a package's plan of welfare W* (the optimum, or the best plan found), up to K more
plans are sought, one at a time, on the package's own array model (its limits, the
participation floors included) with two additions (modelling to generate alternatives with
a guaranteed distance):

- the welfare row   Σ_j c_j v_j ≥ W* − slack · |W*|   (within the slack of the optimum,
  whatever the sign of W*);
- a distance column t ≥ 0, maximised, with one row per earlier plan k (the optimum and the
  alternatives found so far):   t ≤ d_k(v) = Σ_{j: v^k_j = 0} v_j + Σ_{j: v^k_j = 1} (1 − v_j)

over the binary decisions j (parks opened y, incubations x, production placements z): d_k
is the Hamming distance, the number of changed decisions. Maximising the *minimum* over
earlier plans (rather than the sum) is what certifies each alternative: it differs from
every earlier plan by at least t, where a sum could buy a large distance to one plan with
a copy of another. Each distance solve starts from the optimum (t = 0, feasible) and gets
half its time; if it finds no distinct plan, the other half goes to the best-welfare plan
within the slack that differs from every earlier plan in at least one decision (welfare
maximised with t ≥ 1 fixed: HiGHS's own problem plus no-good rows, where it finds plans
fast, though closer ones). When HiGHS proves the largest t below 1, or that fallback
infeasible, no further distinct plan exists within the slack and the search stops saying
so; when the time limit leaves it unproven, it says none was found in the time.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from ..model.matrix import MatrixModel
from ..model.plan import MIN_DISTANCE, NO_MORE, TIMED_OUT, Decisions, Found, values_of
from ..solver.highs import solve_matrix
from ..solver.outcome import INFEASIBLE, OPTIMAL


def binary_columns(mm: MatrixModel) -> np.ndarray:
    cols = [*mm.b_open.values(), *mm.b_inc.values(), *mm.b_prod.values()]
    return np.array(cols, dtype=np.int64)


def distance(mm: MatrixModel, a: np.ndarray, b: np.ndarray) -> int:
    j = binary_columns(mm)
    return int(np.sum(np.round(a[j]) != np.round(b[j])))


def with_distance(mm: MatrixModel, floor: float, plans: list[np.ndarray]) -> MatrixModel:
    """`mm` with the welfare row, the distance column t (the only cost) and one distance
    row per earlier plan."""
    n, m = mm.n_cols, mm.n_rows
    j = binary_columns(mm)
    rows, cols, vals = [mm.e_row], [mm.e_col], [mm.e_val]
    nz = np.nonzero(mm.col_cost)[0]
    rows.append(np.full(len(nz), m, dtype=np.int32))
    cols.append(nz.astype(np.int32))
    vals.append(mm.col_cost[nz])
    lower, upper = [floor], [np.inf]
    for k, v in enumerate(plans):
        r = m + 1 + k
        ones = np.round(v[j]) > 0.5
        rows.append(np.full(len(j) + 1, r, dtype=np.int32))
        cols.append(np.concatenate([j, [n]]).astype(np.int32))
        vals.append(np.concatenate([np.where(ones, 1.0, -1.0), [1.0]]))
        lower.append(-np.inf)
        upper.append(float(ones.sum()))
    return replace(
        mm,
        col_lower=np.append(mm.col_lower, 0.0),
        col_upper=np.append(mm.col_upper, float(len(j))),
        col_cost=np.append(np.zeros(n), 1.0),
        col_int=np.append(mm.col_int, np.int8(0)),
        row_lower=np.concatenate([mm.row_lower, lower]),
        row_upper=np.concatenate([mm.row_upper, upper]),
        row_family=[
            *mm.row_family,
            ("alt_welfare", None),
            *(("alt_distance", k) for k in range(len(plans))),
        ],
        e_row=np.concatenate(rows).astype(np.int32),
        e_col=np.concatenate(cols).astype(np.int32),
        e_val=np.concatenate(vals),
    )


def search(
    mm: MatrixModel,
    optimum: Decisions,
    welfare: float,
    k: int,
    slack: float,
    seconds: float,
    threads: int | None = None,
) -> tuple[list[Found], str]:
    """Up to `k` alternatives to `optimum` (welfare W*) in k x `seconds` (a solve that
    finishes early leaves its time to the later ones); and why the search stopped ("" when
    k were found)."""
    floor = welfare - slack * abs(welfare)
    plans = [values_of(mm, optimum)]
    found: list[Found] = []
    end = time.perf_counter() + k * seconds
    retried = False
    while len(found) < k:
        big = with_distance(mm, floor, plans)
        remaining = end - time.perf_counter()
        # a search that came up empty retries once with all the time left
        left = max(remaining if retried else remaining / (k - len(found)), 1.0)
        t0 = time.perf_counter()
        start = np.append(plans[0], 0.0)  # the optimum: distance 0, always feasible
        out, x = solve_matrix(
            big, mip_gap=1e-6, time_limit_s=left / 2, threads=threads, start_values=start
        )
        proven = out.status == OPTIMAL
        v = values_of(mm, x) if x is not None else plans[0]  # its own columns (t dropped)
        dist = [distance(mm, v, p) for p in plans]
        if min(dist) < MIN_DISTANCE:
            bound = out.bound if out.bound is not None else np.inf
            if proven or bound < MIN_DISTANCE - 1e-6:
                return found, NO_MORE
            # no distinct plan in half the time: the best-welfare distinct plan instead
            rest = max(left - (time.perf_counter() - t0), 1.0)
            x, infeasible = distinct_plan(mm, big, rest, slack, threads)
            if infeasible:
                return found, NO_MORE
            if x is None:
                if retried or end - time.perf_counter() < 1.0:
                    return found, TIMED_OUT
                retried = True
                continue
            v, proven = values_of(mm, x), False
            dist = [distance(mm, v, p) for p in plans]
        found.append(Found(x, float(np.dot(mm.col_cost, v)), dist, proven))
        plans.append(v)
        retried = False
    return found, ""


def distinct_plan(
    mm: MatrixModel, big: MatrixModel, seconds: float, slack: float, threads: int | None
) -> tuple[Decisions | None, bool]:
    """The fallback when the distance solve finds no distinct plan in its time: the
    best-welfare plan within the slack that differs from every earlier plan in at least
    MIN_DISTANCE decisions (t fixed at that floor, welfare maximised: HiGHS's own problem
    with no-good rows, where it finds plans fast). (None, True) when HiGHS proves none
    exists; (None, False) when it finds none in the time."""
    n = mm.n_cols
    lower = big.col_lower.copy()
    lower[n] = MIN_DISTANCE
    first = replace(big, col_lower=lower, col_cost=np.append(mm.col_cost, 0.0))
    out, x = solve_matrix(first, mip_gap=max(slack, 1e-4), time_limit_s=seconds, threads=threads)
    return x, x is None and out.status == INFEASIBLE
