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
        return self.status in (OPTIMAL, FEASIBLE)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)
