"""What a solve ended with, in the planner's words (no solver imported here)."""

from __future__ import annotations

from dataclasses import dataclass

OPTIMAL, FEASIBLE, INFEASIBLE, UNBOUNDED, NO_SOLUTION = (
    "optimal",
    "feasible",
    "infeasible",
    "unbounded",
    "no solution",
)
INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM: the best plan found until then, if any
NOT_RUN = "not run"  # the run was interrupted before this package started
IMPOSSIBLE = "impossible"  # a limit no plan can meet, found before solving (see Diagnosis)
FEAS_TOL = 1e-6  # absolute tolerance of the residual check, scaled by the row's size


@dataclass
class SolveOutcome:
    status: str  # one of the five words above
    message: str  # plain words for the planner
    objective: float | None  # weighted welfare of the plan (mcny)
    bound: float | None  # best bound on the objective (mcny)
    mip_gap: float | None  # relative gap between plan and bound
    seconds: float
    termination: str  # HiGHS's model status, for the Run sheet

    @property
    def has_plan(self) -> bool:
        return self.objective is not None and self.status in (OPTIMAL, FEASIBLE, INTERRUPTED)

    @property
    def label(self) -> str:
        """The status as a planner reads it: "optimal" only for a plan proven optimal to
        within 0.005%, else "optimal within 0.19%" (inside the gap tolerance)."""
        if self.status == OPTIMAL and self.mip_gap is not None and self.mip_gap >= 5e-5:
            return f"optimal within {self.mip_gap:.2%}"
        return self.status


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


def optimal(objective: float, bound, gap, mip_gap: float, seconds: float, term: str):
    """A plan proven within the gap tolerance."""
    message = f"optimal (within the {mip_gap:.2%} gap tolerance)"
    return SolveOutcome(OPTIMAL, message, objective, bound, gap, seconds, term)


def feasible(objective: float, bound, gap, why: str, seconds: float, term: str):
    """A plan not proven optimal; `why` ends the sentence ("gap 3.1% after ...")."""
    message = f"feasible, not proven optimal: {why}"
    return SolveOutcome(FEASIBLE, message, objective, bound, gap, seconds, term)


def without_plan(status: str, seconds: float, term: str, bound=None, message: str = ""):
    """No plan: infeasible, unbounded or none found (`message` for the last)."""
    message = message or {
        INFEASIBLE: "infeasible: no plan satisfies every limit of this scenario",
        UNBOUNDED: "unbounded: welfare can grow without limit (check for negative costs)",
    }.get(status, "no solution found within the time limit")
    return SolveOutcome(status, message, None, bound, None, seconds, term)
