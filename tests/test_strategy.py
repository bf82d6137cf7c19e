"""The solve strategy: HiGHS and kernel search in worker processes, stopped on time, the
best plan never lost, nothing left running."""

import multiprocessing as mp
import os
import signal
import threading
import time
from pathlib import Path

import benchmarks as bi
import numpy as np
import pytest
from cases import equivalence_cases, random_case
from solving import model_data

from optimizer.data.synthetic import generate_tables
from optimizer.model import build_matrix
from optimizer.solver import strategy
from optimizer.solver.highs import solve_matrix
from optimizer.solver.problem import Problem
from optimizer.solver.strategy import Interrupted, Pool, solve_array
from optimizer.solver.worker import Worker

CASES = equivalence_cases()
EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "zhejiang_example.xlsx"


def no_children_left():
    return mp.active_children() == []


@pytest.mark.parametrize(
    "name", ["two_regions", "random_0", "random_2", "site_floor_1", "holmberg_p1"]
)
def test_the_large_model_strategy_reaches_the_optimum_on_small_instances(name, monkeypatch):
    # kernel search and HiGHS side by side, as on a province-sized model
    monkeypatch.setattr(strategy, "SEARCH_MIN_COLUMNS", 0)
    d = model_data(CASES[name])
    d.policy["mip_gap"] = 1e-9
    mm = build_matrix(d)
    plain, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    run = solve_array(d, mm)
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == pytest.approx(plain.objective, abs=1e-6)
    assert no_children_left()


@pytest.mark.parametrize("name", ["random_1", "site_floor_2"])
def test_where_even_the_lp_would_outlast_the_limit_the_search_has_both_cores(name, monkeypatch):
    # as at L (its LP estimated at 518 s of a 300 s limit; HiGHS alone finds no plan in
    # 324 s): HiGHS's whole-model worker is not started, the Run sheet says why, and the
    # search with the priced bound still reaches the optimum of a plain HiGHS solve
    monkeypatch.setattr(strategy, "SEARCH_MIN_COLUMNS", 0)
    monkeypatch.setattr(strategy, "slow_lp", lambda problem, seconds, share=0.65: True)
    d, mm, plain, _, _ = search_case(name)
    d.policy["mip_gap"] = 1e-9
    run = solve_array(d, mm)
    assert run.workers == ["kernel search"]
    assert any(n.startswith("HiGHS on the whole model: not run") for n in run.notes), run.notes
    assert run.outcome.objective == pytest.approx(plain.objective, abs=1e-6)
    assert no_children_left()


def search_case(name):
    """A case's model data and matrix, its optimum by a plain HiGHS solve, its Problem,
    and the binaries a restricted MIP may leave out (every firm's pairs)."""
    d = model_data(CASES[name])
    mm = build_matrix(d)
    plain, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    problem = Problem.of(mm)
    candidates = np.zeros(mm.n_cols, dtype=bool)
    candidates[list(mm.b_inc.values()) + list(mm.b_prod.values())] = True
    return d, mm, plain, problem, candidates


@pytest.mark.parametrize("name", ["random_1", "random_4", "site_floor_2", "gap_c0515_1"])
def test_kernel_search_alone_reaches_the_optimum_on_small_instances(name):
    # LP, kernel, then buckets of the rest: on a small model one bucket holds every
    # remaining column, so its restricted MIP is the whole model
    _, _, plain, problem, candidates = search_case(name)
    w = Worker("test-search")
    try:
        task = w.start(
            "search",
            problem=problem,
            candidates=candidates,
            start=None,
            mip_gap=1e-9,
            time_limit_s=30,
        )
        plans, done, t0 = [], None, time.perf_counter()
        while done is None and time.perf_counter() - t0 < 40:
            for kind, t, *data in w.wait(1.0):
                assert t == task
                if kind == "plan":
                    plans.append(data[0])
                    assert problem.feasible(data[1])
                    assert problem.objective(data[1]) == pytest.approx(data[0])
                elif kind in ("done", "error"):
                    done = data[0]
        assert isinstance(done, dict), done
        assert plans == sorted(plans)  # each plan sent improves on the last
        assert plans[-1] == pytest.approx(plain.objective, abs=1e-6)
    finally:
        w.close()
    assert no_children_left()


def m_sized():
    """A 2,000-firm generated package (HiGHS needs ~30 s before its first callback)."""
    return model_data(generate_tables(2000, 60, 80, 12, 7))


def test_a_solve_stopped_at_its_deadline_keeps_its_best_plan_and_leaves_no_process():
    d = m_sized()
    d.policy["time_limit_s"] = 120  # both workers, as at M12 (a 4 s limit would leave HiGHS
    # out: the LP would be too slow for it); the solve is cut short at 4 s by its deadline
    mm = build_matrix(d)
    t0 = time.perf_counter()
    run = solve_array(d, mm, deadline=t0 + 4)
    assert run.workers == ["HiGHS", "kernel search"]
    took = time.perf_counter() - t0
    # HiGHS is still in its presolve or root LP, which ignore interrupts: it is killed;
    # the search worker (cores) may have improved on the greedy start meanwhile
    assert took <= 4 + strategy.GRACE_S + 2.0, took
    assert run.outcome.status == "feasible" and run.outcome.objective >= run.greedy - 1e-6
    assert run.x is not None and "not proven optimal" in run.outcome.message
    assert no_children_left()


def test_plans_streamed_before_the_stop_are_kept():
    # Holmberg p56: HiGHS finds improving plans within a second or two and needs about
    # 25 s to prove the optimum; stopped after 3 s it must report the best plan it sent
    inst = bi.parse_holmberg(bi.holmberg_path("p56"))
    d = model_data(bi.sscflp_tables(inst, time_limit_s=3))
    mm = build_matrix(d)
    run = solve_array(d, mm)
    assert run.outcome.status in ("feasible", "optimal")
    assert run.source == "HiGHS"  # the reported plan is one HiGHS streamed, not the start
    assert run.outcome.objective <= -bi.HOLMBERG_OPTIMA["p56"] + 1e-6
    assert no_children_left()


def test_ctrl_c_stops_the_solve_with_its_best_plan_and_no_process_left(ctrl_c):
    d = m_sized()
    d.policy["time_limit_s"] = 60
    mm = build_matrix(d)
    timer = threading.Timer(2.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(Interrupted) as stop:
        solve_array(d, mm)
    timer.cancel()
    assert time.perf_counter() - t0 < 10
    partial = stop.value.partial
    assert (
        partial.x is not None
        and partial.outcome.objective == pytest.approx(partial.start, abs=1e-6)
    ) or partial.outcome.objective > partial.start
    assert no_children_left()


def test_a_pool_serves_package_after_package_and_replaces_a_killed_worker():
    with Pool() as pool:
        first = pool.get("highs")
        d = model_data(random_case(5))
        mm = build_matrix(d)
        a = solve_array(d, mm, pool=pool)
        assert pool.get("highs") is first  # reused
        first.kill()
        b = solve_array(d, mm, pool=pool)
        assert pool.get("highs") is not first
        assert a.outcome.objective == pytest.approx(b.outcome.objective, abs=1e-6)
    assert no_children_left()


class LateLP:
    """What a search task sees of the parent, in-process: the LP relaxation, solved by
    the other worker, arrives after `after` polls; everything sent is recorded."""

    def __init__(self, lp, after):
        self.stopped, self.offered, self.lp, self.lp_elsewhere = False, [], None, False
        self.sent, self.polls, self.late, self.after = [], 0, lp, after

    def poll(self):
        self.polls += 1
        if self.polls == self.after:
            self.lp, self.lp_elsewhere = self.late, True

    def send(self, kind, *data):
        self.sent.append((kind, *data))


def test_kernel_search_switches_from_cores_to_the_lp_when_it_arrives_late(monkeypatch):
    # the search worker's own LP gives up (as dual simplex did at capa-8000 after 78 s);
    # it solves cores, and when the other worker's interior point delivers the LP it
    # starts the kernel search from that LP, which reaches the optimum
    from optimizer.solver import kernel
    from optimizer.solver.core import core_masks
    from optimizer.solver.highs import to_highs

    d, mm, plain, problem, candidates = search_case("random_1")
    h = to_highs(problem)
    h.setOptionValue("solve_relaxation", True)
    h.run()
    sol = h.getSolution()
    lp = (h.getInfo().objective_function_value, np.array(sol.col_value), np.array(sol.col_dual))
    monkeypatch.setattr(kernel, "lp_relaxation", lambda s, seconds: None)
    channel = LateLP(lp, after=3)
    kernel.search(channel, problem, candidates, None, 1e-9, 30, cores=core_masks(d, mm, None))
    notes = [data[0] for kind, *data in channel.sent if kind == "note"]
    assert any("kernel search from it" in n for n in notes), notes
    assert any(n.startswith("kernel of ") for n in notes), notes
    done = [data[0] for kind, *data in channel.sent if kind == "done"]
    assert done and done[0]["value"] == pytest.approx(plain.objective, abs=1e-6)


def test_the_reading_of_the_workbook_counts_against_the_first_packages_limit():
    # time_limit_s 60: after 10 s of reading, 50 s are left for model, starts and solve;
    # after 100 s of reading, at most half the limit (30 s) is taken, so the solve still
    # gets 30 s; under half a second nothing is said
    from types import SimpleNamespace

    from optimizer.packages import time_limit

    d = SimpleNamespace(policy={"time_limit_s": 60.0})
    notes = []
    assert time_limit(d, SimpleNamespace(spent_s=10.0), notes) == 50.0
    assert notes == ["time limit: 10.0 s of the 60 s went to reading the workbook"]
    assert time_limit(d, SimpleNamespace(spent_s=100.0), []) == 30.0
    quiet = []
    assert time_limit(d, SimpleNamespace(spent_s=0.2), quiet) == pytest.approx(59.8)
    assert quiet == []


def test_only_the_first_generation_of_packages_waits_for_the_reading(monkeypatch):
    # the example's baseline is solved first and is charged for the reading of the
    # workbook; single_centre, its child, solved after it, has its whole limit
    import optimizer.packages as packages
    from optimizer.app import RunOptions, run_workbook

    charged = []
    real = packages.time_limit

    def spy(d, options, notes):
        charged.append(options.spent_s)
        return real(d, options, notes)

    monkeypatch.setattr(packages, "time_limit", spy)
    run_workbook(EXAMPLE, RunOptions(scenarios=["baseline", "single_centre"], workers=1))
    assert len(charged) == 2 and charged[0] > 0 and charged[1] == 0.0, charged


@pytest.mark.parametrize("name", ["random_1", "site_floor_2"])
def test_where_the_whole_lp_is_too_slow_the_largest_cores_lp_guides_the_search(name, monkeypatch):
    # as at L, where neither LP algorithm finishes in the limit: the first core, then
    # the LP of the largest core (each firm's best parks and zones) gives the kernel and
    # ranks the columns it left out by reduced cost; buckets of those reach the optimum
    from optimizer.solver import core, kernel

    monkeypatch.setattr(core, "K_SITES", 1)  # cores of each firm's best park and zone,
    monkeypatch.setattr(core, "K_LOCATIONS", 1)  # so that they leave pairs out
    monkeypatch.setattr(kernel, "slow_lp", lambda problem, seconds: True)
    monkeypatch.setattr(kernel, "lp_relaxation", lambda s, seconds: pytest.fail("whole LP"))
    d, mm, plain, problem, candidates = search_case(name)
    cores = core.core_masks(d, mm, None)
    assert (candidates & ~cores[-1]).any()
    channel = LateLP(None, after=0)
    kernel.search(channel, problem, candidates, None, 1e-9, 30, cores=cores)
    notes = [data[0] for kind, *data in channel.sent if kind == "note"]
    assert any(n.startswith("LP of the largest core") for n in notes), notes
    done = [data[0] for kind, *data in channel.sent if kind == "done"]
    assert done and done[0]["value"] == pytest.approx(plain.objective, abs=1e-6)
