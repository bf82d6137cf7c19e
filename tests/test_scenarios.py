"""Override semantics: keys (id, *, filters), operations, Policy, parents, errors."""

import pytest
from cases import rows

from optimizer.app import solve_tables, tables_from_rows
from optimizer.data.scenarios import resolve
from optimizer.errors import InputError
from optimizer.packages import resolve_all


def scenario_tables(overrides, scenarios=None):
    scenarios = scenarios or [{"scenario_id": s} for s in {o["scenario_id"] for o in overrides}]
    return tables_from_rows(rows(Scenarios=scenarios, Overrides=overrides))


def ov(sid, sheet, key, column, op, value):
    return {
        "scenario_id": sid,
        "sheet": sheet,
        "key": key,
        "column": column,
        "operation": op,
        "value": value,
    }


def by_id(table, key):
    return {r[key]: r for r in table}


def test_row_id_key_and_each_operation():
    t = scenario_tables(
        [
            ov("s", "Sites", "E1", "floor_m2", "scale", 1.5),
            ov("s", "Sites", "E1", "setup_cost_mcny", "add", -5),
            ov("s", "Sites", "E2", "status", "set", "closed"),
        ]
    )
    data, applied, issues = resolve(t, "s")
    assert issues == []
    sites = by_id(data["Sites"], "site_id")
    assert sites["E1"]["floor_m2"] == 1500  # 1000 x 1.5
    assert sites["E1"]["setup_cost_mcny"] == 15  # 20 - 5
    assert sites["E2"]["status"] == "closed"
    assert [(a.row_id, a.column, a.old, a.new) for a in applied] == [
        ("E1", "floor_m2", 1000, 1500),
        ("E1", "setup_cost_mcny", 20, 15),
        ("E2", "status", "candidate", "closed"),
    ]
    # the baseline tables are untouched
    assert by_id(t["Sites"], "site_id")["E1"]["floor_m2"] == 1000


def test_star_and_filter_keys():
    t = scenario_tables(
        [
            ov("s", "Regions", "tier=developing", "budget_mcny", "scale", 2),
            ov("s", "Firms", "*", "rd_value_mcny", "add", 1),
            ov("s", "Sites", "host_region=HZ&sponsor_region=LY", "floor_m2", "set", 700),
        ]
    )
    data, applied, issues = resolve(t, "s")
    assert issues == []
    regions = by_id(data["Regions"], "region_id")
    assert (
        regions["HZ"]["budget_mcny"],
        regions["QZ"]["budget_mcny"],
        regions["LY"]["budget_mcny"],
    ) == (0, 200, 100)
    firms = by_id(data["Firms"], "firm_id")
    assert (firms["F1"]["rd_value_mcny"], firms["F2"]["rd_value_mcny"]) == (11, 9)
    sites = by_id(data["Sites"], "site_id")
    assert (sites["E1"]["floor_m2"], sites["E2"]["floor_m2"]) == (1000, 700)
    assert len(applied) == 2 + 2 + 1


def test_policy_override_creates_missing_parameter_and_reports_default_as_old():
    t = scenario_tables(
        [
            ov("s", "Policy", "exchange_ratio", "value", "set", 2),
            ov("s", "Policy", "mip_gap", "value", "scale", 10),
        ]
    )
    data, applied, issues = resolve(t, "s")
    assert issues == []
    values = {r["parameter"]: r["value"] for r in data["Policy"]}
    assert values["exchange_ratio"] == 2 and values["mip_gap"] == pytest.approx(1e-8)
    assert [(a.row_id, a.old, a.new) for a in applied][0] == ("exchange_ratio", 1.0, 2)


def test_parent_chain_applies_in_order_and_is_reported():
    scenarios = [{"scenario_id": "child", "parent": "mid"}, {"scenario_id": "mid"}]
    t = scenario_tables(
        [
            ov("mid", "Sites", "E1", "floor_m2", "set", 2000),
            ov("child", "Sites", "E1", "floor_m2", "scale", 0.5),
        ],
        scenarios,
    )
    data, applied, _ = resolve(t, "child")
    assert by_id(data["Sites"], "site_id")["E1"]["floor_m2"] == 1000  # 2000 then x0.5
    assert [(a.defined_in, a.old, a.new) for a in applied] == [
        ("mid", 1000, 2000),
        ("child", 2000, 1000),
    ]
    assert all(a.scenario == "child" for a in applied)


@pytest.mark.parametrize(
    "override, words",
    [
        (ov("s", "Sites", "E9", "floor_m2", "set", 1), "selects no row"),
        (ov("s", "Sites", "E1", "site_id", "set", "X"), "identifies rows"),
        (ov("s", "Sites", "E1", "nonsense", "set", 1), "has no column"),
        (ov("s", "Sites", "E1", "status", "scale", 2), "numeric column"),
        (ov("s", "Sites", "E1", "floor_m2", "add", -5000), "out of range"),
        (ov("s", "Firms", "F1", "fixed_site", "set", "E9"), "not an id"),
        (ov("s", "Policy", "exchange_rate", "value", "set", 2), "not a policy parameter"),
        (ov("s", "SiteAffinity", "F1", "value_mcny", "set", 2), "plain id cannot select"),
    ],
)
def test_bad_overrides_are_reported_with_their_row(override, words):
    t = scenario_tables([override])
    with pytest.raises(InputError) as err:
        resolve_all(t, ["baseline", "s"])
    assert words in str(err.value) and "Overrides row 2" in str(err.value)


def test_parent_cycle_is_refused():
    with pytest.raises(InputError, match="own ancestor"):
        tables_from_rows(
            rows(
                Scenarios=[{"scenario_id": "a", "parent": "b"}, {"scenario_id": "b", "parent": "a"}]
            )
        )


def test_baseline_equals_scenario_without_overrides():
    t = tables_from_rows(rows(Scenarios=[{"scenario_id": "same"}]))
    report = solve_tables(t)
    base, same = report.results
    assert same.outcome.objective == pytest.approx(base.outcome.objective, abs=1e-9)
    assert same.tables["Firms"][0]["site_id"] == base.tables["Firms"][0]["site_id"]
    assert report.applied == []


@pytest.mark.parametrize(
    "parameter, value, accepted",
    [
        ("time_limit_s", 0, False),  # a time limit must be greater than 0 (exclusive minimum)
        ("time_limit_s", -5, False),
        ("time_limit_s", 0.001, True),
        ("exchange_ratio", 0, True),  # inclusive minimum 0
        ("exchange_ratio", -0.01, False),
        ("host_share", 1, True),  # inclusive maximum 1
        ("host_share", 1.01, False),
        ("mip_gap", 0, True),
        ("max_sites_per_sponsor", 0, True),
        ("max_sites_per_sponsor", 1.5, False),  # a whole number
    ],
)
def test_policy_bounds_at_their_edges(parameter, value, accepted):
    data = rows(Policy=[{"parameter": parameter, "value": value}])
    if accepted:
        tables_from_rows(data)
        return
    with pytest.raises(InputError) as err:
        tables_from_rows(data)
    (issue,) = err.value.issues
    assert issue.sheet == "Policy" and issue.cell == "B2" and parameter in issue.message
