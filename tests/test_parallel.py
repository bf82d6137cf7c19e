"""Packages solved side by side (`--workers N`) or on a Dask cluster (`--scheduler`) give
the same result tables as one after another, and Ctrl-C in a parallel run keeps every
running package's best plan."""

from pathlib import Path

import pandas as pd
import pytest
from processes import signalled

from optimizer.cli import main
from optimizer.data.synthetic import generate_tables
from optimizer.io.template import write_input_workbook

SHEETS = ["Summary", "Sites", "Firms", "Regions", "Quota", "Limits"]


def _book(tmp_path: Path, firms: int, time_limit: float) -> Path:
    tables = generate_tables(firms, 6, 8, 5, 11)
    tables["Policy"] = [r for r in tables["Policy"] if r["parameter"] != "time_limit_s"] + [
        {"parameter": "time_limit_s", "value": time_limit}
    ]
    return write_input_workbook(tmp_path / "book.xlsx", tables)


def _solve(book: Path, out: Path, *flags: str) -> dict[str, pd.DataFrame]:
    assert main(["solve", str(book), "--out", str(out), "--threads", "1", *flags]) == 0
    (written,) = out.glob("*_results_*.xlsx")
    return {s: pd.read_excel(written, sheet_name=s) for s in [*SHEETS, "Run"]}


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for sheet in SHEETS:
        left, right = a[sheet], b[sheet]
        drop = [c for c in left.columns if c in ("seconds", "solve_seconds")]
        pd.testing.assert_frame_equal(
            left.drop(columns=drop),
            right.drop(columns=drop),
            check_exact=False,
            rtol=1e-9,
            check_dtype=False,  # 24 and 24.000000001 read back as int and float columns
        )


def test_two_workers_give_the_tables_of_one_after_another(tmp_path, capsys):
    # baseline, then its three children (free_return, high_exchange, equity) side by side
    book = _book(tmp_path, 40, 60)
    serial = _solve(book, tmp_path / "serial", "--workers", "1")
    parallel = _solve(book, tmp_path / "parallel", "--workers", "2")
    assert len(serial["Summary"]) == 4
    assert set(serial["Summary"]["status"]) == {"optimal"}
    _same(serial, parallel)
    run = parallel["Run"].set_index("item")["value"]
    for sid in serial["Summary"]["scenario"]:  # memory per worker, reported
        mib = float(run[f"scenario {sid}: peak memory"].split(" MiB")[0].replace(",", ""))
        assert 20 < mib < 4096
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_a_dask_cluster_gives_the_tables_of_one_after_another(tmp_path):
    distributed = pytest.importorskip("distributed")
    book = _book(tmp_path, 40, 60)
    serial = _solve(book, tmp_path / "serial", "--workers", "1")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_cluster = _solve(book, tmp_path / "cluster", "--scheduler", cluster.scheduler_address)
    _same(serial, on_cluster)


def test_ctrl_c_in_a_parallel_run_keeps_every_running_packages_best_plan(tmp_path):
    # 1,500 firms; two children of the baseline asked for without it are one generation,
    # so they start together on two workers, and HiGHS is still searching both after 20 s;
    # SIGINT then must leave both interrupted with their best plans, one result workbook,
    # exit 130 and no traceback
    tables = generate_tables(1500, 50, 60, 12, 3)
    tables["Policy"] = [r for r in tables["Policy"] if r["parameter"] != "time_limit_s"] + [
        {"parameter": "time_limit_s", "value": 300}
    ]
    book = write_input_workbook(tmp_path / "big.xlsx", tables)
    out = tmp_path / "out"
    args = ["solve", book, "--scenario", "free_return", "--scenario", "high_exchange"]
    code, stdout, stderr = signalled([*args, "--workers", 2, "--out", out], after_s=20)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    (written,) = out.glob("*_results_*.xlsx")
    summary = pd.read_excel(written, sheet_name="Summary").set_index("scenario")
    assert list(summary["status"]) == ["interrupted", "interrupted"], stdout
    assert (summary["objective_mcny"] > 0).all()


def test_a_sweep_side_by_side_gives_the_tables_of_one_after_another(tmp_path):
    from cases import rows

    grid = [
        {"sweep_id": "cost", "sheet": "Sites", "key": "E1", "column": "setup_cost_mcny",
         "operation": "set", "values": "0:40:20"},
        {"sweep_id": "cost", "sheet": "Policy", "key": "host_share", "column": "value",
         "operation": "set", "values": "0.2,0.8"},
    ]  # fmt: skip
    book = write_input_workbook(tmp_path / "sweep.xlsx", rows(Sweeps=grid))
    serial = _solve(book, tmp_path / "serial", "--sweep", "cost", "--workers", "1")
    parallel = _solve(book, tmp_path / "parallel", "--sweep", "cost", "--workers", "2")
    assert len(serial["Summary"]) == 7  # baseline and the six points
    _same(serial, parallel)


def test_warming_a_local_runner_starts_its_worker_processes_with_their_highs_workers():
    # what runs while a sweep's parent is solved alone: each worker process started, with
    # its HiGHS workers; closing the runner leaves no process behind
    import multiprocessing as mp
    import os

    from optimizer.runner import Local

    backend = Local(2)
    try:
        warmed = [f.result(timeout=120) for f in backend.warm()]
    finally:
        backend.close()
    assert len(warmed) == 2
    for pid, workers in warmed:
        assert pid != os.getpid() and "highs" in workers
    assert mp.active_children() == []


def test_ctrl_c_reaching_another_thread_stops_a_parallel_run_within_a_second(ctrl_c):
    # the kernel hands a process's SIGINT to any of its threads that does not block it; the
    # main thread, waiting for the worker processes, acts on it only once it runs again. A
    # wait without a timeout held it until a package finished (minutes at scale, and the
    # Ctrl-C tests of a loaded full run timed out); here SIGINT is made to reach another
    # thread by blocking it in the main thread, and the run must stop within a second
    import os
    import signal
    import threading
    import time

    from optimizer.runner import Local

    sender = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    sender.start()  # started before the block: it is the thread the signal can reach
    backend = Local(1)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGINT])
    t0 = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            backend.run(time.sleep, lambda n: [("nap", 30)][:n] if n else [], lambda *_: None)
        stopped = time.perf_counter() - t0
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
        sender.cancel()
        backend.close()
    assert stopped < 3.0
