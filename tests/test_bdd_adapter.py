"""fixtures/core/bdd.py is the suite's one reach into pytest-bdd's internals.
Each use is run here against the pinned pytest-bdd on a feature of its own, in
a pytest of its own: a pytest-bdd that changes them fails this test first."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FEATURE = """Feature: Adapter
  Scenario: A plain one
    Given a step

  Scenario Outline: An outline
    Given a step with <value>

    Examples:
      | value |
      | one   |
      | two   |
"""

CONFTEST = """
import json
from pathlib import Path

import pytest
from pytest_bdd import given, parsers

from fixtures.core import bdd

SEEN = {}


@given("a step")
def plain():
    pass


@given(parsers.parse("a step with {value}"))
def with_value(value):
    pass


def pytest_collection_modifyitems(items):
    for item in items:
        scenario = bdd.scenario_of(item)
        SEEN[item.name] = {"is_scenario": bdd.is_scenario(item), "example": bdd.example_of(item),
                           "scenario": scenario.name if scenario else None, "steps": [s.name for s in scenario.steps] if scenario else []}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        bdd.carry_report_context(report)
        carried = getattr(report, bdd.CARRIED, None)
        delattr(report, bdd.CARRIED) if carried else None
        from pytest_bdd.reporting import test_report_context_registry
        test_report_context_registry.pop(report, None)
        setattr(report, bdd.CARRIED, carried)
        bdd.refile_report_context(report)
        SEEN[item.name]["carried"] = carried is not None and report in test_report_context_registry


def pytest_sessionfinish(session):
    Path("seen.json").write_text(json.dumps(SEEN))
"""


def test_each_internal_the_suite_uses_behaves_as_the_adapter_expects(tmp_path: Path):
    (tmp_path / "adapter.feature").write_text(FEATURE)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_adapter.py").write_text(
        "from pathlib import Path\nfrom fixtures.core.bdd import feature_module\n"
        "globals().update({k: v for k, v in vars(feature_module(Path(__file__).with_name('adapter.feature'), 'adapter', Path(__file__))).items() if k.startswith('test_')})\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert len(seen) == 3, seen
    plain = next(v for v in seen.values() if v["scenario"] == "A plain one")
    assert plain["is_scenario"] and plain["example"] == {} and plain["steps"] == ["a step"]
    outline = sorted((v["example"].get("value"), v["steps"]) for v in seen.values() if v["scenario"] and v["scenario"].startswith("An outline"))
    assert outline == [("one", ["a step with one"]), ("two", ["a step with two"])], seen
    assert all(v["carried"] for v in seen.values()), seen
