import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "support"))  # helpers: cases, benchmarks, solving, libreoffice
EXAMPLE = HERE.parent / "inputs" / "zhejiang_example.xlsx"


@pytest.fixture(scope="session")
def example_result(tmp_path_factory):
    """The result workbook of the bundled example (every package), solved once per run."""
    from optimizer.cli import main

    out = tmp_path_factory.mktemp("example")
    assert main(["solve", str(EXAMPLE), "--out", str(out)]) == 0
    (path,) = out.glob("*_results_*.xlsx")
    return path
