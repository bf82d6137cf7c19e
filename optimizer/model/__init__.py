"""The mixed-integer model of docs/model.md, in Pyomo."""

from .build import build_model

__all__ = ["build_model"]
