"""Turning a user's bug report into a scenario."""
import json

import pytest

from fixtures.cli import replay


@pytest.fixture
def bug_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(replay, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(replay, "BUG_REPORTS", tmp_path / "features" / "bug_reports")
    return tmp_path / "features" / "bug_reports"


def _catalog(tmp_path, document):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document))
    return path


def test_an_empty_catalog_report_becomes_a_ready_without_offerings_scenario(tmp_path, bug_reports):
    broker = tmp_path / "broker.yaml"
    broker.write_text("spec: {authInfo: {basic: {secretRef: {name: s}}}}\nstatus: {conditions: [{type: Ready, status: 'True', reason: FetchedCatalog, message: ok}]}\n")
    feature = replay.write_scenario("empty", _catalog(tmp_path, {"services": None}), "ready-without-offerings", broker, "Kubernetes 1.15")
    text = feature.read_text()
    assert 'serving the catalog "features/bug_reports/empty.catalog.json" over trusted TLS with basic auth' in text
    assert 'And the broker\'s offerings step fails with "Ready but no offerings"' in text
    assert "Reported broker status: Ready=True FetchedCatalog: ok" in text
    assert json.loads((bug_reports / "empty.catalog.json").read_text()) == {"services": None}


def test_not_ready_names_the_reason(tmp_path, bug_reports):
    feature = replay.write_scenario("noplans", _catalog(tmp_path, {"services": []}), "not-ready:ErrorSyncingCatalog")
    assert 'Then the ClusterServiceBroker is not Ready, for the reason "ErrorSyncingCatalog"' in feature.read_text()


@pytest.mark.parametrize(
    "name, document, expect, message",
    [
        ("Bad Name", {"services": []}, "ready", "lower-case letters"),
        ("ok", {"nothing": 1}, "ready", "top-level 'services'"),
        ("ok", {"services": []}, "sometimes", "use ready, ready-without-offerings or not-ready:REASON"),
    ],
)
def test_bad_reports_are_refused_in_one_line(tmp_path, bug_reports, capsys, name, document, expect, message):
    code = replay.main(["--name", name, "--catalog", str(_catalog(tmp_path, document)), "--expect", expect])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
