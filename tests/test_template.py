"""The input template teaches: its README works the quota mechanics through on three
regions (solved here, every number checked), required headers look different from
optional ones, and dropdowns cover the whole column."""

import copy

import pytest
from openpyxl import load_workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.io.readme import QUOTA_EXAMPLE
from optimizer.io.schema import SHEET_BY_NAME
from optimizer.io.template import write_input_workbook


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return load_workbook(write_input_workbook(tmp_path_factory.mktemp("t") / "t.xlsx"))


def solved(case):
    (res,) = solve_tables(tables_from_rows(case)).results
    return res, {g["region_id"]: g for g in res.tables["Regions"]}


def test_the_worked_quota_example_holds_the_numbers_the_readme_states(template):
    text = "\n".join(str(c.value) for c in template["README"]["A"] if c.value)
    for claim in ("1.5 x 2 = 3 ha", "8 x 24 = 192", "192 - 30 paid = 162", "27 x 4 = 108",
                  "60 + 30 received = 90", "= 393.6", "297.6", "96.0"):  # fmt: skip
        assert claim in text, claim
    res, g = solved(QUOTA_EXAMPLE)
    assert res.outcome.objective == pytest.approx(393.6, abs=1e-6)
    quota = {
        (q["kind"], q["from_region"], q["to_region"]): q["amount_ha"] for q in res.tables["Quota"]
    }
    assert quota == {("enclave deal", "QZ", "HZ"): 3.0, ("trade", "LY", "HZ"): 5.0}
    own = {r: g[r]["quota_own_use_ha"] for r in g}
    assert own == pytest.approx({"HZ": 8.0, "QZ": 27.0, "LY": 15.0})
    assert g["HZ"]["net_benefit_mcny"] == pytest.approx(162.0)
    assert g["QZ"]["net_benefit_mcny"] == pytest.approx(108.0)
    assert g["LY"]["net_benefit_mcny"] == pytest.approx(90.0)


def test_without_the_trade_welfare_is_297_6_and_with_a_small_demand_hz_buys_2_ha():
    no_link = copy.deepcopy(QUOTA_EXAMPLE)
    no_link["QuotaLinks"] = []
    res, _ = solved(no_link)
    assert res.outcome.objective == pytest.approx(297.6, abs=1e-6)
    small = copy.deepcopy(QUOTA_EXAMPLE)
    small["Regions"][0]["quota_demand_ha"] = 5
    res, g = solved(small)
    (trade,) = [q for q in res.tables["Quota"] if q["kind"] == "trade"]
    assert trade["amount_ha"] == pytest.approx(2.0) and g["HZ"]["quota_own_use_ha"] == 5.0


def test_required_headers_look_different_from_optional_ones(template):
    regions = template["Regions"]
    cells = {c.value: c for c in regions[1]}
    required = [c.name for c in SHEET_BY_NAME["Regions"].columns if c.required]
    optional = [c.name for c in SHEET_BY_NAME["Regions"].columns if not c.required]
    assert required and optional
    looks = {(c.fill.fgColor.rgb, c.font.b, c.font.i) for c in (cells[n] for n in required)}
    other = {(c.fill.fgColor.rgb, c.font.b, c.font.i) for c in (cells[n] for n in optional)}
    assert len(looks) == len(other) == 1 and looks != other
    assert looks.pop()[0].endswith("1F4E78")
    readme = [c for c in template["README"]["A"] if c.value and "required column" in c.value]
    assert readme and readme[0].fill.fgColor.rgb.endswith("1F4E78")  # the legend


def test_dropdowns_cover_the_whole_column(template):
    for name in ("Sites", "Firms", "Overrides"):
        ws = template[name]
        areas = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
        assert areas and all(a.endswith("1048576") for a in areas), (name, areas)
    formulas = {dv.formula1 for dv in template["Sites"].data_validations.dataValidation}
    # ids of another sheet: from row 2 to its last filled row, growing with the sheet
    assert "OFFSET(Regions!$A$2,0,0,MAX(1,COUNTA(Regions!$A:$A)-1),1)" in formulas
