"""One tiny hand-computed case per constraint family (MODEL.md §3, docs/model.md) in which
that family binds: the optimum with the family differs from the optimum without it (the
family's rows left out, or the policy switched off), and both are worked out by hand
below. Every case runs on both engines: the array model planners use and the Pyomo form.
A meta-test checks every family is exercised.

Base case: host H (developed, no quota, no budget), sponsor Q (developing, 10 ha quota,
100 mcny), one sector K, park E1 of Q in H (1000 m², cost 10), production zone P1 in Q
(10 ha), firms F1 (600 m², R&D 10, production value 20, 2 ha) and F2 (600 m², R&D 8,
production 20, 2 ha). All weights 1, so a firm's welfare is R&D + production, whatever
the host/sponsor split. Base optimum: E1 takes one firm (1200 > 1000 m²): F1, 10 + 20 - 10 = 20.
"""

import copy

import pytest
from solving import ENGINES
from solving import optimum as solve

from optimizer.model import FAMILIES as RECORDS

FAMILIES = {f.name for f in RECORDS}  # every declared family needs a case here
EXERCISED: set[str] = set()

BASE = {
    "Policy": [{"parameter": "mip_gap", "value": 1e-9}],
    "Regions": [
        {
            "region_id": "H",
            "name": "Hangzhou",
            "tier": "developed",
            "land_quota_ha": 0,
            "budget_mcny": 0,
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
        }
    ],
    "Locations": [{"location_id": "P1", "region": "Q", "land_available_ha": 10}],
    "Firms": [
        {
            "firm_id": "F1",
            "sector": "K",
            "floor_need_m2": 600,
            "rd_value_mcny": 10,
            "prod_value_mcny": 20,
            "land_need_ha": 2,
        },
        {
            "firm_id": "F2",
            "sector": "K",
            "floor_need_m2": 600,
            "rd_value_mcny": 8,
            "prod_value_mcny": 20,
            "land_need_ha": 2,
        },
    ],
}


def case(**sheets):
    data = copy.deepcopy(BASE)
    for name, value in sheets.items():
        data[name] = value
    return data


def policy(**values):
    return BASE["Policy"] + [{"parameter": k, "value": v} for k, v in values.items()]


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


def binds(engine, family, data, with_, without, drop=None):
    """Assert the optimum is `with_` and, without the family, `without`; the plan."""
    EXERCISED.add(family)
    got, x = solve(data, engine)
    assert got == pytest.approx(with_, abs=1e-6)
    got_without, _ = solve(data, engine, drop or (family,))
    assert got_without == pytest.approx(without, abs=1e-6)
    return x


def test_base_case(engine):
    got, x = solve(BASE, engine)
    assert got == pytest.approx(20)  # F1 in E1: 10 + 20 - 10
    assert x.site_of == {"F1": "E1"}


def test_1_one_option_per_plot(engine):
    # E2 identical to E1 on the same plot: one park, one firm, 20. Without the plot rule
    # both open: F1 + F2 = 10 + 8 + 20 + 20 - 10 - 10 = 38.
    sites = [dict(BASE["Sites"][0], plot="L1"), dict(BASE["Sites"][0], site_id="E2", plot="L1")]
    binds(engine, "c_plot", case(Sites=sites), 20, 38)


def test_1_locked_status(engine):
    # status open forces a useless park (it accepts no firm's sector): 20 - 7 = 13;
    # without the lock it stays shut: 20.
    sites = BASE["Sites"] + [
        {
            "site_id": "E9",
            "host_region": "H",
            "sponsor_region": "Q",
            "floor_m2": 100,
            "setup_cost_mcny": 7,
            "status": "open",
            "sectors": "X",
        }
    ]
    binds(
        engine,
        "c_site_status",
        case(Sites=sites, Sectors=[{"sector_id": "K"}, {"sector_id": "X"}]),
        13,
        20,
    )
    # a closed E2 (like E1) takes no firm: 20; as a candidate it would: 38 (F1 + F2).
    sites = BASE["Sites"] + [dict(BASE["Sites"][0], site_id="E2", status="closed")]
    assert solve(case(Sites=sites), engine)[0] == pytest.approx(20)
    sites[1]["status"] = "candidate"
    assert solve(case(Sites=sites), engine)[0] == pytest.approx(38)


def test_2_firm_placed_at_most_once_and_must_place(engine):
    # Two parks, two production zones: F1 + F2 in separate parks: 38. Without the rule F1
    # would be "incubated twice" (and produce twice): 2 x (10 + 20) - 20 = 40.
    sites = BASE["Sites"] + [dict(BASE["Sites"][0], site_id="E2")]
    locs = BASE["Locations"] + [dict(BASE["Locations"][0], location_id="P2")]
    binds(engine, "c_place", case(Sites=sites, Locations=locs), 38, 40)
    # must_place: F3 (100 m², R&D -5) must be incubated: 20 - 5 = 15 (else 20)
    firms = BASE["Firms"] + [
        {
            "firm_id": "F3",
            "sector": "K",
            "floor_need_m2": 100,
            "rd_value_mcny": -5,
            "must_place": "yes",
        }
    ]
    got, x = solve(case(Firms=firms), engine)
    assert got == pytest.approx(15) and x.site_of["F3"] == "E1"
    firms[-1]["must_place"] = "no"
    assert solve(case(Firms=firms), engine)[0] == pytest.approx(20)


def test_3_incubation_only_in_an_opened_option(engine):
    # Firms need no floor, so only x <= y ties them to the park: open E1, both firms:
    # 10 + 8 + 40 - 10 = 48. Without linking nobody pays for the park: 58.
    firms = [dict(f, floor_need_m2=0) for f in BASE["Firms"]]
    binds(engine, "c_link", case(Firms=firms), 48, 58)


def test_4_floor(engine):
    # Without the floor both firms fit in E1: 10 + 8 + 40 - 10 = 48.
    binds(engine, "c_floor", BASE, 20, 48)


def test_5_production_follows_incubation(engine):
    # F1 alone: R&D 30 but producing loses 5 (cost 5, value 0): 30 - 5 - 10 = 15.
    # Without the rule (and the strict return rule, which would force production too) F1
    # is incubated and never produces: 30 - 10 = 20.
    firms = [
        {
            "firm_id": "F1",
            "sector": "K",
            "floor_need_m2": 600,
            "rd_value_mcny": 30,
            "prod_cost_mcny": 5,
        }
    ]
    binds(engine, "c_prod_follows", case(Firms=firms), 15, 20, drop=("c_prod_follows", "c_return"))


def test_6_strict_return(engine):
    # Sponsors Q and L each run a park in H (cost 10); E1 (Q) has innovation level 2.
    # F1 (R&D 10, production 30, cost 10) produces in Q at cost index 2 (30 - 20 = 10) or in
    # L at index 1 (30 - 10 = 20). Strict: E1+P1 = 20 + 10 or E2+P2 = 10 + 20, both 30 - 10
    # = 20. Without the rule: E1 with P2 = 20 + 20 - 10 = 30.
    regions = BASE["Regions"] + [dict(BASE["Regions"][1], region_id="L", name="Longyou")]
    sites = [
        dict(BASE["Sites"][0], innovation_level=2),
        dict(BASE["Sites"][0], site_id="E2", sponsor_region="L"),
    ]
    locs = [
        dict(BASE["Locations"][0], cost_index=2),
        {"location_id": "P2", "region": "L", "land_available_ha": 10},
    ]
    firms = [
        {
            "firm_id": "F1",
            "sector": "K",
            "floor_need_m2": 600,
            "rd_value_mcny": 10,
            "prod_value_mcny": 30,
            "prod_cost_mcny": 10,
        }
    ]
    data = case(Regions=regions, Sites=sites, Locations=locs, Firms=firms)
    binds(engine, "c_return", data, 20, 30)
    data["Policy"] = policy(return_rule="free")
    assert solve(data, engine)[0] == pytest.approx(30)


def test_7_location_land(engine):
    # E1 has room for both (2000 m²) but P1 only 3 ha: one firm produces -> 20;
    # without the land limit both: 48.
    sites = [dict(BASE["Sites"][0], floor_m2=2000)]
    locs = [dict(BASE["Locations"][0], land_available_ha=3)]
    binds(engine, "c_loc_land", case(Sites=sites, Locations=locs), 20, 48)


def test_8_quota_balance_and_land_index_exchange(engine):
    # Q holds only 3 ha of quota: one firm's 2 ha -> 20; without the balance both: 48.
    regions = [BASE["Regions"][0], dict(BASE["Regions"][1], land_quota_ha=3)]
    sites = [dict(BASE["Sites"][0], floor_m2=2000)]
    binds(engine, "c_quota", case(Regions=regions, Sites=sites), 20, 48)


def test_8_own_use_of_quota(engine):
    # E1 has 1 ha of park land; with exchange ratio 3, Q hands H 3 ha, H's park uses 1 and
    # H values the spare quota at 10 mcny/ha up to its demand of 1 ha: 20 + 10 = 30.
    # Without the demand cap H would use both spare ha: 20 + 20 = 40.
    regions = [
        dict(BASE["Regions"][0], quota_value_mcny_per_ha=10, quota_demand_ha=1),
        BASE["Regions"][1],
    ]
    sites = [dict(BASE["Sites"][0], land_ha=1)]
    m = binds(
        engine,
        "c_own_use",
        case(Regions=regions, Sites=sites, Policy=policy(exchange_ratio=3)),
        30,
        40,
    )
    assert m.own_use["H"] == pytest.approx(1)


def test_9_trade_cap(engine):
    # H (budget 10) values quota at 10 mcny/ha (demand 5) and may buy from Q at 2 mcny/ha
    # (a transfer, both weights 1). Cap 1 ha: 20 + 10 = 30. Uncapped: H buys 5 ha (its
    # demand; budget 10 / 2 = 5; Q has 10 - 2 = 8 ha spare): 20 + 50 = 70.
    regions = [
        dict(BASE["Regions"][0], budget_mcny=10, quota_value_mcny_per_ha=10, quota_demand_ha=5),
        BASE["Regions"][1],
    ]
    links = [{"from_region": "Q", "to_region": "H", "max_ha": 1, "price_mcny_per_ha": 2}]
    binds(engine, "c_trade_cap", case(Regions=regions, QuotaLinks=links), 30, 70)


def test_10_budget_and_provincial_fund(engine):
    # F1 (R&D 20, subsidy 6): 20 + 20 - 10 - 6 = 24, costs Q 16; F2: 8 + 20 - 10 = 18,
    # costs 10. Budget 15: F2 -> 18; without the budget: 24.
    regions = [BASE["Regions"][0], dict(BASE["Regions"][1], budget_mcny=15)]
    firms = [dict(BASE["Firms"][0], rd_value_mcny=20, subsidy_mcny=6), BASE["Firms"][1]]
    binds(engine, "c_budget", case(Regions=regions, Firms=firms), 18, 24)
    # a provincial fund of 0.5 is not enough (16 > 15.5): 18; without its limit: 24;
    # a fund of 5 is: 24.
    binds(
        engine,
        "c_fund",
        case(Regions=regions, Firms=firms, Policy=policy(provincial_fund_mcny=0.5)),
        18,
        24,
    )
    assert solve(case(Regions=regions, Firms=firms, Policy=policy(provincial_fund_mcny=5)), engine)[
        0
    ] == pytest.approx(24)


def test_11_caps_on_parks(engine):
    # Q could run parks in two hosts (one firm each): 38; at most 1 per sponsor: 20.
    regions = BASE["Regions"] + [dict(BASE["Regions"][0], region_id="N", name="Ningbo")]
    sites = BASE["Sites"] + [dict(BASE["Sites"][0], site_id="E2", host_region="N")]
    binds(
        engine,
        "c_sponsor_cap",
        case(Regions=regions, Sites=sites, Policy=policy(max_sites_per_sponsor=1)),
        20,
        38,
    )
    # two sponsors (Q, L with its own zone) in one host; at most 1 park per host: 20 vs 38.
    regions = BASE["Regions"] + [dict(BASE["Regions"][1], region_id="L", name="Longyou")]
    sites = BASE["Sites"] + [dict(BASE["Sites"][0], site_id="E2", sponsor_region="L")]
    locs = BASE["Locations"] + [{"location_id": "P2", "region": "L", "land_available_ha": 10}]
    binds(
        engine,
        "c_host_cap",
        case(Regions=regions, Sites=sites, Locations=locs, Policy=policy(max_enclaves_per_host=1)),
        20,
        38,
    )


def test_12_equity_floor(engine):
    # host_share 1: the host H gets all incubation value, Q the production less the park.
    # F1: N_H = 10, N_Q = 20 - 10 = 10, share 0.5; F2: 8 vs 10, share 0.56. With a floor
    # of 0.6 no park is worth it: 0. Without the floor: 20.
    binds(engine, "c_equity", case(Policy=policy(host_share=1, min_developing_share=0.6)), 0, 20)


def test_13_participation_floor(engine):
    # host_share 0.5; F2 changed to R&D 16, production 10. F1 alone in E1: N_H = 5,
    # N_Q = 5 + 20 - 10 = 15, welfare 20; F2 alone: N_H = 8, N_Q = 8 + 10 - 10 = 8,
    # welfare 16. A floor of 6 for H rules F1 out: 16. Without the floor: 20.
    firms = [BASE["Firms"][0], dict(BASE["Firms"][1], rd_value_mcny=16, prod_value_mcny=10)]
    regions = [dict(BASE["Regions"][0], min_net_benefit_mcny=6), BASE["Regions"][1]]
    x = binds(
        engine, "c_participation", case(Firms=firms, Regions=regions, Policy=policy()), 16, 20
    )
    assert x.site_of == {"F2": "E1"}


def test_every_family_is_exercised():
    # runs last in this module (pytest keeps file order)
    assert EXERCISED == FAMILIES
