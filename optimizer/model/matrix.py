"""The model of docs/model.md as arrays, assembled from its declarations.

Columns come from `columns.VARIABLES` (one block per variable, in that order), objective
coefficients from the welfare terms (`welfare.term_forms`, weighted by region), and rows
from the constraint families (`families.FAMILIES`, each record's builder, in order). The
result is what HiGHS is handed in one call (`solver/highs.py`); it takes a fraction of a
second where walking a Pyomo model takes tens of seconds at province scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..data.model_data import ModelData
from .columns import BINARY, VARIABLES
from .families import FAMILIES
from .family import INF
from .welfare import WELFARE, Form, term_forms, weighted


@dataclass
class MatrixModel:
    """Columns (bounds, objective, integrality), rows (bounds, (family, index) name) and
    the constraint matrix as coordinates. Each variable's columns are a dict of its index
    to the column number (`mm.b_inc[f, s]`); the objective is maximised."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    col_cost: np.ndarray
    col_int: np.ndarray  # 1 = integer (binary), 0 = continuous
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_family: list[tuple[str, Any]]
    e_row: np.ndarray  # entries: row, column, value
    e_col: np.ndarray
    e_val: np.ndarray
    b_open: dict[str, int] = field(default_factory=dict)
    b_inc: dict[tuple[str, str], int] = field(default_factory=dict)
    b_prod: dict[tuple[str, str], int] = field(default_factory=dict)
    v_trade: dict[tuple[str, str], int] = field(default_factory=dict)
    v_own_use: dict[str, int] = field(default_factory=dict)
    v_fund: dict[str, int] = field(default_factory=dict)

    @property
    def n_cols(self) -> int:
        return len(self.col_cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    def entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix as coordinate arrays (row, column, value)."""
        return self.e_row, self.e_col, self.e_val

    def columnwise(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The matrix in compressed column form: (starts, row indices, values)."""
        order = np.lexsort((self.e_row, self.e_col))
        cols = self.e_col[order]
        starts = np.searchsorted(cols, np.arange(self.n_cols + 1)).astype(np.int32)
        return starts, self.e_row[order].astype(np.int32), self.e_val[order]

    def block(self, name: str) -> dict[Any, int]:
        """The columns of variable `name` (b_open, b_inc, ...)."""
        return getattr(self, name)


@dataclass
class Build:
    """What the family builders read: the data, the columns so far and per-pair
    coefficients computed once (arrays in the order of `mm.b_inc` / `mm.b_prod`)."""

    d: ModelData
    mm: MatrixModel
    inc: list[tuple[str, str]]
    prod: list[tuple[str, str]]

    @cached_property
    def region_index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.d.regions)}

    @cached_property
    def _firm_index(self) -> dict[str, int]:
        return {f: i for i, f in enumerate(self.d.firms)}

    def _firm_attr(self, attr: str) -> np.ndarray:
        return np.array([getattr(f, attr) for f in self.d.firms.values()], dtype=float)

    @cached_property
    def inc_firm(self) -> np.ndarray:
        fi = self._firm_index
        return np.fromiter((fi[f] for f, _ in self.inc), dtype=np.int64, count=len(self.inc))

    @cached_property
    def inc_site(self) -> np.ndarray:
        si = {s: i for i, s in enumerate(self.d.sites)}
        return np.fromiter((si[s] for _, s in self.inc), dtype=np.int64, count=len(self.inc))

    @cached_property
    def prod_firm(self) -> np.ndarray:
        fi = self._firm_index
        return np.fromiter((fi[f] for f, _ in self.prod), dtype=np.int64, count=len(self.prod))

    @cached_property
    def prod_location(self) -> np.ndarray:
        li = {p: i for i, p in enumerate(self.d.locations)}
        return np.fromiter((li[p] for _, p in self.prod), dtype=np.int64, count=len(self.prod))

    @cached_property
    def prod_region(self) -> np.ndarray:
        ri = self.region_index
        region = np.array([ri[p.region] for p in self.d.locations.values()], dtype=np.int64)
        return region[self.prod_location]

    def _pair_values(self, pairs: list, base: np.ndarray, extra: dict, what: str) -> np.ndarray:
        """`base` with the pairs listed in `extra` (SiteAffinity, ...) changed by `what`."""
        if extra:
            where = {k: i for i, k in enumerate(pairs)}
            for key, value in extra.items():
                i = where.get(key)
                if i is not None:
                    base[i] = base[i] + value if what == "add" else value
        return base

    @cached_property
    def inc_value(self) -> np.ndarray:
        """v_fs = rd_value_f x innovation_level_s + SiteAffinity_fs."""
        level = np.array([s.innovation_level for s in self.d.sites.values()])
        base = self._firm_attr("rd_value")[self.inc_firm] * level[self.inc_site]
        return self._pair_values(self.inc, base, self.d.site_affinity, "add")

    @cached_property
    def floor_need(self) -> np.ndarray:
        base = self._firm_attr("floor_need_m2")[self.inc_firm]
        return self._pair_values(self.inc, base, self.d.site_floor, "set")

    @cached_property
    def inc_subsidy(self) -> np.ndarray:
        return self._firm_attr("subsidy")[self.inc_firm]

    @cached_property
    def prod_value(self) -> np.ndarray:
        """w_fp = success_f (prod_value_f - prod_cost_f cost_index_p) + LocationAffinity."""
        f, p = self.prod_firm, self.prod_location
        index = np.array([loc.cost_index for loc in self.d.locations.values()])
        base = self._firm_attr("success_prob")[f] * (
            self._firm_attr("prod_value")[f] - self._firm_attr("prod_cost")[f] * index[p]
        )
        return self._pair_values(self.prod, base, self.d.location_affinity, "add")

    @cached_property
    def spillover(self) -> np.ndarray:
        """sigma_fp = success_f x spillover_rate x strength_{p,k(f)} x prod_value_f."""
        d = self.d
        sectors = {k: i for i, k in enumerate(sorted({f.sector for f in d.firms.values()}))}
        strength = np.zeros((len(d.locations), len(sectors)))
        li = {p: i for i, p in enumerate(d.locations)}
        for (p, k), v in d.strength.items():
            if k in sectors:
                strength[li[p], sectors[k]] = v
        sector = np.array([sectors[f.sector] for f in d.firms.values()], dtype=np.int64)
        f = self.prod_firm
        return (
            self._firm_attr("success_prob")[f]
            * d.policy["spillover_rate"]
            * strength[self.prod_location, sector[f]]
            * self._firm_attr("prod_value")[f]
        )

    @cached_property
    def land_need(self) -> np.ndarray:
        return self._firm_attr("land_need_ha")[self.prod_firm]

    @cached_property
    def land_cost(self) -> np.ndarray:
        """c_fp = land_cost_p x land_need_f."""
        price = np.array([loc.land_cost for loc in self.d.locations.values()])
        return price[self.prod_location] * self.land_need

    @cached_property
    def terms(self) -> dict[str, Form]:
        return term_forms(self)

    @cached_property
    def sites_of(self) -> dict[str, list[str]]:
        return _group(self.inc, 0)

    @cached_property
    def firms_at_site(self) -> dict[str, list[str]]:
        return _group(self.inc, 1)

    @cached_property
    def locations_of(self) -> dict[str, list[str]]:
        return _group(self.prod, 0)

    @cached_property
    def firms_at_location(self) -> dict[str, list[str]]:
        return _group(self.prod, 1)


def _group(pairs: list[tuple[str, str]], by: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        out.setdefault(pair[by], []).append(pair[1 - by])
    return out


def _keys(d: ModelData, inc: list, prod: list) -> dict[str, list]:
    """Index of every variable's columns, in column order."""
    return {
        "b_open": list(d.sites),
        "b_inc": inc,
        "b_prod": prod,
        "v_trade": list(d.links),
        "v_own_use": list(d.regions),
        "v_fund": list(d.regions),
    }


def build_matrix(d: ModelData, pairs: tuple[list, list] | None = None) -> MatrixModel:
    """Every column, row and objective coefficient of docs/model.md; with `pairs` (a subset
    of the allowed incubation and production pairs), the model restricted to them (its
    plans are plans of the whole model: the other x and z stay 0)."""
    inc = d.inc_pairs() if pairs is None else pairs[0]
    prod = d.prod_pairs(inc) if pairs is None else pairs[1]
    keys = _keys(d, inc, prod)
    empty = np.zeros(0)
    mm = MatrixModel(empty, empty, empty, empty, empty, empty, [], empty, empty, empty)
    lower, upper, integer, n = [], [], [], 0
    for var in VARIABLES:
        k = len(keys[var.name])
        setattr(mm, var.name, dict(zip(keys[var.name], range(n, n + k))))
        binary = var.domain == BINARY
        lower.append(np.zeros(k))
        upper.append(np.full(k, 1.0 if binary else INF))
        integer.append(np.full(k, 1 if binary else 0, dtype=np.int8))
        n += k
    mm.col_lower, mm.col_upper = np.concatenate(lower), np.concatenate(upper)
    mm.col_int = np.concatenate(integer)
    b = Build(d, mm, inc, prod)
    w = np.array([reg.welfare_weight for reg in d.regions.values()])
    mm.col_cost = weighted(b.terms, w, n, WELFARE)  # payments between regions: no welfare
    rows, cols, vals, lo, up = [], [], [], [], []
    offset = 0
    for family in FAMILIES:
        block = family.rows(b)
        rows.append(block.row + offset)
        cols.append(block.col)
        vals.append(block.val)
        lo.append(block.lower)
        up.append(block.upper)
        mm.row_family.extend((family.name, i) for i in block.index)
        offset += len(block.index)
    mm.e_row = np.concatenate(rows).astype(np.int32)
    mm.e_col = np.concatenate(cols).astype(np.int32)
    mm.e_val = np.concatenate(vals)
    mm.row_lower, mm.row_upper = np.concatenate(lo), np.concatenate(up)
    return mm
