"""A deliberately failing scenario leaves a complete failure bundle, every
report format points at it, and no canary secret reaches any file of the run."""
from __future__ import annotations

from fixtures.actors.brokers.mock import BasicAuth, BearerAuth
from fixtures.core.redaction import CANARY_ENV
from tests.conftest import CANARY, SuiteRun

BUNDLE_PARTS = {
    "failure.txt", "README.md", "broker-http-exchanges.json", "broker.log", "events-default.txt", "events-catalog.txt",
    "kube-apiserver.tail.log", "service-catalog-controller-manager.tail.log", "service-catalog-webhook.tail.log", "commands.tail.log",
}


def test_generated_secrets_carry_the_canary(monkeypatch):
    monkeypatch.setenv(CANARY_ENV, CANARY)
    assert BasicAuth.generate().password.startswith(CANARY)
    assert BearerAuth.generate().token.startswith(CANARY)


def test_a_forced_failure_leaves_a_full_bundle_and_no_secret_anywhere(forced_failure_run: SuiteRun):
    result, run = forced_failure_run.result, forced_failure_run.run
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed, 3 passed" in result.stdout, result.stdout[-3000:]
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
    # The pages a person reads are checked too: the run's page, its scenario records, the index of runs.
    written = [p for p in forced_failure_run.reports.rglob("*") if p.is_file()]
    pages = {run / "evidence.html", run / "evidence.json", forced_failure_run.reports / "index.html"}
    assert pages <= set(written) and any(p.parent.name == "scenarios" for p in written), sorted(map(str, written))
    leaks = [str(p.relative_to(forced_failure_run.reports)) for p in written if CANARY in p.read_text(errors="replace")]
    assert not leaks, f"the canary secret is in {leaks}"
    assert CANARY not in result.stdout + result.stderr
