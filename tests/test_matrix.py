"""The array model (`model/matrix.py`, assembled from the family records) is the Pyomo form
(`model/pyomo_form.py`, written independently and compiled by Pyomo's own standard-form
compiler): same columns, same rows coefficient by coefficient, same optimum and the same
marginal values of every limit at the same plan, on every kind of test instance."""

import numpy as np
import pytest
from cases import equivalence_cases, random_case
from solving import matrix, model_data

from optimizer.analysis.limits import matrix_duals
from optimizer.model import build_matrix
from optimizer.model.columns import VARIABLES
from optimizer.model.plan import values_of
from optimizer.solver.greedy import greedy_plan
from optimizer.solver.highs import residual, solve_matrix

CASES = equivalence_cases()
# where the greedy order cannot find a plan meeting every limit (the test below asserts
# these are exactly the cases without a greedy plan)
NO_GREEDY_PLAN = {"random_equity", "gap_c0515_1"}


def rows_by_name(mm):
    """(family, index) -> (lower, upper, {column key: coefficient})."""
    keys = {c: (var.name, k) for var in VARIABLES for k, c in mm.block(var.name).items()}
    rows, cols, vals = mm.entries()
    out = {key: (mm.row_lower[i], mm.row_upper[i], {}) for i, key in enumerate(mm.row_family)}
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist()):
        coefs = out[mm.row_family[r]][2]
        coefs[keys[c]] = coefs.get(keys[c], 0.0) + v
    return {k: (lo, up, {c: v for c, v in t.items() if v != 0}) for k, (lo, up, t) in out.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_model_has_the_pyomo_forms_matrix(name):
    """Columns matched by variable and index (b_inc[f, s] in both), rows by family and
    index (c_floor[s] in both): the same objective coefficient, bounds and integrality of
    every column, and the same bounds and coefficients of every row, unscaled."""
    d = model_data(CASES[name])
    a, b = build_matrix(d), matrix(d, "pyomo")
    assert a.n_cols == b.n_cols and a.n_rows == b.n_rows
    for var in VARIABLES:
        assert set(a.block(var.name)) == set(b.block(var.name)), var.name
        for key, col in a.block(var.name).items():
            other = b.block(var.name)[key]
            assert a.col_cost[col] == pytest.approx(b.col_cost[other], rel=1e-12, abs=1e-12), (
                var.name,
                key,
            )
            assert (a.col_lower[col], a.col_upper[col], a.col_int[col]) == (
                b.col_lower[other],
                b.col_upper[other],
                b.col_int[other],
            ), (var.name, key)
    ra, rb = rows_by_name(a), rows_by_name(b)
    assert set(ra) == set(rb)
    for key, (lo, up, coefs) in ra.items():
        lo_b, up_b, coefs_b = rb[key]
        assert (lo, up) == (pytest.approx(lo_b, abs=1e-9), pytest.approx(up_b, abs=1e-9)), key
        assert set(coefs) == set(coefs_b), key
        for c, v in coefs.items():
            assert v == pytest.approx(coefs_b[c], rel=1e-12, abs=1e-12), (key, c)


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_forms_reach_the_same_optimum_and_price_the_limits_alike(name):
    d = model_data(CASES[name])
    a, b = build_matrix(d), matrix(d, "pyomo")
    out_a, x = solve_matrix(a, mip_gap=1e-9, time_limit_s=60)
    out_b, _ = solve_matrix(b, mip_gap=1e-9, time_limit_s=60)
    assert out_a.status == out_b.status == "optimal"
    assert out_b.objective == pytest.approx(out_a.objective, abs=1e-6)
    # the marginal values of every limit at the same plan (the array model's), in both
    da, db = matrix_duals(a, values_of(a, x)), matrix_duals(b, values_of(b, x))
    assert set(da) == set(db) and da
    for key in da:
        assert db[key] == pytest.approx(da[key], abs=1e-6), key


@pytest.mark.parametrize("name", sorted(CASES))
def test_greedy_start_is_a_feasible_plan_no_better_than_the_optimum(name):
    d = model_data(CASES[name])
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    assert (start is None) == (name in NO_GREEDY_PLAN)
    if start is not None:
        out, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
        assert residual(mm, start) is None
        assert float(np.dot(mm.col_cost, start)) <= out.objective + 1e-6


def test_a_start_never_hides_a_better_optimum():
    # random case 123: HiGHS 1.16, given the greedy plan (2.275 mcny) as its start, reports
    # "optimal, 7.529 mcny" but hands back the start's values; solve_matrix must notice and
    # return the plan HiGHS found without a start
    d = model_data(random_case(123))
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    cold, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    warm, x = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60, start_values=start)
    assert float(np.dot(mm.col_cost, start)) < cold.objective - 1  # the start is worse
    assert warm.objective == pytest.approx(cold.objective, abs=1e-6)
    assert float(np.dot(mm.col_cost, values_of(mm, x))) == pytest.approx(cold.objective, abs=1e-6)
