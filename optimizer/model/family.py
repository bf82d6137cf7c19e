"""The record that declares one constraint family, and the rows its builder returns.

Each family of docs/model.md is declared once, as a `Family` next to the code that builds
its rows (`model/families/`). The array model is assembled from the records' builders; the
Pyomo form takes each family's Pyomo rule from the same record; the `Limits` sheet, the
diagnosis of infeasible packages, the priced bound and docs/model.md read the rest of the
record (planner words, unit, the input cell a planner changes, whether diagnosis may relax
it, whether the priced bound keeps it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

INF = float("inf")  # HiGHS's infinity (highspy.kHighsInf) is IEEE infinity
INFEASIBLE = "infeasible"  # a Pyomo rule's answer for a row no plan can satisfy


@dataclass
class Rows:
    """Rows of one family as coordinates: row `row[k]` (numbered from 0 within the family)
    has coefficient `val[k]` on column `col[k]`; `index[i]` names row i."""

    index: list[Any]
    row: np.ndarray
    col: np.ndarray
    val: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @staticmethod
    def of(index: list[Any], row: Any, col: Any, val: Any, lower: Any, upper: Any) -> Rows:
        """From lists or arrays; a scalar `lower`/`upper` applies to every row."""
        n = len(index)
        return Rows(
            list(index),
            np.asarray(row, dtype=np.int64),
            np.asarray(col, dtype=np.int64),
            np.asarray(val, dtype=np.float64),
            np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)).copy(),
            np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)).copy(),
        )

    @staticmethod
    def from_dicts(index: list[Any], terms: list[dict[int, float]], lower: Any, upper: Any) -> Rows:
        """Row i has the coefficients terms[i] (column -> value; zeros are dropped)."""
        row, col, val = [], [], []
        for i, t in enumerate(terms):
            for c, v in t.items():
                if v != 0:
                    row.append(i)
                    col.append(c)
                    val.append(v)
        return Rows.of(index, row, col, val, lower, upper)


@dataclass(frozen=True)
class Family:
    """One constraint family of docs/model.md (MODEL.md §3)."""

    name: str  # component name in both forms, c_<family>
    number: int  # family number in MODEL.md §3
    over: str  # what one row is for, in the doc's symbols: "r ∈ R"
    math: str  # the row, as docs/model.md states it
    sense: str  # "≤", "≥" or "=": how its rows are oriented in both forms
    rows: Callable[[Any], Rows]  # array builder: Build -> Rows
    pyomo: Callable[[Any, Any], tuple[Any, Callable[..., Any]]]  # (m, d) -> (index, rule)
    words: str = ""  # the limit in planner words ("budget (incl. provincial fund received)")
    unit: str = ""  # unit of the limit (mcny, ha, m², parks)
    cell: tuple[str, str] | None = None  # (sheet, column) a planner changes to loosen it
    relax: bool = False  # diagnosis may relax it (a planner-facing limit)
    priced: bool = True  # the priced bound prices it (False: kept in each park's choice)
    in_limits: bool = False  # shown in the Limits sheet with what one more unit is worth
    index_set: tuple[str, str, str] | None = None  # (name, symbol, meaning) of its own set
    index_dimen: int = 1  # components of one index of that set
    limit: Callable[[Any, Any], float] | None = None  # (d, index) -> the planner's value
    explain: Callable[[Any, Any, float], str] | None = None  # (d, index, amount) -> words
    key: Callable[[Any, Any], str] | None = None  # (d, index) -> id of the input row

    def input_key(self, d: Any, index: Any) -> str:
        """Id of the input row a planner changes (for Policy: the parameter)."""
        if self.key is not None:
            return self.key(d, index)
        if self.cell and self.cell[0] == "Policy":
            return self.cell[1]
        return index if isinstance(index, str) else ""
