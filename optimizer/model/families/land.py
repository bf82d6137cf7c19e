"""Families 8-9: land-quota balance and quota trades."""

from __future__ import annotations

from collections import defaultdict

from ..family import INF, Family, Rows


def quota_rows(b):
    d, mm = b.d, b.mm
    e = d.policy["exchange_ratio"]
    quota: dict[str, dict[int, float]] = {r: defaultdict(float) for r in d.regions}
    region = {p: loc.region for p, loc in d.locations.items()}
    for (f, p), c in mm.b_prod.items():
        need = d.firms[f].land_need_ha
        if need:
            quota[region[p]][c] += need
    for s in d.sites.values():
        if s.land_ha:
            quota[s.host][mm.b_open[s.id]] += s.land_ha
            if s.cross_region:  # the deal: the sponsor hands e x land to the host
                quota[s.sponsor][mm.b_open[s.id]] += e * s.land_ha
                quota[s.host][mm.b_open[s.id]] -= e * s.land_ha
    for (a, b_), c in mm.v_trade.items():
        quota[a][c] += 1.0
        quota[b_][c] -= 1.0
    for r in d.regions:
        quota[r][mm.v_own_use[r]] += 1.0
    index = list(d.regions)
    return Rows.from_dicts(
        index, [quota[r] for r in index], -INF, [d.regions[r].land_quota_ha for r in index]
    )


def quota_pyomo(m, d):
    e = d.policy["exchange_ratio"]

    def rule(m, r):
        production = sum(
            d.firms[f].land_need_ha * m.b_prod[f, p]
            for p in m.maps.locs_by_region.get(r, [])
            for f in m.maps.prod_by_loc.get(p, [])
            if d.firms[f].land_need_ha
        )
        parks = sum(
            s.land_ha * m.b_open[s.id] for s in d.sites.values() if s.host == r and s.land_ha
        )
        sold = sum(m.v_trade[a, b] for a, b in m.LINKS if a == r)
        bought = sum(m.v_trade[a, b] for a, b in m.LINKS if b == r)
        deals_out = sum(
            e * s.land_ha * m.b_open[s.id]
            for s in d.sites.values()
            if s.sponsor == r and s.cross_region and s.land_ha
        )
        deals_in = sum(
            e * s.land_ha * m.b_open[s.id]
            for s in d.sites.values()
            if s.host == r and s.cross_region and s.land_ha
        )
        return (
            production + parks + m.v_own_use[r] + sold + deals_out
            <= d.regions[r].land_quota_ha + bought + deals_in
        )

    return "REGIONS", rule


def own_use_rows(b):
    index = list(b.d.regions)
    return Rows.of(
        index,
        range(len(index)),
        [b.mm.v_own_use[r] for r in index],
        [1.0] * len(index),
        -INF,
        [b.d.regions[r].quota_demand_ha for r in index],
    )


def own_use_pyomo(m, d):
    return "REGIONS", lambda m, r: m.v_own_use[r] <= d.regions[r].quota_demand_ha


def _capped(d):
    return [k for k, link in d.links.items() if link.max_ha is not None]


def trade_cap_rows(b):
    index = _capped(b.d)
    return Rows.of(
        index,
        range(len(index)),
        [b.mm.v_trade[k] for k in index],
        [1.0] * len(index),
        -INF,
        [b.d.links[k].max_ha for k in index],
    )


def trade_cap_pyomo(m, d):
    return _capped(d), lambda m, a, b: m.v_trade[a, b] <= d.links[a, b].max_ha


def _region_name(d, r):
    region = d.regions[r]
    return f"{region.name} ({r})" if region.name != r else r


FAMILIES = (
    Family(
        name="c_quota",
        number=8,
        over="r ∈ R",
        math="Σ_{p∈r} Σ_f `land_need_ha`_f z_fp + Σ_{s: h(s)=r} `land_ha`_s y_s + u_r + Σ_b t_rb "
        "+ Σ_{s: o(s)=r≠h(s)} e·`land_ha`_s y_s ≤ `land_quota_ha`_r + Σ_a t_ar "
        "+ Σ_{s: h(s)=r≠o(s)} e·`land_ha`_s y_s",
        sense="≤",
        rows=quota_rows,
        pyomo=quota_pyomo,
        words="land-development quota",
        unit="ha",
        in_limits=True,
        cell=("Regions", "land_quota_ha"),
        relax=True,
        limit=lambda d, r: d.regions[r].land_quota_ha,
        explain=lambda d, r, amount: (
            f"{_region_name(d, r)}'s land quota is short by {amount:,.3f} ha"
        ),
    ),
    Family(
        name="c_own_use",
        number=8,
        over="r ∈ R",
        math="u_r ≤ `quota_demand_ha`_r",
        sense="≤",
        rows=own_use_rows,
        pyomo=own_use_pyomo,
        words="quota demand for own development",
        unit="ha",
        in_limits=True,
        cell=("Regions", "quota_demand_ha"),
    ),
    Family(
        name="c_trade_cap",
        number=9,
        over="(a,b) ∈ L'",
        math="t_ab ≤ `max_ha`_ab (t exists only on LINKS)",
        sense="≤",
        rows=trade_cap_rows,
        pyomo=trade_cap_pyomo,
        words="quota link capacity (max_ha)",
        unit="ha",
        in_limits=True,
        cell=("QuotaLinks", "max_ha"),
        relax=True,
        index_set=("CAPPED_LINKS", "L' ⊆ L", "QuotaLinks pairs with a max_ha"),
        index_dimen=2,
        limit=lambda d, k: d.links[k].max_ha or 0,
        key=lambda d, k: "→".join(k),
        explain=lambda d, k, amount: (
            f"quota link {'→'.join(k)} needs {amount:,.3f} ha more than max_ha"
        ),
    ),
)
