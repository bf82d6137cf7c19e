"""The model of docs/model.md, declared once: variables (`columns`), welfare terms
(`welfare`) and constraint families (`families`), assembled into the array model HiGHS is
handed (`matrix`) and, for Python users, a Pyomo model (`pyomo_form`, imported on use)."""

from __future__ import annotations

from typing import Any

from .families import FAMILIES, FAMILY_BY_NAME
from .matrix import MatrixModel, build_matrix

__all__ = ["FAMILIES", "FAMILY_BY_NAME", "MatrixModel", "build_matrix", "pyomo_model", "to_matrix"]


def __getattr__(name: str) -> Any:  # Pyomo is imported only by those who ask for it
    if name in ("pyomo_model", "to_matrix"):
        from . import pyomo_form

        return getattr(pyomo_form, name)
    raise AttributeError(name)
