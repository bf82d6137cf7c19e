"""The package's layers stay visible: folders import only downward, the layers that read
and write workbooks and tables never load a solver, no module reaches into another's
private names, and modules stay small."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "optimizer"
# lowest first; a module may import its own layer and those below it
LAYERS = [
    "errors",
    "io",
    "data",
    "model",
    "solver",
    "analysis",
    "report",
    "packages",
    "schedule",
    "runner",
    "app",
    "docs",
    "cli",
    "__init__",
    "__main__",
]
SOLVER_FREE = ("io", "data", "model", "report")  # never load Pyomo or HiGHS ...
SOLVER_FREE_EXCEPT = {"optimizer.model.pyomo_form"}  # ... but for the Pyomo form itself


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield path, ".".join(("optimizer",) + parts).removesuffix(".__init__")


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1] if len(parts) > 1 else "__init__")


def internal_imports(path: Path, module: str):
    """(imported module, names) of every import of the package inside `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("optimizer"):
                yield node, target, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("optimizer"):
                    yield node, a.name, []


@pytest.mark.parametrize("path, module", list(modules()), ids=lambda v: str(v)[-40:])
def test_imports_go_downward_and_never_to_private_names(path, module):
    for node, target, names in internal_imports(path, module):
        for name in names:
            full = f"{target}.{name}"
            # `from . import pkg` imports a subpackage: judge it by that subpackage
            owner = full if (PACKAGE / Path(*full.split(".")[1:])).exists() else target
            if owner == "optimizer":
                continue  # __version__
            assert layer(owner) <= layer(module), f"{module}:{node.lineno} imports {owner}"
            assert not name.startswith("_"), f"{module}:{node.lineno} imports private {name}"
        if not names:
            assert layer(target) <= layer(module), f"{module}:{node.lineno} imports {target}"


def test_io_data_model_and_report_never_load_a_solver():
    wanted = [
        m
        for _, m in modules()
        if m.split(".")[1:2] and m.split(".")[1] in SOLVER_FREE and m not in SOLVER_FREE_EXCEPT
    ]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in wanted)
        + "bad = sorted({m.split('.')[0] for m in sys.modules} & {'pyomo', 'highspy'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"a solver is loaded by {wanted}: {out.stdout}"


def test_no_module_reads_another_modules_private_names():
    for path, module in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            and (n.level or (n.module or "").startswith("optimizer"))
            for a in n.names
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                raise AssertionError(f"{module}:{node.lineno} uses {node.value.id}.{node.attr}")


def test_few_modules_at_the_top_and_none_large():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top
    for path, module in modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{module} has {lines} lines"
