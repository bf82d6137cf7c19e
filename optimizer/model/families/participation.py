"""Family 13 (**ext.**): win-win participation, each region's net benefit at a floor.

The floor of region r is the larger of its stand-alone net benefit (when `participation` =
`no_loss`; computed by `analysis/participation.py` and held in `ModelData.standalone`) and
its negotiated `Regions.min_net_benefit_mcny`; regions with neither have no row.
"""

from __future__ import annotations

import numpy as np

from ..family import INF, Family, Rows
from ..welfare import TERMS


def floors(d) -> dict[str, float]:
    """Region -> the least net benefit the plan must give it (regions with a floor only)."""
    no_loss = d.policy.get("participation", "none") == "no_loss"
    out = {}
    for r, reg in d.regions.items():
        parts = []
        if no_loss and r in d.standalone:
            parts.append(d.standalone[r])
        if reg.min_net_benefit is not None:
            parts.append(reg.min_net_benefit)
        if parts:
            out[r] = max(parts)
    return out


def participation_rows(b):
    """N_r ≥ floor_r: N_r as the signed sum of the term forms of region r (every term,
    the quota payments included), entries on the same column added up."""
    floor = floors(b.d)
    index = list(floor)
    if not index:
        return Rows.of([], [], [], [], 0.0, INF)
    ri = b.region_index
    row_of = np.full(len(ri), -1, dtype=np.int64)
    for i, r in enumerate(index):
        row_of[ri[r]] = i
    rows, cols, vals = [], [], []
    for term in TERMS:
        f = b.terms[term.name]
        keep = row_of[f.region] >= 0
        rows.append(row_of[f.region][keep])
        cols.append(f.col[keep])
        vals.append(term.sign * f.coef[keep])
    row, col, val = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    n = max(b.mm.n_cols, 1)
    key = row * n + col
    unique, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=val, minlength=len(unique))
    nonzero = summed != 0
    return Rows.of(
        index,
        (unique // n)[nonzero],
        (unique % n)[nonzero],
        summed[nonzero],
        [floor[r] for r in index],
        INF,
    )


def participation_pyomo(m, d):
    floor = floors(d)
    return "REGIONS", lambda m, r: m.e_net_benefit[r] >= floor[r] if r in floor else None


def _words(d, r, amount):
    region = d.regions[r]
    name = f"{region.name} ({r})" if region.name != r else r
    return f"{name}'s guaranteed net benefit cannot be met: {amount:,.3f} mcny short"


FAMILIES = (
    Family(
        name="c_participation",
        number=13,
        over="r ∈ R with a floor",
        math="N_r ≥ max(N°_r if `participation` = no_loss, `min_net_benefit_mcny`_r) "
        "(**ext.**; N°_r the stand-alone net benefit)",
        sense="≥",
        rows=participation_rows,
        pyomo=participation_pyomo,
        words="participation: net benefit at least the stand-alone value / floor",
        unit="mcny",
        in_limits=True,
        cell=("Regions", "min_net_benefit_mcny"),
        relax=True,
        limit=lambda d, r: floors(d).get(r, 0.0),
        explain=_words,
    ),
)
