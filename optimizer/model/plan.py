"""A plan in planner terms (`Decisions`) and as column values of the array model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Decisions:
    opened: frozenset[str]
    site_of: dict[str, str]  # firm -> site
    location_of: dict[str, str]  # firm -> production location
    trade: dict[tuple[str, str], float]
    own_use: dict[str, float]
    fund: dict[str, float]


def decisions(mm: Any, v: np.ndarray) -> Decisions:
    """The plan held by column values `v` of `mm` (binaries read as > 0.5)."""
    return Decisions(
        frozenset(s for s, c in mm.b_open.items() if v[c] > 0.5),
        {f: s for (f, s), c in mm.b_inc.items() if v[c] > 0.5},
        {f: p for (f, p), c in mm.b_prod.items() if v[c] > 0.5},
        {k: float(v[c]) for k, c in mm.v_trade.items()},
        {r: float(v[c]) for r, c in mm.v_own_use.items()},
        {r: float(v[c]) for r, c in mm.v_fund.items()},
    )


def values_of(mm: Any, x: Decisions) -> np.ndarray:
    """Column values of a plan (the inverse of `decisions`)."""
    v = np.zeros(mm.n_cols)
    for s in x.opened:
        v[mm.b_open[s]] = 1.0
    for key in x.site_of.items():
        v[mm.b_inc[key]] = 1.0
    for key in x.location_of.items():
        v[mm.b_prod[key]] = 1.0
    for k, c in mm.v_trade.items():
        v[c] = x.trade[k]
    for r, c in mm.v_own_use.items():
        v[c] = x.own_use[r]
    for r, c in mm.v_fund.items():
        v[c] = x.fund[r]
    return v


# near-optimal alternatives (analysis/alternatives.py searches, report/alternatives.py shows)
MIN_DISTANCE = 1  # changed decisions an alternative must have to every earlier plan
NO_MORE = "no further distinct plan exists within the slack (proven)"
TIMED_OUT = "no further distinct plan found in the time limit (not proven that none exists)"


@dataclass
class Found:
    """A near-optimal alternative: its plan, welfare, distance (changed binary decisions)
    to every earlier plan in order, and whether that distance is proven the largest."""

    plan: Decisions
    welfare: float
    distance: list[int]
    proven: bool
