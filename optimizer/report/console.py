"""What the planner sees while a run works: one line per package.

On a terminal the line of the package being solved is redrawn in place every second,
whatever the phase (building the model, the start, HiGHS and kernel search, marginal
values): elapsed time, the best plan so far, the bound and the gap. When the output goes
to a file or a pipe, the same figures are printed as plain lines every few seconds
instead. Lines about the run (starts, what the solvers found, diagnoses) are printed once,
above the live line.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, TextIO

PLAIN_EVERY_S = 5.0  # piped output: a progress line this often
LIVE_EVERY_S = 1.0  # a terminal: the live line is redrawn this often


class Console:
    def __init__(self, total: int, stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.total, self.count = total, 0
        self.package, self.phase, self.figures = "", "", ""
        self.started = self.last_plain = time.perf_counter()
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.shown = False

    # ------------------------------------------------------------------ what the run says
    def begin(self, package: str) -> None:
        """A package starts: its live line."""
        with self.lock:
            self.count += 1
            self.package, self.phase, self.figures = package, "building the model", ""
            self.started = self.last_plain = time.perf_counter()
        if self.live and self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()

    def set_phase(self, phase: str) -> None:
        with self.lock:
            self.phase = phase

    def status(self, plan: float | None, bound: float | None, gap: float | None) -> None:
        """The solver's latest figures (called often; shown at the console's own pace)."""
        figures = (
            "plan "
            + (f"{plan:,.1f} mcny" if plan is not None else "none yet")
            + (f", bound {bound:,.1f}" if bound is not None else ", bound n/a")
            + (f", gap {gap:.2%}" if gap is not None else "")
        )
        with self.lock:
            self.phase, self.figures = "solving", figures
            due = not self.live and time.perf_counter() - self.last_plain >= PLAIN_EVERY_S
            if due:
                self.last_plain = time.perf_counter()
        if due:
            self.say(f"    {time.perf_counter() - self.started:6.0f} s: {figures}")

    def say(self, text: str) -> None:
        """A line printed once (above the live line on a terminal)."""
        with self.lock:
            self._clear()
            self.stream.write(text + "\n")
            self._draw()
            self.stream.flush()

    def end(self, text: str) -> None:
        """The package's final line; the live line goes."""
        with self.lock:
            self._clear()
            self.package = ""
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        with self.lock:
            self._clear()
            self.package = ""
            self.stream.flush()

    # ------------------------------------------------------------------ the live line
    def _line(self) -> str:
        elapsed = time.perf_counter() - self.started
        parts = [f"[{self.count}/{self.total}] {self.package}", f"{elapsed:.0f} s", self.phase]
        return "  ".join(p for p in parts + [self.figures] if p)

    def _clear(self) -> None:
        if self.live and self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False

    def _draw(self) -> None:
        if self.live and self.package:
            self.stream.write(self._line()[:200])
            self.shown = True

    def _tick(self) -> None:
        while True:
            time.sleep(LIVE_EVERY_S)
            with self.lock:
                if self.package:
                    self._clear()
                    self._draw()
                    self.stream.flush()

    def hooks(self) -> dict[str, Any]:
        """The callables a run reports through (`app.RunOptions`)."""
        return {"log": self.say, "status": self.status, "phase": self.set_phase}
