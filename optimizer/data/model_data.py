"""Typed, read-only model data of one scenario, with every coefficient of docs/model.md.

Defaults are applied once, in `validate.check_tables`; this module only derives the sets
of allowed pairs and the coefficients (v, w, sigma, c) from the resolved tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..io.schema import POLICY_BY_NAME, Tables


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    developing: bool
    land_quota_ha: float
    budget_mcny: float
    welfare_weight: float
    quota_value: float
    quota_demand_ha: float
    min_net_benefit: float | None = None  # negotiated floor on N_r (blank: none)


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    host: str
    sponsor: str
    plot: str
    floor_m2: float
    land_ha: float
    setup_cost: float
    opex: float
    innovation_level: float
    sectors: tuple[str, ...] | None  # None = all
    status: str

    @property
    def cross_region(self) -> bool:
        return self.host != self.sponsor


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    region: str
    land_available_ha: float
    land_cost: float
    cost_index: float
    status: str
    sectors: tuple[str, ...] | None


@dataclass(frozen=True)
class Firm:
    id: str
    name: str
    sector: str
    floor_need_m2: float
    land_need_ha: float
    rd_value: float
    prod_value: float
    prod_cost: float
    subsidy: float
    success_prob: float
    must_place: bool
    fixed_site: str | None
    fixed_location: str | None


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    max_ha: float | None
    price: float


@dataclass
class ModelData:
    regions: dict[str, Region]
    sites: dict[str, Site]
    locations: dict[str, Location]
    firms: dict[str, Firm]
    links: dict[tuple[str, str], Link]
    policy: dict[str, Any]
    strength: dict[tuple[str, str], float] = field(default_factory=dict)
    site_affinity: dict[tuple[str, str], float] = field(default_factory=dict)
    site_floor: dict[tuple[str, str], float] = field(default_factory=dict)
    location_affinity: dict[tuple[str, str], float] = field(default_factory=dict)
    rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (sheet, id) -> Excel row
    letters: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> column -> A..
    # region -> its stand-alone net benefit (analysis/participation.py), filled before the
    # model is built when participation = no_loss; read by family c_participation
    standalone: dict[str, float] = field(default_factory=dict)

    def cell(self, sheet: str, key: str, column: str) -> str:
        """Where a planner changes this input: `Regions!F3 (budget_mcny)`, or as near as
        known (`Policy.provincial_fund_mcny` when the workbook leaves it blank)."""
        row = self.rows.get((sheet, key))
        letter = self.letters.get(sheet, {}).get("value" if sheet == "Policy" else column)
        if row and letter:
            return f"{sheet}!{letter}{row} ({column})"
        return f"{sheet}.{column}" + (f" row {row}" if row else "")

    # ---- allowed pairs (sparse index sets) -------------------------------------------
    def inc_pairs(self) -> list[tuple[str, str]]:
        """A: (firm, site) where the site accepts the sector, is not closed, and fits
        fixed_site."""
        pairs = []
        for f in self.firms.values():
            for s in self.sites.values():
                if s.status == "closed" or (s.sectors is not None and f.sector not in s.sectors):
                    continue
                if f.fixed_site is not None and f.fixed_site != s.id:
                    continue
                pairs.append((f.id, s.id))
        return pairs

    def prod_pairs(self, inc_pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """B: (firm, location) for firms with an allowed park; location not closed, permits
        the sector, fits fixed_location and, under strict return, lies in a region that
        sponsors one of the firm's allowed parks (constraint 6 would forbid the rest)."""
        sponsors: dict[str, set[str]] = {}
        for f, s in inc_pairs:
            sponsors.setdefault(f, set()).add(self.sites[s].sponsor)
        strict = self.policy["return_rule"] == "strict"
        pairs = []
        for fid, regions in sponsors.items():
            f = self.firms[fid]
            for p in self.locations.values():
                if p.status == "closed" or (p.sectors is not None and f.sector not in p.sectors):
                    continue
                if f.fixed_location is not None and f.fixed_location != p.id:
                    continue
                if strict and p.region not in regions:
                    continue
                pairs.append((fid, p.id))
        return pairs

    # ---- coefficients ----------------------------------------------------------------
    def inc_value(self, f: str, s: str) -> float:
        """v_fs = rd_value_f * innovation_level_s + SiteAffinity_fs (mcny)."""
        return self.firms[f].rd_value * self.sites[s].innovation_level + self.site_affinity.get(
            (f, s), 0.0
        )

    def floor_need(self, f: str, s: str) -> float:
        return self.site_floor.get((f, s), self.firms[f].floor_need_m2)

    def prod_value(self, f: str, p: str) -> float:
        """w_fp = success_f (prod_value_f - prod_cost_f cost_index_p) + LocationAffinity."""
        firm, loc = self.firms[f], self.locations[p]
        return firm.success_prob * (
            firm.prod_value - firm.prod_cost * loc.cost_index
        ) + self.location_affinity.get((f, p), 0.0)

    def spillover(self, f: str, p: str) -> float:
        """sigma_fp = success_f * spillover_rate * strength_{p,k(f)} * prod_value_f."""
        firm = self.firms[f]
        return (
            firm.success_prob
            * self.policy["spillover_rate"]
            * self.strength.get((p, firm.sector), 0.0)
            * firm.prod_value
        )

    def land_cost(self, f: str, p: str) -> float:
        """c_fp = land_cost_p * land_need_f (mcny)."""
        return self.locations[p].land_cost * self.firms[f].land_need_ha


def from_tables(tables: Tables) -> ModelData:
    """Model data of one (resolved) scenario."""
    regions = {
        r["region_id"]: Region(
            r["region_id"],
            r["name"],
            r["tier"] == "developing",
            r["land_quota_ha"],
            r["budget_mcny"],
            r["welfare_weight"],
            r["quota_value_mcny_per_ha"],
            r["quota_demand_ha"],
            r.get("min_net_benefit_mcny"),
        )
        for r in tables["Regions"]
    }
    sites = {
        r["site_id"]: Site(
            r["site_id"],
            r["name"] or r["site_id"],
            r["host_region"],
            r["sponsor_region"],
            r["plot"] or r["site_id"],
            r["floor_m2"],
            r["land_ha"],
            r["setup_cost_mcny"],
            r["opex_mcny"],
            r["innovation_level"],
            r["sectors"],
            r["status"],
        )
        for r in tables["Sites"]
    }
    locations = {
        r["location_id"]: Location(
            r["location_id"],
            r["name"] or r["location_id"],
            r["region"],
            r["land_available_ha"],
            r["land_cost_mcny_per_ha"],
            r["cost_index"],
            r["status"],
            r["sectors"],
        )
        for r in tables["Locations"]
    }
    firms = {
        r["firm_id"]: Firm(
            r["firm_id"],
            r["name"] or r["firm_id"],
            r["sector"],
            r["floor_need_m2"],
            r["land_need_ha"],
            r["rd_value_mcny"],
            r["prod_value_mcny"],
            r["prod_cost_mcny"],
            r["subsidy_mcny"],
            r["success_prob"],
            bool(r["must_place"]),
            r["fixed_site"],
            r["fixed_location"],
        )
        for r in tables["Firms"]
    }
    links = {
        (r["from_region"], r["to_region"]): Link(
            r["from_region"], r["to_region"], r["max_ha"], r["price_mcny_per_ha"]
        )
        for r in tables.get("QuotaLinks", [])
    }
    data = ModelData(regions, sites, locations, firms, links, policy_of(tables))
    for sheet, key in (
        ("Regions", "region_id"),
        ("Sites", "site_id"),
        ("Locations", "location_id"),
        ("Firms", "firm_id"),
    ):
        data.rows.update({(sheet, r[key]): r["_row"] for r in tables[sheet]})
    for sheet, key in (("QuotaLinks", None), ("Policy", "parameter")):
        for r in tables.get(sheet, []):
            rid = r[key] if key else f"{r['from_region']}→{r['to_region']}"
            if r.get("_row"):
                data.rows[(sheet, rid)] = r["_row"]
    for sheet, rows in tables.items():
        if rows and rows[0].get("_letters"):
            data.letters[sheet] = rows[0]["_letters"]
    for r in tables.get("IndustrialBase", []):
        data.strength[(r["location_id"], r["sector_id"])] = r["strength"]
    for r in tables.get("SiteAffinity", []):
        data.site_affinity[(r["firm_id"], r["site_id"])] = r["value_mcny"]
        if r.get("floor_need_m2") is not None:
            data.site_floor[(r["firm_id"], r["site_id"])] = r["floor_need_m2"]
    for r in tables.get("LocationAffinity", []):
        data.location_affinity[(r["firm_id"], r["location_id"])] = r["value_mcny"]
    return data


def policy_of(tables: Tables) -> dict[str, Any]:
    """Policy parameters by name, defaults filled in."""
    values = {p.name: p.default for p in POLICY_BY_NAME.values()}
    for row in tables.get("Policy", []):
        if row.get("parameter") in values and row.get("value") is not None:
            values[row["parameter"]] = row["value"]
    return values
