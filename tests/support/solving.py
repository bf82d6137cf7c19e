"""Solving test cases on either engine: the array model (`direct`) or the Pyomo form
compiled by Pyomo (`pyomo`), optionally without some constraint families."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.model import build_matrix
from optimizer.model.pyomo_form import pyomo_model, to_matrix
from optimizer.solver.highs import solve_matrix

ENGINES = ("direct", "pyomo")


def model_data(data):
    return from_tables(tables_from_rows(data))


def matrix(d, engine, drop=()):
    """The model of `d` on `engine`; with `drop`, those families' rows left out (the
    direct engine filters its rows, the Pyomo form deactivates its components)."""
    if engine == "pyomo":
        m = pyomo_model(d)
        for family in drop:
            getattr(m, family).deactivate()
        return to_matrix(m)
    return without(build_matrix(d), drop)


def without(mm, families):
    """`mm` without the rows of `families`."""
    if not families:
        return mm
    keep = np.array([f not in families for f, _ in mm.row_family], dtype=bool)
    new = np.cumsum(keep) - 1
    entry = keep[mm.e_row]
    return replace(
        mm,
        row_lower=mm.row_lower[keep],
        row_upper=mm.row_upper[keep],
        row_family=[k for k, ok in zip(mm.row_family, keep) if ok],
        e_row=new[mm.e_row[entry]].astype(np.int32),
        e_col=mm.e_col[entry],
        e_val=mm.e_val[entry],
    )


def optimum(data, engine="direct", drop=()):
    """(objective or None, plan or None) at a 1e-9 gap."""
    out, x = solve_matrix(matrix(model_data(data), engine, drop), mip_gap=1e-9, time_limit_s=60)
    return (out.objective if out.has_plan else None), x
