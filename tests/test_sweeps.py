"""Sweeps declared in the workbook: values (lists, ranges), grids, generated packages that
solve as the same packages written by hand, bad rows named at their cells, --sweep."""

import pandas as pd
import pytest
from cases import rows

from optimizer.app import RunOptions, solve_tables, tables_from_rows
from optimizer.cli import main
from optimizer.data.sweeps import MAX_POINTS, parse_values, sweeps_of
from optimizer.errors import InputError
from optimizer.io.cells import CellError
from optimizer.io.template import write_input_workbook


def sweep(sid, sheet, key, column, op, values, parent=None):
    row = {"sweep_id": sid, "sheet": sheet, "key": key, "column": column, "operation": op}
    row["values"] = values
    if parent is not None:
        row["parent"] = parent
    return row


GRID = [
    sweep("cost", "Sites", "E1", "setup_cost_mcny", "set", "0:40:20"),
    sweep("cost", "Policy", "host_share", "value", "set", "0.2,0.8"),
]


def test_lists_and_ranges():
    assert parse_values("1,1.5,2", True) == [1.0, 1.5, 2.0]
    values = parse_values("0:0.6:0.05", True)
    assert len(values) == 13 and values[0] == 0 and values[-1] == 0.6
    assert values[3] == 0.15  # no 0.15000000000000002
    assert parse_values("2:1:-0.5", True) == [2.0, 1.5, 1.0]
    assert parse_values(3, True) == [3.0]
    assert parse_values("strict, free", False) == ["strict", "free"]
    for bad in ("0:1:0", "1:0:0.5", "0:1", "a,b", "1,,2", "0:x:1", ""):
        with pytest.raises(CellError):
            parse_values(bad, True)


def test_a_grid_becomes_one_package_per_combination_named_by_its_values():
    t = tables_from_rows(rows(Sweeps=GRID))
    (points,) = sweeps_of(t).values()
    assert [p.package for p in points] == [
        f"cost:setup_cost_mcny={c},host_share={h}" for c in (0, 20, 40) for h in (0.2, 0.8)
    ]
    assert {p.parent for p in points} == {"baseline"}


def test_a_sweep_solves_as_the_same_packages_written_by_hand():
    """The acceptance test: the objectives (and plans) of a sweep declared in Sweeps equal
    those of the same packages written as Scenarios and Overrides."""
    swept = tables_from_rows(rows(Sweeps=GRID))
    points = sweeps_of(swept)["cost"]
    scenarios, overrides = [], []
    for i, p in enumerate(points):
        sid = f"hand{i}"
        scenarios.append({"scenario_id": sid})
        cost, share = p.values
        overrides += [
            {"scenario_id": sid, "sheet": "Sites", "key": "E1", "column": "setup_cost_mcny",
             "operation": "set", "value": cost},
            {"scenario_id": sid, "sheet": "Policy", "key": "host_share", "column": "value",
             "operation": "set", "value": share},
        ]  # fmt: skip
    hand = tables_from_rows(rows(Scenarios=scenarios, Overrides=overrides))
    a = solve_tables(swept, RunOptions(scenarios=[p.package for p in points], workers=1))
    b = solve_tables(hand, RunOptions(scenarios=[s["scenario_id"] for s in scenarios], workers=1))
    objectives = [r.outcome.objective for r in a.results]
    assert objectives == pytest.approx([r.outcome.objective for r in b.results], abs=1e-9)
    assert len(set(objectives)) > 1  # the sweep changes something
    for x, y in zip(a.results, b.results):
        assert x.plan == y.plan
        assert x.summary["net_benefit_developing_mcny"] == pytest.approx(
            y.summary["net_benefit_developing_mcny"]
        )


def test_points_are_solved_only_when_asked_for():
    t = tables_from_rows(rows(Sweeps=GRID))
    report = solve_tables(t, RunOptions(workers=1))
    assert [r.scenario for r in report.results] == ["baseline"]


def problems(sweeps, **extra):
    with pytest.raises(InputError) as err:
        tables_from_rows(rows(Sweeps=sweeps, **extra))
    return {(i.sheet, i.cell): str(i) for i in err.value.issues}


def test_bad_rows_are_named_at_their_cells_all_at_once():
    found = problems(
        [
            sweep("a", "Policy", "exchange_ratio", "value", "set", "0:1:0"),  # row 2
            sweep("b", "Policy", "exchange_ratio", "value", "set", "2:1:0.5"),  # row 3
            sweep("c", "Sites", "E1", "floor_m3", "set", "1,2"),  # row 4
            sweep("d", "Sites", "E1", "floor_m2", "scale", "1,two"),  # row 5
            sweep("e", "Policy", "host_share", "value", "set", "0.1,0.2", parent="nope"),
            sweep("f", "Policy", "host_share", "value", "set", f"0:{MAX_POINTS}:1"),  # row 7
            sweep("g", "Sites", "E1", "floor_m2", "set", "1:100:1"),  # rows 8-9: a grid
            sweep("g", "Sites", "E2", "floor_m2", "set", "1:10:1"),
        ]
    )
    assert "step 0" in found["Sweeps", "F2"]
    assert "never reaches its stop" in found["Sweeps", "F3"]
    assert "no column 'floor_m3'" in found["Sweeps", "D4"]
    assert "non-number" in found["Sweeps", "F5"]
    assert "parent 'nope'" in found["Sweeps", "G6"]
    assert f"more than {MAX_POINTS}" in found["Sweeps", "F7"]
    assert "1000 points (100 x 10)" in found["Sweeps", "F8"]
    assert len(found) == 7


def test_a_value_the_column_refuses_is_named_at_the_sweeps_cell(tmp_path, capsys):
    path = write_input_workbook(
        tmp_path / "bad.xlsx",
        rows(Sweeps=[sweep("st", "Sites", "E1", "status", "set", "open,maybe")]),
    )
    assert main(["validate", str(path), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Sweeps!F2" in err and "maybe" in err


def test_solve_sweep_writes_a_sweep_sheet(tmp_path, capsys):
    path = write_input_workbook(tmp_path / "wb.xlsx", rows(Sweeps=GRID))
    assert main(["validate", str(path), "--out", str(tmp_path)]) == 0
    assert "sweep cost: 6 point(s) (3 x 2)" in capsys.readouterr().out
    out = tmp_path / "out"
    out.mkdir()
    assert main(["solve", str(path), "--sweep", "cost", "--out", str(out), "--workers", "1"]) == 0
    (result,) = out.glob("*.xlsx")
    sheet = pd.read_excel(result, sheet_name="Sweep", header=None)
    top = sheet.index[sheet[0] == "point_no"][0]
    table = pd.read_excel(result, sheet_name="Sweep", skiprows=top).dropna(subset=["point"])
    assert list(table["setup_cost_mcny"]) == [0, 0, 20, 20, 40, 40]
    assert list(table["host_share"]) == [0.2, 0.8] * 3
    summary = pd.read_excel(result, sheet_name="Summary")
    by_id = dict(zip(summary["scenario"], summary["objective_mcny"]))
    assert list(table["objective_mcny"]) == pytest.approx([by_id[p] for p in table["point"]])
    assert "baseline" in by_id  # the parent is solved too (and starts the points)
    # E1 costing 40 is not worth opening: the point closes it and drops its firm F2
    closing = table.set_index("point").loc["cost:setup_cost_mcny=40,host_share=0.2"]
    assert closing["parks_closed_vs_previous"] == 1 and closing["parks_opened_vs_previous"] == 0
    assert closing["changes_vs_previous"] == "-E1, F2 out"
    assert pd.isna(table["changes_vs_previous"].iloc[0])  # the first point has no previous
    assert table["knee"].isna().all()  # a grid has no curve
    assert main(["solve", str(path), "--sweep", "nope", "--out", str(out)]) == 2
    assert "unknown sweep 'nope'" in capsys.readouterr().err
