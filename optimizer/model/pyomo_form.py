"""The model of docs/model.md as a Pyomo `ConcreteModel`, for Python users and as an
independent check of the array model.

`pyomo_model(data)` returns the whole model with the names of docs/model.md (sets in
UPPER_CASE, parameters `p_`, binaries `b_`, continuous variables `v_`, expressions `e_`,
constraints `c_`, each with a `doc`). Its expressions are written here, not derived from
the array model's coefficients; each constraint takes its rule from the family's record
(`families/`). A user may add constraints and solve it with any Pyomo solver;
`to_matrix(m)` compiles it with Pyomo's own standard-form compiler into the arrays the
tool's solve path takes (`--engine pyomo`), and the tests hold that matrix equal to the
array model's, coefficient by coefficient.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from ..data.model_data import ModelData
from .columns import BINARY, VARIABLES
from .families import FAMILIES, FAMILY_BY_NAME
from .family import INF, INFEASIBLE
from .welfare import TERMS, inc_share


def pyomo_model(d: ModelData) -> pyo.ConcreteModel:
    """The reverse-enclave model of one package's data (`ModelData`), maximising
    `obj_welfare`."""
    m = pyo.ConcreteModel(name="reverse_enclave")
    with PauseGC():
        _sets(m, d)
        _parameters(m, d)
        for var in VARIABLES:
            domain = pyo.Binary if var.domain == BINARY else pyo.NonNegativeReals
            unit = f" ({var.unit})" if var.unit else ""
            setattr(
                m,
                var.name,
                pyo.Var(
                    getattr(m, var.index), domain=domain, doc=f"{var.symbol}: {var.meaning}{unit}"
                ),
            )
        _terms(m, d)
        for family in FAMILIES:
            _constraint(m, d, family)
        m.obj_welfare = pyo.Objective(  # payments move net benefit, they create no welfare
            expr=sum(
                d.regions[r].welfare_weight
                * (m.e_net_benefit[r] - m.e_quota_sales[r] + m.e_quota_purchase[r])
                for r in m.REGIONS
            ),
            sense=pyo.maximize,
            doc="weighted regional welfare, quota payments left out (mcny)",
        )
    return m


def _sets(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Sparse index sets: only allowed pairs get variables."""
    inc = d.inc_pairs()
    prod = d.prod_pairs(inc)
    m.REGIONS = pyo.Set(initialize=list(d.regions), ordered=True, doc="regions R")
    m.DEV_REGIONS = pyo.Set(
        initialize=[r for r, x in d.regions.items() if x.developing],
        ordered=True,
        doc="developing regions D",
    )
    m.SITES = pyo.Set(initialize=list(d.sites), ordered=True, doc="enclave options S")
    m.LOCATIONS = pyo.Set(initialize=list(d.locations), ordered=True, doc="production locations P")
    m.FIRMS = pyo.Set(initialize=list(d.firms), ordered=True, doc="candidate firms F")
    m.INC_PAIRS = pyo.Set(
        initialize=inc, dimen=2, ordered=True, doc="allowed (firm, site) incubation pairs A"
    )
    m.PROD_PAIRS = pyo.Set(
        initialize=prod, dimen=2, ordered=True, doc="allowed (firm, location) production pairs B"
    )
    m.LINKS = pyo.Set(
        initialize=list(d.links),
        dimen=2,
        ordered=True,
        doc="QuotaLinks pairs (a, b) on which quota may be traded",
    )
    maps = SimpleNamespace(
        inc_by_firm=defaultdict(list),
        inc_by_site=defaultdict(list),
        prod_by_firm=defaultdict(list),
        prod_by_loc=defaultdict(list),
        locs_by_region=defaultdict(list),
    )
    for f, s in inc:
        maps.inc_by_firm[f].append(s)
        maps.inc_by_site[s].append(f)
    for f, p in prod:
        maps.prod_by_firm[f].append(p)
        maps.prod_by_loc[p].append(f)
    for p in d.locations.values():
        maps.locs_by_region[p.region].append(p.id)
    m.maps = maps  # plain Python index maps the rules use (not a model component)


def _parameters(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Coefficients of docs/model.md, computed once from the data."""
    m.p_inc_value = pyo.Param(
        m.INC_PAIRS,
        initialize={k: d.inc_value(*k) for k in m.INC_PAIRS},
        doc="v_fs incubation value (mcny)",
    )
    m.p_floor_need = pyo.Param(
        m.INC_PAIRS,
        initialize={k: d.floor_need(*k) for k in m.INC_PAIRS},
        doc="floor firm f needs at site s (m2)",
    )
    m.p_prod_value = pyo.Param(
        m.PROD_PAIRS,
        initialize={k: d.prod_value(*k) for k in m.PROD_PAIRS},
        doc="w_fp production value (mcny)",
    )
    m.p_spillover = pyo.Param(
        m.PROD_PAIRS,
        initialize={k: d.spillover(*k) for k in m.PROD_PAIRS},
        doc="sigma_fp spillover value (mcny)",
    )
    m.p_land_cost = pyo.Param(
        m.PROD_PAIRS,
        initialize={k: d.land_cost(*k) for k in m.PROD_PAIRS},
        doc="c_fp land cost (mcny)",
    )


def _terms(m: pyo.ConcreteModel, d: ModelData) -> None:
    """e_<term>[r] for every term of N_r (welfare.TERMS), and e_net_benefit[r]."""

    def in_region(r):
        return [
            (f, p) for p in m.maps.locs_by_region.get(r, []) for f in m.maps.prod_by_loc.get(p, [])
        ]

    inc_terms = defaultdict(list)  # r -> [(share, f, s)], one pass over the pairs
    by_sponsor = defaultdict(list)  # r -> [(f, s)] of parks r sponsors
    for f, s in m.INC_PAIRS:
        by_sponsor[d.sites[s].sponsor].append((f, s))
        for r in {d.sites[s].host, d.sites[s].sponsor}:
            if inc_share(d, s, r):
                inc_terms[r].append((inc_share(d, s, r), f, s))
    rules = {
        "inc_value": lambda m, r: sum(
            share * m.p_inc_value[f, s] * m.b_inc[f, s] for share, f, s in inc_terms[r]
        ),
        "prod_value": lambda m, r: sum(m.p_prod_value[k] * m.b_prod[k] for k in in_region(r)),
        "spillover": lambda m, r: sum(
            m.p_spillover[k] * m.b_prod[k] for k in in_region(r) if m.p_spillover[k]
        ),
        "quota_value": lambda m, r: d.regions[r].quota_value * m.v_own_use[r],
        "site_cost": lambda m, r: sum(
            (s.setup_cost + s.opex) * m.b_open[s.id] for s in d.sites.values() if s.sponsor == r
        ),
        "subsidy": lambda m, r: sum(
            d.firms[f].subsidy * m.b_inc[f, s] for f, s in by_sponsor[r] if d.firms[f].subsidy
        ),
        "land_cost": lambda m, r: sum(
            m.p_land_cost[k] * m.b_prod[k] for k in in_region(r) if m.p_land_cost[k]
        ),
        "quota_purchase": lambda m, r: sum(
            d.links[a, b].price * m.v_trade[a, b] for a, b in m.LINKS if b == r
        ),
        "quota_sales": lambda m, r: sum(
            d.links[a, b].price * m.v_trade[a, b] for a, b in m.LINKS if a == r
        ),
    }
    for term in TERMS:
        setattr(
            m,
            f"e_{term.name}",
            pyo.Expression(
                m.REGIONS, rule=rules[term.name], doc=f"{term.symbol}: {term.words} (mcny)"
            ),
        )
    m.e_net_benefit = pyo.Expression(
        m.REGIONS,
        rule=lambda m, r: sum(t.sign * getattr(m, f"e_{t.name}")[r] for t in TERMS),
        doc="N_r net benefit of region r (mcny)",
    )


def _constraint(m: pyo.ConcreteModel, d: ModelData, family: Any) -> None:
    index, rule = family.pyomo(m, d)

    def wrapped(m, *i):
        out = rule(m, *i)
        if out is None:
            return pyo.Constraint.Skip
        return pyo.Constraint.Infeasible if out is INFEASIBLE else out

    doc = f"({family.number}) {family.math}"
    if index is None:
        setattr(m, family.name, pyo.Constraint(rule=lambda m: wrapped(m), doc=doc))
        return
    if not isinstance(index, str):  # the family's own index set
        name, symbol, meaning = family.index_set
        setattr(
            m,
            name,
            pyo.Set(
                initialize=index, dimen=family.index_dimen, ordered=True, doc=f"{symbol}: {meaning}"
            ),
        )
        index = name
    setattr(m, family.name, pyo.Constraint(getattr(m, index), rule=wrapped, doc=doc))


def to_matrix(m: pyo.ConcreteModel) -> Any:
    """The model compiled by Pyomo's standard-form compiler into a `MatrixModel` whose
    columns and rows carry the Pyomo names (`b_inc[f, s]` is column `mm.b_inc[f, s]`, row
    `("c_floor", s)` is constraint `c_floor[s]`)."""
    from pyomo.common.enums import ObjectiveSense
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from .matrix import MatrixModel

    variables = [v for var in VARIABLES for v in getattr(m, var.name).values()]
    info = LinearStandardFormCompiler().write(
        m, mixed_form=True, set_sense=ObjectiveSense.maximize, column_order=variables
    )
    columns = info.columns
    where = {id(v): j for j, v in enumerate(columns)}
    order = np.array([where[id(v)] for v in variables], dtype=np.int64)  # ours -> theirs
    a = info.A.tocsc()[:, order].tocoo()
    cost = np.asarray(info.c.todense()).ravel()[order] if info.c.shape[0] else np.zeros(len(order))
    lower, upper, family, flip = [], [], [], []
    for (con, sense), rhs in zip(info.rows, info.rhs):  # sense 1: ≤, -1: ≥, 0: =
        name = con.parent_component().local_name
        known = FAMILY_BY_NAME.get(name)  # None: a constraint a user added
        # Pyomo states `a >= b` as `b - a <= 0`: turn such rows to their family's sense,
        # so that a limit's marginal value has the same sign under both engines
        flip.append(
            known is not None
            and ((known.sense == "≥" and sense > 0) or (known.sense == "≤" and sense < 0))
        )
        lo, up = (rhs if sense <= 0 else -INF), (rhs if sense >= 0 else INF)
        lower.append(-up if flip[-1] else lo)
        upper.append(-lo if flip[-1] else up)
        family.append((name, con.index()))
    sign = np.where(np.array(flip, dtype=bool), -1.0, 1.0)
    mm = MatrixModel(
        np.array([v.lb if v.lb is not None else -INF for v in variables], dtype=float),
        np.array([v.ub if v.ub is not None else INF for v in variables], dtype=float),
        cost,
        np.array([1 if v.is_integer() else 0 for v in variables], dtype=np.int8),
        np.array(lower, dtype=float) + 0.0,
        np.array(upper, dtype=float) + 0.0,
        family,
        a.row.astype(np.int32),
        a.col.astype(np.int32),
        a.data.astype(np.float64) * sign[a.row],
    )
    col = 0
    for var in VARIABLES:
        comp = getattr(m, var.name)
        setattr(mm, var.name, {k: col + i for i, k in enumerate(comp.keys())})
        col += len(comp)
    return mm
