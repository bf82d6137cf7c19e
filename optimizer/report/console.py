"""What the planner sees while a run works: one line per package.

On a terminal the line of the package being solved is redrawn in place every second,
whatever the phase (building the model, the start, HiGHS and kernel search, marginal
values): elapsed time, the best plan so far, the bound and the gap. When the output goes
to a file or a pipe, the same figures are printed as plain lines every few seconds
instead. Lines about the run (starts, what the solvers found, diagnoses) are printed once,
above the live line.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any, TextIO

PLAIN_EVERY_S = 5.0  # piped output: a progress line this often
LIVE_EVERY_S = 1.0  # a terminal: the live line is redrawn this often


class Board:
    """One line per package being solved (one per worker when packages are solved side by
    side), redrawn in place every second on a terminal, plain lines every few seconds when
    piped; a numbered line per package as it finishes, and notes printed once above."""

    def __init__(self, total: int, stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.total, self.count = total, 0
        self.rows: dict[Any, list] = {}  # worker -> [package, started, phase, figures, last]
        self.drawn = 0
        self.here = ""  # the package solved in this process, in a serial run
        self.lock = threading.Lock()
        if self.live:
            threading.Thread(target=self._tick, daemon=True).start()

    # the package solved here (its worker is this process)
    def begin(self, package: str) -> None:
        self.update(0, package, "begin", "")
        self.here = package

    def set_phase(self, phase: str) -> None:
        self.update(0, self.here, "phase", phase)

    def status(self, plan: float | None, bound: float | None, gap: float | None) -> None:
        self.update(0, self.here, "status", figures(plan, bound, gap))

    def update(self, worker: Any, package: str, kind: str, text: str) -> None:
        with self.lock:
            now = time.perf_counter()
            row = self.rows.get(worker)
            if kind == "begin" or row is None or row[0] != package:
                row = self.rows[worker] = [package, now, "building the model", "", now]
            if kind == "phase":
                row[2] = text
            elif kind == "status":
                row[2], row[3] = "solving", text
                if not self.live and now - row[4] >= PLAIN_EVERY_S:
                    row[4] = now
                    who = "" if len(self.rows) == 1 else f"worker {self._name(worker)}: {package} "
                    self.stream.write(f"    {who}{now - row[1]:6.0f} s: {text}\n")
                    self.stream.flush()

    def end(self, text: str, package: str = "") -> None:
        with self.lock:
            self.count += 1
            for worker in [w for w, r in self.rows.items() if r[0] == package or not package]:
                del self.rows[worker]
            self._clear()
            self.stream.write(f"[{self.count}/{self.total}] {text}\n")
            self._draw()
            self.stream.flush()

    def close(self) -> None:
        with self.lock:
            self._clear()
            self.rows.clear()
            self.stream.flush()

    def say(self, text: str) -> None:
        with self.lock:
            self._clear()
            self.stream.write(text + "\n")
            self._draw()
            self.stream.flush()

    def _name(self, worker: Any) -> int:
        return sorted(self.rows, key=str).index(worker) + 1 if worker in self.rows else 0

    def _clear(self) -> None:
        if self.live and self.drawn:
            self.stream.write("\x1b[1A\x1b[2K" * (self.drawn - 1) + "\r\x1b[2K")
            self.drawn = 0

    def _draw(self) -> None:
        if not self.live or not self.rows:
            return
        now = time.perf_counter()
        rows = sorted(self.rows.items(), key=lambda kv: str(kv[0]))
        lines = [
            (
                (f"[{self.count + 1}/{self.total}] " if len(rows) == 1 else f"  worker {i + 1}: ")
                + f"{r[0]}  {now - r[1]:.0f} s  {r[2]}  {r[3]}"
            )[:200]
            for i, (_, r) in enumerate(rows)
        ]
        self.stream.write("\n".join(lines))
        self.drawn = len(lines)

    def _tick(self) -> None:
        while True:
            time.sleep(LIVE_EVERY_S)
            with self.lock:
                self._clear()
                self._draw()
                self.stream.flush()


class Relay:
    """A package's console inside a worker process: what it says goes to the parent's
    `Board` through a queue."""

    def __init__(self, queue: Any) -> None:
        self.queue, self.package = queue, ""
        self.worker = os.getpid()

    def begin(self, package: str) -> None:
        self.package = package
        self.queue.put((self.worker, package, "begin", ""))

    def set_phase(self, phase: str) -> None:
        self.queue.put((self.worker, self.package, "phase", phase))

    def status(self, plan: float | None, bound: float | None, gap: float | None) -> None:
        now = time.perf_counter()
        if now - getattr(self, "last", 0.0) < LIVE_EVERY_S:
            return  # the parent redraws once a second: no need to send more often
        self.last = now
        self.queue.put((self.worker, self.package, "status", figures(plan, bound, gap)))

    def say(self, text: str) -> None:
        pass  # notes stay in the Run sheet


class Quiet:
    """The console of a package whose figures nobody watches (a cluster's worker)."""

    def begin(self, package: str) -> None:
        pass

    def set_phase(self, phase: str) -> None:
        pass

    def status(self, plan: float | None, bound: float | None, gap: float | None) -> None:
        pass

    def say(self, text: str) -> None:
        pass


def figures(plan: float | None, bound: float | None, gap: float | None) -> str:
    return (
        "plan "
        + (f"{plan:,.1f} mcny" if plan is not None else "none yet")
        + (f", bound {bound:,.1f}" if bound is not None else ", bound n/a")
        + (f", gap {gap:.2%}" if gap is not None else "")
    )
