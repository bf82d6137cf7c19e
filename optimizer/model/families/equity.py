"""Family 12: the equity floor for developing regions."""

from __future__ import annotations

import numpy as np

from ..family import INF, Family, Rows
from ..welfare import weighted


def equity_rows(b):
    """Σ_r (1[r ∈ D] - ρ) N_r ≥ 0, only when ρ > 0 (with ρ = 0 it would force N_D ≥ 0)."""
    d = b.d
    share = d.policy["min_developing_share"]
    if share <= 0:
        return Rows.of([], [], [], [], 0.0, INF)
    q = np.array([(1.0 if reg.developing else 0.0) - share for reg in d.regions.values()])
    coef = weighted(b.terms, q, b.mm.n_cols)
    cols = np.nonzero(coef)[0]
    return Rows.of([None], np.zeros(len(cols)), cols, coef[cols], 0.0, INF)


def equity_pyomo(m, d):
    share = d.policy["min_developing_share"]

    def rule(m):
        if share <= 0:
            return None
        return sum(m.e_net_benefit[r] for r in m.DEV_REGIONS) >= share * sum(
            m.e_net_benefit[r] for r in m.REGIONS
        )

    return None, rule


FAMILIES = (
    Family(
        name="c_equity",
        number=12,
        over="",
        math="Σ_{r∈D} N_r ≥ ρ · Σ_r N_r (absent when ρ = 0: it would otherwise force Σ_D N_r ≥ 0)",
        sense="≥",
        rows=equity_rows,
        pyomo=equity_pyomo,
        words="equity floor for developing regions",
        unit="mcny",
        in_limits=True,
        cell=("Policy", "min_developing_share"),
        relax=True,
        limit=lambda d, i: 1.0,
        explain=lambda d, i, amount: (
            f"developing regions' net benefit falls {amount:,.3f} "
            "mcny short of the equity floor (min_developing_share)"
        ),
    ),
)
