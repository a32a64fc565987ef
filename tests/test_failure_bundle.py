"""A deliberately failing scenario leaves a complete failure bundle, every
report format points at it, and no canary secret reaches any file of the run."""
from __future__ import annotations

import os
import subprocess
import sys

from fixtures.brokers.mock import BasicAuth, BearerAuth
from fixtures.redaction import CANARY_ENV
from tests.conftest import REPO_ROOT

CANARY = "CANARYzz9q"
BUNDLE_PARTS = {
    "failure.txt", "README.md", "broker-http-exchanges.json", "broker.log", "events-default.txt", "events-catalog.txt",
    "kube-apiserver.tail.log", "service-catalog-controller-manager.tail.log", "service-catalog-webhook.tail.log", "commands.tail.log",
}


def test_generated_secrets_carry_the_canary(monkeypatch):
    monkeypatch.setenv(CANARY_ENV, CANARY)
    assert BasicAuth.generate().password.startswith(CANARY)
    assert BearerAuth.generate().token.startswith(CANARY)


def test_a_forced_failure_leaves_a_full_bundle_and_no_secret_anywhere(tmp_path):
    reports = tmp_path / "reports"
    selection = "forced or (credentials_in_a_secret and basic) or table_is_missing or prerequisites_stack"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/forced_failure", "features/test_features.py", "-p", "no:cacheprovider",
         f"--reports-dir={reports}", "--ready-timeout=10", "-k", selection],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, CANARY_ENV: CANARY, "ASB_CONFORMANCE_FORCE_FAILURE": "1"},
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed, 3 passed" in result.stdout, result.stdout[-3000:]
    [run] = [p for p in reports.iterdir() if p.is_dir() and not p.is_symlink()]
    [bundle] = list((run / "failures").iterdir())
    parts = {p.name for p in bundle.iterdir()}
    assert BUNDLE_PARTS <= parts, sorted(BUNDLE_PARTS - parts)
    assert any(p.startswith("ClusterServiceBroker-") for p in parts) and any(p.startswith("classes-and-plans-") for p in parts)
    [probe] = [p for p in bundle.iterdir() if p.name.startswith("direct-probe-")]
    assert "as registered: HTTP 200, 3 services" in probe.read_text() and "look at the platform" in probe.read_text()
    headline = (bundle / "failure.txt").read_text().splitlines()[0]
    assert headline.startswith("broker aws-sb-") and "last seen:" in headline and "Ready=True reason=FetchedCatalog" in headline
    relative = str(bundle.relative_to(run))
    assert relative in (run / "junit.xml").read_text()
    assert relative in (run / "report.html").read_text()
    assert str(bundle) in (run / "cucumber.json").read_text()
    leaks = [str(p.relative_to(run)) for p in run.rglob("*") if p.is_file() and CANARY in p.read_text(errors="replace")]
    assert not leaks, f"the canary secret is in {leaks}"
    assert CANARY not in result.stdout + result.stderr
