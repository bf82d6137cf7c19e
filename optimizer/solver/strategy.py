"""How one package is solved once its model is built, within its time limit.

A greedy plan (or a better plan of an earlier package that meets this one's limits) is
the start. HiGHS solves the whole model in a worker process with that start (`worker.py`),
except where even its LP relaxation would outlast the time limit; on large models a
second worker runs kernel search (`kernel.py`: the LP relaxation, then
restricted MIPs, or cores where the LP would be too slow) on the other core. Every plan a
worker finds is checked against the model here and handed to the other worker; the bound is
the best valid one (HiGHS's, the LP relaxation's, or on the largest models the priced bound
computed here while the workers run). At the deadline both are stopped (by force if HiGHS
is in a phase that does not look at the clock), and the best plan is reported with its gap.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np

from ..data.model_data import ModelData
from ..model.matrix import MatrixModel
from ..model.plan import Decisions, decisions, values_of
from .bound import Subgradient
from .core import core_masks
from .greedy import greedy_plan, warm_start_note
from .incumbent import Best, verdict
from .kernel import lp_seconds, slow_lp
from .outcome import (
    SolveOutcome,
)
from .problem import Problem
from .worker import Pool, Worker

SEARCH_MIN_COLUMNS = 50_000  # smaller models: HiGHS alone does best on the whole model
GRACE_S = 1.0  # a stopped worker may take this long to hand back its last words
EVERY_S = 5.0  # progress lines
# a model HiGHS solves alone does not get the greedy plan as its starting solution: a start
# far from the optimum changes HiGHS's search for the worse (Holmberg p58: the optimum
# proven in 82 s without it; with the greedy plan, 45% below, not proven in 120 s)
GREEDY_KEPT = (
    "; on a model this size it is kept only as the plan to fall back on, and HiGHS starts "
    "without it (a start far from the optimum slows HiGHS's proof)"
)


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a solve; carries what was found until then."""

    def __init__(self, partial: ArraySolve) -> None:
        super().__init__("interrupted")
        self.partial = partial


@dataclass
class ArraySolve:
    """What `solve_array` did: the outcome and plan, and the lines and figures of its
    starts, workers and bound."""

    outcome: SolveOutcome
    x: Decisions | None
    warm_start: str  # for the Run sheet: what the solve started from
    bound_note: str  # for the Run sheet: where the reported bound comes from
    greedy: float | None  # weighted welfare of the greedy plan (mcny)
    start: float | None  # weighted welfare of the plan the workers started from (mcny)
    seconds: dict[str, float]  # "warmstart", "solve"
    notes: list[str] = field(default_factory=list)  # what the workers said
    prices: dict | None = None  # the priced bound's prices, for the next package
    source: str = ""  # who found the plan reported: the start, HiGHS or kernel search
    workers: list[str] = field(default_factory=list)  # the workers that ran


def start_plan(
    d: ModelData, mm: MatrixModel, problem: Problem, earlier: list[Decisions]
) -> tuple[np.ndarray | None, float | None, str, bool]:
    """The greedy plan or, if better, the best earlier package's plan that meets every
    limit of this one; its value; a line saying which; whether it is an earlier plan."""
    t0 = time.perf_counter()
    greedy = greedy_plan(d, mm)
    note = warm_start_note(mm, greedy, time.perf_counter() - t0)
    best = Best(problem)
    if greedy is not None:
        best.offer(greedy, "greedy")
    for i, x in enumerate(earlier):
        try:
            values = values_of(mm, x)
        except KeyError:  # a pair this package does not allow
            continue
        if best.offer(values, f"plan of an earlier package ({i + 1})"):
            note += (
                f"; the plan of an earlier package meets this one's limits and is "
                f"better: {best.value:,.3f} mcny"
            )
    greedy_value = problem.objective(greedy) if greedy is not None else None
    return best.values, greedy_value, note, best.source != "greedy"


def solve_array(
    d: ModelData,
    mm: MatrixModel,
    *,
    threads: int | None = None,
    seed: int | None = None,
    log: Callable[[str], None] | None = None,
    status: Callable[[float | None, float | None, float | None], None] | None = None,
    verbose: bool = False,
    mps: Path | None = None,
    pool: Pool | None = None,
    earlier: list[Decisions] = (),
    prices: dict | None = None,
    deadline: float | None = None,
) -> ArraySolve:
    """Solve one package's built model `mm` by its deadline (default: its time limit from
    now), starting from the best of the greedy plan and the `earlier` packages' plans, and
    on the largest models from the `prices` of an earlier package's priced bound. The
    benchmark times this same path."""
    t0 = time.perf_counter()
    deadline = deadline if deadline is not None else t0 + d.policy["time_limit_s"]
    problem = Problem.of(mm)
    if mps is not None:
        from .highs import to_highs

        mps.parent.mkdir(parents=True, exist_ok=True)
        to_highs(problem).writeModel(str(mps))
    start, greedy, warm, earlier_plan = start_plan(d, mm, problem, list(earlier))
    if start is not None and not earlier_plan and problem.n_cols < SEARCH_MIN_COLUMNS:
        warm += GREEDY_KEPT
    elif start is not None:
        warm += "; the solve starts from it"
    if log:
        log(f"    start: {warm}")
    own = pool is None
    run = Run(d, mm, problem, pool or Pool(verbose=verbose), threads, log, deadline, seed)
    run.status, run.verbose = status, verbose
    try:
        run.solve(start, prices, hint=earlier_plan)
        highs = run.final.get("HiGHS", {})
        if (
            highs.get("optimal")
            and highs.get("objective") is not None
            and (
                run.best.value is None
                or run.best.value < highs["objective"] - 1e-6 * max(1.0, abs(highs["objective"]))
            )
            and deadline - time.perf_counter() > 1
        ):
            # HiGHS 1.16 can prove a better optimum than the start yet hand back the start's
            # values: solve again without a start
            run.final.clear()
            run.solve(None, None, search=False)
    except KeyboardInterrupt:
        run.pool.close()
        raise Interrupted(run.result(t0, warm, greedy, start)) from None
    finally:
        if own:
            run.pool.close()
    return run.result(t0, warm, greedy, start)


class Run:
    """The workers of one package's solve, what they said, and the priced bound computed
    here on the largest models while they work."""

    def __init__(self, d, mm, problem, pool, threads, log, deadline, seed=None) -> None:
        self.d, self.mm, self.problem, self.pool, self.seed = d, mm, problem, pool, seed
        self.threads, self.log, self.deadline = threads, log, deadline
        self.best = Best(problem)
        self.final: dict[str, dict] = {}
        self.notes: list[str] = []
        self.workers: dict[str, tuple[Worker, int]] = {}
        self.priced: Subgradient | None = None
        self.t1 = time.perf_counter()
        self.status: Callable | None = None  # the live line's figures, every loop
        self.verbose = False  # HiGHS's own log to the console

    def result(self, t0: float, warm: str, greedy: float | None, start) -> ArraySolve:
        outcome = verdict(self.best, self.final, self.d.policy["mip_gap"], time.perf_counter() - t0)
        bound, source = self.best.bound()
        note = f"{source}: {bound:,.3f} mcny" if bound is not None else ""
        if self.priced is not None:
            self.notes.append(self.priced.note(time.perf_counter() - self.t1))
        return ArraySolve(
            outcome,
            decisions(self.mm, self.best.values) if outcome.has_plan else None,
            warm,
            note,
            greedy,
            self.problem.objective(start) if start is not None else None,
            {"warmstart": self.t1 - t0, "solve": time.perf_counter() - self.t1},
            self.notes,
            self.priced.prices() if self.priced is not None else None,
            self.best.source,
            list(self.workers),
        )

    def solve(self, start, prices, search: bool = True, hint: bool = True) -> None:
        """HiGHS (and on large models kernel search) until done or the deadline. `hint`:
        whether a model HiGHS solves alone gets `start` as its starting solution (else it
        is only the plan to fall back on)."""
        d, mm, problem = self.d, self.mm, self.problem
        if start is not None:
            self.best.offer(start, "start")
        large = problem.n_cols >= SEARCH_MIN_COLUMNS
        limit = d.policy["time_limit_s"]
        slow = large and search and slow_lp(problem, limit)
        self.workers = {}
        if slow and slow_lp(problem, limit, share=1.0):
            # HiGHS must solve the root LP before its bound and most of its heuristics (L:
            # no plan in 324 s alone); its core goes to the search and the priced bound
            self.notes.append(
                f"HiGHS on the whole model: not run (its LP relaxation alone would take "
                f"about {lp_seconds(problem):,.0f} s of the {limit:g} s limit); kernel "
                "search and the priced bound have both cores"
            )
        else:
            self._start(
                "HiGHS",
                "highs",
                "mip",
                start=start if large or hint else None,
                threads=1 if large else self.threads,
                verbose=self.verbose,
                lp_first=large and search and not slow,
            )
        if large and search:
            candidates = np.zeros(problem.n_cols, dtype=bool)
            candidates[list(mm.b_inc.values())] = True
            candidates[list(mm.b_prod.values())] = True
            self._start(
                "kernel search",
                "search",
                "search",
                candidates=candidates,
                start=start,
                threads=1,
                cores=core_masks(d, mm, start),
            )
            if slow:  # no LP bound to be expected
                self.priced = Subgradient(d, mm, prices)
        try:
            self._listen()
        finally:
            self._stop()

    def _start(self, name: str, worker: str, task: str, **args) -> None:
        """Worker `worker` of the pool set to `task` on this model, by the deadline."""
        w = self.pool.get(worker)
        self.workers[name] = (
            w,
            w.start(
                task,
                problem=self.problem,
                mip_gap=self.d.policy["mip_gap"],
                time_limit_s=max(1.0, self.deadline - time.perf_counter()),
                seed=self.seed,
                **args,
            ),
        )

    def _listen(self) -> None:
        first = last = time.perf_counter()
        mip_gap = self.d.policy["mip_gap"]
        while len(self.final) < len(self.workers):
            now = time.perf_counter()
            running = {
                n: w for n, (w, _) in self.workers.items() if n not in self.final and not w.dead
            }
            if now >= self.deadline or not running:
                return
            timeout = 0.0 if self.priced is not None and not self.priced.done else 0.5
            wait([w.outbox for w in running.values()], timeout=min(timeout, self.deadline - now))
            for name, w in running.items():
                for message in w.messages():
                    self._hear(name, *message)
                if w.dead and name not in self.final:
                    self.final[name] = {}
            highs = self.final.get("HiGHS", {})
            if highs.get("optimal") or highs.get("infeasible") or highs.get("unbounded"):
                return  # HiGHS has proved what there is to prove
            gap = self.best.gap()
            if gap is not None and gap <= mip_gap and list(self.workers) != ["HiGHS"]:
                return  # proven by the two together (HiGHS alone stops itself: the same plan
                # whatever the timing, so that runs repeat exactly)
            self._price(0.2)
            if self.status is not None:
                self.status(self.best.value, self.best.bound()[0], self.best.gap())
            elif self.log and time.perf_counter() - last >= EVERY_S:
                last = time.perf_counter()
                self.log(_progress_line(self.best, last - first))

    def _hear(self, name: str, kind: str, task: int, *data) -> None:
        if task != self.workers[name][1]:
            return
        best = self.best
        if kind == "plan" and best.offer(data[1], name):
            for other, (w, _) in self.workers.items():
                if other != name and other not in self.final:
                    w.tell("plan", best.values)
        elif kind == "progress" and abs(data[1]) < 1e30:
            best.tighten("HiGHS's bound", data[1])
        elif kind == "bound":
            best.tighten(data[1], data[0])
            if data[1].startswith("LP relaxation"):  # the race is won: the other may stop
                self._tell_others(name, "lp")
        elif kind == "lp":  # the HiGHS worker's interior point solved the LP first
            best.tighten(f"LP relaxation ({data[3]:.1f} s, interior point)", data[0])
            self._tell_others(name, "lp", data[0], data[1], data[2])
        elif kind == "note":
            self.notes.append(f"{name}: {data[0]}")
            if self.log:
                self.log(f"    {name}: {data[0]}")
        elif kind == "error":
            self.notes.append(f"{name} failed: {data[0].strip().splitlines()[-1]}")
            self.final[name] = {}
        elif kind == "done":
            self.final[name] = data[0]
            if name == "HiGHS":
                if data[0].get("values") is not None:
                    best.offer(data[0]["values"], name)
                if data[0].get("bound") is not None:
                    best.tighten("HiGHS's bound", data[0]["bound"])

    def _tell_others(self, name: str, *message) -> None:
        for other, (w, _) in self.workers.items():
            if other != name and other not in self.final:
                w.tell(*message)

    def _price(self, seconds: float) -> None:
        """Subgradient steps for up to `seconds`, towards the best plan known."""
        sg = self.priced
        if sg is None or sg.done or self.best.value is None:
            return
        sg.target = self.best.value
        until = time.perf_counter() + seconds
        while not sg.done and time.perf_counter() < until:
            sg.step()
        if sg.best is not None:
            self.best.tighten("the priced bound", sg.best)

    def _stop(self) -> None:
        """Stop every worker still running: ask, wait up to GRACE_S for its last words,
        then kill it (the pool starts a new one when next needed)."""
        asked = {n: w for n, (w, _) in self.workers.items() if n not in self.final and not w.dead}
        for w in asked.values():
            w.tell("stop")
        until = time.perf_counter() + GRACE_S
        for name, w in asked.items():
            while name not in self.final and time.perf_counter() < until and not w.dead:
                for message in w.wait(until - time.perf_counter()):
                    self._hear(name, *message)
            if name not in self.final:
                w.kill()


def _progress_line(best: Best, elapsed: float) -> str:
    bound, _ = best.bound()
    gap = best.gap()
    plan = f"plan {best.value:,.3f} mcny" if best.value is not None else "plan none yet"
    bound_text = f"{bound:,.3f}" if bound is not None else "n/a"
    return f"    {elapsed:6.0f} s: {plan}, bound {bound_text}" + (
        f", gap {gap:.2%}" if gap is not None else ""
    )
