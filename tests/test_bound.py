"""The priced (Lagrangian) bound of `bound.py` is an upper bound on every plan's welfare,
whatever the prices; good prices make it tight; it is used only where HiGHS has none
better."""

import numpy as np
import pytest
from cases import equivalence_cases, rows

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.model.matrix import build_matrix
from optimizer.solver import bound
from optimizer.solver.highs import solve_matrix, to_highs
from optimizer.solver.outcome import FEASIBLE, OPTIMAL

CASES = equivalence_cases()


def model(name):
    d = from_tables(tables_from_rows(CASES[name]))
    return d, build_matrix(d)


def lp_relaxation(mm):
    h = to_highs(mm)
    h.setOptionValue("solve_relaxation", True)
    h.run()
    return h.getInfo().objective_function_value, np.array(h.getSolution().row_dual)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_price_vector_bounds_the_optimum(name):
    d, mm = model(name)
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    lp, duals = lp_relaxation(mm)
    pm = bound.PricedModel(d, mm)
    # at the LP relaxation's prices, the bound is that relaxation's value or a little
    # above (a firm may use one zone for two parks: z <= 1 is not among the kept rows)
    at_lp, _ = pm.evaluate(duals)
    assert at_lp >= lp - 1e-6
    rng = np.random.default_rng(7)
    for scale in (0.0, 0.1, 1.0, 10.0):  # any prices, any signs: still a bound (or none)
        prices = duals + scale * rng.normal(size=len(duals))
        value, _ = pm.evaluate(prices)
        assert value is None or value >= best.objective - 1e-6, scale
    found, _ = bound.lagrangian_bound(d, mm, best.objective)
    assert found is not None and found >= best.objective - 1e-6


@pytest.mark.parametrize("name", ["two_regions", "random_1", "random_4", "equity_caps"])
def test_at_the_lp_prices_the_bound_is_the_lp_value_where_no_zone_is_shared(name):
    # in these cases no firm has two parks of one sponsor worth using (checked: the
    # bound at the LP's prices equals the LP's value, so the kept rows are solved exactly)
    d, mm = model(name)
    lp, duals = lp_relaxation(mm)
    value, _ = bound.PricedModel(d, mm).evaluate(duals)
    assert value == pytest.approx(lp, abs=1e-6)


def test_subgradient_steps_lower_the_bound():
    d, mm = model("random_2")
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    first, _ = bound.PricedModel(d, mm).evaluate(np.zeros(len(mm.row_lower)))
    found, note = bound.lagrangian_bound(d, mm, best.objective)
    assert best.objective - 1e-6 <= found < first - 1.0
    assert "subgradient steps" in note


def test_the_best_bound_is_the_lowest_valid_one_and_the_gap_is_measured_against_it():
    from optimizer.solver.incumbent import Best, verdict
    from optimizer.solver.problem import Problem

    _d, mm = model("two_regions")
    best = Best(Problem.of(mm))
    _out, x = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)  # 48 mcny
    from optimizer.model.plan import values_of

    assert best.offer(values_of(mm, x), "HiGHS")
    best.tighten("the priced bound", 60.0)
    best.tighten("LP relaxation", 52.0)
    best.tighten("LP relaxation", 55.0)  # a looser bound of the same source is ignored
    assert best.bound() == (52.0, "LP relaxation")
    # 48 mcny plan, bound 52: gap (52 - 48) / 48 = 8.33%
    o = verdict(best, {}, 0.01, 1.0)
    assert (o.status, o.bound) == (FEASIBLE, 52.0) and o.mip_gap == pytest.approx(4 / 48)
    assert "gap 8.33% against LP relaxation" in o.message
    # within the tolerance: optimal, by whichever bound proves it (48.2 - 48) / 48 = 0.42%
    best.tighten("HiGHS's bound", 48.2)
    assert verdict(best, {}, 0.005, 1.0).status == OPTIMAL
    assert verdict(best, {}, 0.001, 1.0).status == FEASIBLE


def test_a_model_whose_lp_is_too_slow_gets_the_priced_bound_and_the_run_sheet_says_so(
    monkeypatch,
):
    from optimizer.app import RunOptions, solve_tables
    from optimizer.solver import kernel, strategy

    monkeypatch.setattr(strategy, "SEARCH_MIN_COLUMNS", 0)  # kernel search on this tiny model
    monkeypatch.setattr(kernel, "NNZ_PER_LP_SECOND", 1e-3)  # ... whose LP "would take hours"
    data = rows()
    data["Policy"] = [
        {"parameter": "mip_gap", "value": 1e-9},
        {"parameter": "time_limit_s", "value": 10},
    ]
    report = solve_tables(tables_from_rows(data), RunOptions())
    (result,) = report.results
    # TWO_REGIONS: optimum 48 mcny (worked out in test_end_to_end)
    assert result.outcome.objective == pytest.approx(48.0, abs=1e-6)
    notes = result.summary["solver_notes"]
    priced = [n for n in notes if "from priced limits" in n]
    assert len(priced) == 1 and "subgradient steps" in priced[0]
    assert float(priced[0].split()[1].replace(",", "")) >= 48.0 - 1e-6  # a valid bound
    from optimizer.report.workbook import run_rows

    run = {r["item"]: r["value"] for r in run_rows(report)}
    assert run["scenario baseline: solver"] == priced[0]
    assert run["scenario baseline: bound the gap is measured against"]  # which bound, its value


def test_prices_carried_from_an_earlier_package_start_the_steps_there():
    d, mm = model("random_2")
    best, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    first = bound.Subgradient(d, mm)
    first.target = best.objective
    for _ in range(200):
        first.step()
    again = bound.Subgradient(d, mm, first.prices())
    assert again.best == pytest.approx(first.best, rel=1e-9)  # starts where the first ended
    assert again.best < bound.Subgradient(d, mm).best - 1.0
