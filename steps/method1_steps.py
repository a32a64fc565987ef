"""Steps of Method 1: the AWS Service Broker's chart installed with Helm into
a cluster that runs pods (the page's steps 4-8 and 10)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterator

import yaml

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, then, when

from fixtures.actors.aws.backends import MotoProxy, MotoServer
from fixtures.actors.aws.moto_launcher import record_emulator_adaptations
from fixtures.actors.aws.broker_chart import (
    NAMESPACE, RELEASE, AwsBrokerChart, ChartUnavailable, emulation_values, install, resolve_chart, uninstall, wait_for_broker_pod,
)
from fixtures.actors.aws.prerequisites import PrerequisitesStack
from fixtures.platform.catalog import names
from fixtures.platform.catalog.registration import broker_watch, page_kubectl_get_broker, wait_until_ready
from fixtures.platform.catalog.status import parse_kubectl_table
from fixtures.platform.cluster.leftovers import page_namespace
from fixtures.core.commands import Cli
from fixtures.reporting.keep import Keeper
from fixtures.reporting.run_folder import RunFolder
from fixtures.platform.incluster import PlacedImage
from fixtures.platform.kind.images import image_exists
from fixtures.actors.marketplace.compare import read_cluster_offerings
from fixtures.actors.marketplace.readers import MarketplaceReader

# "Registration can take a few minutes" (the page): the chart creates the broker
# and its pod together, so Service Catalog's first fetches fail and it backs off
# (about 5 minutes seen here before Ready).
REGISTRATION_SECONDS = 600


@given("a Kubernetes cluster that runs pods, with Service Catalog installed")
def cluster_running_pods(cluster, service_catalog) -> None:
    if not cluster.runs_pods:
        pytest.skip(f"Method 1 runs the broker in a pod; {cluster.description} runs none: use --cluster=kind")


@given("the AWS Service Broker's chart", target_fixture="aws_broker_chart")
def aws_broker_chart(pytestconfig, helm: Cli, toolchain, run_folder, request) -> AwsBrokerChart:
    try:
        chart = resolve_chart(pytestconfig.getoption("--aws-broker-chart"), pytestconfig.getoption("--aws-broker-image"), helm, toolchain)
    except ChartUnavailable as exc:
        pytest.skip(str(exc))
    if chart.built_here:
        placed: PlacedImage = request.getfixturevalue("aws_broker_image")
        chart = replace(chart, image=placed.image, pull_policy=placed.pull_policy)
    run_folder.write_text("aws-broker-chart.txt", f"chart: {chart.source}\nimage: {chart.image or '(the chart default)'}\n")
    return chart


@when(parsers.parse('I helm install the chart into "{namespace}" with the stack\'s access key'), target_fixture="helm_release")
def helm_install(aws_broker_chart, prerequisites, namespace, helm, cluster, toolchain, run_folder, kube_api, suite_options, keeper) -> Iterator[str]:
    yield from _install(aws_broker_chart, prerequisites, namespace, (), helm, cluster, toolchain, run_folder, kube_api, suite_options.ready_timeout, keeper)


@when(parsers.parse('I helm install the chart into "{namespace}" with the stack\'s access key and "{value}"'), target_fixture="helm_release")
def helm_install_with(aws_broker_chart, prerequisites, namespace, value, helm, cluster, toolchain, run_folder, kube_api, suite_options, keeper) -> Iterator[str]:
    yield from _install(aws_broker_chart, prerequisites, namespace, (value,), helm, cluster, toolchain, run_folder, kube_api, suite_options.ready_timeout, keeper)


def _install(chart: AwsBrokerChart, stack: PrerequisitesStack, namespace: str, extra: tuple[str, ...], helm: Cli, cluster, toolchain, run_folder,
             kube_api: client.ApiClient, gone_timeout: float, keeper: Keeper) -> Iterator[str]:
    """The page's values (the stack's key), what the user set, and what emulation needs (recorded in the run's report)."""
    assert namespace == NAMESPACE, f"the page installs into {NAMESPACE}, not {namespace}"
    if type(stack.aws) is MotoServer and chart.is_upstream:
        pytest.skip("the real broker has no AWS endpoint setting: on emulated AWS it reaches moto through moto_proxy, which only @aws_broker scenarios start")
    values = [f"aws.secretkey={stack.key.secret_access_key}", f"aws.accesskeyid={stack.key.access_key_id}", *extra]
    values_files: tuple[Path, ...] = ()
    if isinstance(stack.aws, MotoProxy):
        values_files = (_emulation_values(stack.aws, run_folder),)
        record_emulator_adaptations(run_folder)
    if chart.image:
        values.append(f"image={chart.image}")
        if chart.pull_policy:
            values.append(f"imagePullPolicy={chart.pull_policy}")
        elif cluster.kind_name and image_exists(chart.image):  # a user's image that exists here: the node cannot pull it
            Cli.from_toolchain(toolchain, "kind", None, run_folder.logs).run("load", "docker-image", chart.image, "--name", cluster.kind_name, timeout=300)
            values.append("imagePullPolicy=IfNotPresent")
    with page_namespace(kube_api, namespace, lambda: keeper.keeping, gone_timeout, cluster.deletes_namespaces):
        install(helm, chart.reference, namespace, values, values_files)
        try:
            yield RELEASE
        finally:
            uninstall(helm, kube_api, namespace, gone_timeout)


def _emulation_values(aws: MotoProxy, run_folder: RunFolder) -> Path:
    return run_folder.write_text(f"aws/{aws.account_id}-emulation-values.yaml", yaml.safe_dump(emulation_values(aws)))


@then("the broker's pod becomes Ready")
def broker_pod_ready(kube_api, helm_release: str, suite_options) -> None:
    wait_for_broker_pod(kube_api, NAMESPACE, max(suite_options.ready_timeout, 180))


@then(parsers.parse('the ClusterServiceBroker "{name}" becomes Ready'))
def chart_broker_ready(kube_api, name: str, suite_options) -> None:
    with broker_watch(kube_api, name) as watch:
        wait_until_ready(watch, max(suite_options.ready_timeout, REGISTRATION_SECONDS))


@then(parsers.parse('the ServiceBroker "{name}" in "{namespace}" becomes Ready'))
def chart_namespaced_broker_ready(kube_api, name: str, namespace: str, suite_options) -> None:
    with broker_watch(kube_api, name, namespace) as watch:
        wait_until_ready(watch, max(suite_options.ready_timeout, REGISTRATION_SECONDS))


@then(parsers.parse('there is no ClusterServiceBroker "{name}"'))
def no_cluster_broker(kube_api, name: str) -> None:
    brokers = client.CustomObjectsApi(kube_api).list_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS)["items"]
    assert name not in [b["metadata"]["name"] for b in brokers]


@then(parsers.parse('kubectl get ClusterServiceBroker aws-servicebroker prints STATUS "{status}" and the URL "{url}"'))
def kubectl_shows_page_url(service_catalog, run_folder, status: str, url: str) -> None:
    output, findings = page_kubectl_get_broker(service_catalog.kubectl, RELEASE)
    run_folder.append_findings(findings)
    [row] = parse_kubectl_table(output)
    assert (row.get("STATUS"), row.get("URL")) == (status, url), output


@then(parsers.parse('kf marketplace lists the services of the ClusterServiceBroker "{name}"'))
def marketplace_lists_chart_services(kube_api, name: str, marketplace_reader: MarketplaceReader, namespace: str) -> None:
    offered = {(o.service, o.plan) for o in read_cluster_offerings(kube_api, name) if o.kind == "plan"}
    assert offered, f"the ClusterServiceBroker {name} offers no plans"
    listing = marketplace_reader.read(namespace, name)
    missing = offered - set(listing.pairs)
    assert not missing, f"{listing.reader} does not list {sorted(missing)[:10]} ({listing.command})"


@then(parsers.parse('the ClusterServiceBroker "{name}" offers upstream\'s {services:d} services and {plans:d} plans'))
def chart_broker_offers_upstream(kube_api, name: str, services: int, plans: int) -> None:
    """Ready is set once Service Catalog has written the catalog: the counts are final."""
    offered = read_cluster_offerings(kube_api, name)
    counts = (sum(o.kind == "class" for o in offered), sum(o.kind == "plan" for o in offered))
    assert counts == (services, plans), f"the ClusterServiceBroker {name} offers {counts[0]} classes and {counts[1]} plans, upstream's templates {services} and {plans}"
