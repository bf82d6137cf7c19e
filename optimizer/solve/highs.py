"""Solve the array model (`matrix.py`) with HiGHS directly: same statuses, the same
wall-clock budget and progress lines, the same residual check as `solve.py`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import highspy
import numpy as np

from ..model.matrix import MatrixModel
from ..report.tables import Decisions
from .pyomo_engine import (
    FEAS_TOL,
    FEASIBLE,
    INFEASIBLE,
    NO_SOLUTION,
    OPTIMAL,
    UNBOUNDED,
    SolveOutcome,
    _Watch,
    relative_gap,
)

S = highspy.HighsModelStatus


def solve_matrix(mm: MatrixModel, *, mip_gap: float, time_limit_s: float,
                 threads: int | None = None, mps_path: Path | None = None,
                 progress: Callable[[str], None] | None = None,
                 start_values: np.ndarray | None = None, highs: highspy.Highs | None = None
                 ) -> tuple[SolveOutcome, Decisions | None]:
    """Solve `mm` (handed to HiGHS here, or already, as `highs`) within the time limit."""
    start = time.perf_counter()
    h = highs if highs is not None else mm.to_highs()
    if start_values is not None:  # a feasible plan to start from (warmstart.greedy_plan)
        sol = highspy.HighsSolution()
        sol.col_value = list(start_values)
        sol.value_valid = True
        h.setSolution(sol)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("time_limit", float(time_limit_s))
    if threads:
        h.setOptionValue("threads", int(threads))
    if mps_path is not None:
        mps_path.parent.mkdir(parents=True, exist_ok=True)
        h.writeModel(str(mps_path))
    watch = _Watch(start, time_limit_s, progress)
    h.cbMipInterrupt.subscribe(watch)
    h.run()
    if start_values is not None and _stale(h, mm):
        # HiGHS 1.16 can finish with a better plan than the start (its objective and bound
        # say so) yet hand back the start's values: solve again without a start
        left = time_limit_s - (time.perf_counter() - start)
        return solve_matrix(mm, mip_gap=mip_gap, time_limit_s=max(left, 1.0),
                            threads=threads, progress=progress)
    seconds = time.perf_counter() - start
    status, info = h.getModelStatus(), h.getInfo()
    term = str(status)
    bound = info.mip_dual_bound if abs(info.mip_dual_bound) < 1e30 else None
    if info.primal_solution_status == 2:
        values = np.array(h.getSolution().col_value)
        ints = np.array(mm.col_int, dtype=bool)
        values[ints] = np.round(values[ints])
        values[(~ints) & (values < 0) & (values > -1e-9)] = 0.0
        problem = residual(mm, values)
        if problem:
            return SolveOutcome(NO_SOLUTION, f"no valid plan: HiGHS's solution violates "
                                f"{problem}", None, bound, None, seconds, term), None
        objective = float(np.dot(mm.col_cost, values))
        gap = relative_gap(objective, bound)
        x = decisions(mm, values)
        if status == S.kOptimal:
            return SolveOutcome(OPTIMAL, f"optimal (within the {mip_gap:.2%} gap tolerance)",
                                objective, bound, gap, seconds, term), x
        reason = "the time limit" if status in (S.kTimeLimit, S.kInterrupt) \
            else f"the solver stopped ({status.name})"
        gap_text = f"{gap:.2%}" if gap is not None else "unknown"
        return SolveOutcome(FEASIBLE, f"feasible, not proven optimal: gap {gap_text} after "
                            f"{reason}", objective, bound, gap, seconds, term), x
    if status == S.kInfeasible:
        return SolveOutcome(INFEASIBLE, "infeasible: no plan satisfies every limit of this "
                            "scenario", None, None, None, seconds, term), None
    if status == S.kUnbounded:
        return SolveOutcome(UNBOUNDED, "unbounded: welfare can grow without limit (check for "
                            "negative costs)", None, None, None, seconds, term), None
    if status == S.kUnboundedOrInfeasible:
        return SolveOutcome(INFEASIBLE, "infeasible or unbounded: no plan satisfies every "
                            "limit", None, None, None, seconds, term), None
    reason = "within the time limit" if status in (S.kTimeLimit, S.kInterrupt) \
        else f"({status.name})"
    return SolveOutcome(NO_SOLUTION, f"no solution found {reason}", None, bound, None,
                        seconds, term), None


def _stale(h: highspy.Highs, mm: MatrixModel) -> bool:
    """Whether the values HiGHS hands back are not the plan whose objective it reports."""
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return False
    value = float(np.dot(mm.col_cost, h.getSolution().col_value))
    stated = info.objective_function_value
    return abs(value - stated) > 1e-6 * max(1.0, abs(stated))


def residual(mm: MatrixModel, values: np.ndarray) -> str | None:
    """The first row or bound the values violate, named by its family, or None."""
    rows, cols, vals = mm.entries()
    activity = np.bincount(rows, weights=vals * values[cols], minlength=len(mm.row_lower))
    lo, up = np.array(mm.row_lower), np.array(mm.row_upper)
    tol = FEAS_TOL * np.maximum(1.0, np.abs(activity))
    bad = np.nonzero((activity < lo - tol) | (activity > up + tol))[0]
    if bad.size:
        family, index = mm.row_family[int(bad[0])]
        return f"{family}[{index}] ({activity[bad[0]]:g} outside [{lo[bad[0]]:g}, " \
               f"{up[bad[0]]:g}])"
    cl, cu = np.array(mm.col_lower), np.array(mm.col_upper)
    if np.any(values < cl - FEAS_TOL) or np.any(values > cu + FEAS_TOL):
        return "a variable bound"
    return None


def decisions(mm: MatrixModel, v: np.ndarray) -> Decisions:
    return Decisions(
        frozenset(s for s, c in mm.y.items() if v[c] > 0.5),
        {f: s for (f, s), c in mm.x.items() if v[c] > 0.5},
        {f: p for (f, p), c in mm.z.items() if v[c] > 0.5},
        {k: float(v[c]) for k, c in mm.t.items()},
        {r: float(v[c]) for r, c in mm.u.items()},
        {r: float(v[c]) for r, c in mm.g.items()})


def values_of(mm: MatrixModel, x: Decisions) -> np.ndarray:
    """Column values of a plan (the inverse of `decisions`)."""
    v = np.zeros(mm.n_cols)
    for s in x.opened:
        v[mm.y[s]] = 1.0
    for key in x.site_of.items():
        v[mm.x[key]] = 1.0
    for key in x.location_of.items():
        v[mm.z[key]] = 1.0
    for k, c in mm.t.items():
        v[c] = x.trade[k]
    for r, c in mm.u.items():
        v[c] = x.own_use[r]
    for r, c in mm.g.items():
        v[c] = x.fund[r]
    return v
