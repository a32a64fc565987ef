"""The compatibility matrix: its cells (a pairwise cover plus the version boundaries), the
workflow generated from them, a cell's run read back into one line, and the merged table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.cli.matrix.__main__ import main
from fixtures.cli.matrix.cells import REPO_ROOT, all_pairs, load_matrix, uncovered_pairs
from fixtures.cli.matrix.workflow import WORKFLOW_PATH, workflow
from fixtures.reporting.compat import CellResult, read_run, regressions

MATRIX = load_matrix()
EMBEDDED = [cell for cell in MATRIX.cells if cell.profile == "embedded"]


def test_there_are_at_least_ten_cells_each_with_its_reason():
    assert len(MATRIX.cells) >= 10
    assert all(cell.why for cell in MATRIX.cells)


def test_the_embedded_cells_pair_every_kubernetes_with_each_other_axis_and_the_other_axes_with_each_other():
    """Kubernetes x Helm is left out on purpose (tools/matrix.toml says why); OSB versions other
    than Service Catalog's pair with the mock broker only (only it can demand one)."""
    pairs = [("kubernetes", axis) for axis in ("service_catalog", "kf", "broker")] + all_pairs(("service_catalog", "helm", "kf", "broker"))
    assert uncovered_pairs(EMBEDDED, MATRIX.axes, pairs) == []
    assert uncovered_pairs([c for c in EMBEDDED if c.broker == "mock"], MATRIX.axes, [("osb", "service_catalog")]) == []


def test_every_known_version_boundary_has_a_cell():
    has = lambda **values: any(all(cell.value(k) == v for k, v in values.items()) for cell in MATRIX.cells)  # noqa: E731
    assert has(kubernetes="1.22", service_catalog="v0.3.1", kf="0.2.0")  # rbac/v1beta1 and the other removed APIs
    assert has(kubernetes="1.24")
    assert has(kubernetes="1.19", kf="2.11.32")  # Kf 2.11's minimum Kubernetes
    assert has(osb="2.14", broker="mock")  # Service Catalog v0.3.0 sends 2.13, v0.3.1 2.14
    assert has(profile="kind", helm="4.3.2")  # Helm 4 and the page's helm install
    assert has(profile="kind", kubernetes="1.24")


def test_the_workflow_is_generated_from_the_same_cells():
    assert (REPO_ROOT / WORKFLOW_PATH).read_text() == workflow(MATRIX), f"regenerate it: python -m fixtures.cli.matrix workflow > {WORKFLOW_PATH}"
    for cell in MATRIX.cells:
        assert f"cell: {cell.id}," in workflow(MATRIX)


def test_a_cell_is_an_ordinary_run_a_user_can_type():
    cell = MATRIX.cell("k8s119-kf2")
    assert cell.command().startswith('.venv/bin/pytest features/ -m "matrix and (kf2 or verify)" --cluster=embedded')
    assert "--kubernetes-version=1.19" in cell.pytest_args() and "--helm-version=4.3.2" in cell.pytest_args()


def _run(folder: Path, scenarios: list[dict], drift: list[dict] = (), records: list[dict] = ()) -> Path:
    run = folder / "20261205T000000Z-abcd"
    (run / "scenarios").mkdir(parents=True)
    (run / "evidence.json").write_text(json.dumps({"scenarios": scenarios}))
    (run / "doc-drift.json").write_text(json.dumps(list(drift)))
    for index, record in enumerate(records):
        (run / "scenarios" / f"{index}.json").write_text(json.dumps(record))
    return run


def test_a_run_that_passed_is_one_line_with_its_counts(tmp_path: Path):
    run = _run(tmp_path, [{"scenario": "a", "outcome": "passed"}, {"scenario": "b", "outcome": "xfailed"}, {"scenario": "c", "outcome": "skipped"}])
    assert read_run(run) == ("pass", "pass (1 passed, 1 skipped, 1 xfailed)", {"passed": 1, "skipped": 1, "xfailed": 1})


def test_a_failed_run_names_the_page_step_the_scenario_its_step_and_the_reason(tmp_path: Path):
    run = _run(
        tmp_path,
        [{"scenario": "test_the_pages_clusterservicebroker_becomes_ready", "outcome": "failed", "message": "Service Catalog did not start: rbac.authorization.k8s.io/v1beta1 not found\nmore"}],
        drift=[{"step": "1", "verdict": "translated"}, {"step": "8", "verdict": "fails"}],
        records=[{"node_id": "features/test_features.py::test_the_pages_clusterservicebroker_becomes_ready", "name": "The page's ClusterServiceBroker becomes Ready",
                  "sentence": "error: kubectl apply failed: no matches for kind \"ClusterRoleBinding\" in version \"rbac.authorization.k8s.io/v1beta1\"",
                  "steps": [{"keyword": "Given", "text": "a cluster", "status": "passed"}, {"keyword": "Given", "text": "Service Catalog installed", "status": "failed"}]}],
    )
    status, line, _ = read_run(run)
    assert status == "fails"
    assert line == ('fails at step 8 (Given Service Catalog installed): error: kubectl apply failed: no matches for kind "ClusterRoleBinding" '
                    "in version \"rbac.authorization.k8s.io/v1beta1\" [scenario: The page's ClusterServiceBroker becomes Ready; 1 failed]")


def test_a_run_where_nothing_ran_is_not_applicable_with_the_first_reason(tmp_path: Path):
    run = _run(tmp_path, [{"scenario": "a", "outcome": "skipped", "message": "needs a cluster whose pods run"}])
    assert read_run(run)[:2] == ("not applicable", "not applicable: needs a cluster whose pods run")


def _result(cell: str, status: str, line: str = "") -> CellResult:
    return CellResult(cell, status, line or status, dict.fromkeys(("profile", "kubernetes", "service_catalog", "helm", "kf", "broker", "osb"), "x"), "why", "cmd")


def test_a_cell_worse_than_the_baseline_is_a_regression_and_a_better_one_is_not():
    baseline = [_result("pins", "pass"), _result("k8s122", "fails", "fails at step 1")]
    now = [_result("pins", "fails", "fails at step 8: x"), _result("k8s122", "pass")]
    assert regressions(now, baseline) == ["pins: pass in the baseline, now fails at step 8: x"]


def test_merge_writes_the_table_and_the_exit_code_says_whether_a_cell_regressed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "matrix" / "m1"
    for result in (_result("pins", "pass", "pass (9 passed)"), _result("k8s122", "fails", "fails at step 1: rbac/v1beta1")):
        (folder / "cells" / result.cell).mkdir(parents=True)
        result.evidence = f"cells/{result.cell}/run/evidence.html"
        result.save(folder / "cells" / result.cell / "result.json")
    assert main(["merge", "--id", "m1", "--reports-dir", str(tmp_path)]) == 0
    markdown, page = (folder / "compat.md").read_text(), (folder / "compat.html").read_text()
    assert "| [k8s122](cells/k8s122/run/evidence.html) |" in markdown and "**fails**: fails at step 1: rbac/v1beta1" in markdown
    assert 'background:#f8d7da' in page and 'href="cells/pins/run/evidence.html"' in page and "<script" not in page
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"cells": [json.loads((folder / "cells" / "k8s122" / "result.json").read_text()) | {"status": "pass"}]}))
    assert main(["merge", "--id", "m1", "--reports-dir", str(tmp_path), "--baseline", str(baseline)]) == 1
    assert "regressed: k8s122: pass in the baseline, now fails at step 1: rbac/v1beta1" in capsys.readouterr().out


@pytest.mark.parametrize("argv, line", [
    (["run", "--cells", "nope"], "error: no cell 'nope' in tools/matrix.toml: choose from pins,"),
    (["merge", "--baseline", "/nonexistent/compat.json"], "error: --baseline /nonexistent/compat.json: no such file (an earlier matrix's compat.json)"),
    (["run", "--jobs", "0"], "error: --jobs 0: give 1 or more"),
])
def test_bad_input_is_one_line_and_exit_2(argv, line, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main([*argv, "--reports-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(line), err
    assert not (tmp_path / "matrix").exists()


@pytest.mark.parametrize("failed_step, page_step", [
    ("Given a Kubernetes cluster with Service Catalog installed", "1"),
    ("Then the ClusterServiceBroker becomes Ready", "8"),
    ("And kf marketplace lists the broker's offerings", "10"),
    ("When I helm install the chart into \"aws-sb\" with the stack's access key", "5"),
    ("Then kf create-service-broker says Success", "13"),
])
def test_a_failures_page_step_is_what_its_gherkin_step_does(failed_step, page_step, tmp_path: Path):
    """Every failing scenario marks step 1 in doc-drift.json (all use its cluster): the step's own words decide."""
    keyword, text = failed_step.split(" ", 1)
    run = _run(
        tmp_path, [{"scenario": "test_x", "outcome": "failed", "message": "bundle path"}],
        drift=[{"step": "1", "verdict": "fails"}, {"step": "2", "verdict": "fails"}],
        records=[{"node_id": "features/test_features.py::test_x", "name": "X", "sentence": "why", "steps": [{"keyword": keyword, "text": text, "status": "failed"}]}],
    )
    assert read_run(run)[1] == f"fails at step {page_step} ({failed_step}): why [scenario: X; 1 failed]"
