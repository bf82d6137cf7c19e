"""Sets, coefficients and variables (docs/model.md §Sets, §Parameters, §Variables)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from ..data.model_data import ModelData


def add_sets(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Sparse index sets: only allowed pairs get variables."""
    inc = d.inc_pairs()
    prod = d.prod_pairs(inc)
    m.REGIONS = pyo.Set(initialize=list(d.regions), ordered=True, doc="regions R")
    m.DEV_REGIONS = pyo.Set(initialize=[r for r, x in d.regions.items() if x.developing],
                            ordered=True, doc="developing regions D")
    m.SITES = pyo.Set(initialize=list(d.sites), ordered=True, doc="enclave options S")
    m.LOCATIONS = pyo.Set(initialize=list(d.locations), ordered=True,
                          doc="production locations P")
    m.FIRMS = pyo.Set(initialize=list(d.firms), ordered=True, doc="candidate firms F")
    m.INC_PAIRS = pyo.Set(initialize=inc, dimen=2, ordered=True,
                          doc="allowed (firm, site) incubation pairs A")
    m.PROD_PAIRS = pyo.Set(initialize=prod, dimen=2, ordered=True,
                           doc="allowed (firm, location) production pairs B")
    m.LINKS = pyo.Set(initialize=list(d.links), dimen=2, ordered=True,
                      doc="QuotaLinks pairs (a, b) on which quota may be traded")
    # index maps used by the constraint rules (plain Python, not model components)
    m._inc_by_firm, m._inc_by_site = defaultdict(list), defaultdict(list)
    for f, s in inc:
        m._inc_by_firm[f].append(s)
        m._inc_by_site[s].append(f)
    m._prod_by_firm, m._prod_by_loc = defaultdict(list), defaultdict(list)
    for f, p in prod:
        m._prod_by_firm[f].append(p)
        m._prod_by_loc[p].append(f)
    m._locs_by_region = defaultdict(list)
    for p in d.locations.values():
        m._locs_by_region[p.region].append(p.id)


def add_parameters(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Coefficients of docs/model.md, computed once from the data."""
    m.p_inc_value = pyo.Param(m.INC_PAIRS, initialize={k: d.inc_value(*k) for k in m.INC_PAIRS},
                              doc="v_fs incubation value (mcny)")
    m.p_floor_need = pyo.Param(m.INC_PAIRS,
                               initialize={k: d.floor_need(*k) for k in m.INC_PAIRS},
                               doc="floor firm f needs at site s (m2)")
    m.p_prod_value = pyo.Param(m.PROD_PAIRS,
                               initialize={k: d.prod_value(*k) for k in m.PROD_PAIRS},
                               doc="w_fp production value (mcny)")
    m.p_spillover = pyo.Param(m.PROD_PAIRS,
                              initialize={k: d.spillover(*k) for k in m.PROD_PAIRS},
                              doc="sigma_fp spillover value (mcny)")
    m.p_land_cost = pyo.Param(m.PROD_PAIRS,
                              initialize={k: d.land_cost(*k) for k in m.PROD_PAIRS},
                              doc="c_fp land cost (mcny)")


def add_variables(m: pyo.ConcreteModel, d: ModelData) -> None:
    m.b_open = pyo.Var(m.SITES, domain=pyo.Binary, doc="y_s: option s is opened")
    m.b_inc = pyo.Var(m.INC_PAIRS, domain=pyo.Binary, doc="x_fs: firm f incubated at site s")
    m.b_prod = pyo.Var(m.PROD_PAIRS, domain=pyo.Binary, doc="z_fp: firm f produces at p")
    m.v_trade = pyo.Var(m.LINKS, domain=pyo.NonNegativeReals,
                        doc="t_ab: quota traded from a to b (ha)")
    m.v_own_use = pyo.Var(m.REGIONS, domain=pyo.NonNegativeReals,
                          doc="u_r: quota region r uses for its own other development (ha)")
    m.v_fund = pyo.Var(m.REGIONS, domain=pyo.NonNegativeReals,
                       doc="g_r: provincial fund given to region r (mcny)")
