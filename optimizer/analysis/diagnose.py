"""Explain an infeasible scenario: the smallest relaxation of its limits that admits a plan.

The array model gets a non-negative slack column on every row of the families whose record
says a planner may relax them (budgets, the provincial fund, location land, land quota,
floor, caps, the equity floor, must-place firms, locked site status and trade caps).
Minimising the slacks, each divided by the size of its limit (so that "3 ha of 10" and
"3 mcny of 1,000" compare fairly), gives the limits to loosen and by how much, in the
planner's units, each with the input cell to change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..data.model_data import ModelData
from ..model.families import FAMILY_BY_NAME
from ..model.matrix import MatrixModel, build_matrix
from ..solver.highs import run, to_highs

SLACK_TOL = 1e-6


@dataclass(frozen=True)
class Relaxation:
    family: str
    index: str
    sheet: str
    column: str
    row: int | None
    amount: float
    unit: str
    message: str
    cell: str = ""  # where to change it: Regions!F3 (budget_mcny)


def elastic(d: ModelData, mm: MatrixModel) -> tuple[MatrixModel, list[int]]:
    """`mm` with a slack column on every relaxable row (two on an equality), costing
    1 / size of the limit where the model's own columns cost nothing, and the row of each
    slack."""
    rows, signs, scales = [], [], []
    for i, (name, index) in enumerate(mm.row_family):
        family = FAMILY_BY_NAME[name]
        if not family.relax:
            continue
        scale = max(1.0, abs(family.limit(d, index))) if family.limit else 1.0
        lo, up = mm.row_lower[i], mm.row_upper[i]
        for sign in (1.0, -1.0) if lo == up else (-1.0,) if up < np.inf else (1.0,):
            rows.append(i)
            signs.append(sign)
            scales.append(scale)
    k, n = len(rows), mm.n_cols
    cols = np.arange(n, n + k, dtype=np.int32)
    big = replace(
        mm,
        col_lower=np.concatenate([mm.col_lower, np.zeros(k)]),
        col_upper=np.concatenate([mm.col_upper, np.full(k, np.inf)]),
        col_cost=np.concatenate([np.zeros(n), 1.0 / np.array(scales)]),
        col_int=np.concatenate([mm.col_int, np.zeros(k, dtype=np.int8)]),
        e_row=np.concatenate([mm.e_row, np.array(rows, dtype=np.int32)]),
        e_col=np.concatenate([mm.e_col, cols]),
        e_val=np.concatenate([mm.e_val, signs]),
    )
    return big, rows


def diagnose(
    d: ModelData, time_limit_s: float, threads: int | None = None, mm: MatrixModel | None = None
) -> tuple[list[Relaxation], str]:
    """Relaxations that make the scenario feasible, and a status sentence."""
    mm = mm if mm is not None else build_matrix(d)
    big, slack_rows = elastic(d, mm)
    h = to_highs(big, mip_gap=1e-6, time_limit_s=time_limit_s, threads=threads, minimize=True)
    proven, found, values = run(h)
    if not found:
        return [], (
            "no relaxation of the planner-facing limits makes it feasible: check "
            "fixed_site/fixed_location, plots and the return rule"
        )
    out = []
    for j, i in enumerate(slack_rows):
        amount = float(values[mm.n_cols + j])
        if amount > SLACK_TOL:
            out.append(describe(d, *mm.row_family[i], amount))
    return out, (
        "smallest relaxation found"
        if proven
        else "a relaxation found (not proven smallest: time limit)"
    )


def describe(d: ModelData, name: str, index: object, amount: float) -> Relaxation:
    family = FAMILY_BY_NAME[name]
    sheet, column = family.cell
    key = family.input_key(d, index)
    where = index if isinstance(index, str) else "→".join(index) if isinstance(index, tuple) else ""
    row = d.rows.get((sheet, key)) if isinstance(index, str) else None
    return Relaxation(
        name,
        where,
        sheet,
        column,
        row,
        amount,
        family.unit,
        family.explain(d, index, amount),
        d.cell(sheet, key, column),
    )
