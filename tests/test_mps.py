"""--write-mps: HiGHS alone, reading the written model, finds the same optimum."""

import highspy
import pandas as pd
import pytest
from cases import rows

from optimizer.cli import main
from optimizer.io.template import write_input_workbook


def test_written_mps_solves_to_the_same_objective(tmp_path):
    data = rows(
        Scenarios=[{"scenario_id": "more/floor"}],
        Overrides=[
            {
                "scenario_id": "more/floor",
                "sheet": "Sites",
                "key": "E1",
                "column": "floor_m2",
                "operation": "scale",
                "value": 2,
            }
        ],
    )
    book = write_input_workbook(tmp_path / "case.xlsx", data)
    assert (
        main(
            [
                "solve",
                str(book),
                "--out",
                str(tmp_path / "out"),
                "--write-mps",
                str(tmp_path / "mps"),
            ]
        )
        == 0
    )
    summary = pd.read_excel(next((tmp_path / "out").glob("*.xlsx")), sheet_name="Summary")
    files = sorted(p.name for p in (tmp_path / "mps").iterdir())
    assert files == ["baseline.mps", "more_floor.mps"]  # ids made safe as file names
    for name, objective in zip(files, summary["objective_mcny"]):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(str(tmp_path / "mps" / name))
        h.run()
        assert h.getInfo().objective_function_value == pytest.approx(objective, abs=1e-6)
