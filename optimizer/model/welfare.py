"""Net benefit of each region term by term (docs/model.md §Net benefit), declared once.

`TERMS` names every term of N_r with its sign; `term_forms` states each term of the array
model as a linear form per region: entries (region, column, coefficient) meaning "this
column adds coefficient x value to the term of that region". The objective, the equity row
and the budget rows are all derived from these forms, so that each coefficient is written
once. Quota payments are *transfers*: they move net benefit from buyer to seller (N_r and
the equity floor count them) but create no welfare, so the objective weighs every term of
N_r but them (MODEL.md §3, changed 2026-12). The Pyomo form states the same terms as
expressions of its own (`pyomo_form.py`), and the reports recompute them from the
decisions (`report/tables.py`): the tests hold all three equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Term:
    name: str  # e_<name> in the Pyomo form; <name>_mcny in the Regions sheet
    sign: int  # +1 adds to N_r, -1 subtracts
    words: str
    symbol: str
    definition: str  # the Pyomo expression, in the doc's symbols
    spending: bool = False  # paid out of the region's budget (family 10)
    transfer: bool = False  # moves net benefit between regions: in N_r, not in the objective


# fmt: off
TERMS: tuple[Term, ...] = (
    Term("inc_value", +1, "incubation value (host/sponsor shares)", "IV_r",
         "Σ_{(f,s)∈A} share_r(s) · v_fs · x_fs, share = 1 if h(s)=o(s)=r, η if h(s)=r≠o(s), "
         "1−η if o(s)=r≠h(s)"),
    Term("prod_value", +1, "production value of firms producing in the region", "PV_r",
         "Σ_{(f,p)∈B, r(p)=r} w_fp · z_fp"),
    Term("spillover", +1, "technology spillover to the local industrial base", "SV_r",
         "Σ_{(f,p)∈B, r(p)=r} σ_fp · z_fp"),
    Term("quota_value", +1, "value of quota kept for own development", "QV_r",
         "`quota_value_mcny_per_ha`_r · u_r"),
    Term("site_cost", -1, "park setup and operating costs as sponsor", "SC_r",
         "Σ_{s: o(s)=r} (`setup_cost_mcny`_s + `opex_mcny`_s) · y_s", spending=True),
    Term("subsidy", -1, "subsidies to incubated firms as sponsor", "SB_r",
         "Σ_{(f,s)∈A: o(s)=r} `subsidy_mcny`_f · x_fs", spending=True),
    Term("land_cost", -1, "land costs of production in the region", "LC_r",
         "Σ_{(f,p)∈B, r(p)=r} c_fp · z_fp", spending=True),
    Term("quota_purchase", -1, "quota bought from other regions", "QP_r",
         "Σ_{(a,r)∈L} `price_mcny_per_ha`_ar · t_ar", spending=True, transfer=True),
    Term("quota_sales", +1, "quota sold to other regions", "QS_r",
         "Σ_{(r,b)∈L} `price_mcny_per_ha`_rb · t_rb", transfer=True),
)
# fmt: on
TERM_BY_NAME = {t.name: t for t in TERMS}
WELFARE = tuple(t.name for t in TERMS if not t.transfer)  # the terms the objective weighs


def inc_share(d: Any, s: str, r: str) -> float:
    """Share of site s's incubation value counted for region r."""
    site, h = d.sites[s], d.policy["host_share"]
    if site.host == site.sponsor:
        return 1.0 if r == site.host else 0.0
    return h if r == site.host else (1.0 - h) if r == site.sponsor else 0.0


@dataclass
class Form:
    """A linear form per region: entry k adds coef[k] x column col[k] to region region[k]."""

    region: np.ndarray
    col: np.ndarray
    coef: np.ndarray

    @staticmethod
    def of(region: Any, col: Any, coef: Any) -> Form:
        return Form(
            np.asarray(region, dtype=np.int64),
            np.asarray(col, dtype=np.int64),
            np.asarray(coef, dtype=np.float64),
        )


def term_forms(b: Any) -> dict[str, Form]:
    """Every term of N_r on the columns of the model being built (`b`: matrix.Build)."""
    d, mm = b.d, b.mm
    ri = b.region_index
    sites = list(d.sites.values())
    eta = d.policy["host_share"]
    # incubation value: host share to the host, the rest to the sponsor (all to a region
    # that hosts its own park)
    v = b.inc_value
    x_cols = np.fromiter(mm.b_inc.values(), dtype=np.int64, count=len(mm.b_inc))
    site_of = b.inc_site
    host = np.array([ri[s.host] for s in sites], dtype=np.int64)[site_of]
    sponsor = np.array([ri[s.sponsor] for s in sites], dtype=np.int64)[site_of]
    cross = host != sponsor
    inc = Form.of(
        np.concatenate([host, sponsor[cross]]),
        np.concatenate([x_cols, x_cols[cross]]),
        np.concatenate([np.where(cross, eta * v, v), (1.0 - eta) * v[cross]]),
    )
    z_cols = np.fromiter(mm.b_prod.values(), dtype=np.int64, count=len(mm.b_prod))
    z_region = b.prod_region
    y_cols = [mm.b_open[s.id] for s in sites]
    t_keys = list(mm.v_trade)
    price = [d.links[k].price for k in t_keys]
    t_cols = [mm.v_trade[k] for k in t_keys]
    return {
        "inc_value": inc,
        "prod_value": Form.of(z_region, z_cols, b.prod_value),
        "spillover": Form.of(z_region, z_cols, b.spillover),
        "quota_value": Form.of(
            [ri[r] for r in d.regions],
            list(mm.v_own_use.values()),
            [reg.quota_value for reg in d.regions.values()],
        ),
        "site_cost": Form.of(
            [ri[s.sponsor] for s in sites], y_cols, [s.setup_cost + s.opex for s in sites]
        ),
        "subsidy": Form.of(sponsor, x_cols, b.inc_subsidy),
        "land_cost": Form.of(z_region, z_cols, b.land_cost),
        "quota_purchase": Form.of([ri[k[1]] for k in t_keys], t_cols, price),
        "quota_sales": Form.of([ri[k[0]] for k in t_keys], t_cols, price),
    }


def weighted(
    forms: dict[str, Form], weight: np.ndarray, n_cols: int, names: tuple[str, ...] | None = None
) -> np.ndarray:
    """Per column: Σ over the terms (all, or `names`) of sign x weight[region] x coef."""
    out = np.zeros(n_cols)
    for term in TERMS:
        if names is not None and term.name not in names:
            continue
        f = forms[term.name]
        out += np.bincount(f.col, weights=term.sign * weight[f.region] * f.coef, minlength=n_cols)
    return out
