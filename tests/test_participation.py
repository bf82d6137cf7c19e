"""Win-win participation (Policy.participation = no_loss), worked out by hand.

Host H (developed): 2 ha quota worth 10 mcny/ha to its own development (demand 2 ha), no
budget. Sponsor Q (developing): 10 ha quota, budget 100. Cross-region park E1 of Q in H
(setup 10, 2 ha of H's land, innovation 1) and Q's own park E0 in Q (setup 10, no land,
innovation 0.2). One firm F1: R&D 30, production value 20 at P1 in Q (2 ha). host_share 0.5.

Stand-alone: H alone has no park of its own and keeps its 2 ha: N°_H = 2 x 10 = 20.
Q alone can only use E0: 0.2 x 30 + 20 - 10 = 16 > 0 (doing nothing): N°_Q = 16.
"""

import copy

import pytest

from optimizer.app import RunOptions, solve_tables, tables_from_rows

BASE = {
    "Policy": [{"parameter": "mip_gap", "value": 1e-9}, {"parameter": "host_share", "value": 0.5}],
    "Regions": [
        {
            "region_id": "H",
            "name": "Hangzhou",
            "tier": "developed",
            "land_quota_ha": 2,
            "budget_mcny": 0,
            "quota_value_mcny_per_ha": 10,
            "quota_demand_ha": 2,
        },
        {
            "region_id": "Q",
            "name": "Quzhou",
            "tier": "developing",
            "land_quota_ha": 10,
            "budget_mcny": 100,
        },
    ],
    "Sectors": [{"sector_id": "K"}],
    "Sites": [
        {
            "site_id": "E1",
            "host_region": "H",
            "sponsor_region": "Q",
            "floor_m2": 1000,
            "setup_cost_mcny": 10,
            "land_ha": 2,
        },
        {
            "site_id": "E0",
            "host_region": "Q",
            "sponsor_region": "Q",
            "floor_m2": 1000,
            "setup_cost_mcny": 10,
            "innovation_level": 0.2,
        },
    ],
    "Locations": [{"location_id": "P1", "region": "Q", "land_available_ha": 10}],
    "Firms": [
        {
            "firm_id": "F1",
            "sector": "K",
            "floor_need_m2": 600,
            "rd_value_mcny": 30,
            "prod_value_mcny": 20,
            "land_need_ha": 2,
        }
    ],
}


def solved(**policy):
    data = copy.deepcopy(BASE)
    data["Policy"] += [{"parameter": k, "value": v} for k, v in policy.items()]
    report = solve_tables(tables_from_rows(data), RunOptions())
    (result,) = report.results
    assert result.outcome.has_plan
    return result


def regions(result):
    return {r["region_id"]: r for r in result.tables["Regions"]}


def test_no_loss_fixes_a_host_left_worse_off_than_alone_at_the_hand_computed_cost():
    # exchange_ratio 0: the host gives 2 ha of park land and gets no quota back.
    # Unconstrained: F1 at E1, N_H = 0.5 x 30 = 15 (its 2 ha go to the park: no own use),
    # N_Q = 15 + 20 - 10 = 25, welfare 40 (F1 at E0 gives 20 + 16 = 36; nothing 20).
    free = solved(exchange_ratio=0)
    assert free.outcome.objective == pytest.approx(40)
    assert regions(free)["H"]["net_benefit_mcny"] == pytest.approx(15)  # < N°_H = 20
    # no_loss: E1 leaves H at 15 < 20, nothing leaves Q at 0 < 16: F1 at E0, welfare 36,
    # N_H = 20 = N°_H, N_Q = 16 = N°_Q. The guarantee costs 40 - 36 = 4.
    fair = solved(exchange_ratio=0, participation="no_loss")
    assert fair.outcome.objective == pytest.approx(36)
    assert fair.plan.site_of == {"F1": "E0"}
    rows = regions(fair)
    assert rows["H"]["standalone_mcny"] == pytest.approx(20)
    assert rows["Q"]["standalone_mcny"] == pytest.approx(16)
    assert min(r["gain_vs_standalone_mcny"] for r in rows.values()) >= -1e-6
    assert fair.summary["welfare_without_guarantee_mcny"] == pytest.approx(40)
    assert fair.summary["guarantee_cost_mcny"] == pytest.approx(4)
    assert fair.tables["HostShare"] == []  # no cross-region park opened
    limits = [r for r in fair.tables["Limits"] if r["family"] == "c_participation"]
    assert {r["where"] for r in limits} == {"Hangzhou (H)", "Quzhou (Q)"}


def test_host_share_range_where_both_host_and_sponsor_gain():
    # exchange_ratio 1: Q hands H 2 ha for the park, so H keeps its own use: with F1 at E1
    # N_H(eta) = 20 + 30 eta, N_Q(eta) = 30 (1 - eta) + 20 - 10 = 40 - 30 eta (welfare 60,
    # the guarantee is free). N_H >= 20 for eta >= 0; N_Q >= 16 for eta <= 24 / 30 = 0.8.
    result = solved(participation="no_loss")
    assert result.plan.site_of == {"F1": "E1"}
    assert result.summary["guarantee_cost_mcny"] == pytest.approx(0)
    (row,) = result.tables["HostShare"]
    assert row["site_id"] == "E1"
    assert row["host_share_low"] == pytest.approx(0.0)
    assert row["host_share_high"] == pytest.approx(0.8)
    rows = regions(result)
    assert rows["H"]["gain_vs_standalone_mcny"] == pytest.approx(15)  # 35 - 20
    assert rows["Q"]["gain_vs_standalone_mcny"] == pytest.approx(9)  # 25 - 16


def test_negotiated_floor_beyond_what_any_plan_gives_is_diagnosed():
    # H's floor of 100 exceeds anything (at most 20 + 0.5 x 30 = 35): infeasible, and
    # the diagnosis names the floor to lower.
    data = copy.deepcopy(BASE)
    data["Regions"][0]["min_net_benefit_mcny"] = 100
    (result,) = solve_tables(tables_from_rows(data), RunOptions()).results
    assert result.outcome.status == "infeasible"
    assert any(x.family == "c_participation" and x.index == "H" for x in result.diagnosis)
