"""Steps about the broker itself: serving a catalog, its credentials, and
scripting how it behaves while Service Catalog talks to it."""
from __future__ import annotations

from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, when

from fixtures.actors.brokers.external import ExternalBroker
from fixtures.actors.brokers.mock import BasicAuth, BearerAuth, MockBroker, TlsMode
from fixtures.actors.brokers.osb import Catalog, scenario_catalog
from fixtures.platform.catalog.registration import SecretRef, create_auth_secret, update_auth_secret
from fixtures.core.lifecycle import witness

AUTH_KINDS: dict[str, type[BasicAuth] | type[BearerAuth]] = {"basic": BasicAuth, "bearer": BearerAuth}


# The catalog an external broker's run stands for: it serves its own, once.
EXTERNAL_CATALOG_EXAMPLE = "aws-minimal"


def _external(broker: ExternalBroker, example: dict[str, str]) -> ExternalBroker:
    """--broker-url: the broker as it is, with its own catalog and credentials; an
    Outline's examples that describe another broker do not apply to it."""
    if example.get("auth", broker.auth.kind) != broker.auth.kind:
        pytest.skip(f"the broker at {broker.url} takes {broker.auth.kind} credentials; this example is about {example['auth']}")
    # Examples that differ only by catalog would check the same broker twice; where the
    # auth column tells examples apart, that decides instead.
    if "auth" not in example and example.get("catalog", EXTERNAL_CATALOG_EXAMPLE) != EXTERNAL_CATALOG_EXAMPLE:
        pytest.skip(f"the broker at {broker.url} serves its own catalog, checked once (by the {EXTERNAL_CATALOG_EXAMPLE} example)")
    witness(broker)  # started once per run: its exchanges join this scenario's failure bundle
    return broker


@given(parsers.parse('an OSB broker serving the catalog "{catalog_name}" with basic auth'), target_fixture="osb_broker")
def plain_http_broker(
    catalog_name: str, run_folder, scenario_id: str, broker_placement, external_broker: ExternalBroker | None, example: dict[str, str], suite_options
) -> Iterator[MockBroker | ExternalBroker]:
    if external_broker is not None:
        yield _external(external_broker, example)
        return
    with MockBroker(
        scenario_catalog(catalog_name, scenario_id), run_folder.logs / scenario_id, placement=broker_placement, start_timeout=suite_options.start_timeout,
        min_api_version=suite_options.mock_broker_osb_version,
    ) as broker:
        yield broker


@given(parsers.parse('an OSB broker serving the catalog "{catalog_name}" over {tls} TLS with {auth} auth'), target_fixture="osb_broker")
def tls_broker(
    catalog_name: str, tls: str, auth: str, run_folder, scenario_id: str, broker_placement, external_broker: ExternalBroker | None, example: dict[str, str],
    suite_options,
) -> Iterator[MockBroker | ExternalBroker]:
    modes: dict[str, TlsMode] = {"trusted": "trusted", "untrusted": "untrusted"}
    assert tls in modes, f"TLS is 'trusted' or 'untrusted', not {tls!r}"
    if external_broker is not None:
        yield _external(external_broker, example)
        return
    broker = MockBroker(
        scenario_catalog(catalog_name, scenario_id), run_folder.logs / scenario_id, auth=AUTH_KINDS[auth].generate(), tls=modes[tls],
        placement=broker_placement, start_timeout=suite_options.start_timeout, min_api_version=suite_options.mock_broker_osb_version,
    )
    with broker:
        yield broker


@given("a Secret holding the broker's credentials", target_fixture="broker_secret")
def broker_secret(kube_api: client.ApiClient, namespace: str, osb_broker: MockBroker) -> SecretRef:
    return create_auth_secret(client.CoreV1Api(kube_api), SecretRef(namespace, "broker-credentials"), osb_broker.auth.secret_data())


@given(parsers.parse("a Secret holding wrong {auth} credentials"), target_fixture="broker_secret")
def wrong_secret(kube_api: client.ApiClient, namespace: str, osb_broker: MockBroker, auth: str) -> SecretRef:
    wrong = AUTH_KINDS[auth].generate()
    assert wrong != osb_broker.auth
    return create_auth_secret(client.CoreV1Api(kube_api), SecretRef(namespace, "broker-credentials"), wrong.secret_data())


@given("no Secret holds the broker's credentials", target_fixture="broker_secret")
def missing_secret(kube_api: client.ApiClient, namespace: str) -> SecretRef:
    ref = SecretRef(namespace, "broker-credentials")
    names = [s.metadata.name for s in client.CoreV1Api(kube_api).list_namespaced_secret(namespace).items]
    assert ref.name not in names, f"Secret {ref.name} exists in {namespace}"
    return ref


@given(parsers.parse("the broker answers the catalog with HTTP {status:d}"))
@when(parsers.parse("the broker answers the catalog with HTTP {status:d}"))
def broker_fails_catalog(osb_broker: MockBroker, status: int) -> None:
    osb_broker.set_behaviour(catalog_status=status)
    assert osb_broker.get("/v2/catalog").status_code == status


@when("the broker answers the catalog normally again")
def broker_recovers(osb_broker: MockBroker) -> None:
    osb_broker.set_behaviour(catalog_status=200)
    assert osb_broker.get("/v2/catalog").status_code == 200


@when(parsers.parse('the broker stops offering "{removed}" and starts offering "{added}" from the catalog "{source}"'))
def catalog_drift(osb_broker: MockBroker, removed: str, added: str, source: str, scenario_id: str, class_changes) -> None:
    # class_changes: watching the classes from before the drift, so a short-lived state is seen.
    current = osb_broker.fetch_catalog()
    addition = [s for s in scenario_catalog(source, scenario_id).services if s.name == added]
    assert addition, f"the catalog {source!r} has no service {added!r}"
    assert removed in {s.name for s in current.services}, f"the broker does not offer {removed!r}"
    osb_broker.serve_catalog(Catalog(tuple(s for s in current.services if s.name != removed) + tuple(addition)))
    served = {s.name for s in osb_broker.fetch_catalog().services}
    assert added in served and removed not in served, served


@given(parsers.parse("the broker answers after {seconds:g} seconds"))
def broker_is_slow(osb_broker: MockBroker, seconds: float) -> None:
    osb_broker.set_behaviour(latency_seconds=seconds)
    answer = osb_broker.get("/v2/catalog")
    assert answer.elapsed.total_seconds() >= seconds, f"the broker answered in {answer.elapsed}"


@given("the broker answers the catalog with malformed JSON")
def broker_malformed(osb_broker: MockBroker) -> None:
    osb_broker.set_behaviour(malformed_catalog=True)
    answer = osb_broker.get("/v2/catalog")
    try:
        answer.json()
    except ValueError:
        return
    raise AssertionError(f"the broker's catalog is still valid JSON: {answer.text[:100]}")


@when("the broker rotates its credentials", target_fixture="rotated_auth")
def broker_rotates(osb_broker: MockBroker):
    old = osb_broker.auth
    new = osb_broker.rotate_credentials()
    assert osb_broker.get("/v2/catalog", auth=old).status_code == 401
    return new


@when("the Secret is updated with the broker's new credentials")
def secret_updated(kube_api: client.ApiClient, broker_secret: SecretRef, osb_broker: MockBroker) -> None:
    core = client.CoreV1Api(kube_api)
    update_auth_secret(core, broker_secret, osb_broker.auth.secret_data())
    stored = core.read_namespaced_secret(broker_secret.name, broker_secret.namespace).data or {}
    assert set(osb_broker.auth.secret_data()) <= set(stored), f"Secret keys: {sorted(stored)}"


@given(parsers.parse("the broker requires X-Broker-API-Version {version}"))
def broker_requires_version(osb_broker: MockBroker, version: str) -> None:
    osb_broker.set_behaviour(min_api_version=version)
    assert osb_broker.get("/v2/catalog", api_version="2.14").status_code == 412


@when("the broker's certificate is replaced by one from a CA the cluster does not trust")
def broker_certificate_replaced(osb_broker: MockBroker) -> None:
    osb_broker.replace_certificate("untrusted")
    assert osb_broker.get("/v2/catalog").status_code == 200  # still serving, to whoever trusts its new CA
