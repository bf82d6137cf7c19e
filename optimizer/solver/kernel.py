"""Kernel search (Angelelli, Mansini & Speranza, C&OR 37, 2010; Guastaroba & Speranza, EJOR
238, 2014): good plans of a large model from small restricted MIPs guided by its LP.

Run inside a worker (`worker.py`). The LP relaxation of the whole model gives a bound and
says where good plans are: its positive binaries, with every park and continuous column,
form the *kernel*; the other binaries are ranked by reduced cost and tried a *bucket* at a
time, each restricted MIP started from the best plan so far (which prunes whatever cannot
beat it); binaries a better plan uses join the kernel. Where the LP would take too much of
the time limit, the search solves the first *core* (each firm's most promising pairs,
`core.py`), then the LP of the largest core grown by column generation, which guides the
kernel search in the whole LP's place (at L: 105 k of 1.73 M columns at first, solved in
20 s; its kernel MIP beat the plans of every core); only if that fails, more cores, and the
whole LP if time remains. If the other worker's interior point delivers the LP while cores
are being solved, the core's MIP is cut short and the kernel search starts from that LP.
Every plan is checked against the whole model before it is sent, and plans found by the
other worker join the kernel.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .problem import Problem

EPS = 1e-6
LP_SHARE = 0.65  # the LP may take at most this share of the time limit
BUCKET_MIN = 2000  # columns per bucket at least (else: as many as the kernel's binaries)
NNZ_PER_LP_SECOND = 20_000  # rough speed of HiGHS's dual simplex on these models
CG_COLUMNS = 20_000  # columns added to the largest core's LP per round
CG_SHARE = 0.75  # column generation until this share of the time limit has passed


class Search:
    """The best plan so far, and the plumbing of the restricted MIPs."""

    def __init__(
        self,
        channel: Any,
        problem: Problem,
        start: np.ndarray | None,
        mip_gap: float,
        deadline: float,
        threads: int | None,
        seed: int | None = None,
    ) -> None:
        self.channel, self.problem, self.mip_gap = channel, problem, mip_gap
        self.deadline, self.threads, self.seed = deadline, threads, seed
        self.ints = problem.col_int.astype(bool)
        self.best, self.value = None, -np.inf
        self.until_lp = False  # cut restricted MIPs short when the LP arrives from elsewhere
        if start is not None:
            self.consider(start, send=False)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def over(self) -> bool:
        self.channel.poll()
        for values in self.channel.offered:  # plans of the other worker
            self.consider(values, send=False)
        self.channel.offered.clear()
        return self.channel.stopped or self.left() <= 0.5

    def consider(self, values: np.ndarray, send: bool = True) -> bool:
        """Keep `values` if it is a plan of the whole model better than the best."""
        values = np.array(values, dtype=float)
        values[self.ints] = np.round(values[self.ints])
        value = self.problem.objective(values)
        if value <= self.value + 1e-9 or not self.problem.feasible(values):
            return False
        self.best, self.value = values, value
        if send:
            self.channel.send("plan", value, values)
        return True

    def support(self) -> np.ndarray:
        return (
            (self.best > 0.5) & self.ints
            if self.best is not None
            else np.zeros(len(self.ints), dtype=bool)
        )

    def restricted(self, keep: np.ndarray, seconds: float) -> bool:
        """The best plan of the model on the columns `keep`, started from the best plan
        so far; streams every improvement; whether HiGHS proved it optimal there."""
        from .highs import S, set_start, to_highs

        keep = keep | self.support()
        sub, cols = self.problem.restrict(keep)
        h = to_highs(
            sub,
            mip_gap=self.mip_gap,
            time_limit_s=max(0.5, min(seconds, self.left())),
            threads=self.threads,
            seed=self.seed,
        )
        if self.best is not None:
            set_start(h, self.best[cols])

        def improving(event: Any) -> None:
            full = np.zeros(self.problem.n_cols)
            full[cols] = np.array(event.data_out.mip_solution)
            self.consider(full)

        def interrupt(event: Any) -> None:
            if self.over() or (self.until_lp and self.channel.lp is not None):
                event.data_in.user_interrupt = True

        h.cbMipImprovingSolution.subscribe(improving)
        h.cbMipInterrupt.subscribe(interrupt)
        h.run()
        if h.getInfo().primal_solution_status == 2:
            full = np.zeros(self.problem.n_cols)
            full[cols] = np.array(h.getSolution().col_value)
            self.consider(full)
        return h.getModelStatus() == S.kOptimal


def lp_relaxation(search: Search, seconds: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation's values and reduced costs (None if not solved in `seconds`);
    its value is sent as a bound."""
    from .highs import S, to_highs

    t0 = time.perf_counter()
    h = to_highs(search.problem, time_limit_s=max(1.0, seconds), threads=search.threads)
    h.setOptionValue("solve_relaxation", True)

    def interrupt(event: Any) -> None:
        if search.over() or search.channel.lp is not None:
            event.data_in.user_interrupt = True

    h.cbSimplexInterrupt.subscribe(interrupt)
    h.run()
    if search.channel.lp is not None:  # the HiGHS worker's interior point was faster
        _, values, reduced = search.channel.lp
        return values, reduced
    if h.getModelStatus() != S.kOptimal:
        search.channel.send("note", f"LP relaxation not solved in {time.perf_counter() - t0:.0f} s")
        return None
    value = h.getInfo().objective_function_value
    search.channel.send(
        "bound", value, f"LP relaxation ({time.perf_counter() - t0:.1f} s, dual simplex)"
    )
    sol = h.getSolution()
    return np.array(sol.col_value), np.array(sol.col_dual)


def core_lp(search: Search, keep: np.ndarray, until: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation of the model restricted to the columns `keep` (the largest core),
    grown by column generation until `until`: each round adds the `CG_COLUMNS` left-out
    columns of highest reduced cost at the LP's row prices and solves again (from scratch:
    HiGHS's presolve, which a solve from the last basis skips, takes the restricted model's
    empty rows out; at L a round from the last basis was not done in 100 s, from scratch in
    21 s). Its values, as columns of the whole model, and every column's reduced cost (None
    if the first LP is not solved in time). Not a bound while columns are left out (a bound
    once none has a positive reduced cost), but where the whole LP is too slow it says where
    good plans are, and the reduced costs rank the columns it left out."""
    from .highs import S, to_highs

    t0 = time.perf_counter()
    p, keep = search.problem, keep.copy()

    def interrupt(event: Any) -> None:
        if search.over() or time.perf_counter() > until:
            event.data_in.user_interrupt = True

    lp, solved, first = None, 0, None
    while not search.over() and time.perf_counter() < until:
        sub, cols = p.restrict(keep)
        h = to_highs(sub, threads=search.threads)
        h.setOptionValue("solve_relaxation", True)
        h.cbSimplexInterrupt.subscribe(interrupt)
        h.run()
        if h.getModelStatus() != S.kOptimal:
            break  # out of time: the last round's LP stands
        sol, value = h.getSolution(), h.getInfo().objective_function_value
        values = np.zeros(p.n_cols)
        values[cols] = np.array(sol.col_value)
        reduced = p.reduced_costs(np.array(sol.row_dual))
        lp, first, solved = (values, reduced), value if first is None else first, solved + 1
        out = np.nonzero(~keep & (reduced > EPS))[0]
        if len(out) == 0:  # no column left out is worth adding: the whole model's LP
            search.channel.send(
                "bound",
                value,
                f"LP relaxation ({time.perf_counter() - t0:.1f} s, columns generated)",
            )
            break
        keep[out[np.argsort(-reduced[out], kind="stable")[:CG_COLUMNS]]] = True
    if lp is None:
        search.channel.send(
            "note", f"LP of the largest core not solved in {time.perf_counter() - t0:.0f} s"
        )
        return None
    search.channel.send(
        "note",
        f"LP of the largest core, {solved - 1} rounds of column generation ({first:,.3f} -> "
        f"{value:,.3f} mcny, {time.perf_counter() - t0:.1f} s): kernel search from it",
    )
    return lp


def search(
    channel: Any,
    problem: Problem,
    candidates: np.ndarray,
    start: np.ndarray | None,
    mip_gap: float,
    time_limit_s: float,
    cores: list[np.ndarray] = (),
    threads: int | None = None,
    seed: int | None = None,
) -> None:
    """Cores and/or the LP, then kernel search until stopped or out of time. `candidates`:
    the binaries that may be left out of a restricted MIP (every other column is always
    in); `cores`: column masks of ever larger cores."""
    t0 = time.perf_counter()
    s = Search(channel, problem, start, mip_gap, t0 + time_limit_s, threads, seed)
    always = ~candidates
    lp = None
    if slow_lp(problem, time_limit_s):  # the first core, then the LP of the largest
        grow_cores(s, always, cores[:1])
        if cores and not s.over():
            lp = core_lp(s, always | cores[-1] | s.support(), t0 + CG_SHARE * time_limit_s)
        if lp is None:  # more cores; the whole LP only if it still fits
            grow_cores(s, always, cores[1:])
            if not s.over() and not slow_lp(problem, s.left()):
                lp = lp_relaxation(s, LP_SHARE * s.left())
    else:
        lp = lp_relaxation(s, LP_SHARE * time_limit_s - (time.perf_counter() - t0))
        if lp is None:  # cores until the other worker's interior point has the LP
            s.until_lp = True
            grow_cores(s, always, cores)
            s.until_lp = False
            while s.channel.lp is None and not s.channel.lp_elsewhere and not s.over():
                time.sleep(0.2)  # the cores are done: the LP may still come
            if s.channel.lp is not None and not s.over():
                channel.send(
                    "note",
                    f"LP relaxation from the other worker after "
                    f"{time.perf_counter() - t0:.0f} s: kernel search from it",
                )
                _, values, reduced = s.channel.lp
                lp = values, reduced
    if lp is None:
        channel.send("done", {"value": s.value})
        return
    values, reduced = lp
    kernel = always | (candidates & (values > EPS))
    s.restricted(kernel, s.left())
    channel.send(
        "note",
        f"kernel of {int((kernel & candidates).sum()):,} binaries: {s.value:,.3f} mcny"
        if s.best is not None
        else "kernel: no plan",
    )
    size = max(BUCKET_MIN, int((kernel & candidates).sum()))
    rounds = 0
    while not s.over():
        rest = np.nonzero(candidates & ~kernel)[0]
        order = rest[np.argsort(-reduced[rest], kind="stable")]
        improved, proved = False, False
        for i in range(0, max(len(order), 1), size):
            if s.over():
                break
            before = s.value
            bucket = kernel.copy()
            bucket[order[i : i + size]] = True
            proved = s.restricted(bucket, max(5.0, min(20.0, s.left() / 4)))
            if s.value > before:
                improved = True
                kernel |= s.support()
        rounds += 1
        if size >= len(order) and proved and not improved:
            break  # the last restricted MIP held every column and was solved: nothing left
        if not improved:
            size *= 2  # a round without a better plan: larger buckets
    channel.send("done", {"value": s.value, "rounds": rounds})


def lp_seconds(problem: Problem) -> float:
    """A rough estimate of how long HiGHS's dual simplex takes on the LP relaxation."""
    return len(problem.value) / NNZ_PER_LP_SECOND


def slow_lp(problem: Problem, time_limit_s: float, share: float = LP_SHARE) -> bool:
    """Whether the LP relaxation would likely take more than `share` of the time."""
    return lp_seconds(problem) > share * time_limit_s


def grow_cores(s: Search, always: np.ndarray, cores: list[np.ndarray]) -> None:
    """Restricted MIPs on ever larger cores while each is solved with time to spare."""
    for mask in cores:
        t = time.perf_counter()
        if s.over() or not s.restricted(always | mask, s.left() / 2):
            return
        if s.until_lp and s.channel.lp is not None:
            return
        if s.left() < 2 * (time.perf_counter() - t):
            return
