"""The benchmark parsers and encodings, checked without the optimizer.

The raw instances are solved directly with highspy's array API, so a wrong parse
(e.g. reading Holmberg customer-major) or a wrong table encoding shows up as a wrong
published optimum here, before any of our model code is involved.
"""

from __future__ import annotations

import benchmarks as bi
import numpy as np
import pytest

highspy = pytest.importorskip("highspy")


# --------------------------------------------------------------------------- a tiny MILP helper


def solve_binary(cost, rows, maximise=False, time_limit=30.0):
    """Solve max/min cost·x over binary x subject to rows (indices, values, lo, hi).

    Returns (model status string, objective value or None).
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("time_limit", time_limit)
    n = len(cost)
    inf = highspy.kHighsInf
    h.addCols(
        n,
        np.asarray(cost, dtype=float),
        np.zeros(n),
        np.ones(n),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=float),
    )
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    lo, hi, starts, idx, val = [], [], [], [], []
    for ind, vals, lb, ub in rows:
        starts.append(len(idx))
        idx.extend(ind)
        val.extend(vals)
        lo.append(-inf if lb is None else lb)
        hi.append(inf if ub is None else ub)
    h.addRows(
        len(lo),
        np.asarray(lo, dtype=float),
        np.asarray(hi, dtype=float),
        len(idx),
        np.asarray(starts, dtype=np.int32),
        np.asarray(idx, dtype=np.int32),
        np.asarray(val, dtype=float),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    obj = h.getInfo().objective_function_value if status == "Optimal" else None
    return status, obj


def solve_sscflp(inst, time_limit=30.0):
    """Strong single-source CFLP: columns y_j (J) then x_ji at J + j*I + i; minimise."""
    J, I = inst["J"], inst["I"]
    x = lambda j, i: J + j * I + i  # noqa: E731
    cost = list(inst["fixed"]) + [inst["cost"][j][i] for j in range(J) for i in range(I)]
    rows = []
    for i in range(I):  # sum_j x_ji = 1
        rows.append(([x(j, i) for j in range(J)], [1.0] * J, 1, 1))
    for j in range(J):  # sum_i d_i x_ji <= s_j y_j
        rows.append(
            (
                [x(j, i) for i in range(I)] + [j],
                list(inst["demand"]) + [-inst["capacity"][j]],
                None,
                0,
            )
        )
    for j in range(J):  # x_ji <= y_j
        for i in range(I):
            rows.append(([x(j, i), j], [1.0, -1.0], None, 0))
    return solve_binary(cost, rows, time_limit=time_limit)


def solve_gap(inst, maximise):
    """GAP: x_ij at i*n + j; each job once; sum_j a_ij x_ij <= b_i."""
    m, n = inst["m"], inst["n"]
    cost = [inst["cost"][i][j] for i in range(m) for j in range(n)]
    rows = [([i * n + j for i in range(m)], [1.0] * m, 1, 1) for j in range(n)]
    rows += [
        ([i * n + j for j in range(n)], inst["resource"][i], None, inst["capacity"][i])
        for i in range(m)
    ]
    return solve_binary(cost, rows, maximise=maximise)


def solve_tables(t):
    """The reduced model the tables describe (MODEL.md §3 with one region, no land, no
    production value): maximise sum SiteAffinity·x - setup·y subject to placement,
    linking, floor (per-pair floor need when given), open/closed status and budget.
    Independent of the optimizer package; it reads only the columns the reductions use.
    """
    sites = [s["site_id"] for s in t["Sites"]]
    firms = [f["firm_id"] for f in t["Firms"]]
    S = len(sites)
    sidx = {s: k for k, s in enumerate(sites)}
    fneed = {f["firm_id"]: f["floor_need_m2"] for f in t["Firms"]}
    pairs = [(a["firm_id"], a["site_id"]) for a in t["SiteAffinity"]]
    col = {p: S + k for k, p in enumerate(pairs)}
    cost = [-s["setup_cost_mcny"] for s in t["Sites"]] + [
        a["value_mcny"] for a in t["SiteAffinity"]
    ]
    need = {
        (a["firm_id"], a["site_id"]): a.get("floor_need_m2", fneed[a["firm_id"]])
        for a in t["SiteAffinity"]
    }
    rows = []
    for f in t["Firms"]:
        cols = [col[p] for p in pairs if p[0] == f["firm_id"]]
        lo = 1 if f.get("must_place", "no") == "yes" else None
        rows.append((cols, [1.0] * len(cols), lo, 1))
    for s in t["Sites"]:
        k = sidx[s["site_id"]]
        ps = [p for p in pairs if p[1] == s["site_id"]]
        rows.append(([col[p] for p in ps] + [k], [need[p] for p in ps] + [-s["floor_m2"]], None, 0))
        rows += [([col[p], k], [1.0, -1.0], None, 0) for p in ps]
        if s.get("status", "candidate") == "open":
            rows.append(([k], [1.0], 1, 1))
    budget = t["Regions"][0]["budget_mcny"]
    rows.append((list(range(S)), [s["setup_cost_mcny"] for s in t["Sites"]], None, budget))
    assert len(firms) == len(set(firms)) and len(pairs) == len(set(pairs))
    return solve_binary(cost, rows, maximise=True)


# --------------------------------------------------------------------------- (a) shapes and tokens


def test_holmberg_p1_shape_and_tokens():
    toks = bi.tokens(bi.holmberg_path("p1"))
    assert len(toks) == 2 + 2 * 10 + 50 + 10 * 50
    inst = bi.parse_holmberg(bi.holmberg_path("p1"))
    assert (inst["J"], inst["I"]) == (10, 50)
    assert len(inst["capacity"]) == len(inst["fixed"]) == 10
    assert len(inst["demand"]) == 50
    assert len(inst["cost"]) == 10 and all(len(r) == 50 for r in inst["cost"])
    assert (inst["capacity"][0], inst["fixed"][0]) == (258, 366)
    # facility-major: facility 1's 50 costs come straight after the demands
    first = 2 + 20 + 50
    assert inst["cost"][0] == [bi.num(x) for x in toks[first : first + 50]]
    assert inst["cost"][1][0] == bi.num(toks[first + 50])


@pytest.mark.parametrize("name", bi.HOLMBERG_SHIPPED)
def test_every_shipped_holmberg_file_parses(name):
    inst = bi.parse_holmberg(bi.holmberg_path(name))
    # p13/p41/p50 are CRLF; numbers like "260." must come out as ints
    assert all(isinstance(v, int) for v in inst["capacity"] + inst["fixed"] + inst["demand"])
    assert name in bi.HOLMBERG_OPTIMA
    assert sum(inst["capacity"]) >= sum(inst["demand"])


def test_orlib_cap41_shape_tokens_and_transpose():
    path = bi.orlib_cap_path("cap41")
    toks = bi.tokens(path)
    assert len(toks) == 884 == 2 + 2 * 16 + 50 * (1 + 16)
    inst = bi.parse_orlib_cap(path)
    assert (inst["J"], inst["I"]) == (16, 50)
    assert inst["capacity"] == [5000] * 16
    assert inst["fixed"][10] == 0  # site 11 has fixed cost 0
    assert len(inst["cost"]) == 16 and all(len(r) == 50 for r in inst["cost"])
    # customer-major in the file: customer 1 = demand then 16 costs, transposed here
    start = 2 + 32
    assert inst["demand"][0] == bi.num(toks[start])
    assert [inst["cost"][j][0] for j in range(16)] == [
        bi.num(x) for x in toks[start + 1 : start + 17]
    ]
    assert inst["demand"][1] == bi.num(toks[start + 17])
    assert max(inst["demand"]) == inst["demand"][33] == 12912  # > 5000: SS infeasible


def test_capa_placeholder_needs_a_capacity():
    path = bi.orlib_cap_path("capa")
    assert len(bi.tokens(path)) == 101202
    with pytest.raises(ValueError, match="capacity"):
        bi.parse_orlib_cap(path)
    inst = bi.orlib_cap_instance("capa-8000")
    assert (inst["J"], inst["I"]) == (100, 1000)
    assert inst["capacity"] == [8000] * 100
    assert sum(inst["demand"]) == 50886


def test_gap_shapes():
    inst = bi.parse_gap(bi.gap_path("c0515_1"))
    assert (inst["m"], inst["n"]) == (5, 15)
    assert inst["cost"][0][:3] == [17, 21, 22]
    assert inst["resource"][0][:3] == [8, 15, 14]
    assert inst["capacity"] == [36, 34, 38, 27, 33]
    for name, (m, n) in {"c0824_1": (8, 24), "c1060_1": (10, 60), "c05100": (5, 100)}.items():
        g = bi.parse_gap(bi.gap_path(name))
        assert (g["m"], g["n"]) == (m, n)
        assert all(len(r) == n for r in g["cost"] + g["resource"])


def test_published_optima_are_read_from_the_csv_files():
    assert len(bi.HOLMBERG_OPTIMA) == 71
    assert {k: bi.HOLMBERG_OPTIMA[k] for k in ("p1", "p13", "p25", "p33", "p41", "p50", "p56")} == {
        "p1": 8848,
        "p13": 8252,
        "p25": 11630,
        "p33": 11629,
        "p41": 6589,
        "p50": 8741,
        "p56": 21103,
    }
    assert bi.ORLIB_CAP_OPTIMA["cap64"]["ss"] == pytest.approx(1053197.44, abs=0.01)
    assert bi.ORLIB_CAP_OPTIMA["cap64"]["ss"] == pytest.approx(
        bi.ORLIB_CAP_SS_HIGHS["cap64"], abs=0.01
    )
    assert bi.ORLIB_CAP_OPTIMA["cap41"]["ss"] is None
    assert bi.ORLIB_CAP_OPTIMA["capa-8000"]["capacity"] == 8000
    assert bi.GAP_OPTIMA == {
        "c0515_1": {"max": 336, "min": 261},
        "c0824_1": {"max": 563, "min": 403},
        "c1060_1": {"max": 1451, "min": 974},
        "c05100": {"max": 4411, "min": 1931},
    }


def test_self_check_is_clean():
    assert bi.self_check() == []


def test_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("ENCLAVE_BENCHMARKS", str(tmp_path))
    assert bi.benchmarks_dir() == tmp_path


# --------------------------------------------------------------------------- (b) raw solves


def test_holmberg_p1_raw_solve_is_published_optimum():
    status, obj = solve_sscflp(bi.parse_holmberg(bi.holmberg_path("p1")))
    assert status == "Optimal"
    assert obj == pytest.approx(bi.HOLMBERG_OPTIMA["p1"], abs=1e-6) == 8848


def test_cap64_single_source_raw_solve():
    status, obj = solve_sscflp(bi.orlib_cap_instance("cap64"))
    assert status == "Optimal"
    assert obj == pytest.approx(bi.ORLIB_CAP_SS_HIGHS["cap64"], abs=1e-4)
    assert obj == pytest.approx(bi.ORLIB_CAP_OPTIMA["cap64"]["ss"], abs=0.01)


def test_cap41_single_source_is_infeasible():
    status, _ = solve_sscflp(bi.orlib_cap_instance("cap41"))
    assert status == "Infeasible"


@pytest.mark.parametrize("sense", ["max", "min"])
def test_gap_c0515_1_raw_solve(sense):
    status, obj = solve_gap(bi.parse_gap(bi.gap_path("c0515_1")), maximise=sense == "max")
    assert status == "Optimal"
    assert obj == pytest.approx(bi.GAP_OPTIMA["c0515_1"][sense], abs=1e-6)
    assert obj == {"max": 336, "min": 261}[sense]


# ------------------------------------------------------------------------- (c) orientation pitfall


def test_reading_holmberg_customer_major_gives_the_wrong_9907():
    inst = bi.parse_holmberg(bi.holmberg_path("p1"))
    J, I = inst["J"], inst["I"]
    flat = [c for row in inst["cost"] for c in row]  # file order (facility-major)
    wrong = dict(inst, cost=[[flat[i * J + j] for i in range(I)] for j in range(J)])
    status, obj = solve_sscflp(wrong)
    assert status == "Optimal"
    assert obj == pytest.approx(9907, abs=1e-6)
    assert obj != bi.HOLMBERG_OPTIMA["p1"]


# --------------------------------------------------------------------------- tables


def test_sscflp_tables_p1_structure():
    inst = bi.parse_holmberg(bi.holmberg_path("p1"))
    t = bi.sscflp_tables(inst)
    assert len(t["Firms"]) == 50 and len(t["Sites"]) == 10
    assert len(t["SiteAffinity"]) == 500
    assert all(f["must_place"] == "yes" for f in t["Firms"])
    assert [r["region_id"] for r in t["Regions"]] == ["R1"]
    assert t["Regions"][0]["tier"] == "developing"
    assert t["Regions"][0]["land_quota_ha"] == 0
    assert t["Regions"][0]["budget_mcny"] == sum(inst["fixed"]) + 1
    assert t["Sectors"] == [{"sector_id": "K"}]
    assert t["Locations"] == [{"location_id": "P1", "region": "R1", "land_available_ha": 0}]
    assert {p["parameter"]: p["value"] for p in t["Policy"]} == {
        "mip_gap": 1e-9,
        "time_limit_s": 120,
    }
    s1 = t["Sites"][0]
    assert s1 == {
        "site_id": "F1",
        "host_region": "R1",
        "sponsor_region": "R1",
        "floor_m2": inst["capacity"][0],
        "setup_cost_mcny": inst["fixed"][0],
    }
    assert t["Firms"][0]["floor_need_m2"] == inst["demand"][0]
    aff = {(a["firm_id"], a["site_id"]): a["value_mcny"] for a in t["SiteAffinity"]}
    assert aff[("C1", "F2")] == -inst["cost"][1][0]
    assert aff[("C50", "F10")] == -inst["cost"][9][49]
    for sheet in t.values():  # ids are strings
        for row in sheet:
            for k, v in row.items():
                if k.endswith("_id") or k in (
                    "host_region",
                    "sponsor_region",
                    "region",
                    "sector",
                    "site_id",
                    "firm_id",
                ):
                    assert isinstance(v, str)


def test_gap_tables_structure():
    inst = bi.parse_gap(bi.gap_path("c0515_1"))
    t = bi.gap_tables(inst, "min")
    assert len(t["Sites"]) == 5 and len(t["Firms"]) == 15
    assert all(s["status"] == "open" and s["setup_cost_mcny"] == 0 for s in t["Sites"])
    assert [s["floor_m2"] for s in t["Sites"]] == inst["capacity"]
    assert all(f["must_place"] == "yes" for f in t["Firms"])
    a = {(r["firm_id"], r["site_id"]): r for r in t["SiteAffinity"]}
    assert len(a) == 75
    assert a[("C1", "F1")]["value_mcny"] == -17 and a[("C1", "F1")]["floor_need_m2"] == 8
    assert t["Firms"][0]["floor_need_m2"] == max(inst["resource"][i][0] for i in range(5))
    assert bi.gap_tables(inst, "max")["SiteAffinity"][0]["value_mcny"] == 17
    with pytest.raises(ValueError):
        bi.gap_tables(inst, "maximise")


def test_sscflp_tables_p1_encode_the_published_optimum():
    status, obj = solve_tables(bi.sscflp_tables(bi.parse_holmberg(bi.holmberg_path("p1"))))
    assert status == "Optimal"
    assert obj == pytest.approx(-8848, abs=1e-6)


@pytest.mark.parametrize("sense", ["max", "min"])
def test_gap_tables_c0515_1_encode_the_published_optimum(sense):
    status, obj = solve_tables(bi.gap_tables(bi.parse_gap(bi.gap_path("c0515_1")), sense))
    assert status == "Optimal"
    expected = bi.GAP_OPTIMA["c0515_1"][sense]
    assert obj == pytest.approx(expected if sense == "max" else -expected, abs=1e-6)
