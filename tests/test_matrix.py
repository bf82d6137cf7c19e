"""The array model handed to HiGHS (`matrix.py`) is the Pyomo reference model: same rows,
same optimum, same limits' marginal values, on every kind of test instance."""

import pytest

import benchmark_instances as bi
from cases import rows
from optimizer.data.model_data import from_tables
from optimizer.analysis.limits import matrix_duals, pyomo_duals
from optimizer.model.matrix import build_matrix
from optimizer.model import build_model
from optimizer.report.tables import decisions_of
from optimizer.app import tables_from_rows
from optimizer.solve.pyomo_engine import solve_model
from optimizer.solve.highs import solve_matrix, values_of
from test_invariants import random_case
import pyomo.environ as pyo


def with_policy(data, **policy):
    data = dict(data)
    data["Policy"] = list(data.get("Policy", [])) + [{"parameter": k, "value": v}
                                                     for k, v in policy.items()]
    return data


CASES = {
    "two_regions": rows(),
    "equity_caps": with_policy(rows(), min_developing_share=0.7, max_sites_per_sponsor=1,
                               max_enclaves_per_host=1, provincial_fund_mcny=3),
    **{f"random_{s}": random_case(s) for s in range(6)},
    "random_equity": with_policy(random_case(11), min_developing_share=0.8),
}
if bi.available():
    CASES["holmberg_p1"] = bi.sscflp_tables(bi.parse_holmberg(bi.holmberg_path("p1")))
    CASES["gap_c0515_1"] = bi.gap_tables(bi.parse_gap(bi.gap_path("c0515_1")))


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_model_equals_pyomo_model(name):
    d = from_tables(tables_from_rows(CASES[name]))
    m = build_model(d)
    mm = build_matrix(d)
    rows_pyomo = sum(1 for c in m.component_data_objects(pyo.Constraint, active=True))
    assert len(mm.row_lower) == rows_pyomo
    assert mm.n_cols == sum(1 for _ in m.component_data_objects(pyo.Var))
    a = solve_model(m, mip_gap=1e-9, time_limit_s=60)
    b, x = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    assert a.status == b.status
    if a.has_plan:
        assert b.objective == pytest.approx(a.objective, abs=1e-6)
        # limits' marginal values agree wherever the plans agree
        if decisions_of(m) == x:
            pd_, md = pyomo_duals(m), matrix_duals(mm, values_of(mm, x))
            assert set(pd_) == set(md)
            for key in pd_:
                assert md[key] == pytest.approx(pd_[key], abs=1e-6), key


@pytest.mark.parametrize("name", sorted(CASES))
def test_greedy_start_is_a_feasible_plan_no_better_than_the_optimum(name):
    from optimizer.solve.highs import residual
    from optimizer.solve.greedy import greedy_plan
    import numpy as np
    d = from_tables(tables_from_rows(CASES[name]))
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    out, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    if start is None:  # allowed (e.g. an equity floor the greedy order misses)
        return
    assert residual(mm, start) is None
    assert float(np.dot(mm.col_cost, start)) <= out.objective + 1e-6


def pyomo_rows(m, mm):
    """Each active Pyomo constraint as (lower, upper, {column of mm: coefficient})."""
    from pyomo.repn import generate_standard_repn
    cols = {"b_open": mm.y, "b_inc": mm.x, "b_prod": mm.z, "v_trade": mm.t,
            "v_own_use": mm.u, "v_fund": mm.g}
    out = {}
    for con in m.component_data_objects(pyo.Constraint, active=True):
        repn = generate_standard_repn(con.body, compute_values=True)
        coefs = {}
        for var, c in zip(repn.linear_vars, repn.linear_coefs):
            col = cols[var.parent_component().local_name][var.index()]
            coefs[col] = coefs.get(col, 0.0) + c
        const = repn.constant or 0.0
        lower = pyo.value(con.lower) - const if con.has_lb() else -float("inf")
        upper = pyo.value(con.upper) - const if con.has_ub() else float("inf")
        out[con.parent_component().local_name, con.index()] = (
            lower, upper, {c: v for c, v in coefs.items() if v != 0})
    return out


def normalised(lower, upper, coefs):
    """A row scaled so that its first column's coefficient is +1 (rows are equal when one
    is a positive or negative multiple of the other, bounds included)."""
    first = coefs[min(coefs)]
    lo, up = lower / first, upper / first
    if first < 0:
        lo, up = up, lo
    return (lo, up, {c: v / first for c, v in coefs.items()})


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_model_has_the_pyomo_models_matrix(name):
    """Same columns (objective, bounds, integrality) and same rows, coefficient by
    coefficient, matched by name: the Pyomo variable b_inc[f,s] is the array column
    mm.x[f,s] and the constraint c_floor[s] is the row the array model files as
    ("c_floor", s)."""
    import numpy as np
    d = from_tables(tables_from_rows(CASES[name]))
    m, mm = build_model(d), build_matrix(d)
    # columns: objective coefficients and bounds
    from pyomo.repn import generate_standard_repn
    obj = next(m.component_data_objects(pyo.Objective, active=True))
    repn = generate_standard_repn(obj.expr, compute_values=True)
    cols = {"b_open": mm.y, "b_inc": mm.x, "b_prod": mm.z, "v_trade": mm.t,
            "v_own_use": mm.u, "v_fund": mm.g}
    cost = np.zeros(mm.n_cols)
    for var, c in zip(repn.linear_vars, repn.linear_coefs):
        cost[cols[var.parent_component().local_name][var.index()]] += c
    sign = 1.0 if obj.sense == pyo.maximize else -1.0
    assert np.allclose(sign * cost, np.array(mm.col_cost), atol=1e-9)
    for var in m.component_data_objects(pyo.Var):
        c = cols[var.parent_component().local_name][var.index()]
        assert mm.col_int[c] == int(var.is_binary())
    # rows
    expected = pyomo_rows(m, mm)
    rows, cols_, vals = mm.entries()
    got = {}
    for r, key in enumerate(mm.row_family):
        mine = rows == r
        got[key] = (mm.row_lower[r], mm.row_upper[r],
                    dict(zip(cols_[mine].tolist(), vals[mine].tolist())))
    assert set(got) == set(expected)
    for key, (lo, up, coefs) in expected.items():
        if not coefs:  # a row without variables (an infeasible must-place) has bounds only
            assert not got[key][2], key
            continue
        a, b = normalised(*got[key]), normalised(lo, up, coefs)
        assert set(a[2]) == set(b[2]), key
        for c in a[2]:
            assert a[2][c] == pytest.approx(b[2][c], rel=1e-12, abs=1e-12), (key, c)
        assert (a[0], a[1]) == (pytest.approx(b[0], abs=1e-9), pytest.approx(b[1], abs=1e-9)), key


def test_a_start_never_hides_a_better_optimum():
    # random case 123: HiGHS 1.16, given the greedy plan (2.275 mcny) as its start, reports
    # "optimal, 7.529 mcny" but hands back the start's values; solve_matrix must notice and
    # return the plan HiGHS found without a start
    import numpy as np
    from optimizer.solve.greedy import greedy_plan
    d = from_tables(tables_from_rows(random_case(123)))
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    cold, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    warm, x = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60, start_values=start)
    assert float(np.dot(mm.col_cost, start)) < cold.objective - 1  # the start is worse
    assert warm.objective == pytest.approx(cold.objective, abs=1e-6)
    assert float(np.dot(mm.col_cost, values_of(mm, x))) == pytest.approx(cold.objective,
                                                                          abs=1e-6)
