"""Families 5-7: where incubated firms produce."""

from __future__ import annotations

from collections import defaultdict

from ..family import INF, Family, Rows


def follows_rows(b):
    index, terms = [], []
    for f in b.d.firms:
        sites, locs = b.sites_of.get(f, []), b.locations_of.get(f, [])
        if sites or locs:
            t = {b.mm.b_prod[f, p]: 1.0 for p in locs}
            t.update({b.mm.b_inc[f, s]: -1.0 for s in sites})
            index.append(f)
            terms.append(t)
    return Rows.from_dicts(index, terms, 0.0, 0.0)


def follows_pyomo(m, d):
    def rule(m, f):
        sites, locs = m.maps.inc_by_firm.get(f, []), m.maps.prod_by_firm.get(f, [])
        if not sites and not locs:
            return None
        return sum(m.b_prod[f, p] for p in locs) == sum(m.b_inc[f, s] for s in sites)

    return "FIRMS", rule


def return_rows(b):
    """One row per (firm, sponsor of one of its parks), strict rule only: in bulk."""
    d, mm = b.d, b.mm
    index, rows, cols, vals = [], [], [], []
    if d.policy["return_rule"] == "strict":
        region = {p: loc.region for p, loc in d.locations.items()}
        for f in sorted(b.sites_of):
            by_sponsor, by_region = defaultdict(list), defaultdict(list)
            for s in b.sites_of[f]:
                by_sponsor[d.sites[s].sponsor].append(mm.b_inc[f, s])
            for p in b.locations_of.get(f, []):
                by_region[region[p]].append(mm.b_prod[f, p])
            for o in sorted(by_sponsor):
                zs, xs = by_region.get(o, []), by_sponsor[o]
                rows.extend([len(index)] * (len(zs) + len(xs)))
                cols.extend(zs)
                cols.extend(xs)
                vals.extend([1.0] * len(zs))
                vals.extend([-1.0] * len(xs))
                index.append((f, o))
    return Rows.of(index, rows, cols, vals, 0.0, INF)


def return_pyomo(m, d):
    pairs = []
    if d.policy["return_rule"] == "strict":
        pairs = sorted({(f, d.sites[s].sponsor) for f, s in m.INC_PAIRS})

    def rule(m, f, o):
        home = [p for p in m.maps.prod_by_firm.get(f, []) if d.locations[p].region == o]
        parks = [s for s in m.maps.inc_by_firm[f] if d.sites[s].sponsor == o]
        return sum(m.b_prod[f, p] for p in home) >= sum(m.b_inc[f, s] for s in parks)

    return pairs, rule


def land_rows(b):
    d = b.d
    need = {f: firm.land_need_ha for f, firm in d.firms.items()}
    index, terms = [], []
    for p in d.locations:
        t = {b.mm.b_prod[f, p]: need[f] for f in b.firms_at_location.get(p, []) if need[f]}
        if t:
            index.append(p)
            terms.append(t)
    upper = [d.locations[p].land_available_ha for p in index]
    return Rows.from_dicts(index, terms, -INF, upper)


def land_pyomo(m, d):
    def rule(m, p):
        firms = [f for f in m.maps.prod_by_loc.get(p, []) if d.firms[f].land_need_ha]
        if not firms:
            return None
        return (
            sum(d.firms[f].land_need_ha * m.b_prod[f, p] for f in firms)
            <= d.locations[p].land_available_ha
        )

    return "LOCATIONS", rule


FAMILIES = (
    Family(
        name="c_prod_follows",
        number=5,
        over="f ∈ F",
        math="Σ_{p:(f,p)∈B} z_fp = Σ_{s:(f,s)∈A} x_fs",
        sense="=",
        rows=follows_rows,
        pyomo=follows_pyomo,
        words="production follows incubation",
        priced=False,
    ),
    Family(
        name="c_return",
        number=6,
        over="(f,o) ∈ RETURN_PAIRS",
        math="Σ_{p: r(p)=o} z_fp ≥ Σ_{s: o(s)=o} x_fs (strict rule only)",
        sense="≥",
        rows=return_rows,
        pyomo=return_pyomo,
        words="strict return to the sponsor's region",
        priced=False,
        index_set=(
            "RETURN_PAIRS",
            "F×O",
            "(firm, sponsor region) pairs under the strict return rule",
        ),
        index_dimen=2,
    ),
    Family(
        name="c_loc_land",
        number=7,
        over="p ∈ P",
        math="Σ_f `land_need_ha`_f · z_fp ≤ `land_available_ha`_p",
        sense="≤",
        rows=land_rows,
        pyomo=land_pyomo,
        words="industrial land at the location",
        unit="ha",
        in_limits=True,
        cell=("Locations", "land_available_ha"),
        relax=True,
        limit=lambda d, p: d.locations[p].land_available_ha,
        explain=lambda d, p, amount: (
            f"location {p} needs {amount:,.3f} ha more land than land_available_ha"
        ),
    ),
)
