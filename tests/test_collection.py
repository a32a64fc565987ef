"""A user reproducing one thing names one feature file."""
import subprocess
import sys

from tests.conftest import REPO_ROOT


def _collect(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    return [line for line in result.stdout.splitlines() if "::test_" in line]


def test_a_feature_file_named_on_the_command_line_selects_its_scenarios(tmp_path):
    ids = _collect("features/verify.feature", f"--reports-dir={tmp_path}")
    assert ids == [
        "features/verify.feature::test_the_pages_clusterservicebroker_becomes_ready",
        "features/verify.feature::test_every_offering_of_the_broker_becomes_a_class_and_a_plan",
        "features/verify.feature::test_a_broker_url_nothing_listens_on_is_not_ready",
    ]


def test_the_folder_still_collects_each_scenario_once(tmp_path):
    ids = _collect("features/", f"--reports-dir={tmp_path}")
    assert len(ids) == len(set(ids)) and all(i.startswith("features/test_features.py::") for i in ids), ids[:5]
