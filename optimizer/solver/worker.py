"""HiGHS in processes of their own, so that a solve can always be stopped on time.

HiGHS checks no time limit in its presolve and root set-up, and an interrupt in its MIP
callback only reaches it between those phases. A `Worker` is a long-lived child process
that runs one task at a time (a MIP of the whole model, or the search of `kernel.py`) and
streams every improving plan back the moment it is found, so stopping it (politely, then by
force) never loses the best plan. The parent never blocks on a child: tasks and plans go
to the child through a queue, and messages come back through a pipe the parent only reads
when something is there. A killed child takes its pipe with it; the next task gets a fresh
worker. Children ignore Ctrl-C: the parent decides what an interruption means.

Messages from a child: ("plan", task, objective, values), ("bound", task, value, source),
("progress", task, plan, bound), ("note", task, text), ("done", task, summary dict),
("error", task, text).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import sys
import time
import traceback
import types
from typing import Any

import numpy as np


class _Process(mp.get_context("spawn").Process):
    """A spawned process that starts with the caller's main script hidden: the child
    needs nothing of it, and multiprocessing's spawn would re-import it, running a script
    without an `if __name__ == "__main__"` guard again in every child."""

    def start(self) -> None:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            super().start()
        finally:
            sys.modules["__main__"] = main


class _Context(type(mp.get_context("spawn"))):
    Process = _Process


CTX = _Context()  # spawn: no inherited solver state or threads; the main script hidden


class Worker:
    """One child process serving tasks."""

    def __init__(self, name: str, verbose: bool = False) -> None:
        self.name = name
        self.inbox = CTX.Queue()
        reader, writer = CTX.Pipe(duplex=False)
        self.process = CTX.Process(
            target=serve,
            args=(self.inbox, writer, verbose),
            name=f"enclave-{name}",
            daemon=True,
        )
        self.process.start()
        writer.close()  # the child holds the only writing end: its death is an EOF here
        self.outbox = reader
        self.task = 0
        self.dead = False

    def start(self, kind: str, **payload: Any) -> int:
        """Run a task (`kind`: "mip" or "search"); its id, which its messages carry."""
        self.task += 1
        self.inbox.put((kind, self.task, payload))
        return self.task

    def tell(self, *message: Any) -> None:
        """A message for the running task ("plan", values) or ("stop",)."""
        self.inbox.put((*message[:1], self.task, *message[1:]))

    def messages(self) -> list[tuple]:
        """Every message waiting now (never blocks)."""
        out = []
        try:
            while not self.dead and self.outbox.poll():
                out.append(self.outbox.recv())
        except (EOFError, OSError):
            self.dead = True
        return out

    def wait(self, timeout: float) -> list[tuple]:
        """Messages, waiting up to `timeout` seconds for the first."""
        if not self.dead:
            try:
                self.outbox.poll(timeout)
            except (EOFError, OSError):
                self.dead = True
        return self.messages()

    def kill(self) -> None:
        """End the child now (terminate, then kill), and reap it."""
        self.dead = True
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.inbox.cancel_join_thread()
        self.inbox.close()
        self.outbox.close()

    def close(self) -> None:
        """Ask the child to quit; kill it if it does not within a second."""
        if not self.dead and self.process.is_alive():
            self.inbox.put(("quit", 0, {}))
            self.process.join(1.0)
        self.kill()


class Pool:
    """The run's worker processes, reused from package to package; a worker that had to
    be killed is replaced when next needed."""

    def __init__(self, names: tuple[str, ...] = ("highs", "search"), verbose: bool = False):
        self.workers: dict[str, Worker] = {}
        self.verbose = verbose  # the children may print HiGHS's log
        for name in names:  # started now, so that they are ready when the first model is
            self.get(name)

    def get(self, name: str) -> Worker:
        w = self.workers.get(name)
        if w is None or w.dead or not w.process.is_alive():
            if w is not None:
                w.kill()
            w = self.workers[name] = Worker(name, self.verbose)
        return w

    def close(self) -> None:
        for w in self.workers.values():
            w.close()
        self.workers.clear()

    def peak_memory(self) -> int | None:
        """Bytes: the peak resident memory so far of this process and of its HiGHS
        workers, added up (None where the system does not say: Linux does)."""
        try:
            import resource

            total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
            for w in self.workers.values():
                with open(f"/proc/{w.process.pid}/status") as f:
                    hwm = next(line for line in f if line.startswith("VmHWM:"))
                total += int(hwm.split()[1]) * 1024
            return total
        except (ImportError, OSError, StopIteration, ValueError):
            return None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# ------------------------------------------------------------------- the child's side


def serve(inbox: Any, out: Any, verbose: bool = False) -> None:
    """The child's loop: one task after another until told to quit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not verbose:  # HiGHS's banner and log are not the planner's
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    while True:
        message = inbox.get()
        kind, task = message[0], message[1]
        if kind == "quit":
            return
        if kind != "mip" and kind != "search":
            continue  # a stop or plan meant for a task that has ended
        payload = message[2]
        channel = Channel(task, inbox, out)
        try:
            if kind == "mip":
                run_mip(channel, **payload)
            else:
                from .kernel import search

                search(channel, **payload)
        except Exception:
            channel.send("error", traceback.format_exc(limit=8))


class Channel:
    """What a running task sees of the parent: its messages in, its results out."""

    def __init__(self, task: int, inbox: Any, out: Any) -> None:
        self.task, self.inbox, self.out = task, inbox, out
        self.stopped = False
        self.offered: list[np.ndarray] = []  # plans found elsewhere, best last
        self.lp: tuple | None = None  # the LP relaxation solved elsewhere: value, x, reduced
        self.lp_elsewhere = False  # ... or only the news that it was

    def send(self, kind: str, *data: Any) -> None:
        self.out.send((kind, self.task, *data))

    def poll(self) -> None:
        """Read what the parent sent this task (plans to use, a stop)."""
        while True:
            try:
                kind, task, *data = self.inbox.get_nowait()
            except queue.Empty:
                return
            if kind == "quit":
                self.stopped = True
                return
            if task != self.task:
                continue
            if kind == "stop":
                self.stopped = True
            elif kind == "plan":
                self.offered.append(np.asarray(data[0]))
            elif kind == "lp":
                self.lp_elsewhere = True
                if data:
                    self.lp = (data[0], np.asarray(data[1]), np.asarray(data[2]))


def run_mip(
    channel: Channel,
    problem: Any,
    mip_gap: float,
    time_limit_s: float,
    threads: int | None = None,
    start: np.ndarray | None = None,
    seed: int | None = None,
    every_s: float = 1.0,
    verbose: bool = False,
    lp_first: bool = False,
) -> None:
    """HiGHS on `problem`, streaming improving plans and progress, taking plans offered by
    the parent as its own, stopping when told. With `lp_first`, the LP relaxation first, by
    interior point, racing the search worker's dual simplex (whichever finishes first is
    used; the models where one takes minutes the other often solves in seconds)."""
    from .highs import S, set_start, to_highs

    if lp_first:
        interior_point_lp(channel, problem, time_limit_s, threads)
        if channel.stopped:
            channel.send("done", {"status": "stopped", "objective": None, "values": None})
            return

    h = to_highs(problem, mip_gap=mip_gap, time_limit_s=time_limit_s, threads=threads, seed=seed)
    if verbose:
        h.setOptionValue("output_flag", True)
    if start is not None:
        set_start(h, start)
    last = [0.0]

    def improving(event: Any) -> None:
        values = np.array(event.data_out.mip_solution)
        channel.send("plan", float(event.data_out.objective_function_value), values)

    def interrupt(event: Any) -> None:
        channel.poll()
        if channel.stopped:
            event.data_in.user_interrupt = True
        now = time.perf_counter()
        if now - last[0] >= every_s:
            last[0] = now
            out = event.data_out
            channel.send("progress", out.mip_primal_bound, out.mip_dual_bound)

    def user_solution(event: Any) -> None:
        channel.poll()
        if channel.offered:
            event.data_in.setSolution(channel.offered[-1])
            channel.offered.clear()

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipInterrupt.subscribe(interrupt)
    h.cbMipUserSolution.subscribe(user_solution)
    h.run()
    info = h.getInfo()
    values = np.array(h.getSolution().col_value) if info.primal_solution_status == 2 else None
    status = h.getModelStatus()
    channel.send(
        "done",
        {
            "status": status.name,
            "optimal": status == S.kOptimal,
            "infeasible": status == S.kInfeasible,
            "unbounded": status in (S.kUnbounded, S.kUnboundedOrInfeasible),
            "objective": info.objective_function_value if values is not None else None,
            "bound": info.mip_dual_bound if abs(info.mip_dual_bound) < 1e30 else None,
            "values": values,
        },
    )


def interior_point_lp(channel: Channel, problem: Any, seconds: float, threads: int | None) -> None:
    """The LP relaxation by interior point, sent as ("lp", value, values, reduced costs);
    given up as soon as the parent says the LP was solved elsewhere. No crossover: the
    kernel needs the LP's positive columns and its reduced costs, not a vertex, and
    crossover added a quarter to a half to the time (capa-8000: 50 s without, 67-81 s
    with, the same 3,657 columns above 1e-6)."""
    from .highs import S, to_highs

    t0 = time.perf_counter()
    h = to_highs(problem, time_limit_s=seconds, threads=threads)
    h.setOptionValue("solve_relaxation", True)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")

    def interrupt(event: Any) -> None:
        channel.poll()
        if channel.stopped or channel.lp_elsewhere:
            event.data_in.user_interrupt = True

    h.cbIpmInterrupt.subscribe(interrupt)
    h.run()
    if h.getModelStatus() == S.kOptimal and not channel.lp_elsewhere:
        sol = h.getSolution()
        channel.send(
            "lp",
            h.getInfo().objective_function_value,
            np.array(sol.col_value),
            np.array(sol.col_dual),
            time.perf_counter() - t0,
        )
