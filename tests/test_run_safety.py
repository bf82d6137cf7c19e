"""A run never misleads and never loses work: an impossible package stays with its package,
the output folder is checked before anything is solved, results that cannot be written
where asked go to a named fallback, and Ctrl-C or SIGTERM keeps what was found."""

import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from processes import signalled

from optimizer.cli import main
from optimizer.data.synthetic import generate_tables
from optimizer.io.template import write_input_workbook
from optimizer.report import delivery

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "zhejiang_example.xlsx"


def test_one_impossible_package_leaves_the_others_solved_and_names_its_override(tmp_path, capsys):
    # high_exchange's own overrides leave QZ_CITY 5 mcny of budget and no provincial fund,
    # below the 50.25 mcny of its forced-open Haichuang park: impossible before solving
    wb = load_workbook(EXAMPLE)
    ws = wb["Overrides"]
    ws.append(["high_exchange", "Regions", "QZ_CITY", "budget_mcny", "set", 5])  # row 12
    ws.append(["high_exchange", "Policy", "provincial_fund_mcny", "value", "set", 0])
    path = tmp_path / "example.xlsx"
    wb.save(path)
    code = main(
        [
            "solve",
            str(path),
            "--scenario",
            "baseline",
            "--scenario",
            "high_exchange",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 3
    out = capsys.readouterr().out
    row = next(
        r for r in range(2, 20) if load_workbook(path)["Regions"][f"A{r}"].value == "QZ_CITY"
    )
    assert "high_exchange: impossible" in out
    assert "budget_mcny = 5 is set by Overrides!F12; the sheet holds" in out
    assert f"[change Regions!E{row}]" in out
    (written,) = (tmp_path / "out").glob("*_results_*.xlsx")
    summary = pd.read_excel(written, sheet_name="Summary").set_index("scenario")
    assert summary.loc["baseline", "status"].startswith("optimal")
    assert summary.loc["high_exchange", "status"] == "impossible"


def test_an_output_folder_that_is_a_file_is_refused_before_reading(tmp_path, capsys):
    blocker = tmp_path / "results.xlsx"
    blocker.write_text("not a folder")
    assert main(["solve", str(tmp_path / "missing.xlsx"), "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert f"{blocker} is a file, not a folder" in err and "nothing was solved" in err
    # a folder that cannot be made (its parent is a file) is refused too, for validate
    assert main(["validate", str(EXAMPLE), "--out", str(blocker / "sub")]) == 2
    assert f"cannot write into {blocker / 'sub'}" in capsys.readouterr().err


def test_a_full_disk_is_refused_before_solving(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10, 9, 2**20))
    assert main(["solve", str(EXAMPLE), "--out", str(tmp_path)]) == 2
    assert "has only 1.0 MB free" in capsys.readouterr().err


def test_results_that_cannot_be_written_where_asked_go_to_a_named_fallback(
    tmp_path, capsys, monkeypatch
):
    from optimizer.report import workbook

    real, calls = workbook.write_report, []

    def flaky(report, folder, stem):
        calls.append(Path(folder))
        if len(calls) == 1:
            raise PermissionError(13, "Permission denied", str(folder))
        return real(report, folder, stem)

    monkeypatch.setattr(workbook, "write_report", flaky)
    monkeypatch.setattr(delivery, "fallback_folder", lambda: tmp_path / "tmp" / "enclave-results")
    assert (
        main(["solve", str(EXAMPLE), "--scenario", "baseline", "--out", str(tmp_path / "out")]) == 0
    )
    err = capsys.readouterr().err
    fallback = tmp_path / "tmp" / "enclave-results"
    assert f"writing the results to {fallback} instead" in err
    assert len(list(fallback.glob("*_results_*.xlsx"))) == 1


def test_a_second_ctrl_c_while_writing_leaves_nothing_behind(tmp_path, capsys, monkeypatch):
    from optimizer.report import workbook

    def interrupted(report, folder, stem):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook, "write_report", interrupted)
    code = main(["solve", str(EXAMPLE), "--scenario", "baseline", "--out", str(tmp_path)])
    assert code == 130
    assert "interrupted while writing the results; nothing was written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_a_solve_keeps_its_best_plan_and_marks_the_rest_not_run(tmp_path):
    # 1,500 firms: HiGHS is still searching after 12 s; SIGINT (Ctrl-C) then must give
    # the package being solved its best plan so far, status interrupted, the package after
    # it "not run", a result workbook, exit 130 and no traceback
    tables = generate_tables(1500, 50, 60, 12, 3)
    tables["Policy"].append({"parameter": "time_limit_s", "value": 300})
    tables["Policy"] = [r for r in tables["Policy"] if r["parameter"] != "time_limit_s"] + [
        {"parameter": "time_limit_s", "value": 300}
    ]
    book = write_input_workbook(tmp_path / "big.xlsx", tables)
    out = tmp_path / "out"
    args = ["solve", book, "--scenario", "baseline", "--scenario", "free_return"]
    code, stdout, stderr = signalled([*args, "--out", out], after_s=12, timeout_s=60)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "[1/2] baseline: interrupted" in stdout
    (written,) = out.glob("*_results_*.xlsx")
    summary = pd.read_excel(written, sheet_name="Summary").set_index("scenario")
    assert summary.loc["baseline", "status"] == "interrupted"
    assert summary.loc["baseline", "objective_mcny"] > 0
    assert summary.loc["free_return", "status"] == "not run"
    firms = pd.read_excel(written, sheet_name="Firms")
    assert set(firms["plan_status"]) == {"interrupted"}


@pytest.mark.parametrize("signum", [signal.SIGTERM])
def test_sigterm_stops_a_run_like_ctrl_c(tmp_path, signum):
    tables = generate_tables(1500, 50, 60, 12, 3)
    tables["Policy"] = [r for r in tables["Policy"] if r["parameter"] != "time_limit_s"] + [
        {"parameter": "time_limit_s", "value": 300}
    ]
    book = write_input_workbook(tmp_path / "big.xlsx", tables)
    args = ["solve", book, "--scenario", "baseline", "--out", tmp_path / "out"]
    code, _, stderr = signalled(args, after_s=10, signum=signum, timeout_s=60)
    assert code == 130 and "Traceback" not in stderr
    assert len(list((tmp_path / "out").glob("*_results_*.xlsx"))) == 1
