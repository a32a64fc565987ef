"""Steps about the platform: the cluster and Service Catalog."""
from __future__ import annotations

from kubernetes import client
from pytest_bdd import given

from fixtures.platform.catalog import names, served_resources


@given("a Kubernetes cluster with Service Catalog installed")
def cluster_with_service_catalog(service_catalog, kube_api: client.ApiClient) -> None:
    served = served_resources(kube_api)
    assert names.CLUSTER_SERVICE_BROKERS in served, f"{names.API_VERSION} does not serve clusterservicebrokers: {sorted(served)}"
