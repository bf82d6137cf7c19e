"""Override semantics: keys (id, *, filters), operations, Policy, parents, errors, rows
of one package that conflict, a child changing what it inherits."""

import pandas as pd
import pytest
from cases import rows

from optimizer.app import solve_tables, tables_from_rows
from optimizer.cli import main
from optimizer.data.scenarios import resolve
from optimizer.errors import InputError
from optimizer.io.template import write_input_workbook
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
        # ids and names that are nearly right get "did you mean"
        (
            ov("s", "Sites", "e 1", "floor_m2", "set", 1),
            "selects no row of Sites; did you mean 'E1'?",
        ),
        (ov("s", "Sites", "E1", "floor", "set", 1), "no column 'floor'; did you mean `floor_m2`?"),
        (
            ov("s", "Firms", "F1", "fixed_site", "set", "e1"),
            "'e1' is not an id in sheet Sites; did you mean 'E1'?",
        ),
        (ov("s", "Policy", "Exchange_Rate", "value", "set", 2), "did you mean `exchange_ratio`?"),
    ],
)
def test_bad_overrides_are_reported_with_their_row(override, words):
    t = scenario_tables([override])
    with pytest.raises(InputError) as err:
        resolve_all(t, ["baseline", "s"])
    assert words in str(err.value) and "Overrides row 2" in str(err.value)


def test_unknown_parent_nearly_right_gets_did_you_mean():
    with pytest.raises(InputError) as err:
        tables_from_rows(
            rows(Scenarios=[{"scenario_id": "mid"}, {"scenario_id": "kid", "parent": "Mid"}])
        )
    assert "parent 'Mid' is not a scenario id; did you mean 'mid'?" in str(err.value)


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


def test_finding_7_two_rows_of_one_package_setting_a_cell_differently_are_refused(tmp_path, capsys):
    data = rows(
        Scenarios=[{"scenario_id": "hx"}],
        Overrides=[
            ov("hx", "Policy", "exchange_ratio", "value", "set", 2.0),
            ov("hx", "Policy", "exchange_ratio", "value", "set", 3.0),
        ],
    )
    book = write_input_workbook(tmp_path / "plan.xlsx", data)
    assert main(["validate", str(book), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        "Overrides!F3 (value): Overrides!F2 and Overrides!F3 both set Policy exchange_ratio "
        "(2 and 3) in package 'hx' — keep one of the two rows" in err
    )


@pytest.mark.parametrize(
    "first, second, refused",
    [
        (("set", 2), ("set", 2), False),  # the same value twice is harmless
        (("set", 2), ("set", 3), True),
        (("scale", 2), ("add", 1), False),  # scale and add combine in order
        (("add", 1), ("scale", 2), False),
        (("set", 2), ("scale", 1), False),  # the same either way
        (("add", 0), ("set", 2), False),
        (("set", 2), ("scale", 1.5), True),  # 3 in this order, 2 in the other
        (("add", 1), ("set", 2), True),
    ],
)
def test_which_rows_of_one_package_conflict(first, second, refused):
    t = scenario_tables(
        [
            ov("s", "Policy", "exchange_ratio", "value", *first),
            ov("s", "Policy", "exchange_ratio", "value", *second),
        ]
    )
    issues = resolve(t, "s")[2]
    assert len(issues) == refused
    if refused:
        words = "both set" if first[0] == second[0] else "the result depends on their order"
        assert words in issues[0].message and issues[0].cell == "F3"
        assert "Overrides!F2" in issues[0].message and "Overrides!F3" in issues[0].message


def test_overlapping_selections_conflict_on_the_rows_they_share_only():
    t = scenario_tables(
        [
            ov("s", "Sites", "*", "floor_m2", "set", 700),
            ov("s", "Sites", "E1", "floor_m2", "set", 800),
            ov("s", "Sites", "host_region=HZ", "setup_cost_mcny", "set", 5),
            ov("s", "Sites", "*", "setup_cost_mcny", "set", 5),
        ]
    )
    (issue,) = resolve(t, "s")[2]
    assert issue.message == (
        "Overrides!F2 and Overrides!F3 both set Sites floor_m2 of E1 (700 and 800) in package 's'"
    )


def test_a_conflict_of_a_parent_is_reported_once_and_siblings_never_conflict():
    scenarios = [
        {"scenario_id": "a"},
        {"scenario_id": "b"},
        {"scenario_id": "kid", "parent": "a"},
    ]
    t = scenario_tables(
        [
            ov("a", "Sites", "E1", "floor_m2", "set", 700),
            ov("a", "Sites", "E1", "floor_m2", "set", 900),
            ov("b", "Sites", "E1", "floor_m2", "set", 800),
        ],
        scenarios,
    )
    with pytest.raises(InputError) as err:
        resolve_all(t, ["baseline", "a", "b", "kid"])
    (issue,) = err.value.issues
    assert "in package 'a'" in issue.message
    assert resolve(t, "b")[2] == []


def test_a_child_changing_what_it_inherits_is_no_conflict_and_is_noted():
    scenarios = [
        {"scenario_id": "top"},
        {"scenario_id": "mid", "parent": "top"},
        {"scenario_id": "kid", "parent": "mid"},
    ]
    t = scenario_tables(
        [
            ov("top", "Sites", "E2", "floor_m2", "set", 500),
            ov("mid", "Sites", "E1", "floor_m2", "set", 2000),
            ov("kid", "Sites", "E1", "floor_m2", "set", 1500),
            ov("kid", "Sites", "E2", "floor_m2", "scale", 2),
        ],
        scenarios,
    )
    data, applied, issues = resolve(t, "kid")
    assert issues == []
    sites = by_id(data["Sites"], "site_id")
    assert (sites["E1"]["floor_m2"], sites["E2"]["floor_m2"]) == (1500, 1000)
    assert [(a.override_row, a.row_id, a.note) for a in applied] == [
        (2, "E2", ""),
        (3, "E1", ""),
        (4, "E1", "replaces the parent's (mid, Overrides!F3)"),
        (5, "E2", "applies to the parent's (top, Overrides!F2)"),  # a grandparent's
    ]


def test_the_result_overrides_sheet_shows_the_note(tmp_path):
    data = rows(
        Scenarios=[{"scenario_id": "mid"}, {"scenario_id": "kid", "parent": "mid"}],
        Overrides=[
            ov("mid", "Sites", "E1", "floor_m2", "set", 2000),
            ov("kid", "Sites", "E1", "floor_m2", "set", 1500),
        ],
    )
    book = write_input_workbook(tmp_path / "plan.xlsx", data)
    assert main(["solve", str(book), "--out", str(tmp_path / "out")]) == 0
    (result,) = (tmp_path / "out").glob("*_results_*.xlsx")
    sheet = pd.read_excel(result, sheet_name="Overrides").astype(object).fillna("")
    assert sheet[["scenario", "override_row", "new", "note"]].values.tolist() == [
        ["mid", 2, 2000, ""],
        ["kid", 2, 2000, ""],
        ["kid", 3, 1500, "replaces the parent's (mid, Overrides!F2)"],
    ]
