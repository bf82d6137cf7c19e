"""The core (`core.py`): the model restricted to each firm's most promising pairs gives plans
of the whole model, keeps what it says it keeps, and is only used on large models."""

import itertools

import numpy as np
import pytest
from cases import equivalence_cases

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.model.matrix import build_matrix
from optimizer.solver import core
from optimizer.solver.greedy import greedy_plan
from optimizer.solver.highs import residual, run, set_start, solve_matrix, to_highs
from optimizer.solver.problem import Problem

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


def core_plan(d, mm, mask, start):
    """The best plan of the model restricted to the core `mask` (and every column that is
    not a firm's pair), started from `start`, as columns of the whole model."""
    problem = Problem.of(mm)
    keep = mask.copy()
    keep[
        list(mm.b_open.values())
        + list(mm.v_trade.values())
        + list(mm.v_own_use.values())
        + list(mm.v_fund.values())
    ] = True
    if start is not None:
        keep |= start > 0.5
    sub, cols = problem.restrict(keep)
    h = to_highs(sub, mip_gap=1e-9, time_limit_s=30)
    if start is not None:
        set_start(h, start[cols])
    _solved, found, values = run(h)
    if not found:
        return None
    plan = np.zeros(mm.n_cols)
    plan[cols] = values
    ints = mm.col_int.astype(bool)
    plan[ints] = np.round(plan[ints])
    return plan


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_narrow_core_plan_is_a_plan_of_the_whole_model_no_better_than_the_optimum(
    name, monkeypatch
):
    monkeypatch.setattr(core, "K_SITES", 1)
    monkeypatch.setattr(core, "K_LOCATIONS", 1)
    d, mm = model(name)
    start = greedy_plan(d, mm)
    (mask, *_) = core.core_masks(d, mm, start)
    plan = core_plan(d, mm, mask, start)
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
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
    (mask,) = core.core_masks(d, mm, None)  # 500 firms at first: every firm worth placing
    plan = core_plan(d, mm, mask, None)
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    assert float(np.dot(mm.col_cost, plan)) == pytest.approx(best.objective, abs=1e-6)


def test_cores_double_until_one_holds_every_firm(monkeypatch):
    monkeypatch.setattr(core, "FIRST_FIRMS", 1)
    d, mm = model("random_0")  # 7 firms: cores of 1, 2, 4 and 8 (all) firms
    masks = core.core_masks(d, mm, None)
    assert len(masks) == 4
    firms = [{f for (f, _), c in mm.b_inc.items() if m[c]} for m in masks]
    assert [len(f) for f in firms[:3]] == [1, 2, 4] and all(
        a <= b for a, b in itertools.pairwise(firms)
    )


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
