"""Published optima through the whole tool: the reductions of docs/model.md.

Single-source CFLP (Holmberg et al. 1999): objective = -(published optimum).
Generalized assignment (OR-Library gap1 c515-1 ...): objective = max optimum, or
-(min optimum) with negated profits. OR-Library cap41 as single-source is infeasible
(customer 34's demand 12912 exceeds every capacity of 5000, and so does customer 11's
5495): the diagnosis names firm C34 and asks for 495 m² more floor for C11.
"""

import re

import benchmarks as bi
import pandas as pd
import pytest

from optimizer.app import solve_tables, tables_from_rows
from optimizer.cli import main
from optimizer.io.template import write_input_workbook


def objective(tables):
    (res,) = solve_tables(tables_from_rows(tables)).results
    assert res.outcome.status == "optimal", res.outcome.message
    return res.outcome.objective


@pytest.mark.parametrize("name", ["p1", "p13", "p41", "p50"])
def test_holmberg_single_source_optimum(name):
    inst = bi.parse_holmberg(bi.holmberg_path(name))
    expected = -bi.HOLMBERG_OPTIMA[name]
    assert objective(bi.sscflp_tables(inst)) == pytest.approx(expected, rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["p25", "p33", "p56", "p65", "p71"])
def test_holmberg_larger_instances(name):
    inst = bi.parse_holmberg(bi.holmberg_path(name))
    assert objective(bi.sscflp_tables(inst)) == pytest.approx(-bi.HOLMBERG_OPTIMA[name], rel=1e-6)


@pytest.mark.parametrize(
    "name, sense", [("c0515_1", "max"), ("c0515_1", "min"), ("c0824_1", "max")]
)
def test_generalized_assignment_optimum(name, sense):
    inst = bi.parse_gap(bi.gap_path(name))
    expected = bi.GAP_OPTIMA[name][sense] * (1 if sense == "max" else -1)
    assert objective(bi.gap_tables(inst, sense)) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("name", ["cap64"])
def test_orlib_cap_single_source_optimum(name):
    inst = bi.orlib_cap_instance(name)
    assert objective(bi.sscflp_tables(inst)) == pytest.approx(
        -bi.ORLIB_CAP_SS_HIGHS[name], rel=1e-6
    )


def test_holmberg_p1_workbook_reports_minus_8848(tmp_path):
    inst = bi.parse_holmberg(bi.holmberg_path("p1"))
    book = write_input_workbook(tmp_path / "holmberg_p1.xlsx", bi.sscflp_tables(inst))
    assert main(["solve", str(book), "--out", str(tmp_path / "out")]) == 0
    summary = pd.read_excel(next((tmp_path / "out").glob("*.xlsx")), sheet_name="Summary")
    assert summary.loc[0, "status"] == "optimal"
    assert summary.loc[0, "objective_mcny"] == pytest.approx(-8848, rel=1e-6)


def test_cap41_single_source_is_infeasible_and_diagnosis_names_the_firm(tmp_path, capsys):
    inst = bi.orlib_cap_instance("cap41")
    big = [i for i, d in enumerate(inst["demand"]) if d > max(inst["capacity"])]
    assert [bi.firm_id(i) for i in big] == ["C11", "C34"]  # 5495 and 12912 > 5000
    book = write_input_workbook(tmp_path / "cap41.xlsx", bi.sscflp_tables(inst))
    assert main(["solve", str(book), "--out", str(tmp_path / "out")]) == 3
    assert "firm C34 cannot be placed" in capsys.readouterr().out
    diag = pd.read_excel(next((tmp_path / "out").glob("*.xlsx")), sheet_name="Diagnosis")
    # relative cost: dropping C34 costs 1 firm of 1; 7912 more m² of 5000 would cost 1.58.
    # For C11, 495 m² of 5000 (0.099) is the cheaper relaxation.
    placed = diag[diag["limit"] == "c_place"]
    assert placed["where"].tolist() == ["C34"]
    assert re.fullmatch(r"Firms![A-Z]+\d+ \(must_place\)", placed.iloc[0]["input_cell"])
    floor = diag[diag["limit"] == "c_floor"]
    assert len(floor) == 1 and floor.iloc[0]["relax_by"] == pytest.approx(495, abs=1e-6)


def test_time_limited_run_is_never_called_optimal():
    # p56 takes HiGHS about 25 s to prove optimal; with 1 s it must stop early.
    inst = bi.parse_holmberg(bi.holmberg_path("p56"))
    (res,) = solve_tables(tables_from_rows(bi.sscflp_tables(inst, time_limit_s=1))).results
    o = res.outcome
    assert o.status in ("feasible", "no solution")
    if o.status == "feasible":
        assert (o.mip_gap is None or o.mip_gap > 0) and "not proven optimal" in o.message
        assert o.objective <= -bi.HOLMBERG_OPTIMA["p56"] + 1e-6  # never better than optimum
        assert sum(r["weighted_welfare_mcny"] for r in res.tables["Regions"]) == pytest.approx(
            o.objective, abs=1e-6
        )
    else:
        assert res.tables == {}  # no plan is reported without a valid solution
