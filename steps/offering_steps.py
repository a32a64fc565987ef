"""Steps about offerings: the broker's catalog as classes and plans."""
from __future__ import annotations

from kubernetes import client
from pytest_bdd import then

from fixtures.brokers.mock import MockBroker
from fixtures.marketplace.compare import compare, difference_table, expected_offerings, read_cluster_offerings


@then("every service and plan of the broker's catalog exists as a ClusterServiceClass and ClusterServicePlan, and nothing else of that broker")
def offerings_match_catalog(kube_api: client.ApiClient, osb_broker: MockBroker, broker_name: str) -> None:
    served = osb_broker.fetch_catalog()
    assert served.services, "the broker serves an empty catalog: nothing to compare"
    differences = compare(expected_offerings(served), read_cluster_offerings(kube_api, broker_name))
    assert not differences, f"{len(differences)} offerings differ between the broker and the cluster:\n{difference_table(differences)}"
