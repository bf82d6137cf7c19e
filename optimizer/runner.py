"""Where packages are solved: here one after another, in worker
processes side by side (`--workers N`), or on a Dask cluster (`--scheduler ADDRESS`).

Every backend runs the same task function on the same picklable task (a package's data,
options and starts) and hands each result back as it arrives, so a run gives the same
result tables whichever backend solves it. A lost Dask worker's task is retried; Ctrl-C
asks the local processes to stop their solves and keep their best plans (SIGUSR1 in the
child raises the same interruption Ctrl-C raises in a serial run).
"""

from __future__ import annotations

import atexit
import os
import platform
import signal
import threading
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import replace
from typing import Any

from .analysis.irreplaceability import irreplaceability_rows
from .packages import Carry, Package, impossible, interrupted, solve_scenario
from .report.alternatives import add_irreplaceability
from .report.console import Quiet, Relay
from .report.pictures import Drawing, picture_of
from .report.tables import ScenarioResult
from .schedule import Schedule
from .solver.strategy import Interrupted, Pool
from .solver.worker import CTX

SIDE_BY_SIDE_MIN_PAIRS = 500  # below: starting worker processes takes longer than the solves
MEMORY_PER_WORKER = 1.5 * 2**30  # a package of the example's size with its HiGHS workers
LOST_RETRIES = 2  # a task whose worker died is tried this many more times
# the parent wakes this often while packages solve: a Ctrl-C that the kernel hands to another
# of its threads is acted on only when the main thread runs, and a wait without a timeout
# would hold it until a package finishes (minutes at scale)
WAKE_S = 0.5

# a backend's source of work: up to n (None: every) (key, task) pairs that may start now
Take = Callable[[int | None], list[tuple[Any, Any]]]


def default_workers(large: bool) -> int:
    """What the cores and memory allow: a core per worker (two for packages large enough
    to run kernel search beside HiGHS), and the memory they may need."""
    cores = os.cpu_count() or 1
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        free = 4 * MEMORY_PER_WORKER
    by_memory = max(1, int(free // (MEMORY_PER_WORKER * (2 if large else 1))))
    return max(1, min(cores // 2 if large else cores, by_memory))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _child_setup() -> None:
    """A local worker: Ctrl-C at the terminal is the parent's to handle; SIGUSR1 from the
    parent interrupts the solve as Ctrl-C would in a serial run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, _interrupt)


class Local:
    """N worker processes on this machine."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # every process (started on demand, or replaced) with the caller's script hidden
        self.pool = ProcessPoolExecutor(workers, mp_context=CTX, initializer=_child_setup)

    def warm(self, verbose: bool = False) -> list[Future]:
        """Start every worker process now, each with its HiGHS workers and the modules a
        package needs, while this process solves alone the package every other waits for
        (baseline, or a sweep's parent): the others then start at once."""
        return [self.pool.submit(warm_up, verbose) for _ in range(self.workers)]

    def run(self, fn: Callable, take: Take, done: Callable[[Any, Any], None]) -> None:
        """`fn` on the tasks `take` hands out, never more at once than there are worker
        processes (so that the next task is chosen when a worker is free); `done` hears
        each result as it arrives."""
        futures: dict[Future, Any] = {}
        pending: set[Future] = set()
        heard: set[Future] = set()

        def fill() -> None:
            for key, task in take(self.workers - len(pending)):
                f = self.pool.submit(fn, task)
                futures[f] = key
                pending.add(f)

        try:
            fill()
            while pending:
                finished, rest = wait(pending, WAKE_S, return_when=FIRST_COMPLETED)
                pending.clear()
                pending.update(rest)
                for f in finished:
                    done(futures[f], f.result())
                    heard.add(f)
                fill()
        except KeyboardInterrupt:
            for f in pending:
                f.cancel()  # not started: they stay not run
            for pid in list(getattr(self.pool, "_processes", {}) or {}):
                try:
                    os.kill(pid, signal.SIGUSR1)  # running: stop with the best plan so far
                except OSError:
                    pass
            for f in futures:  # running, or finished but not yet heard
                if f not in heard and not f.cancelled():
                    try:
                        done(futures[f], f.result(timeout=30))
                    except Exception:
                        pass
            raise

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Cluster:
    """A Dask distributed cluster (`pip install ".[cluster]"`): each task carries its
    package's data; the workers need only this package installed."""

    def __init__(self, scheduler: Any) -> None:
        from distributed import Client

        self.client = scheduler if hasattr(scheduler, "submit") else Client(scheduler)
        self.own = not hasattr(scheduler, "submit")

    def run(self, fn: Callable, take: Take, done: Callable[[Any, Any], None]) -> None:
        """`fn` on every task `take` hands out, each submitted as soon as it may start
        (the cluster's scheduler places it); `done` hears each result as it arrives."""
        from distributed import as_completed

        futures: dict[Any, Any] = {}
        running = as_completed()

        def fill() -> None:
            for key, task in take(None):
                f = self.client.submit(fn, task, pure=False, retries=LOST_RETRIES)
                futures[f] = key
                running.add(f)

        try:
            fill()
            for f in running:
                done(futures[f], f.result())
                fill()
        except KeyboardInterrupt:
            self.client.cancel(list(futures))
            raise

    def close(self) -> None:
        if self.own:
            self.client.close()


def runner_of(options: Any, packages: list[Package], widest: int) -> Any:
    """Where packages are solved: None = here, one after another. By default as many side
    by side as the cores and memory allow and as can be solved at once (`widest`), unless
    the packages are so small that starting worker processes would take longer."""
    if options.scheduler is not None:
        return Cluster(options.scheduler)
    workers = options.workers
    if workers is None:
        from .solver.strategy import SEARCH_MIN_COLUMNS

        pairs = max(len(p.data.firms) * len(p.data.sites) for p in packages)  # an upper bound
        workers = (
            1 if pairs < SIDE_BY_SIDE_MIN_PAIRS else default_workers(pairs >= SEARCH_MIN_COLUMNS)
        )
    workers = min(workers, widest)
    return Local(workers) if workers > 1 else None


def serial(packages, options, descriptions, carry_of, record, waits=None) -> None:
    """`packages` one after another, here, in the order given (parents first); a package
    that `waits` for another does not wait for the reading (`options.spent_s`)."""
    later = replace(options, spent_s=0.0)
    with Pool(verbose=options.verbose) as pool:  # workers, reused by every package
        for p in packages:
            carry = carry_of(p)
            if options.console is not None:
                options.console.begin(p.sid)
            opts = later if waits and waits.get(p.sid) else options
            try:
                result = _package(p, descriptions.get(p.sid, ""), opts, pool, carry)
            except (Interrupted, KeyboardInterrupt) as stop:
                record(
                    p,
                    interrupted(p, descriptions.get(p.sid, ""), getattr(stop, "partial", None)),
                    None,
                )
                raise
            # its network picture is drawn on a thread while the next package solves
            # (this process only waits for the HiGHS workers meanwhile)
            result.picture = Drawing(_DRAWER.submit(picture_of, result))
            record(p, result, carry.prices)


def _package(p: Package, description: str, options: Any, pool: Any, carry: Carry) -> ScenarioResult:
    if p.problems:
        return impossible(p, description)
    result = solve_scenario(p.sid, description, p.data, options, pool, carry)
    if options.irreplaceability and result.outcome.has_plan:
        result.tables["Irreplaceability"] = irreplaceability_rows(
            p.sid, p.data, result, options.threads, options.log, pool
        )
        if "Robustness" in result.tables:  # the scores beside the must-haves
            add_irreplaceability(result.tables["Robustness"], result.tables["Irreplaceability"])
    peak = pool.peak_memory()
    if peak is not None:
        result.summary["memory"] = (
            f"{peak / 2**20:,.0f} MiB: the peak so far of the process that solved it and "
            f"its HiGHS workers (on {platform.node()}, pid {os.getpid()})"
        )
    return result


def side_by_side(backend, packages, options, descriptions, carry_of, record, waits) -> None:
    """`packages` solved on `backend`, each started as soon as the packages it `waits` for
    have their results (`schedule.Schedule`); those that may start at once wait for the
    reading of the workbook (`options.spent_s`), the others do not."""
    queue = manager = None
    if isinstance(backend, Local) and options.console is not None:
        from multiprocessing import Manager

        manager = Manager()
        queue = manager.Queue()
        relay = threading.Thread(target=_relay, args=(queue, options.console), daemon=True)
        relay.start()
    light = replace(
        options,
        console=None,
        log=None,
        scheduler=None,
        workers=1,
        threads=options.threads or 1,  # a core per package
        spent_s=0.0,
    )
    first = replace(light, spent_s=options.spent_s)
    schedule = Schedule(packages, waits)

    def take(n: int | None) -> list[tuple[Package, dict]]:
        return [
            (
                p,
                {
                    "package": p,
                    "description": descriptions.get(p.sid, ""),
                    "options": light if waits.get(p.sid) else first,
                    "carry": carry_of(p),  # its ancestors are done: their plans and prices
                    "queue": queue,
                },
            )
            for p in schedule.take(n)
        ]

    def done(p: Package, out: tuple) -> None:
        record(p, *out)
        schedule.finished(p.sid)

    try:
        backend.run(run_package, take, done)
    finally:
        if manager is not None:
            queue.put(None)
            manager.shutdown()


def _relay(queue: Any, board: Any) -> None:
    while True:
        try:
            item = queue.get()
        except (EOFError, OSError):
            return
        if item is None:
            return
        board.update(*item)


_DRAWER = ThreadPoolExecutor(1, thread_name_prefix="enclave-pictures")
_PROCESS_POOL: list[Pool] = []  # a worker process's own HiGHS workers, kept between tasks


def _process_pool(verbose: bool) -> Pool:
    """This worker process's own HiGHS workers, started at its first task."""
    import multiprocessing as mp

    me = mp.current_process()
    if me.daemon:  # a cluster's worker: our HiGHS workers are its children, and it reaps them
        me.daemon = False
    if not _PROCESS_POOL:
        _PROCESS_POOL.append(Pool(verbose=verbose))
        atexit.register(_PROCESS_POOL[0].close)
    return _PROCESS_POOL[0]


def warm_up(verbose: bool) -> tuple[int, list[str]]:
    """A worker process's first task when it would otherwise wait: its HiGHS workers
    started, and matplotlib (the network pictures) imported with its font list. Returns
    the process's id and its HiGHS workers."""
    pool = _process_pool(verbose)
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg  # noqa: F401

    font_manager.fontManager.ttflist  # noqa: B018 (loads the font cache)
    return os.getpid(), sorted(n for n, w in pool.workers.items() if w.process.is_alive())


def run_package(task: dict) -> tuple[ScenarioResult, dict | None]:
    """One package solved in a worker process (local or on a cluster): its result and the
    prices it hands its children."""
    pool = _process_pool(task["options"].verbose)
    p, description, carry = task["package"], task["description"], task["carry"]
    console = Relay(task["queue"]) if task["queue"] is not None else Quiet()
    options = replace(task["options"], console=console)
    console.begin(p.sid)
    try:
        result = _package(p, description, options, pool, carry)
        result.picture = picture_of(result)  # drawn here, side by side with the others
        return result, carry.prices
    except (Interrupted, KeyboardInterrupt) as stop:
        return interrupted(p, description, getattr(stop, "partial", None)), None
