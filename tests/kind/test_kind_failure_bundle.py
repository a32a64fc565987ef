"""On kind, a forced failure still leaves a complete bundle (Service Catalog's
logs come from its pods, the broker's from its container), kind's own logs are
exported into the run, and no canary secret reaches any file of it. Runs only
from `make e2e-kind`."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fixtures.core.redaction import CANARY_ENV
from tests.conftest import REPO_ROOT

CANARY = "CANARYkd7w"
BUNDLE_PARTS = {
    "failure.txt", "broker-http-exchanges.json", "broker.log", "events-catalog.txt",
    "catalog-catalog-controller-manager.tail.log", "catalog-catalog-webhook.tail.log",
}

pytestmark = pytest.mark.skipif(
    os.environ.get("ASB_CONFORMANCE_KIND_TESTS") != "1", reason="kind tests run from `make e2e-kind` (ASB_CONFORMANCE_KIND_TESTS=1)"
)


def test_a_forced_failure_on_kind_leaves_a_bundle_and_kind_logs_and_no_secret(tmp_path):
    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/forced_failure", "-p", "no:cacheprovider", "--cluster=kind", f"--reports-dir={reports}", "--ready-timeout=10"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200,
        env={**os.environ, CANARY_ENV: CANARY, "ASB_CONFORMANCE_FORCE_FAILURE": "1"},
    )
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout[-3000:]
    [run] = [p for p in reports.iterdir() if p.is_dir() and not p.is_symlink()]
    [bundle] = list((run / "failures").iterdir())
    parts = {p.name for p in bundle.iterdir()}
    assert BUNDLE_PARTS <= parts, sorted(BUNDLE_PARTS - parts)
    assert "GET /v2/catalog" in (bundle / "broker.log").read_text() or "/v2/catalog" in (bundle / "broker-http-exchanges.json").read_text()
    assert "could not gather" not in (bundle / "catalog-catalog-controller-manager.tail.log").read_text()
    kind_logs = run / "logs" / "kind-logs"
    assert kind_logs.is_dir() and any(kind_logs.rglob("kubelet.log")), "kind's logs were not exported"
    leaks = [str(p.relative_to(run)) for p in run.rglob("*") if p.is_file() and CANARY in p.read_text(errors="replace")]
    assert not leaks, f"the canary secret is in {leaks}"
    assert CANARY not in result.stdout + result.stderr
