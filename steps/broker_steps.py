"""Steps about a broker: serving it, registering it, and what Service Catalog says."""
from __future__ import annotations

from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, then, when

from fixtures.brokers.mock import MockBroker
from fixtures.brokers.osb import builtin_catalog
from fixtures.catalog.registration import (
    SecretRef,
    apply_manifest,
    broker_watch,
    create_auth_secret,
    delete_broker,
    page_cluster_service_broker,
    wait_until_failed,
    wait_until_ready,
)
from fixtures.catalog.status import BrokerStatus, parse_kubectl_table
from fixtures.processes import free_port
from fixtures.waiting import WaitTimeout

# How long the negative check gives a wrong expectation before reading its failure text.
EXPECTATION_PROBE_SECONDS = 2.0


@given(parsers.parse('an OSB broker serving the catalog "{catalog_name}" with basic auth'), target_fixture="osb_broker")
def osb_broker(catalog_name: str, run_folder, scenario_id: str) -> Iterator[MockBroker]:
    with MockBroker(builtin_catalog(catalog_name), run_folder.logs / scenario_id) as broker:
        yield broker


@given("a Secret holding the broker's basic auth credentials", target_fixture="broker_secret")
def broker_secret(kube_api: client.ApiClient, namespace: str, osb_broker: MockBroker) -> SecretRef:
    ref = SecretRef(namespace, "broker-credentials")
    return create_auth_secret(client.CoreV1Api(kube_api), ref, osb_broker.auth.secret_data())


@pytest.fixture
def registered_broker(kube_api: client.ApiClient, suite_options) -> Iterator[dict]:
    """Holds what a scenario registered; deletes it (and waits until it is gone) afterwards."""
    registered: dict = {}
    yield registered
    if "name" in registered:
        delete_broker(kube_api, registered["name"], suite_options.ready_timeout)


def _register(service_catalog, registered_broker: dict, scenario_id: str, url: str, secret: SecretRef) -> str:
    manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", url, secret, auth="basic")
    apply_manifest(service_catalog.kubectl, manifest)
    registered_broker.update(name=manifest["metadata"]["name"], url=url)
    return manifest["metadata"]["name"]


@when("I apply the page's ClusterServiceBroker pointing at the broker", target_fixture="broker_name")
def apply_broker(service_catalog, registered_broker: dict, scenario_id: str, osb_broker: MockBroker, broker_secret: SecretRef) -> str:
    return _register(service_catalog, registered_broker, scenario_id, osb_broker.url, broker_secret)


@when("I apply the page's ClusterServiceBroker pointing at a URL nothing listens on", target_fixture="broker_name")
def apply_broker_to_nothing(service_catalog, registered_broker: dict, scenario_id: str, broker_secret: SecretRef) -> str:
    return _register(service_catalog, registered_broker, scenario_id, f"http://127.0.0.1:{free_port()}", broker_secret)


@then("the ClusterServiceBroker becomes Ready", target_fixture="broker_status")
def broker_becomes_ready(kube_api: client.ApiClient, broker_name: str, suite_options) -> BrokerStatus:
    with broker_watch(kube_api, broker_name) as watch:
        return wait_until_ready(watch, suite_options.ready_timeout)


@then(parsers.parse('the ClusterServiceBroker is not Ready, for the reason "{reason}"'), target_fixture="broker_status")
def broker_not_ready(kube_api: client.ApiClient, broker_name: str, reason: str, suite_options) -> BrokerStatus:
    with broker_watch(kube_api, broker_name) as watch:
        return wait_until_failed(watch, reason, suite_options.ready_timeout)


@then("expecting it to be Ready fails, naming the last condition seen")
def expecting_ready_fails(kube_api: client.ApiClient, broker_name: str, broker_status: BrokerStatus) -> None:
    with broker_watch(kube_api, broker_name) as watch, pytest.raises(WaitTimeout) as failure:
        wait_until_ready(watch, EXPECTATION_PROBE_SECONDS)
    message = str(failure.value)
    ready = broker_status.condition("Ready")
    assert ready is not None and f"Ready=False reason={ready.reason}" in message, message
    assert ready.message[:40] in message, message


@then(parsers.parse('kubectl get ClusterServiceBroker prints STATUS "{status}" and the broker\'s URL'))
def kubectl_shows_status(service_catalog, broker_name: str, registered_broker: dict, status: str) -> None:
    output = service_catalog.kubectl.run("get", "ClusterServiceBroker", broker_name).stdout
    rows = parse_kubectl_table(output)
    assert [row.get("NAME") for row in rows] == [broker_name], output
    assert rows[0].get("STATUS") == status, f"STATUS column is {rows[0].get('STATUS')!r}, not {status!r}:\n{output}"
    assert rows[0].get("URL") == registered_broker["url"], output
