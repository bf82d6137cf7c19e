import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "support"))  # helpers: cases, benchmarks, solving, libreoffice
EXAMPLE = HERE.parent / "inputs" / "zhejiang_example.xlsx"


@pytest.fixture(scope="session")
def example_result(tmp_path_factory):
    """The result workbook of the bundled example (every package), solved once per run, to
    a 0.5% gap: the sheets, audit formulas and pages are those of any plan, and the
    example's own 0.01% takes a minute."""
    from openpyxl import load_workbook

    from optimizer.cli import main

    out = tmp_path_factory.mktemp("example")
    wb = load_workbook(EXAMPLE)
    ws = wb["Policy"]
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "mip_gap"]
    ws.cell(row=row, column=2, value=0.005)
    book = out / EXAMPLE.name
    wb.save(book)
    assert main(["solve", str(book), "--out", str(out)]) == 0
    (path,) = out.glob("*_results_*.xlsx")
    return path


@pytest.fixture
def ctrl_c():
    """Ctrl-C (SIGINT) raises KeyboardInterrupt in this process during the test, as at a
    terminal, even in a test run started in the background, where SIGINT is ignored."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
