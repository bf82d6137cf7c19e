"""The core (`core.py`): the model restricted to each firm's most promising pairs gives plans
of the whole model, keeps what it says it keeps, and is only used on large models."""

import re

import numpy as np
import pytest
from cases import equivalence_cases, rows

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.model.matrix import build_matrix
from optimizer.solve import core
from optimizer.solve.greedy import greedy_plan
from optimizer.solve.highs import residual, solve_matrix

CASES = equivalence_cases()


def model(name):
    d = from_tables(tables_from_rows(CASES[name]))
    return d, build_matrix(d)


@pytest.mark.parametrize("name", ["two_regions", "equity_caps", "random_0", "random_3"])
def test_restricted_to_every_pair_is_the_whole_model(name):
    d, mm = model(name)
    sub = build_matrix(d, (list(mm.b_inc), list(mm.b_prod)))
    assert sub.n_cols == mm.n_cols and sub.row_family == mm.row_family
    assert list(sub.col_cost) == list(mm.col_cost)
    for a, b in zip(sub.entries(), mm.entries()):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_narrow_core_plan_is_a_plan_of_the_whole_model_no_better_than_the_optimum(
    name, monkeypatch
):
    monkeypatch.setattr(core, "K_SITES", 1)
    monkeypatch.setattr(core, "K_LOCATIONS", 1)
    d, mm = model(name)
    start = greedy_plan(d, mm)
    plan, what, _ = core.core_plan(d, mm, 30, start)
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    assert what.startswith("core of ")
    # one park per firm misses every plan of the assignment problem (each job must go to
    # the agent with room for it); everywhere else the narrow core has a plan
    assert (plan is None) == (name == "gap_c0515_1")
    if plan is None:
        return
    assert residual(mm, plan) is None
    value = float(np.dot(mm.col_cost, plan))
    assert value <= best.objective + 1e-6
    if start is not None:  # the greedy plan is a plan of the core: never worse than it
        assert value >= float(np.dot(mm.col_cost, start)) - 1e-6


@pytest.mark.parametrize("name", ["two_regions", "random_1", "random_4"])
def test_a_core_of_every_pair_reaches_the_optimum(name, monkeypatch):
    monkeypatch.setattr(core, "K_SITES", 10**6)
    monkeypatch.setattr(core, "K_LOCATIONS", 10**6)
    d, mm = model(name)
    d.policy["mip_gap"] = 1e-9
    plan, _, solved = core.core_plan(d, mm, 60, max_firms=10**6)
    assert solved
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    assert float(np.dot(mm.col_cost, plan)) == pytest.approx(best.objective, abs=1e-6)


def test_the_core_keeps_the_best_park_of_the_most_valuable_firms(monkeypatch):
    monkeypatch.setattr(core, "K_SITES", 1)
    d, mm = model("random_2")
    cost = mm.col_cost
    # each firm's worth at its best pair: best x coefficient + best z coefficient
    best = {
        f: max(cost[c] for (g, _), c in mm.b_inc.items() if g == f)
        + max(cost[c] for (g, _), c in mm.b_prod.items() if g == f)
        for f in {f for f, _ in mm.b_inc} & {f for f, _ in mm.b_prod}
    }
    top = max(best, key=best.get)
    inc, prod = core.core_pairs(d, mm, None, max_firms=1)
    best_park = max((s for g, s in mm.b_inc if g == top), key=lambda s: cost[mm.b_inc[top, s]])
    assert inc == [(top, best_park)]
    assert prod and {f for f, _ in prod} == {top}


def test_the_greedy_plans_pairs_stay_in_the_core(monkeypatch):
    d, mm = model("random_5")
    start = greedy_plan(d, mm)
    assert start is not None
    inc, prod = core.core_pairs(d, mm, start, max_firms=0)
    assert set(inc) == {k for k, c in mm.b_inc.items() if start[c] > 0.5}
    assert set(prod) == {k for k, c in mm.b_prod.items() if start[c] > 0.5}


def test_small_models_skip_the_core_and_large_ones_say_what_it_gave(monkeypatch):
    d = from_tables(tables_from_rows(rows()))
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    assert core.improve_start(d, mm, start, None) == (start, "")
    monkeypatch.setattr(core, "CORE_MIN_COLUMNS", 0)
    plan, note = core.improve_start(d, mm, start, None)
    # two firms: the first core (500 firms) holds them all, so it is the only one
    assert note.startswith("core of 2 firms (") and note.count("core of") == 1
    assert "plan handed to HiGHS: " in note
    assert residual(mm, plan) is None


def test_a_scenario_solve_reports_the_core_and_keeps_the_optimum(monkeypatch):
    # TWO_REGIONS (worked out in test_end_to_end): optimum 48 mcny
    from optimizer.app import RunOptions, solve_tables

    monkeypatch.setattr(core, "CORE_MIN_COLUMNS", 0)
    lines = []
    report = solve_tables(tables_from_rows(rows()), RunOptions(log=lines.append))
    (result,) = report.results
    assert result.outcome.objective == pytest.approx(48.0, abs=1e-6)
    assert "; core of " in result.summary["warm_start"]
    assert any("warm start: core of " in line for line in lines)


def test_cores_grow_while_they_are_solved_and_the_best_plan_is_kept(monkeypatch):
    monkeypatch.setattr(core, "CORE_MIN_COLUMNS", 0)
    monkeypatch.setattr(core, "FIRST_FIRMS", 1)
    d, mm = model("random_0")
    n = len(d.firms)
    plan, note = core.improve_start(d, mm, None, None)
    rounds = re.findall(r"core of ([\d,]+) firms \([^)]*\): ([\d,.-]+) mcny", note)
    # 1, 2, 4, ... firms until a core holds every firm (each solved in no time)
    expected = [min(2**k, n) for k in range((n - 1).bit_length() + 1)]
    assert [int(a.replace(",", "")) for a, _ in rounds] == expected
    values = [float(v.replace(",", "")) for _, v in rounds]
    assert values == sorted(values)  # each core starts from the best plan so far
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    assert float(np.dot(mm.col_cost, plan)) == pytest.approx(values[-1], abs=1e-3)
    assert values[-1] <= best.objective + 1e-6
