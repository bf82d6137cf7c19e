"""The docs cannot drift from the code: model component names and the input schema."""

import re
from pathlib import Path

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.docs import inputs_markdown, model_markdown, results_markdown
from optimizer.model.pyomo_form import pyomo_model

DOCS = Path(__file__).resolve().parents[1] / "docs"


def tiny_tables():
    return tables_from_rows(
        {
            "Regions": [
                {
                    "region_id": "R",
                    "name": "R",
                    "tier": "developing",
                    "land_quota_ha": 1,
                    "budget_mcny": 1,
                }
            ],
            "Sectors": [{"sector_id": "K"}],
            "Sites": [
                {
                    "site_id": "S",
                    "host_region": "R",
                    "sponsor_region": "R",
                    "floor_m2": 1,
                    "setup_cost_mcny": 0,
                }
            ],
            "Locations": [{"location_id": "P", "region": "R", "land_available_ha": 1}],
            "Firms": [{"firm_id": "F", "sector": "K", "floor_need_m2": 1}],
        }
    )


def documented_names() -> set[str]:
    """First-column names in backticks of every table in docs/model.md."""
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Za-z_]+)` \|", text, flags=re.MULTILINE))


def test_model_components_match_docs_model_md():
    m = pyomo_model(from_tables(tiny_tables()))
    names = {c.name for c in m.component_objects(descend_into=False)}
    documented = documented_names()
    assert names - documented == set(), "components missing from docs/model.md"
    assert documented - names == set(), "docs/model.md names components the model lacks"


def test_docs_name_every_constraint_family():
    families = set(
        re.findall(r"\| `c_\w+` \| \((\d+)\) \|", (DOCS / "model.md").read_text(encoding="utf-8"))
    )
    # 1-12: MODEL.md §3; 13: participation floors (docs/model.md, **ext.**)
    assert families == {str(i) for i in range(1, 14)}


def test_inputs_md_is_generated_from_schema():
    assert (DOCS / "inputs.md").read_text(encoding="utf-8") == inputs_markdown(), (
        "docs/inputs.md is out of date: run `enclave docs`"
    )


def test_results_md_is_generated_from_result_schema():
    assert (DOCS / "results.md").read_text(encoding="utf-8") == results_markdown(), (
        "docs/results.md is out of date: run `enclave docs`"
    )


def test_model_md_tables_are_generated_from_the_declarations():
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    assert text.count("<!-- generated: ") == 4
    assert text == model_markdown(text), "docs/model.md is out of date: run `enclave docs`"
