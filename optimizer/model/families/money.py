"""Families 10-11: budgets, the provincial fund and caps on parks."""

from __future__ import annotations

import numpy as np

from ..family import INF, Family, Rows
from ..welfare import TERMS


def budget_rows(b):
    """Spending of region r (the welfare terms marked as spending) - g_r <= budget_r."""
    d, mm = b.d, b.mm
    forms = [b.terms[t.name] for t in TERMS if t.spending]
    region = np.concatenate([f.region for f in forms])
    col = np.concatenate([f.col for f in forms])
    val = np.concatenate([f.coef for f in forms])
    keep = val != 0
    n = len(d.regions)
    g = np.array([mm.v_fund[r] for r in d.regions], dtype=np.int64)
    return Rows.of(
        list(d.regions),
        np.concatenate([region[keep], np.arange(n)]),
        np.concatenate([col[keep], g]),
        np.concatenate([val[keep], -np.ones(n)]),
        -INF,
        [reg.budget_mcny for reg in d.regions.values()],
    )


def budget_pyomo(m, d):
    def rule(m, r):
        spending = sum(getattr(m, f"e_{t.name}")[r] for t in TERMS if t.spending)
        return spending <= d.regions[r].budget_mcny + m.v_fund[r]

    return "REGIONS", rule


def fund_rows(b):
    g = [b.mm.v_fund[r] for r in b.d.regions]
    return Rows.of(
        [None], [0] * len(g), g, [1.0] * len(g), -INF, b.d.policy["provincial_fund_mcny"]
    )


def fund_pyomo(m, d):
    return None, lambda m: sum(m.v_fund[r] for r in m.REGIONS) <= d.policy["provincial_fund_mcny"]


def _capped_sites(d, role, key):
    """Region -> its cross-region parks as sponsor/host, when the cap `key` is set."""
    if d.policy[key] is None:
        return {}
    out = {}
    for r in d.regions:
        ids = [s.id for s in d.sites.values() if s.cross_region and getattr(s, role) == r]
        if ids:
            out[r] = ids
    return out


def _cap_family(name, role, key, words, more, math):
    def rows(b):
        capped = _capped_sites(b.d, role, key)
        return Rows.from_dicts(
            list(capped),
            [{b.mm.b_open[s]: 1.0 for s in ids} for ids in capped.values()],
            -INF,
            float(b.d.policy[key] or 0),
        )

    def pyomo(m, d):
        capped = _capped_sites(d, role, key)
        return (
            "REGIONS",
            lambda m, r: (
                sum(m.b_open[s] for s in capped[r]) <= d.policy[key] if r in capped else None
            ),
        )

    def explain(d, r, amount):
        region = d.regions[r]
        name_ = f"{region.name} ({r})" if region.name != r else r
        return f"{name_} needs {amount:,.0f} more {more} than {key}"

    return Family(
        name=name,
        number=11,
        over="r ∈ R",
        math=math,
        sense="≤",
        rows=rows,
        pyomo=pyomo,
        words=words,
        unit="parks",
        in_limits=True,
        cell=("Policy", key),
        relax=True,
        limit=lambda d, r: d.policy[key] or 0,
        key=lambda d, r: key,
        explain=explain,
    )


def _budget_words(d, r, amount):
    region = d.regions[r]
    name = f"{region.name} ({r})" if region.name != r else r
    return f"{name}'s budget is short by {amount:,.3f} mcny"


FAMILIES = (
    Family(
        name="c_budget",
        number=10,
        over="r ∈ R",
        math="SC_r + SB_r + LC_r + QP_r ≤ `budget_mcny`_r + g_r",
        sense="≤",
        rows=budget_rows,
        pyomo=budget_pyomo,
        words="budget (incl. provincial fund received)",
        unit="mcny",
        in_limits=True,
        cell=("Regions", "budget_mcny"),
        relax=True,
        limit=lambda d, r: d.regions[r].budget_mcny,
        explain=_budget_words,
    ),
    Family(
        name="c_fund",
        number=10,
        over="",
        math="Σ_r g_r ≤ G",
        sense="≤",
        rows=fund_rows,
        pyomo=fund_pyomo,
        words="provincial fund",
        in_limits=True,
        unit="mcny",
        cell=("Policy", "provincial_fund_mcny"),
        relax=True,
        limit=lambda d, i: d.policy["provincial_fund_mcny"],
        explain=lambda d, i, amount: f"the provincial fund is short by {amount:,.3f} mcny",
    ),
    _cap_family(
        "c_sponsor_cap",
        "sponsor",
        "max_sites_per_sponsor",
        "cross-region parks per sponsor",
        "cross-region park(s)",
        "Σ_{s: o(s)=r≠h(s)} y_s ≤ `max_sites_per_sponsor` (only when set)",
    ),
    _cap_family(
        "c_host_cap",
        "host",
        "max_enclaves_per_host",
        "parks of other regions per host",
        "park(s) of other regions",
        "Σ_{s: h(s)=r≠o(s)} y_s ≤ `max_enclaves_per_host` (only when set)",
    ),
)
