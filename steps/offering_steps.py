"""Steps about offerings: the broker's catalog as classes and plans, and what
the marketplace lists (the page's step 10)."""
from __future__ import annotations

from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import parsers, then, when

from fixtures.actors.brokers.mock import MockBroker
from fixtures.platform.catalog import names
from fixtures.platform.catalog.history import class_history, marked_removed
from fixtures.platform.catalog.registration import Registration
from fixtures.actors.marketplace.compare import assert_offerings_match, read_cluster_offerings
from fixtures.actors.marketplace.layers import compare_layers, layer_table
from fixtures.actors.marketplace.readers import MarketplaceReader
from fixtures.core.waiting import Observation, wait_for
from fixtures.core.watching import KindHistory


def _assert_offerings_match(kube_api: client.ApiClient, osb_broker: MockBroker, registration: Registration) -> None:
    assert_offerings_match(kube_api, osb_broker.fetch_catalog(), registration.kind, registration.name, registration.namespace)


@then("every service and plan of the broker's catalog exists as a ClusterServiceClass and ClusterServicePlan, and nothing else of that broker")
def cluster_offerings_match(kube_api: client.ApiClient, osb_broker: MockBroker, registration: Registration) -> None:
    assert registration.namespace is None, "this step is about a ClusterServiceBroker"
    _assert_offerings_match(kube_api, osb_broker, registration)


@then("every service and plan of the broker's catalog exists as a ServiceClass and ServicePlan in its namespace, and nothing else of that broker")
def namespaced_offerings_match(kube_api: client.ApiClient, osb_broker: MockBroker, registration: Registration) -> None:
    assert registration.namespace is not None, "this step is about a namespaced ServiceBroker"
    _assert_offerings_match(kube_api, osb_broker, registration)


@then("no ClusterServiceClass comes from that broker")
def no_cluster_classes(kube_api: client.ApiClient, registration: Registration) -> None:
    seen = read_cluster_offerings(kube_api, registration.name)
    assert not seen, f"cluster-scoped offerings of {registration.name}: {sorted(o.service for o in seen)}"


@then(parsers.parse('the ClusterServiceClass "{service}" of the broker exists'))
def class_exists(kube_api: client.ApiClient, registration: Registration, service: str, suite_options) -> None:
    def observe() -> Observation[None]:
        offered = {o.service for o in read_cluster_offerings(kube_api, registration.name) if o.kind == "class"}
        return Observation(service in offered, None, f"classes offered: {sorted(offered)}")

    wait_for(f"a ClusterServiceClass {service} of {registration.name}", observe, suite_options.ready_timeout, interval=0.25, tolerate=(OSError, client.ApiException))


@pytest.fixture
def class_changes(kube_api: client.ApiClient) -> Iterator[KindHistory]:
    """Every version of the cluster's ClusterServiceClasses from the step that asks for it on."""
    with class_history(kube_api) as history:
        yield history


@then(parsers.parse('the ClusterServiceClass "{service}" of the broker is marked removedFromBrokerCatalog'))
def class_marked_removed(class_changes: KindHistory, registration: Registration, service: str, suite_options) -> None:
    # A poll misses the mark: Service Catalog deletes such a class within a tenth of a second (seen in a soak).
    wait_for(f"ClusterServiceClass {service} marked removed", lambda: marked_removed(class_changes, registration.name, service), suite_options.ready_timeout, wake=class_changes.changed)


def _three_layer_differences(kube_api, osb_broker: MockBroker, registration: Registration, reader: MarketplaceReader, namespace: str):
    listing = reader.read(namespace, registration.name)
    cluster = read_cluster_offerings(kube_api, registration.name, registration.namespace)
    return compare_layers(osb_broker.fetch_catalog(), cluster, listing), listing


@then("kf marketplace lists the broker's offerings")
def marketplace_lists_offerings(kube_api: client.ApiClient, osb_broker: MockBroker, registration: Registration, marketplace_reader: MarketplaceReader, namespace: str) -> None:
    rows, listing = _three_layer_differences(kube_api, osb_broker, registration, marketplace_reader, namespace)
    assert listing.pairs, f"{listing.reader} lists nothing in namespace {namespace} ({listing.command})"
    assert not rows, f"{len(rows)} offerings differ across the layers:\n{layer_table(rows, listing)}"


@then(parsers.parse('kf marketplace --service "{service}" lists the plans "{plans}"'))
def marketplace_lists_plans(marketplace_reader: MarketplaceReader, registration: Registration, namespace: str, service: str, plans: str) -> None:
    listing = marketplace_reader.read(namespace, registration.name)
    expected = {p.strip() for p in plans.split(",")}
    assert listing.plans_of(service) == expected, f"{listing.reader}: plans of {service} are {sorted(listing.plans_of(service))}, expected {sorted(expected)}"


@then(parsers.parse("the marketplace in another namespace does not list the broker's offerings"))
def other_namespace_sees_nothing(kube_api: client.ApiClient, marketplace_reader: MarketplaceReader, osb_broker: MockBroker, registration: Registration, other_namespace: str) -> None:
    listing = marketplace_reader.read(other_namespace, registration.name)
    leaked = listing.pairs & osb_broker.fetch_catalog().plan_pairs()
    assert not leaked, f"{listing.reader} in {other_namespace} lists {sorted(leaked)}"


@when("a ClusterServiceClass of the broker is deleted behind Service Catalog's back", target_fixture="deleted_service")
def delete_class(kube_api: client.ApiClient, registration: Registration) -> str:
    classes = sorted((o for o in read_cluster_offerings(kube_api, registration.name) if o.kind == "class"), key=lambda o: o.service)
    assert classes, f"{registration.name} has no classes to delete"
    victim = classes[0]
    client.CustomObjectsApi(kube_api).delete_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_CLASSES, victim.object_name)
    return victim.service


@then("the marketplace comparison fails with a table naming the deleted class's plans")
def comparison_fails_readably(kube_api: client.ApiClient, osb_broker: MockBroker, registration: Registration, marketplace_reader: MarketplaceReader, namespace: str, deleted_service: str, suite_options) -> None:
    def observe() -> Observation[str]:
        rows, listing = _three_layer_differences(kube_api, osb_broker, registration, marketplace_reader, namespace)
        missing = [r for r in rows if r.pair[0] == deleted_service and r.present == (True, False, False)]
        return Observation(bool(missing), layer_table(rows, listing), layer_table(rows, listing) if rows else "no differences yet")

    table = wait_for("the deletion to show in the comparison", observe, suite_options.ready_timeout, interval=0.25, tolerate=(OSError, client.ApiException))
    try:
        marketplace_lists_offerings(kube_api, osb_broker, registration, marketplace_reader, namespace)
    except AssertionError as failure:
        message = str(failure)
    else:
        raise AssertionError(f"the marketplace step passed although {deleted_service} was deleted")
    assert "offerings differ across the layers" in message and f"{deleted_service}/" in message, message
    assert "MISSING" in message and table.splitlines()[1] in message, message
