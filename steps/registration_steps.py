"""Steps about registering a broker with Service Catalog (the page's steps 8,
9 and 13) and what Service Catalog then says about it."""
from __future__ import annotations

from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import parsers, then, when

from fixtures.actors.brokers.mock import MockBroker
from fixtures.actors.brokers.osb import Catalog
from fixtures.platform.catalog.events import wait_for_event
from fixtures.platform.catalog.registration import (
    Registration,
    SecretRef,
    apply_manifest,
    broker_watch,
    delete_broker,
    namespaced_service_broker,
    offerings_of,
    page_cluster_service_broker,
    page_kubectl_get_broker,
    registration_findings,
    wait_until_failed,
    wait_until_ready,
)
from fixtures.platform.catalog.status import BrokerStatus, parse_kubectl_table
from fixtures.platform.cluster.leftovers import keep_cluster_broker
from fixtures.core.parallel import ScenarioTurns
from fixtures.core.processes import free_port
from fixtures.core.turn_names import CATALOG_WRITES, CLASS_NAMES, LARGE_CATALOG_OBJECTS
from fixtures.core.waiting import WaitTimeout

# How long the negative check gives a wrong expectation before reading its failure text.
EXPECTATION_PROBE_SECONDS = 2.0


class Registrations(list[Registration]):
    """What a scenario registered, and the turns its registrations take under
    xdist: the class names until the teardown below has removed them; the
    catalog writes while Service Catalog writes or deletes their classes."""

    def __init__(self, turns: ScenarioTurns):
        super().__init__()
        self.turns = turns
        self.large: set[str] = set()  # names of those whose catalogs Service Catalog writes whole

    def take_catalog_writes(self, registration: Registration) -> None:
        self.turns.take(CATALOG_WRITES, shared=registration.name not in self.large)


@pytest.fixture
def registrations(kube_api: client.ApiClient, suite_options, keeper, scenario_turns: ScenarioTurns) -> Iterator[Registrations]:
    """What a scenario registered; deleted (and waited for) afterwards: even on a
    cluster the run deletes, another scenario's `kf create-service NAME` resolves
    classes by their external names, which must then be offered once."""
    applied = Registrations(scenario_turns)
    yield applied
    if keeper.keeping:
        for registration in applied:
            if registration.namespace is None:  # a namespaced one is kept with its namespace
                keep_cluster_broker(kube_api, registration.name)
        return
    for registration in reversed(applied):
        offerings = offerings_of(kube_api, registration.name, registration.namespace)
        if offerings:  # Service Catalog deletes them before the broker
            applied.turns.take(CATALOG_WRITES, shared=offerings < LARGE_CATALOG_OBJECTS)
        delete_broker(kube_api, registration.name, suite_options.ready_timeout, registration.namespace)


def _apply(service_catalog, run_folder, registrations: Registrations, manifest: dict, broker: MockBroker | None) -> Registration:
    """`broker`: what serves the registration's URL (None: nothing does)."""
    registration = Registration(manifest)
    # What the writes and names of its classes collide with: fixtures/core/turn_names.py.
    if registration.namespace is None:
        registrations.turns.take(CLASS_NAMES, shared=True)
    if _catalog_objects(broker) >= LARGE_CATALOG_OBJECTS:
        registrations.large.add(registration.name)
    registrations.take_catalog_writes(registration)  # given back once Ready: its classes are written
    registrations.append(registration)  # before applying: an interrupted apply is cleaned up too
    apply_manifest(service_catalog.kubectl, manifest)
    run_folder.append_findings(registration_findings(manifest))
    return registration


def _catalog_objects(broker: MockBroker | None) -> int:
    """Services and plans Service Catalog will write for it; a broker the suite
    did not start (--broker-url) counts as large: its catalog is not known here."""
    if broker is None:
        return 0
    catalog = getattr(broker, "catalog", None)
    if not isinstance(catalog, Catalog):
        return LARGE_CATALOG_OBJECTS
    return sum(1 + len(service.plans) for service in catalog.services)


@when("I apply the page's ClusterServiceBroker pointing at the broker", target_fixture="registration")
def apply_plain(service_catalog, run_folder, registrations, scenario_id: str, osb_broker: MockBroker, broker_secret: SecretRef) -> Registration:
    # A caBundle only for a broker served over TLS (a broker the suite did not start may be).
    manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", osb_broker.url, broker_secret, auth=osb_broker.auth.kind, ca_bundle=osb_broker.ca_pem)
    return _apply(service_catalog, run_folder, registrations, manifest, osb_broker)


@when("I apply the page's ClusterServiceBroker pointing at a URL nothing listens on", target_fixture="registration")
def apply_to_nothing(service_catalog, run_folder, registrations, scenario_id: str, osb_broker: MockBroker, broker_secret: SecretRef) -> Registration:
    manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", f"http://127.0.0.1:{free_port()}", broker_secret, auth=osb_broker.auth.kind)
    return _apply(service_catalog, run_folder, registrations, manifest, None)


@when("I apply the page's ClusterServiceBroker, trusting the broker's CA", target_fixture="registration")
def apply_trusting_ca(service_catalog, run_folder, registrations, scenario_id: str, osb_broker: MockBroker, broker_secret: SecretRef) -> Registration:
    manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", osb_broker.url, broker_secret, osb_broker.auth.kind, ca_bundle=osb_broker.ca_pem)
    return _apply(service_catalog, run_folder, registrations, manifest, osb_broker)


@when("I apply the page's ClusterServiceBroker, skipping TLS verification", target_fixture="registration")
def apply_insecure(service_catalog, run_folder, registrations, scenario_id: str, osb_broker: MockBroker, broker_secret: SecretRef) -> Registration:
    manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", osb_broker.url, broker_secret, osb_broker.auth.kind, insecure=True)
    return _apply(service_catalog, run_folder, registrations, manifest, osb_broker)


@when("I apply the same registration as a namespaced ServiceBroker, trusting the broker's CA", target_fixture="registration")
def apply_namespaced(service_catalog, run_folder, registrations, scenario_id: str, namespace: str, osb_broker: MockBroker, broker_secret: SecretRef) -> Registration:
    cluster_manifest = page_cluster_service_broker(f"aws-sb-{scenario_id}", osb_broker.url, broker_secret, osb_broker.auth.kind, ca_bundle=osb_broker.ca_pem)
    return _apply(service_catalog, run_folder, registrations, namespaced_service_broker(cluster_manifest, namespace), osb_broker)


@when('a relist is requested with "svcat sync broker"')
def relist(svcat, registrations: Registrations, registration: Registration) -> None:
    registrations.take_catalog_writes(registration)  # the relist writes what changed
    # svcat's default --scope for sync is "namespace": a ClusterServiceBroker needs --scope cluster.
    scope = ["--scope", "cluster"] if registration.namespace is None else ["--scope", "namespace", "--namespace", registration.namespace]
    output = svcat.run("sync", "broker", registration.name, *scope).stdout
    assert f"Synchronization requested for broker: {registration.name}" in output, output


# Only the scenario's own registration: "the ClusterServiceBroker "NAME" becomes Ready"
# (Method 1, a named broker) and "the broker's pod becomes Ready" are other steps.
REGISTERED_KIND = r"the (?P<kind>ClusterServiceBroker|ServiceBroker)"


@then(parsers.re(REGISTERED_KIND + r" becomes Ready"), target_fixture="broker_status")
def becomes_ready(kube_api: client.ApiClient, registrations: Registrations, registration: Registration, kind: str, suite_options) -> BrokerStatus:
    assert kind == registration.kind, f"the scenario registered a {registration.kind}, not a {kind}"
    with broker_watch(kube_api, registration.name, registration.namespace) as watch:
        status = wait_until_ready(watch, suite_options.ready_timeout)
    registrations.turns.release(CATALOG_WRITES)  # Ready: Service Catalog has written its classes and plans
    return status


@then(parsers.re(REGISTERED_KIND + r' is not Ready, for the reason "(?P<reason>[^"]+)"'), target_fixture="broker_status")
def not_ready(kube_api: client.ApiClient, registration: Registration, kind: str, reason: str, suite_options) -> BrokerStatus:
    assert kind == registration.kind, f"the scenario registered a {registration.kind}, not a {kind}"
    with broker_watch(kube_api, registration.name, registration.namespace) as watch:
        return wait_until_failed(watch, reason, suite_options.ready_timeout)


@then(parsers.parse('its Ready message mentions "{text}"'))
def ready_message_mentions(broker_status: BrokerStatus, text: str) -> None:
    ready = broker_status.condition("Ready")
    assert ready is not None and text in ready.message, f"the Ready condition does not mention {text!r}: {broker_status.describe()}"


@then(parsers.parse('a Warning event "{reason}" is recorded for the {kind}'))
def warning_event(kube_api: client.ApiClient, registration: Registration, reason: str, kind: str, suite_options) -> None:
    event = wait_for_event(kube_api, kind, registration.name, reason, suite_options.ready_timeout)
    assert event.type == "Warning", f"event {reason} is {event.type}: {event.message}"


@then("the run report flags the registration as skipping TLS verification")
def report_flags_insecure(run_folder, registration: Registration) -> None:
    findings = run_folder.append_findings([]).read_text()
    assert f"{registration.kind} {registration.name}: insecureSkipTLSVerify is true" in findings, findings


@then("expecting it to be Ready fails, naming the last condition seen")
def expecting_ready_fails(kube_api: client.ApiClient, registration: Registration, broker_status: BrokerStatus) -> None:
    with broker_watch(kube_api, registration.name, registration.namespace) as watch, pytest.raises(WaitTimeout) as failure:
        wait_until_ready(watch, EXPECTATION_PROBE_SECONDS)
    message = str(failure.value)
    ready = broker_status.condition("Ready")
    assert ready is not None and f"Ready=False reason={ready.reason}" in message, message
    assert ready.message[:40] in message, message


@then(parsers.parse('kubectl get ClusterServiceBroker prints STATUS "{status}" and the broker\'s URL'))
def kubectl_shows_status(service_catalog, run_folder, registration: Registration, status: str) -> None:
    output, findings = page_kubectl_get_broker(service_catalog.kubectl, registration.name)
    run_folder.append_findings(findings)
    rows = parse_kubectl_table(output)
    assert [row.get("NAME") for row in rows] == [registration.name], output
    assert rows[0].get("STATUS") == status, f"STATUS column is {rows[0].get('STATUS')!r}, not {status!r}:\n{output}"
    assert rows[0].get("URL") == registration.url, output
