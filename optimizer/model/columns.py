"""The decision variables of docs/model.md, declared once: name, symbol, index set, domain,
unit and meaning. The array model numbers their columns in this order (all of b_open, then
all of b_inc, ...); the Pyomo form creates one `Var` per declaration."""

from __future__ import annotations

from dataclasses import dataclass

BINARY, NONNEGATIVE = "binary", "nonnegative"


@dataclass(frozen=True)
class Variable:
    name: str
    symbol: str
    index: str  # the Pyomo set it is indexed over
    domain: str  # BINARY or NONNEGATIVE
    unit: str
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable("b_open", "y_s", "SITES", BINARY, "", "option s is opened"),
    Variable("b_inc", "x_fs", "INC_PAIRS", BINARY, "", "firm f is incubated at site s, (f,s) ∈ A"),
    Variable(
        "b_prod", "z_fp", "PROD_PAIRS", BINARY, "", "firm f produces at location p, (f,p) ∈ B"
    ),
    Variable(
        "v_trade",
        "t_ab",
        "LINKS",
        NONNEGATIVE,
        "ha",
        "quota traded from a to b on a QuotaLinks pair",
    ),
    Variable(
        "v_own_use",
        "u_r",
        "REGIONS",
        NONNEGATIVE,
        "ha",
        "quota region r keeps for its own other development",
    ),
    Variable(
        "v_fund", "g_r", "REGIONS", NONNEGATIVE, "mcny", "provincial fund allocated to region r"
    ),
)
VARIABLE_BY_NAME = {v.name: v for v in VARIABLES}
