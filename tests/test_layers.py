"""The layers of fixtures/ are a contract (pyproject.toml, [tool.importlinter]),
checked by `make typecheck`: it holds, and it fails on an upward import."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


def copy_of_the_suite(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_suite_keeps_its_layers(tmp_path: Path):
    result = lint_imports(copy_of_the_suite(tmp_path))
    assert result.returncode == 0 and "1 kept, 0 broken" in result.stdout, result.stdout[-2000:] + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path: Path):
    tree = copy_of_the_suite(tmp_path)
    (tree / "fixtures" / "core" / "upward.py").write_text("from fixtures.plugin import session_keys  # a primitive reaching for the plugin\n")
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "fixtures.core is not allowed to import fixtures.plugin" in result.stdout, result.stdout[-2000:]
