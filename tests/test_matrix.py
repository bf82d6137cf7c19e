"""The array model handed to HiGHS (`matrix.py`) is the Pyomo reference model: same rows,
same optimum, same limits' marginal values, on every kind of test instance."""

import pytest

import benchmark_instances as bi
from cases import rows
from optimizer.data import from_tables
from optimizer.limits import matrix_duals, pyomo_duals
from optimizer.matrix import build_matrix
from optimizer.model import build_model
from optimizer.results import decisions_of
from optimizer.run import tables_from_rows
from optimizer.solve import solve_model
from optimizer.solve_direct import solve_matrix, values_of
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
    from optimizer.solve_direct import residual
    from optimizer.warmstart import greedy_plan
    import numpy as np
    d = from_tables(tables_from_rows(CASES[name]))
    mm = build_matrix(d)
    start = greedy_plan(d, mm)
    out, _ = solve_matrix(mm, mip_gap=1e-9, time_limit_s=60)
    if start is None:  # allowed (e.g. an equity floor the greedy order misses)
        return
    assert residual(mm, start) is None
    assert float(np.dot(mm.col_cost, start)) <= out.objective + 1e-6
