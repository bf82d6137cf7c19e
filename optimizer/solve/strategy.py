"""How one package is solved once its model is built: a greedy start; on large models
cores and the priced bound; then HiGHS on the whole model with what is left of the time
limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data.model_data import ModelData
from ..model.matrix import MatrixModel
from ..model.plan import Decisions
from .bound import bound_for_large, tighten
from .core import improve_start
from .greedy import greedy_plan, warm_start_note
from .highs import solve_matrix
from .outcome import SolveOutcome


@dataclass
class ArraySolve:
    """What `solve_array` did: the outcome and plan, and the lines and figures of its
    starts and bound."""

    outcome: SolveOutcome
    x: Decisions | None
    warm_start: str  # for the Run sheet: the greedy plan, and the cores on large models
    bound_note: str  # for the Run sheet: the priced bound on large models, else ""
    greedy: float | None  # weighted welfare of the greedy plan (mcny)
    start: float | None  # weighted welfare of the plan handed to HiGHS (mcny)
    seconds: dict[str, float]  # "warmstart" (greedy and cores), "bound", "solve"


def solve_array(
    d: ModelData,
    mm: MatrixModel,
    *,
    threads: int | None = None,
    log: Callable[[str], None] | None = None,
    mps: Path | None = None,
    highs: Any = None,
) -> ArraySolve:
    """The solve of one package's built model `mm` (handed to HiGHS already as `highs`,
    if given). The benchmark times this same path."""
    t0 = time.perf_counter()
    plan = greedy_plan(d, mm)
    greedy = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    warm_start = warm_start_note(mm, plan, time.perf_counter() - t0)
    if log:
        log(f"    warm start: {warm_start}")
    t1 = time.perf_counter()
    plan, core_note = improve_start(d, mm, plan, threads)
    if core_note:
        warm_start += f"; {core_note}"
        if log:
            log(f"    warm start: {core_note}")
    t2 = time.perf_counter()
    priced, bound_note = bound_for_large(d, mm, plan)
    if bound_note and log:
        log(f"    upper bound: {bound_note}")
    t3 = time.perf_counter()
    outcome, x = solve_matrix(
        mm,
        mip_gap=d.policy["mip_gap"],
        time_limit_s=max(d.policy["time_limit_s"] - (t3 - t1), 1.0),
        threads=threads,
        mps_path=mps,
        progress=log,
        start_values=plan,
        highs=highs,
    )
    outcome = tighten(outcome, priced, d.policy["mip_gap"])
    start = float(np.dot(mm.col_cost, plan)) if plan is not None else None
    seconds = {"warmstart": t2 - t0, "bound": t3 - t2, "solve": time.perf_counter() - t3}
    return ArraySolve(outcome, x, warm_start, bound_note, greedy, start, seconds)
