"""The arrays HiGHS is handed (`Problem`), made once per package from the array model:
columns, rows and the matrix in compressed column form. Picklable, so that a worker
process can rebuild the same HiGHS model; `restrict` cuts out the sub-problems (kernels,
cores) of the strategy without touching the array model again."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .outcome import FEAS_TOL


@dataclass
class Problem:
    """maximise cost·x subject to row_lower ≤ A x ≤ row_upper, col_lower ≤ x ≤ col_upper,
    x integer where col_int; A column by column (starts, index, value)."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    col_cost: np.ndarray
    col_int: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, mm) -> Problem:
        starts, index, value = mm.columnwise()
        return cls(
            mm.col_lower.astype(np.float64),
            mm.col_upper.astype(np.float64),
            mm.col_cost.astype(np.float64),
            mm.col_int.astype(np.int8),
            mm.row_lower.astype(np.float64),
            mm.row_upper.astype(np.float64),
            starts,
            index,
            value,
        )

    @property
    def n_cols(self) -> int:
        return len(self.col_cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    def objective(self, values: np.ndarray) -> float:
        return float(np.dot(self.col_cost, values))

    def activity(self, values: np.ndarray) -> np.ndarray:
        """A x, row by row."""
        counts = np.diff(self.starts)
        return np.bincount(
            self.index, weights=self.value * np.repeat(values, counts), minlength=self.n_rows
        )

    def reduced_costs(self, row_prices: np.ndarray) -> np.ndarray:
        """c - Aᵀy, column by column, at the row prices y."""
        counts = np.diff(self.starts)
        column = np.repeat(np.arange(self.n_cols), counts)
        priced = np.bincount(
            column, weights=self.value * row_prices[self.index], minlength=self.n_cols
        )
        return self.col_cost - priced

    def feasible(self, values: np.ndarray) -> bool:
        """Whether the values meet every row and bound (the tool's own tolerance) and
        are whole where they must be."""
        act = self.activity(values)
        tol = FEAS_TOL * np.maximum(1.0, np.abs(act))
        ints = self.col_int.astype(bool)
        return bool(
            np.all(act >= self.row_lower - tol)
            and np.all(act <= self.row_upper + tol)
            and np.all(values >= self.col_lower - FEAS_TOL)
            and np.all(values <= self.col_upper + FEAS_TOL)
            and np.all(np.abs(values[ints] - np.round(values[ints])) <= FEAS_TOL)
        )

    def restrict(self, keep: np.ndarray) -> tuple[Problem, np.ndarray]:
        """The problem on the columns `keep` (a mask) only, the others held at 0, and the
        kept columns' numbers in this problem."""
        cols = np.nonzero(keep)[0]
        counts = np.diff(self.starts)[cols]
        first = self.starts[cols]
        # positions of the kept columns' entries, in order
        offsets = np.repeat(first - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        take = np.arange(int(counts.sum())) + offsets
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        return Problem(
            self.col_lower[cols],
            self.col_upper[cols],
            self.col_cost[cols],
            self.col_int[cols],
            self.row_lower,
            self.row_upper,
            starts,
            self.index[take],
            self.value[take],
        ), cols

    def without_rows(self, drop: np.ndarray) -> Problem:
        """The problem without the rows `drop` (a mask): a relaxation."""
        keep = ~drop
        new = np.cumsum(keep) - 1
        entry = keep[self.index]
        column = np.repeat(np.arange(self.n_cols), np.diff(self.starts))
        counts = np.bincount(column[entry], minlength=self.n_cols)
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        return Problem(
            self.col_lower,
            self.col_upper,
            self.col_cost,
            self.col_int,
            self.row_lower[keep],
            self.row_upper[keep],
            starts,
            new[self.index[entry]].astype(np.int32),
            self.value[entry],
        )
