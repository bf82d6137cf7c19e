"""Build the model: a short ordered list of add_* calls, one per family of docs/model.md."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from ..data.model_data import ModelData
from . import index, land, money, placement, production, welfare

STEPS = (
    index.add_sets,
    index.add_parameters,
    index.add_variables,
    welfare.add_terms,
    placement.add_plot,  # (1)
    placement.add_place,  # (2)
    placement.add_link,  # (3)
    placement.add_floor,  # (4)
    production.add_prod_follows,  # (5)
    production.add_return,  # (6)
    production.add_loc_land,  # (7)
    land.add_quota,  # (8)
    land.add_trade_cap,  # (9)
    money.add_budget,  # (10)
    money.add_caps,  # (11)
    welfare.add_equity,  # (12)
    welfare.add_objective,
)


def build_model(d: ModelData) -> pyo.ConcreteModel:
    m = pyo.ConcreteModel(name="reverse_enclave")
    with PauseGC():
        for step in STEPS:
            step(m, d)
    return m
