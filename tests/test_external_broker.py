"""--broker-url: a broker the suite did not start, checked before registering
it, with its credentials never on the command line."""
from __future__ import annotations

import pytest

from fixtures.actors.brokers.external import ENV_PASSWORD, ENV_TOKEN, ENV_USERNAME, ExternalBroker, catalog_violations, parse_external_broker
from fixtures.actors.brokers.mock import BasicAuth, BearerAuth, MockBroker
from fixtures.actors.brokers.osb import builtin_catalog
from fixtures.core.errors import SuiteError


@pytest.fixture
def no_broker_env(monkeypatch):
    for name in (ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "url, line",
    [
        ("broker.example.com", "give the broker's base URL"),
        ("ftp://broker.example.com", "give the broker's base URL"),
        ("https://admin:pw@broker.example.com", "must not carry credentials"),
    ],
)
def test_a_bad_url_is_refused_in_one_line(url, line, no_broker_env):
    with pytest.raises(SuiteError, match=line):
        parse_external_broker(url, None, None, False)


def test_credentials_come_from_a_file_or_the_environment(tmp_path, monkeypatch, no_broker_env):
    with pytest.raises(SuiteError, match="needs the broker's credentials"):
        parse_external_broker("https://b.example", None, None, False)
    monkeypatch.setenv(ENV_TOKEN, "t0ken-from-env")
    assert parse_external_broker("https://b.example", None, None, False).auth == BearerAuth("t0ken-from-env")
    credentials = tmp_path / "broker.yaml"
    credentials.write_text("username: admin\npassword: from-a-file\n")
    assert parse_external_broker("https://b.example", str(credentials), None, False).auth == BasicAuth("admin", "from-a-file")


def test_a_ca_file_that_is_not_pem_is_refused(tmp_path, monkeypatch, no_broker_env):
    monkeypatch.setenv(ENV_TOKEN, "t")
    not_pem = tmp_path / "ca.der"
    not_pem.write_bytes(b"\x30\x82binary")
    with pytest.raises(SuiteError, match="is not a PEM certificate"):
        parse_external_broker("https://b.example", None, str(not_pem), False)
    with pytest.raises(SuiteError, match="contradict"):
        parse_external_broker("https://b.example", None, str(not_pem), True)


def test_the_catalog_is_read_as_service_catalog_will():
    document = {
        "services": [
            {"id": "1", "name": "Good_Name", "plans": [{"id": "2", "name": "basic"}, {"id": "2", "name": "basic"}]},
            {"id": "1", "name": "no-plans", "plans": []},
        ]
    }
    found = catalog_violations(document)
    assert "service Good_Name: the name is not CLI-friendly (lower-case letters, digits and '-')" in found
    assert "plan Good_Name/basic: id 2 is also the id of plan Good_Name/basic" in found
    assert "plan Good_Name/basic: the name is used twice in the service" in found
    assert "service no-plans: id 1 is also the id of service Good_Name" in found
    assert "service no-plans: no plans (OSB: every service has at least one)" in found
    assert catalog_violations({"services": []}) == ["catalog: no services (a Ready broker with no offerings)"]
    assert catalog_violations(builtin_catalog("aws-full").to_osb()) == []


def test_a_running_broker_is_checked_and_wrong_credentials_are_one_line(tmp_path, monkeypatch, no_broker_env):
    with MockBroker(builtin_catalog("aws-minimal"), tmp_path, auth=BearerAuth.generate(), tls="trusted") as mock:
        ca = tmp_path / "ca.pem"
        ca.write_bytes(mock.ca_pem)
        monkeypatch.setenv(ENV_TOKEN, mock.auth.token)
        with ExternalBroker(parse_external_broker(mock.url, None, str(ca), False)) as broker:
            assert broker.fetch_catalog().plan_pairs() == mock.fetch_catalog().plan_pairs()
            assert broker.findings == [], broker.findings  # the mock answers 401 and 412 as OSB asks
        monkeypatch.setenv(ENV_TOKEN, "not-the-token")
        with pytest.raises(SuiteError, match="refused the given bearer credentials \\(HTTP 401\\)"):
            ExternalBroker(parse_external_broker(mock.url, None, str(ca), False)).start()
    with pytest.raises(SuiteError, match="does not answer"):
        ExternalBroker(parse_external_broker(mock.url, None, str(ca), False)).start()


def test_a_user_qualifies_their_own_broker_with_one_command(tmp_path, reports, no_broker_env):
    """The README's command, against a broker this test runs as "someone else's"."""
    from tests.conftest import run_suite

    with MockBroker(builtin_catalog("aws-minimal"), tmp_path, auth=BearerAuth.generate(), tls="trusted") as theirs:
        ca = tmp_path / "their-ca.pem"
        ca.write_bytes(theirs.ca_pem)
        result = run_suite(f"--broker-url={theirs.url}", f"--broker-ca={ca}", "-m", "verify or method2 or marketplace", "-rs",
                           reports=reports, env={ENV_TOKEN: theirs.auth.token})
    output = result.stdout
    assert result.returncode == 0, output[-3000:]
    assert theirs.auth.token not in output, "the token reached the output"
    # Verify (3), Method 2's registration and wrong credentials (their bearer examples), the
    # missing Secret, the namespaced broker, the marketplace (its aws-minimal example) and the
    # class deleted behind Service Catalog's back: 9; the rest are skipped, each with its reason.
    assert "9 passed" in output, output[-2000:]
    assert "needs the suite's own mock broker" in output and "takes bearer credentials; this example is about basic" in output
    [run] = [p for p in reports.iterdir() if p.is_dir() and p.name != "latest"]
    assert f"url: {theirs.url}" in (run / "external-broker.txt").read_text()
    assert theirs.auth.token not in "".join(p.read_text(errors="replace") for p in run.rglob("*") if p.is_file())
