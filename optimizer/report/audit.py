"""Live audit formulas: the welfare of every scenario recomputed by Excel itself.

For each solved scenario the result workbook holds the inputs actually used (after
overrides) next to the decisions, in plain value cells, and computes every value term of
every firm, each region's net-benefit terms and the weighted total with ordinary Excel
formulas (products, IF, SUMIFS). An auditor can change an input cell and watch the totals
move; `Audit!check_mcny` shows formula total minus the solver's objective.

Sheets: AuditFirms, AuditSites, AuditQuota, AuditRegions, Audit (totals and check).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..io.stream import Sheet
from ..io.xlsx import Formula
from ..model.welfare import TERMS, inc_share
from .formats import formats_of

FIRM_INPUTS = [
    "scenario",
    "firm_id",
    "site_id",
    "host_region",
    "sponsor_region",
    "location_id",
    "production_region",
    "incubated",
    "rd_value_mcny",
    "innovation_level",
    "site_affinity_mcny",
    "host_share_used",
    "success_prob",
    "prod_value_mcny",
    "prod_cost_mcny",
    "cost_index",
    "location_affinity_mcny",
    "spillover_rate",
    "base_strength",
    "land_need_ha",
    "land_cost_mcny_per_ha",
    "subsidy_mcny",
    "produces",
]
FIRM_FORMULAS = {  # column -> formula over the row's cells (placeholders {name})
    "inc_value_mcny": "={incubated}*({rd_value_mcny}*{innovation_level}+{site_affinity_mcny})",
    "inc_host_mcny": "={inc_value_mcny}*{host_share_used}",
    "inc_sponsor_mcny": "=IF({host_region}={sponsor_region},0,{inc_value_mcny}*"
    "(1-{host_share_used}))",
    "prod_value_mcny": None,  # name taken by an input: see PROD_FORMULA
    "production_value_mcny": "={produces}*({success_prob}*({prod_value_mcny}-{prod_cost_mcny}"
    "*{cost_index})+{location_affinity_mcny})",
    "spillover_mcny": "={produces}*{success_prob}*{spillover_rate}*{base_strength}"
    "*{prod_value_mcny}",
    "land_cost_mcny": "={produces}*{land_cost_mcny_per_ha}*{land_need_ha}",
    "subsidy_paid_mcny": "={incubated}*{subsidy_mcny}",
}
del FIRM_FORMULAS["prod_value_mcny"]
SITE_COLUMNS = [
    "scenario",
    "site_id",
    "host_region",
    "sponsor_region",
    "opened",
    "setup_cost_mcny",
    "opex_mcny",
    "cost_paid_mcny",
]
QUOTA_COLUMNS = [
    "scenario",
    "from_region",
    "to_region",
    "amount_ha",
    "price_mcny_per_ha",
    "payment_mcny",
]
REGION_INPUTS = ["scenario", "region_id", "welfare_weight", "quota_value_mcny_per_ha", "own_use_ha"]
NOTE = (
    "Input cells are the values used (after overrides); cells with formulas recompute "
    "the welfare terms. Change an input to see its consequence."
)


def _letters(headers: list[str]) -> dict[str, str]:
    return {h: get_column_letter(i + 1) for i, h in enumerate(headers)}


def write_audit(wb: Workbook, solved: list[tuple[Any, Any]], prepare: Any = None) -> list[Sheet]:
    """`solved`: (ScenarioResult, ModelData) of every scenario with a plan; `prepare(sheet)`
    sets a sheet's print setup before it is written."""
    firm_rows, site_rows, quota_rows, region_rows = [], [], [], []
    for res, d in solved:
        firms = {f["firm_id"]: f for f in res.tables["Firms"]}
        for fid, firm in d.firms.items():
            f = firms[fid]
            s, p = f["site_id"] or None, f["location_id"] or None
            site = d.sites[s] if s else None
            firm_rows.append(
                {
                    "scenario": res.scenario,
                    "firm_id": fid,
                    "site_id": s or "",
                    "host_region": site.host if site else "",
                    "sponsor_region": site.sponsor if site else "",
                    "location_id": p or "",
                    "production_region": f["production_region"],
                    "incubated": 1 if s else 0,
                    "rd_value_mcny": firm.rd_value,
                    "innovation_level": site.innovation_level if site else 0,
                    "site_affinity_mcny": d.site_affinity.get((fid, s), 0.0) if s else 0.0,
                    "host_share_used": inc_share(d, s, site.host) if site else 0,
                    "success_prob": firm.success_prob,
                    "prod_value_mcny": firm.prod_value,
                    "prod_cost_mcny": firm.prod_cost,
                    "cost_index": d.locations[p].cost_index if p else 0,
                    "location_affinity_mcny": d.location_affinity.get((fid, p), 0.0) if p else 0.0,
                    "spillover_rate": d.policy["spillover_rate"],
                    "base_strength": d.strength.get((p, firm.sector), 0.0) if p else 0.0,
                    "land_need_ha": firm.land_need_ha,
                    "land_cost_mcny_per_ha": d.locations[p].land_cost if p else 0.0,
                    "subsidy_mcny": firm.subsidy,
                    "produces": 1 if p else 0,
                }
            )
        for srow in res.tables["Sites"]:
            site = d.sites[srow["site_id"]]
            site_rows.append(
                {
                    "scenario": res.scenario,
                    "site_id": site.id,
                    "host_region": site.host,
                    "sponsor_region": site.sponsor,
                    "opened": 1 if srow["opened"] == "yes" else 0,
                    "setup_cost_mcny": site.setup_cost,
                    "opex_mcny": site.opex,
                }
            )
        for q in res.tables["Quota"]:
            if q["kind"] == "trade":
                quota_rows.append({k: q[k] for k in QUOTA_COLUMNS[:5]})
        for g in res.tables["Regions"]:
            reg = d.regions[g["region_id"]]
            region_rows.append(
                {
                    "scenario": res.scenario,
                    "region_id": reg.id,
                    "welfare_weight": reg.welfare_weight,
                    "quota_value_mcny_per_ha": reg.quota_value,
                    "own_use_ha": g["quota_own_use_ha"],
                }
            )
    firm_cols = FIRM_INPUTS + list(FIRM_FORMULAS)
    fl = _letters(firm_cols)
    for i, row in enumerate(firm_rows, start=2):
        cells = {k: f"{v}{i}" for k, v in fl.items()}
        for col, formula in FIRM_FORMULAS.items():
            row[col] = Formula(formula.format(**cells))
    sl = _letters(SITE_COLUMNS)
    for i, row in enumerate(site_rows, start=2):
        row["cost_paid_mcny"] = Formula(
            f"={sl['opened']}{i}*({sl['setup_cost_mcny']}{i}+{sl['opex_mcny']}{i})"
        )
    ql = _letters(QUOTA_COLUMNS)
    for i, row in enumerate(quota_rows, start=2):
        row["payment_mcny"] = Formula(f"={ql['amount_ha']}{i}*{ql['price_mcny_per_ha']}{i}")
    term_cols = [f"{t.name}_mcny" for t in TERMS]
    region_cols = REGION_INPUTS + term_cols + ["net_benefit_mcny", "weighted_welfare_mcny"]
    rl = _letters(region_cols)

    def rng(sheet: str, letter: str, n: int) -> str:
        return f"{sheet}!${letter}$2:${letter}${max(2, n + 1)}"

    nf, ns, nq = len(firm_rows), len(site_rows), len(quota_rows)

    def sumifs(sheet: str, letters: dict, n: int, value: str, *crit: tuple[str, str]) -> str:
        parts = [rng(sheet, letters[value], n)]
        for col, ref in crit:
            parts += [rng(sheet, letters[col], n), ref]
        return f"SUMIFS({','.join(parts)})"

    for i, row in enumerate(region_rows, start=2):
        sc, rg = f"$A{i}", f"$B{i}"
        f = {
            "inc_value": sumifs(
                "AuditFirms", fl, nf, "inc_host_mcny", ("scenario", sc), ("host_region", rg)
            )
            + "+"
            + sumifs(
                "AuditFirms", fl, nf, "inc_sponsor_mcny", ("scenario", sc), ("sponsor_region", rg)
            ),
            "prod_value": sumifs(
                "AuditFirms",
                fl,
                nf,
                "production_value_mcny",
                ("scenario", sc),
                ("production_region", rg),
            ),
            "spillover": sumifs(
                "AuditFirms", fl, nf, "spillover_mcny", ("scenario", sc), ("production_region", rg)
            ),
            "quota_value": f"{rl['quota_value_mcny_per_ha']}{i}*{rl['own_use_ha']}{i}",
            "site_cost": sumifs(
                "AuditSites", sl, ns, "cost_paid_mcny", ("scenario", sc), ("sponsor_region", rg)
            ),
            "subsidy": sumifs(
                "AuditFirms", fl, nf, "subsidy_paid_mcny", ("scenario", sc), ("sponsor_region", rg)
            ),
            "land_cost": sumifs(
                "AuditFirms", fl, nf, "land_cost_mcny", ("scenario", sc), ("production_region", rg)
            ),
            "quota_purchase": sumifs(
                "AuditQuota", ql, nq, "payment_mcny", ("scenario", sc), ("to_region", rg)
            )
            if nq
            else "0",
            "quota_sales": sumifs(
                "AuditQuota", ql, nq, "payment_mcny", ("scenario", sc), ("from_region", rg)
            )
            if nq
            else "0",
        }
        for t in TERMS:
            row[f"{t.name}_mcny"] = Formula(f"={f[t.name]}")
        net = "".join(("+" if t.sign > 0 else "-") + f"{rl[t.name + '_mcny']}{i}" for t in TERMS)
        row["net_benefit_mcny"] = Formula(f"={net}")
        welfare = "".join(
            ("+" if t.sign > 0 else "-") + f"{rl[t.name + '_mcny']}{i}"
            for t in TERMS
            if not t.transfer
        )  # payments create no welfare
        row["weighted_welfare_mcny"] = Formula(f"={rl['welfare_weight']}{i}*({welfare})")
    totals = []
    nr = len(region_rows)
    for j, (res, _) in enumerate(solved, start=2):
        totals.append(
            {
                "scenario": res.scenario,
                "formula_total_mcny": Formula(
                    "="
                    + sumifs(
                        "AuditRegions", rl, nr, "weighted_welfare_mcny", ("scenario", f"$A{j}")
                    )
                ),
                "solver_objective_mcny": res.outcome.objective,
                "check_mcny": Formula(f"=ROUND(B{j}-C{j},6)"),
            }
        )
    notes = {
        "check_mcny": "formula total minus the solver's objective, rounded to 1e-6 mcny: "
        "0 until an input is changed",
        "formula_total_mcny": "Weighted welfare recomputed by the formulas of AuditRegions",
        "scenario": NOTE,
    }
    sheets = []
    for name, rows, columns, sheet_notes in (
        (
            "Audit",
            totals,
            ["scenario", "formula_total_mcny", "solver_objective_mcny", "check_mcny"],
            notes,
        ),
        ("AuditRegions", region_rows, region_cols, {"scenario": NOTE}),
        ("AuditFirms", firm_rows, firm_cols, {"scenario": NOTE}),
        ("AuditSites", site_rows, SITE_COLUMNS, None),
        ("AuditQuota", quota_rows, QUOTA_COLUMNS, None),
    ):
        sheets.append(Sheet(wb, name))
        sheets[-1].table(name, rows, columns, sheet_notes, formats_of(name, columns))
        if prepare:
            prepare(sheets[-1])
        sheets[-1].close()
    return sheets
