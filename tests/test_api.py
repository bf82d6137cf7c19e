"""The Python API: a user loads a package as a Pyomo model, adds a constraint of their own
and solves it with Pyomo's HiGHS interface."""

import pyomo.environ as pyo
import pytest
from cases import rows
from pyomo.contrib.solver.common.factory import SolverFactory

import optimizer


def test_a_user_extends_the_pyomo_model_and_solves_it():
    # TWO_REGIONS: optimum 48 mcny with both parks open, F1 (NM) in E2 producing in LY:
    # 10 + 30 = 40, F2 in E1 producing in QZ: 8 + 30 = 38, parks 20 + 10: 40 + 38 - 30 = 48.
    # A user's rule "E2 stays shut" leaves E1 (1000 m²: one firm of 600) for the better of
    # F1 (10 + 30 - 20 = 20) and F2 (8 + 30 - 20 = 18): 20. Solved by Pyomo itself.
    m = optimizer.pyomo_model(rows())
    assert m.name == "reverse_enclave" and m.c_budget.doc.startswith("(10)")
    solver = SolverFactory("highs")
    res = solver.solve(m)
    assert pyo.value(m.obj_welfare) == pytest.approx(48.0, abs=1e-6)
    m.user_rule = pyo.Constraint(expr=m.b_open["E2"] == 0)
    res = solver.solve(m)
    assert str(res.termination_condition).endswith("convergenceCriteriaSatisfied")
    assert m.b_open["E2"].value == pytest.approx(0)
    assert pyo.value(m.obj_welfare) == pytest.approx(20.0, abs=1e-6)
    assert m.b_inc["F1", "E1"].value == pytest.approx(1)


def test_the_api_refuses_bad_input_with_every_problem():
    data = rows()
    data["Firms"][0]["floor_need_m2"] = "lots"
    data["Sites"][0]["host_region"] = "XX"
    with pytest.raises(optimizer.InputError) as err:
        optimizer.model_data(data)
    assert len(err.value.issues) == 2


def test_the_readme_example_runs(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    assert len(code.strip().splitlines()) <= 10
    monkeypatch.chdir(root)
    code = code.replace('"reports"', repr(str(tmp_path)))
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    result = scope["result"]
    assert list(result.summary.index) == ["baseline", "free_return"]
    assert all(s.startswith("optimal") for s in result.summary["status"])
    assert scope["path"].parent == tmp_path and scope["path"].exists()
    assert scope["model"].name == "reverse_enclave"


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path):
    # multiprocessing's spawn would re-import the caller's main script in every worker
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    example = str(root / "inputs" / "zhejiang_example.xlsx")

    def last_line(solve_args: str, show: str) -> str:
        script = tmp_path / "plain.py"
        script.write_text(
            f"import optimizer\nprint('ran once')\nr = optimizer.solve({example!r}, "
            f"{solve_args})\nprint({show})\n"
        )
        out = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=root, timeout=300
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.count("ran once") == 1 and "Traceback" not in out.stderr
        return out.stdout.splitlines()[-1]

    # the HiGHS workers
    assert last_line("scenarios=['baseline']", "r.summary.loc['baseline', 'status']").startswith(
        "optimal"
    )
    # packages side by side: the pool's processes (started on demand) hide the script too
    assert (
        last_line(
            "scenarios=['free_return', 'high_exchange'], workers=2",
            "sorted(r.summary['status'].str.split().str[0])",
        )
        == "['optimal', 'optimal']"
    )
