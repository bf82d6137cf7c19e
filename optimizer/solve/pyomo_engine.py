"""Solve a built model with HiGHS through Pyomo's in-memory interface (no LP files).

Every termination is mapped to plain words; a time-limited incumbent is never called
optimal, and a plan is only returned when HiGHS marks it valid and our own residual check
finds every constraint satisfied.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from dataclasses import dataclass
from typing import Callable

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition

OPTIMAL, FEASIBLE, INFEASIBLE, UNBOUNDED, NO_SOLUTION = (
    "optimal", "feasible", "infeasible", "unbounded", "no solution")
FEAS_TOL = 1e-6  # absolute tolerance of the residual check, scaled by the row's size


@dataclass
class SolveOutcome:
    status: str  # one of the five words above
    message: str  # plain words for the planner
    objective: float | None  # weighted welfare of the plan (mcny)
    bound: float | None  # best bound on the objective (mcny)
    mip_gap: float | None  # relative gap between plan and bound
    seconds: float
    termination: str  # HiGHS/Pyomo termination condition, for the Run sheet

    @property
    def has_plan(self) -> bool:
        return self.status in (OPTIMAL, FEASIBLE)


def solve_model(m: pyo.ConcreteModel, *, mip_gap: float, time_limit_s: float,
                threads: int | None = None, mps_path: Path | None = None,
                progress: Callable[[str], None] | None = None) -> SolveOutcome:
    """Solve with HiGHS. The tool enforces the wall-clock budget itself (HiGHS's own
    time_limit can overrun) and reports incumbent, bound and gap every few seconds."""
    solver = SolverFactory("highs")
    options: dict = {"output_flag": False, "mip_rel_gap": mip_gap}
    if threads:
        options["threads"] = threads
    start = time.perf_counter()
    solver.set_instance(m)
    watch = _Watch(start, time_limit_s, progress)
    solver._solver_model.cbMipInterrupt.subscribe(watch)
    logger = logging.getLogger("pyomo.contrib.solver")
    level = logger.level
    logger.setLevel(logging.ERROR)  # our own words replace "unhandled status" warnings
    try:
        res = solver.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                           time_limit=time_limit_s, solver_options=options)
    finally:
        logger.setLevel(level)
    seconds = time.perf_counter() - start
    tc, ss = res.termination_condition, res.solution_status
    info = solver._solver_model.getInfo()  # highspy info: gap and solution validity
    if mps_path is not None:  # the model exactly as HiGHS received it
        mps_path.parent.mkdir(parents=True, exist_ok=True)
        solver._solver_model.writeModel(str(mps_path))
    valid = ss in (SolutionStatus.optimal, SolutionStatus.feasible) \
        and info.primal_solution_status == 2
    bound = _finite(res.objective_bound)
    if valid:
        res.solution_loader.load_vars()
        _round_integers(m)
        problem = residual_problem(m)
        if problem:
            return SolveOutcome(NO_SOLUTION, f"no valid plan: HiGHS's solution violates "
                                f"{problem}", None, bound, None, seconds, str(tc))
        objective = pyo.value(m.obj_welfare)
        gap = relative_gap(objective, bound)
        if tc == TerminationCondition.convergenceCriteriaSatisfied:
            return SolveOutcome(OPTIMAL, f"optimal (within the {mip_gap:.2%} gap tolerance)",
                                objective, bound, gap, seconds, str(tc))
        reason = "the time limit" if tc == TerminationCondition.maxTimeLimit or \
            watch.interrupted else f"the solver stopped ({tc.name})"
        gap_text = f"{gap:.2%}" if gap is not None else "unknown"
        return SolveOutcome(FEASIBLE, f"feasible, not proven optimal: gap {gap_text} after "
                            f"{reason}", objective, bound, gap, seconds, str(tc))
    if tc == TerminationCondition.provenInfeasible:
        return SolveOutcome(INFEASIBLE, "infeasible: no plan satisfies every limit of this "
                            "scenario", None, None, None, seconds, str(tc))
    if tc in (TerminationCondition.unbounded, TerminationCondition.infeasibleOrUnbounded):
        word = UNBOUNDED if tc == TerminationCondition.unbounded else INFEASIBLE
        return SolveOutcome(word, "unbounded: welfare can grow without limit (check for "
                            "negative costs)" if word == UNBOUNDED else
                            "infeasible or unbounded: no plan satisfies every limit",
                            None, None, None, seconds, str(tc))
    reason = "within the time limit" if tc == TerminationCondition.maxTimeLimit or \
        watch.interrupted else f"({tc.name})"
    return SolveOutcome(NO_SOLUTION, f"no solution found {reason}", None, bound, None,
                        seconds, str(tc))


class _Watch:
    """HiGHS MIP callback: progress lines and the tool's own wall-clock budget."""

    EVERY_S = 5.0
    GRACE_S = 1.0

    def __init__(self, start: float, limit_s: float, progress: Callable[[str], None] | None):
        self.start, self.limit_s, self.progress = start, limit_s, progress
        self.last = start
        self.interrupted = False

    def __call__(self, event: object) -> None:
        now = time.perf_counter()
        if now - self.start > self.limit_s + self.GRACE_S:
            event.data_in.user_interrupt = True  # type: ignore[attr-defined]
            self.interrupted = True
        if self.progress and now - self.last >= self.EVERY_S:
            self.last = now
            out = event.data_out  # type: ignore[attr-defined]
            plan = f"{out.mip_primal_bound:,.3f}" if abs(out.mip_primal_bound) < 1e30 else "none yet"
            bound = f"{out.mip_dual_bound:,.3f}" if abs(out.mip_dual_bound) < 1e30 else "n/a"
            gap = f"{out.mip_gap:.2%}" if out.mip_gap < 1e30 else "n/a"
            self.progress(f"    {now - self.start:6.0f} s: plan {plan} mcny, bound {bound}, "
                          f"gap {gap}")


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


def _finite(value: float | None) -> float | None:
    return None if value is None or abs(value) == float("inf") else float(value)


def _round_integers(m: pyo.ConcreteModel) -> None:
    """Binary values within HiGHS's tolerance of 0/1 are set exactly; tiny negatives of
    continuous variables are set to 0, so that reports add up exactly."""
    for var in m.component_data_objects(pyo.Var, descend_into=True):
        if var.value is None:
            var.set_value(0, skip_validation=True)
        elif var.is_binary():
            var.set_value(round(var.value), skip_validation=True)
        elif -1e-9 < var.value < 0:
            var.set_value(0.0, skip_validation=True)


def residual_problem(m: pyo.ConcreteModel) -> str | None:
    """Name of the first constraint the current values violate, or None."""
    for con in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body)
        scale = FEAS_TOL * max(1.0, abs(body))
        if con.has_lb() and body < pyo.value(con.lower) - scale:
            return f"{con.name} ({body:g} < {pyo.value(con.lower):g})"
        if con.has_ub() and body > pyo.value(con.upper) + scale:
            return f"{con.name} ({body:g} > {pyo.value(con.upper):g})"
    return None
