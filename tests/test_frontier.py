"""The efficiency-equity frontier: welfare never rises as the equity floor rises, every
point meets its floor and is the package solved with that floor, a floor no plan meets is
reported, and `enclave frontier` writes the Frontier sheet with its charts."""

import itertools
import zipfile

import pandas as pd
import pytest
from cases import random_case, rows

from optimizer.analysis.frontier import FLOOR, knees, refine, share
from optimizer.app import RunOptions, frontier, solve_tables, tables_from_rows
from optimizer.cli import main
from optimizer.io.template import write_input_workbook


def points(report):
    """(floor, share, welfare, result) of every point, by floor."""
    values = report.explore.values
    return [(values[r.scenario][0], share(r), r.outcome.objective, r) for r in report.results]


@pytest.mark.parametrize("seed", [0, 2])
def test_welfare_never_rises_as_the_floor_rises_and_each_point_meets_its_floor(seed):
    tables = tables_from_rows(random_case(seed))
    report = frontier(tables, "baseline", 6, RunOptions(workers=1))
    found = [p for p in points(report) if p[1] is not None]
    assert len(found) == 6
    floors = [f for f, *_ in found]
    assert floors == sorted(floors) and floors[0] == 0.0
    for (_, _, w0, _), (_, _, w1, _) in itertools.pairwise(found):
        assert w1 <= w0 + 1e-6 * max(1.0, abs(w0))  # mip_gap 1e-9 in these cases
    for f, s, _, r in found:
        assert s >= f - 1e-7, (f, s)
        assert r.outcome.status == "optimal"
    assert found[-1][1] > found[0][1]  # the floor bites: the share rises along the frontier
    (plain,) = solve_tables(tables, RunOptions(workers=1)).results
    assert found[0][2] == pytest.approx(plain.outcome.objective, abs=1e-9)


def test_a_point_is_the_package_solved_with_that_floor():
    case = random_case(0)
    report = frontier(tables_from_rows(case), "baseline", 4, RunOptions(workers=1))
    found = [p for p in points(report) if p[1] is not None][1:]
    scenarios = [{"scenario_id": f"floor{i}"} for i in range(len(found))]
    overrides = [
        {"scenario_id": f"floor{i}", "sheet": "Policy", "key": FLOOR, "column": "value",
         "operation": "set", "value": f}
        for i, (f, *_) in enumerate(found)
    ]  # fmt: skip
    case.update(Scenarios=scenarios, Overrides=overrides)
    hand = solve_tables(
        tables_from_rows(case),
        RunOptions(scenarios=[s["scenario_id"] for s in scenarios], workers=1),
    )
    assert [r.outcome.objective for r in hand.results] == pytest.approx(
        [w for _, _, w, _ in found], abs=1e-6
    )


def test_a_floor_no_plan_meets_is_reported_not_hidden():
    """E1 must open with F1 in it: Hangzhou, its host, gets 5 mcny of incubation value in
    every plan, so a floor of 1 (developing regions get everything) is infeasible and the
    highest share lies below 1."""
    case = rows()
    case["Sites"][0]["status"] = "open"
    case["Firms"][0].update(must_place="yes", fixed_site="E1")
    report = frontier(tables_from_rows(case), "baseline", 4, RunOptions(workers=1))
    found = points(report)
    infeasible = [f for f, s, w, r in found if not r.outcome.has_plan]
    assert 1.0 in infeasible
    feasible = [(f, s) for f, s, w, r in found if s is not None]
    assert feasible and max(s for _, s in feasible) < 1.0
    assert max(f for f, _ in feasible) < min(infeasible)


def test_refine_puts_points_where_the_curve_bends():
    # a curve flat then steep: the knee at share 0.5 gets the next point beside it
    curve = [(0.0, 0.0, 100.0), (0.5, 0.5, 99.0), (1.0, 1.0, 0.0)]
    (floor,) = refine(curve, 1, 6)
    assert 0.5 < floor < 1.0
    assert knees([0.0, 0.5, 1.0], [100.0, 99.0, 0.0]) == [False, True, False]
    assert knees([0.0, 0.5, 1.0], [100.0, 50.0, 0.0]) == [False, False, False]


def test_enclave_frontier_writes_the_frontier_sheet_and_charts(tmp_path, capsys):
    path = write_input_workbook(tmp_path / "wb.xlsx", random_case(2))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["frontier", str(path), "--points", "4", "--out", str(out), "--workers", "1"]) == 0
    (result,) = out.glob("*.xlsx")
    raw = pd.read_excel(result, sheet_name="Frontier", header=None)
    top = raw.index[raw[0] == "point_no"][0]
    table = pd.read_excel(result, sheet_name="Frontier", skiprows=top).dropna(subset=["point"])
    assert len(table) >= 4
    assert set(table["knee"].dropna()) <= {"yes", "no"}
    assert (table["developing_share"] >= table[FLOOR] - 1e-7).all()
    assert {"net_benefit_S1_mcny", "changes_vs_previous", "mip_gap"} <= set(table.columns)
    with zipfile.ZipFile(result) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("Agglomeration and diffusion" in c for c in charts)
    assert sum("Weighted welfare against developing_share" in c for c in charts) == 1
    assert main(["frontier", str(path), "--scenario", "nope", "--out", str(out)]) == 2
    assert "nope" in capsys.readouterr().err
