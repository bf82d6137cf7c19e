"""enclave: the planning optimizer for reverse enclaves.

    import optimizer
    result = optimizer.solve("inputs/zhejiang_example.xlsx", scenarios=["baseline"])
    result.summary                     # a row per package: status, objective_mcny, gap ...
    result.firms                       # where each firm is incubated and produces
    result.write("reports")            # the result workbook, as `enclave solve` writes it
    m = optimizer.pyomo_model("inputs/zhejiang_example.xlsx", scenario="free_return")

`solve(source, scenarios, **options)` solves packages as `enclave solve` does and returns a
`Result` (pandas tables of the result sheets); `pyomo_model(source, scenario)` is a
package's model as a Pyomo `ConcreteModel` (names as in docs/model.md) to extend and
solve; `model_data(source, scenario)` is the checked data both are built from. `source`
is a workbook path or row tables ({sheet: [{column: value}]}); bad input raises
`InputError` listing every problem.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError

__version__ = "0.1.0"
__all__ = ["InputError", "Result", "__version__", "model_data", "pyomo_model", "solve"]


def solve(
    source: Any,
    scenarios: list[str] | None = None,
    *,
    threads: int | None = None,
    seed: int | None = None,
    log: Any = None,
    irreplaceability: bool = False,
    engine: str = "direct",
    alternatives: int = 0,
    slack: float = 0.02,
    workers: int | None = None,
    scheduler: Any = None,
) -> Any:
    """Solve the packages of a workbook path or of row tables (all, or those named) and
    return a `Result`. `log`: a callable receiving progress lines (default: silent);
    `threads`, `seed`: HiGHS's; `engine`: "direct" (default) or "pyomo"; `alternatives`:
    up to that many near-optimal plans per package within `slack` (sheet Alternatives);
    `workers`: packages solved side by side in that many processes, each as soon as its
    ancestors are (default: one after another); `scheduler`: a Dask scheduler address
    to solve on."""
    from pathlib import Path

    from .app import RunOptions, run_workbook, solve_tables, tables_from_rows
    from .report.result import Result

    options = RunOptions(
        scenarios,
        threads,
        irreplaceability,
        log=log,
        seed=seed,
        engine=engine,
        alternatives=alternatives,
        slack=slack,
        workers=workers,
        scheduler=scheduler,
    )
    if isinstance(source, dict):
        return Result(solve_tables(tables_from_rows(source), options))
    return Result(run_workbook(Path(source), options))


def __getattr__(name: str) -> Any:
    if name == "Result":
        from .report.result import Result

        return Result
    raise AttributeError(name)


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
