"""enclave: the planning optimizer for reverse enclaves.

    import optimizer
    m = optimizer.pyomo_model("inputs/zhejiang_example.xlsx", scenario="free_return")

`pyomo_model(source, scenario)` is the package's model as a Pyomo `ConcreteModel` (names
as in docs/model.md) for Python users to extend and solve; `model_data(source, scenario)`
is the checked data it is built from. `source` is a workbook path or row tables
({sheet: [{column: value}]}); bad input raises `InputError` listing every problem.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError

__version__ = "0.1.0"
__all__ = ["InputError", "__version__", "model_data", "pyomo_model"]


def model_data(source: Any, scenario: str = "baseline") -> Any:
    """The checked `ModelData` of one package (see `optimizer.app.model_data`)."""
    from .app import model_data as load

    return load(source, scenario)


def pyomo_model(source: Any, scenario: str = "baseline") -> Any:
    """The package's model as a Pyomo `ConcreteModel`, maximising `obj_welfare`; `source`
    may also be a `ModelData` already loaded."""
    from .data.model_data import ModelData
    from .model.pyomo_form import pyomo_model as build

    return build(source if isinstance(source, ModelData) else model_data(source, scenario))
