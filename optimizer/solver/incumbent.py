"""The best plan and the best valid bound known during a solve, and what they mean for
the planner (the status words and the gap)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .outcome import (
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


@dataclass
class Best:
    """The best plan and the best bound known, and where each came from."""

    problem: Problem
    values: np.ndarray | None = None
    value: float | None = None
    source: str = ""
    bounds: dict[str, float] = field(default_factory=dict)

    def offer(self, values: np.ndarray, source: str) -> bool:
        values = np.array(values, dtype=float)
        ints = self.problem.col_int.astype(bool)
        values[ints] = np.round(values[ints])
        values[(~ints) & (values < 0) & (values > -1e-9)] = 0.0
        value = self.problem.objective(values)
        if self.value is not None and value <= self.value + 1e-9:
            return False
        if not self.problem.feasible(values):
            return False
        self.values, self.value, self.source = values, value, source
        return True

    def tighten(self, source: str, bound: float) -> None:
        """A valid upper bound from `source` (the lowest of each source is kept)."""
        self.bounds[source] = min(bound, self.bounds.get(source, np.inf))

    def bound(self) -> tuple[float | None, str]:
        if not self.bounds:
            return None, ""
        source = min(self.bounds, key=self.bounds.get)
        return self.bounds[source], source

    def gap(self) -> float | None:
        return relative_gap(self.value, self.bound()[0])


def verdict(best: Best, final: dict[str, dict], mip_gap: float, seconds: float) -> SolveOutcome:
    highs = final.get("HiGHS", {})
    term = highs.get("status", "stopped by the tool")
    bound, source = best.bound()
    if best.values is None:
        if highs.get("infeasible"):
            return without_plan(INFEASIBLE, seconds, term)
        if highs.get("unbounded"):
            return without_plan(UNBOUNDED, seconds, term)
        return without_plan(NO_SOLUTION, seconds, term, bound)
    gap = best.gap()
    proved = (
        highs.get("optimal")
        and highs.get("objective") is not None
        and best.value >= highs["objective"] - 1e-6 * max(1.0, abs(highs["objective"]))
    )
    if proved or (gap is not None and gap <= mip_gap):
        return optimal(best.value, bound, gap, mip_gap, seconds, term)
    gap_text = f"{gap:.2%} against {source}" if gap is not None else "unknown (no bound)"
    return feasible(best.value, bound, gap, f"gap {gap_text} after the time limit", seconds, term)
