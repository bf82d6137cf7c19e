"""The one place that talks to HiGHS: hand-over of the array model, options, the tool's own
wall-clock budget and progress lines, the mapping of HiGHS's statuses to the planner's
words, the stale-start guard and the residual check of every plan handed back."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from ..model.matrix import MatrixModel
from ..model.plan import Decisions, decisions
from .outcome import (
    FEAS_TOL,
    INFEASIBLE,
    NO_SOLUTION,
    UNBOUNDED,
    SolveOutcome,
    feasible,
    optimal,
    relative_gap,
    without_plan,
)
from .problem import Problem

S = highspy.HighsModelStatus
QUIET = {"output_flag": False}  # every HiGHS object the tool creates starts from these


def to_highs(
    mm: MatrixModel | Problem,
    *,
    mip_gap: float | None = None,
    time_limit_s: float | None = None,
    threads: int | None = None,
    seed: int | None = None,
    minimize: bool = False,
) -> highspy.Highs:
    """The model (array model or its `Problem`) handed to a new HiGHS object in one call,
    with the options given."""
    p = mm if isinstance(mm, Problem) else Problem.of(mm)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = p.n_cols, p.n_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = p.col_cost, p.col_lower, p.col_upper
    lp.row_lower_, lp.row_upper_ = p.row_lower, p.row_upper
    lp.sense_ = highspy.ObjSense.kMinimize if minimize else highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = p.starts, p.index, p.value
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    lp.integrality_ = [kinds[i] for i in p.col_int]
    h = new_highs()
    options(h, mip_gap=mip_gap, time_limit_s=time_limit_s, threads=threads, seed=seed)
    h.passModel(lp)
    return h


_FIRST = [True]


def new_highs() -> highspy.Highs:
    """A HiGHS object; the first of the process is made with standard output silenced,
    since HiGHS prints its banner then (the planner's console is for the planner)."""
    if not _FIRST[0]:
        return highspy.Highs()
    _FIRST[0] = False
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real standard output: nothing to silence
        return highspy.Highs()
    quiet = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(quiet, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(quiet)


# HiGHS keeps one thread pool per process, sized by its first run, and refuses (kError,
# model status not set) a later run that asks for another number of threads
_POOL_THREADS: int | None = None  # the pool's size as asked for (0: HiGHS's default)


def options(
    h: highspy.Highs,
    *,
    mip_gap: float | None = None,
    time_limit_s: float | None = None,
    threads: int | None = None,
    seed: int | None = None,
) -> None:
    """The tool's HiGHS options (quiet, and those given)."""
    for name, value in QUIET.items():
        h.setOptionValue(name, value)
    if mip_gap is not None:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    global _POOL_THREADS
    if threads:
        if _POOL_THREADS not in (None, int(threads)):
            highspy.Highs.resetGlobalScheduler(True)  # the next run sizes a new pool
        _POOL_THREADS = int(threads)
        h.setOptionValue("threads", int(threads))
    elif _POOL_THREADS is None:
        _POOL_THREADS = 0  # HiGHS's default size; a default run fits any pool
    if seed is not None:
        h.setOptionValue("random_seed", int(seed))


def set_start(h: highspy.Highs, values: np.ndarray) -> None:
    """A feasible plan for HiGHS to start from."""
    sol = highspy.HighsSolution()
    sol.col_value = list(values)
    sol.value_valid = True
    h.setSolution(sol)


class Watch:
    """HiGHS MIP callback: progress lines and the tool's own wall-clock budget."""

    EVERY_S = 5.0
    GRACE_S = 1.0

    def __init__(self, start: float, limit_s: float, progress: Callable[[str], None] | None):
        self.start, self.limit_s, self.progress = start, limit_s, progress
        self.last = start
        self.interrupted = False

    def __call__(self, event: Any) -> None:
        now = time.perf_counter()
        if now - self.start > self.limit_s + self.GRACE_S:
            event.data_in.user_interrupt = True
            self.interrupted = True
        if self.progress and now - self.last >= self.EVERY_S:
            self.last = now
            out = event.data_out
            plan = (
                f"{out.mip_primal_bound:,.3f}" if abs(out.mip_primal_bound) < 1e30 else "none yet"
            )
            bound = f"{out.mip_dual_bound:,.3f}" if abs(out.mip_dual_bound) < 1e30 else "n/a"
            gap = f"{out.mip_gap:.2%}" if out.mip_gap < 1e30 else "n/a"
            self.progress(
                f"    {now - self.start:6.0f} s: plan {plan} mcny, bound {bound}, gap {gap}"
            )


def solve_matrix(
    mm: MatrixModel,
    *,
    mip_gap: float,
    time_limit_s: float,
    threads: int | None = None,
    mps_path: Path | None = None,
    progress: Callable[[str], None] | None = None,
    start_values: np.ndarray | None = None,
    highs: highspy.Highs | None = None,
) -> tuple[SolveOutcome, Decisions | None]:
    """Solve `mm` (handed to HiGHS here, or already, as `highs`) within the time limit."""
    start = time.perf_counter()
    h = highs if highs is not None else to_highs(mm)
    if start_values is not None:  # a feasible plan to start from (greedy.greedy_plan)
        set_start(h, start_values)
    options(h, mip_gap=mip_gap, time_limit_s=time_limit_s, threads=threads)
    if mps_path is not None:
        mps_path.parent.mkdir(parents=True, exist_ok=True)
        h.writeModel(str(mps_path))
    watch = Watch(start, time_limit_s, progress)
    h.cbMipInterrupt.subscribe(watch)
    h.run()
    if start_values is not None and _stale(h, mm):
        # HiGHS 1.16 can finish with a better plan than the start (its objective and bound
        # say so) yet hand back the start's values: solve again without a start
        left = time_limit_s - (time.perf_counter() - start)
        return solve_matrix(
            mm, mip_gap=mip_gap, time_limit_s=max(left, 1.0), threads=threads, progress=progress
        )
    values = plan_values(h, mm)
    out = outcome(h, mm, values, mip_gap, time.perf_counter() - start)
    return out, decisions(mm, values) if out.has_plan else None


def plan_values(h: highspy.Highs, mm: MatrixModel) -> np.ndarray | None:
    """HiGHS's plan, binaries rounded and tiny negatives set to 0, or None."""
    if h.getInfo().primal_solution_status != 2:
        return None
    values = np.array(h.getSolution().col_value)
    ints = mm.col_int.astype(bool)
    values[ints] = np.round(values[ints])
    values[(~ints) & (values < 0) & (values > -1e-9)] = 0.0
    return values


def outcome(
    h: highspy.Highs, mm: MatrixModel, values: np.ndarray | None, mip_gap: float, seconds: float
) -> SolveOutcome:
    """HiGHS's status in the planner's words: a plan is only reported when its values
    satisfy every row, and only called optimal when HiGHS proved the gap."""
    status, info = h.getModelStatus(), h.getInfo()
    term = str(status)
    bound = info.mip_dual_bound if abs(info.mip_dual_bound) < 1e30 else None
    if status == S.kNotset:  # HiGHS refused the run: nothing was proven
        bound = None
    if values is not None:
        problem = residual(mm, values)
        if problem:
            return SolveOutcome(
                NO_SOLUTION,
                f"no valid plan: HiGHS's solution violates {problem}",
                None,
                bound,
                None,
                seconds,
                term,
            )
        objective = float(np.dot(mm.col_cost, values))
        gap = relative_gap(objective, bound)
        if status == S.kOptimal:
            return optimal(objective, bound, gap, mip_gap, seconds, term)
        reason = (
            "the time limit"
            if status in (S.kTimeLimit, S.kInterrupt)
            else f"the solver stopped ({status.name})"
        )
        gap_text = f"{gap:.2%}" if gap is not None else "unknown"
        return feasible(objective, bound, gap, f"gap {gap_text} after {reason}", seconds, term)
    if status == S.kInfeasible:
        return without_plan(INFEASIBLE, seconds, term)
    if status == S.kUnbounded:
        return without_plan(UNBOUNDED, seconds, term)
    if status == S.kUnboundedOrInfeasible:
        either = "infeasible or unbounded: no plan satisfies every limit"
        return without_plan(INFEASIBLE, seconds, term, message=either)
    reason = (
        "within the time limit" if status in (S.kTimeLimit, S.kInterrupt) else f"({status.name})"
    )
    return without_plan(NO_SOLUTION, seconds, term, bound, f"no solution found {reason}")


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
    activity = np.bincount(rows, weights=vals * values[cols], minlength=mm.n_rows)
    lo, up = mm.row_lower, mm.row_upper
    tol = FEAS_TOL * np.maximum(1.0, np.abs(activity))
    bad = np.nonzero((activity < lo - tol) | (activity > up + tol))[0]
    if bad.size:
        family, index = mm.row_family[int(bad[0])]
        return f"{family}[{index}] ({activity[bad[0]]:g} outside [{lo[bad[0]]:g}, {up[bad[0]]:g}])"
    if np.any(values < mm.col_lower - FEAS_TOL) or np.any(values > mm.col_upper + FEAS_TOL):
        return "a variable bound"
    return None


def activity(mm: MatrixModel, values: np.ndarray) -> np.ndarray:
    """Each row's value A x at the column values."""
    rows, cols, vals = mm.entries()
    return np.bincount(rows, weights=vals * values[cols], minlength=mm.n_rows)


def fixed_lp_duals(
    mm: MatrixModel, values: np.ndarray, threads: int | None = None
) -> np.ndarray | None:
    """Row duals of the LP left when every integer column is fixed at its value (None if
    that LP is not solved to optimality)."""
    h = to_highs(mm, threads=threads)
    ints = np.nonzero(mm.col_int)[0]
    if ints.size:
        fixed = np.round(np.asarray(values)[ints])
        h.changeColsBounds(len(ints), ints.astype(np.int32), fixed, fixed)
        h.changeColsIntegrality(
            len(ints),
            ints.astype(np.int32),
            np.array([highspy.HighsVarType.kContinuous] * len(ints)),
        )
    h.run()
    if h.getModelStatus() != S.kOptimal:
        return None
    return np.array(h.getSolution().row_dual)


def run(h: highspy.Highs) -> tuple[bool, bool, np.ndarray | None]:
    """Run a prepared HiGHS object: (proven optimal, has a solution, its column values)."""
    h.run()
    solved = h.getModelStatus() == S.kOptimal
    if h.getInfo().primal_solution_status != 2:
        return solved, False, None
    return solved, True, np.array(h.getSolution().col_value)
