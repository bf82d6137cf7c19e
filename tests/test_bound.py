"""The priced (Lagrangian) bound of `bound.py` is an upper bound on every plan's welfare,
whatever the prices; good prices make it tight; it is used only where HiGHS has none
better."""

import numpy as np
import pytest
from cases import equivalence_cases, rows

from optimizer.app import tables_from_rows
from optimizer.data.model_data import from_tables
from optimizer.model.matrix import build_matrix
from optimizer.solve import bound
from optimizer.solve.highs import solve_matrix, to_highs
from optimizer.solve.outcome import FEASIBLE, OPTIMAL, SolveOutcome

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


def test_tighten_uses_the_lower_bound_and_says_so():
    plan = SolveOutcome(
        FEASIBLE,
        "feasible, not proven optimal: gap unknown after the time limit",
        90.0,
        None,
        None,
        1.0,
        "kTimeLimit",
    )
    # 90 mcny plan, bound 100: gap (100 - 90) / 90 = 11.11%
    out = bound.tighten(plan, 100.0, 0.01)
    assert (out.status, out.bound) == (FEASIBLE, 100.0)
    assert out.mip_gap == pytest.approx(10 / 90)
    assert "gap 11.11% against the priced bound (100.000 mcny)" in out.message
    # HiGHS's own bound is lower: kept
    highs = SolveOutcome(FEASIBLE, "m", 90.0, 95.0, 5 / 90, 1.0, "kTimeLimit")
    assert bound.tighten(highs, 100.0, 0.01) is highs
    # within the tolerance: proven optimal by the priced bound (90.5 - 90) / 90 = 0.56%
    proven = bound.tighten(plan, 90.5, 0.01)
    assert proven.status == OPTIMAL and "0.56%" in proven.message
    assert bound.tighten(plan, None, 0.01) is plan


def test_only_large_models_get_a_priced_bound_and_the_run_sheet_says_what_it_was(monkeypatch):
    from optimizer.app import RunOptions, solve_tables

    d = from_tables(tables_from_rows(rows()))
    mm = build_matrix(d)
    assert bound.bound_for_large(d, mm, None) == (None, "")
    monkeypatch.setattr(bound, "BOUND_MIN_COLUMNS", 0)
    lines = []
    report = solve_tables(tables_from_rows(rows()), RunOptions(log=lines.append))
    (result,) = report.results
    # TWO_REGIONS: optimum 48 mcny (worked out in test_end_to_end); HiGHS proves it, and
    # its bound (48) is lower than the priced one, which is at least 48
    assert result.outcome.status == OPTIMAL
    assert result.outcome.objective == pytest.approx(48.0, abs=1e-6)
    note = result.summary["priced_bound"]
    assert note.startswith("bound ") and "from priced limits" in note
    assert float(note.split()[1].replace(",", "")) >= 48.0 - 1e-6
    assert any(line.startswith("    upper bound: bound ") for line in lines)
