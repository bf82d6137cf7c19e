"""Draft the Firms.csv rows of the Zhejiang example (deterministic, fixed seed).

Firms.csv is the source of truth: this script only records how the first draft of
the rows was made (sector ranges of DOMAIN_FACTS §7.4, all estimates). Rows may have
been edited by hand after drafting; re-running overwrites them.

    python draft_firms.py            # writes Firms.csv beside this file

Units: money in mcny over the 10-year horizon, floor in m², land in ha (15 mu = 1 ha).
prod_value = output per mu per year x land (mu) x effective producing years x value-added
rate; prod_cost = the location-sensitive part of it (labour, energy, logistics) at a
Quzhou reference location (cost_index 1).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20250512
PRODUCING_YEARS = 4.0   # of the 10: ~3 years incubation + ~2 build-up, ramp-up counted at 4 full years (E)
VALUE_ADDED = 0.25      # value added / output (E)

# sector: floor m2, land mu, output 万/mu/yr (§7.4), cost share, rd mcny, success, subsidy mcny
RANGES = {
    "NM": ((500, 800), (20, 60), (400, 800), (0.78, 0.96), (4, 12), (0.4, 0.8), (1.0, 2.5)),
    "IM": ((400, 700), (20, 50), (300, 650), (0.78, 0.96), (3, 9), (0.5, 0.9), (0.5, 2.0)),
    "LH": ((400, 700), (20, 40), (300, 700), (0.76, 0.96), (3, 8), (0.4, 0.8), (0.5, 2.0)),
    "BM": ((600, 900), (20, 40), (500, 1200), (0.70, 0.94), (8, 20), (0.3, 0.6), (1.5, 3.0)),
    "DE": ((300, 500), (5, 15), (500, 1500), (0.65, 0.92), (5, 14), (0.4, 0.8), (0.5, 1.5)),
    "CH": ((500, 800), (50, 90), (400, 900), (0.80, 0.94), (3, 8), (0.5, 0.8), (1.5, 3.0)),
}

# (id, sector, name) — ~30 % NM, 20 % IM, 15 % LH, 15 % BM, 15 % DE, 5 % CH (§7.5)
FIRMS = [
    ("F01", "NM", "Fluorosilicon membrane start-up"),
    ("F02", "NM", "Lithium cathode precursor developer"),
    ("F03", "NM", "Solid-state electrolyte lab"),
    ("F04", "NM", "Semiconductor wet-chemicals purifier"),
    ("F05", "NM", "Graphene thermal film maker"),
    ("F06", "NM", "Nanocellulose special-paper developer"),
    ("F07", "NM", "Nano calcium-carbonate filler maker"),
    ("F08", "NM", "High-purity quartz crucible maker"),
    ("F09", "NM", "PVDF battery binder developer"),
    ("F10", "NM", "Fluorinated immersion coolant developer"),
    ("F11", "NM", "Silicone LED encapsulant maker"),
    ("F12", "NM", "Ceramic separator coating start-up"),
    ("F13", "NM", "Sodium-ion hard-carbon anode maker"),
    ("F14", "NM", "Photoresist monomer developer"),
    ("F15", "NM", "Battery recycling hydrometallurgy start-up"),
    ("F16", "NM", "Silica aerogel insulation maker"),
    ("F17", "NM", "Carbon-fibre prepreg developer"),
    ("F18", "NM", "Rare-earth-free magnet developer"),
    ("F19", "IM", "Precision bearing sensor start-up"),
    ("F20", "IM", "Collaborative robot joint maker"),
    ("F21", "IM", "CNC retrofit controller maker"),
    ("F22", "IM", "Smart door-lock and hardware maker"),
    ("F23", "IM", "Electric valve actuator maker"),
    ("F24", "IM", "Warehouse AGV robot maker"),
    ("F25", "IM", "Laser cleaning equipment maker"),
    ("F26", "IM", "Die-casting automation cell integrator"),
    ("F27", "IM", "Fuel-cell stack assembly-line builder"),
    ("F28", "IM", "Machine-vision inspection station maker"),
    ("F29", "IM", "Micro-motor maker"),
    ("F30", "IM", "Industrial IoT edge-gateway hardware maker"),
    ("F31", "LH", "Dendrobium health-food extractor"),
    ("F32", "LH", "Camellia-oil nutraceutical maker"),
    ("F33", "LH", "Medical-grade silicone products maker"),
    ("F34", "LH", "Rehabilitation exoskeleton start-up"),
    ("F35", "LH", "Functional tea beverage lab"),
    ("F36", "LH", "Elderly-care monitoring device maker"),
    ("F37", "LH", "Mushroom polysaccharide supplement maker"),
    ("F38", "LH", "Bamboo-fibre hygiene products maker"),
    ("F39", "LH", "Home dialysis consumables maker"),
    ("F40", "BM", "mRNA vaccine CDMO start-up"),
    ("F41", "BM", "Fluorinated API intermediate developer"),
    ("F42", "BM", "Diagnostic reagent kit maker"),
    ("F43", "BM", "Peptide drug synthesis lab"),
    ("F44", "BM", "Antibody fragment developer"),
    ("F45", "BM", "Imaging contrast agent developer"),
    ("F46", "BM", "Cell-culture media producer"),
    ("F47", "BM", "TCM dispensing granules modernizer"),
    ("F48", "BM", "3D-printed orthopaedic implant maker"),
    ("F49", "DE", "Industrial SaaS for chemical plants"),
    ("F50", "DE", "Rural e-commerce logistics platform"),
    ("F51", "DE", "Smart-grid analytics start-up"),
    ("F52", "DE", "Data-labelling and AI training centre"),
    ("F53", "DE", "Digital twin for paper mills"),
    ("F54", "DE", "AI quality-inspection software house"),
    ("F55", "DE", "Tea traceability blockchain platform"),
    ("F56", "DE", "Cloud gaming studio"),
    ("F57", "DE", "Smart tourism platform"),
    ("F58", "CH", "Electronic-grade hydrofluoric acid maker"),
    ("F59", "CH", "PTFE compounding start-up"),
    ("F60", "CH", "Bio-based solvent developer"),
]

# already-signed tenants of the existing Haichuang Park, and firms tied to a place (E)
MUST_PLACE = {"F01", "F19", "F49"}
FIXED_SITE = {"F01": "HAICHUANG", "F49": "HAICHUANG"}
FIXED_LOCATION = {"F47": "CS_XINDU"}

COLUMNS = ["firm_id", "sector", "floor_need_m2", "name", "land_need_ha", "rd_value_mcny",
           "prod_value_mcny", "prod_cost_mcny", "subsidy_mcny", "success_prob",
           "must_place", "fixed_site", "fixed_location"]


def draft() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    rows = []
    for firm_id, sector, name in FIRMS:
        floor, land, output, cost, rd, succ, sub = RANGES[sector]
        floor_m2 = 100 * round(rng.uniform(*floor) / 100)
        land_mu = rng.uniform(*land)
        land_ha = round(land_mu / 15, 1)
        out = rng.uniform(*output)                       # 万元 per mu per year
        prod_value = round(out * land_ha * 15 * PRODUCING_YEARS * VALUE_ADDED / 100, 1)
        prod_cost = round(prod_value * rng.uniform(*cost), 1)
        rows.append({
            "firm_id": firm_id, "sector": sector, "floor_need_m2": floor_m2, "name": name,
            "land_need_ha": land_ha, "rd_value_mcny": round(rng.uniform(*rd), 1),
            "prod_value_mcny": prod_value, "prod_cost_mcny": prod_cost,
            "subsidy_mcny": round(rng.uniform(*sub), 1),
            "success_prob": round(rng.uniform(*succ), 2),
            "must_place": "yes" if firm_id in MUST_PLACE else "no",
            "fixed_site": FIXED_SITE.get(firm_id, ""),
            "fixed_location": FIXED_LOCATION.get(firm_id, ""),
        })
    return rows


def main() -> None:
    out = Path(__file__).with_name("Firms.csv")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(draft())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
