"""Steps about upstream's Helm chart as the API server accepts it (the page's
step 6), without the broker's image: what the chart registers and grants."""
from __future__ import annotations

from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, then, when

from fixtures.actors.aws.broker_chart import RELEASE, ChartUnavailable, InstalledChart, chart_findings, upstream_chart
from fixtures.platform.catalog import names
from fixtures.platform.catalog.registration import registration_findings
from fixtures.platform.cluster.base import ClusterAccess
from fixtures.platform.cluster.leftovers import page_namespace
from fixtures.core.commands import Cli
from fixtures.reporting.keep import Keeper
from fixtures.reporting.run_folder import RunFolder
from fixtures.profiles.options import SuiteOptions
from fixtures.core.redaction import new_secret
from fixtures.platform.toolchain import Toolchain


@given("the AWS Service Broker's upstream chart", target_fixture="upstream_chart_dir")
def the_upstream_chart(toolchain: Toolchain, run_folder: RunFolder) -> str:
    try:
        chart = upstream_chart(toolchain)
    except ChartUnavailable as exc:
        pytest.skip(str(exc))
    run_folder.write_text("aws-broker-chart.txt", f"chart: {chart}\nimage: (the chart's own; not run by features/chart.feature)\n")
    return str(chart)


def _install(helm: Cli, kube_api: client.ApiClient, cluster: ClusterAccess, chart: str, namespace: str, extra: tuple[str, ...], suite_options: SuiteOptions,
             keeper: Keeper) -> Iterator[InstalledChart]:
    # An access key of the page's form; no AWS call is made without the broker's image.
    values = (f"aws.accesskeyid=AKIA{new_secret(16).upper()[:16]}", f"aws.secretkey={new_secret(40)}", *extra)
    with page_namespace(kube_api, namespace, lambda: keeper.keeping, suite_options.ready_timeout, cluster.deletes_namespaces), \
            InstalledChart(helm, kube_api, chart, namespace, values, suite_options.ready_timeout) as installed:
        yield installed


@when(parsers.parse('I helm install the upstream chart into "{namespace}" with an access key, without waiting for its pod'), target_fixture="installed_chart")
def helm_install_upstream(helm: Cli, kube_api: client.ApiClient, upstream_chart_dir: str, namespace: str, suite_options: SuiteOptions, keeper: Keeper,
                          cluster: ClusterAccess) -> Iterator[InstalledChart]:
    yield from _install(helm, kube_api, cluster, upstream_chart_dir, namespace, (), suite_options, keeper)


@when(
    parsers.parse('I helm install the upstream chart into "{namespace}" with an access key and "{value}", without waiting for its pod'),
    target_fixture="installed_chart",
)
def helm_install_upstream_with(helm: Cli, kube_api: client.ApiClient, upstream_chart_dir: str, namespace: str, value: str, suite_options: SuiteOptions,
                               keeper: Keeper, cluster: ClusterAccess) -> Iterator[InstalledChart]:
    yield from _install(helm, kube_api, cluster, upstream_chart_dir, namespace, (value,), suite_options, keeper)


@then(parsers.parse('the API server accepted the chart\'s ClusterRoles and ClusterRoleBindings as "{api_version}"'))
def rbac_accepted(installed_chart: InstalledChart, api_version: str) -> None:
    rendered = installed_chart.rendered(("ClusterRole", "ClusterRoleBinding"))
    assert rendered, "the chart rendered no ClusterRole or ClusterRoleBinding"
    assert {o["apiVersion"] for o in rendered} == {api_version}, [(o["kind"], o["apiVersion"]) for o in rendered]
    for manifest in rendered:  # read back through the same API version the chart used
        stored = installed_chart.read(manifest)
        assert stored["metadata"]["name"] == manifest["metadata"]["name"], stored


@then(parsers.parse('the ClusterServiceBroker "{name}" has the URL "{url}" and bearer auth from the Secret "{secret}" in "{namespace}"'))
def chart_broker_registration(kube_api: client.ApiClient, installed_chart: InstalledChart, name: str, url: str, secret: str, namespace: str) -> None:
    broker = client.CustomObjectsApi(kube_api).get_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS, name)
    spec = broker["spec"]
    assert spec["url"] == url, spec["url"]
    assert spec.get("authInfo", {}).get("bearer", {}).get("secretRef") == {"namespace": namespace, "name": secret}, spec.get("authInfo")
    installed_chart.broker = broker


@then("the run report flags the chart's registration as skipping TLS verification")
def chart_registration_flagged(run_folder: RunFolder, installed_chart: InstalledChart) -> None:
    assert installed_chart.broker is not None, "no registration was read"
    findings = registration_findings(installed_chart.broker)
    assert any("insecureSkipTLSVerify is true" in f for f in findings), findings
    text = run_folder.append_findings([f"{f} (upstream chart {RELEASE})" for f in findings]).read_text()
    assert f"ClusterServiceBroker {RELEASE}: insecureSkipTLSVerify is true" in text, text


@then("the run report flags the chart's ClusterRoleBindings naming ServiceAccounts in a namespace the release is not in")
def chart_bindings_flagged(run_folder: RunFolder, installed_chart: InstalledChart) -> None:
    findings = chart_findings(installed_chart.rendered(("ClusterRoleBinding",)), installed_chart.namespace)
    assert findings, "the chart's ClusterRoleBindings name ServiceAccounts in the release's namespace (upstream fixed it: drop this step)"
    text = run_folder.append_findings(findings).read_text()
    assert all(f in text for f in findings), text


@then(parsers.parse('there is a ServiceBroker "{name}" in "{namespace}"'))
def namespaced_broker_exists(kube_api: client.ApiClient, installed_chart: InstalledChart, name: str, namespace: str) -> None:
    broker = client.CustomObjectsApi(kube_api).get_namespaced_custom_object(names.GROUP, names.VERSION, namespace, names.SERVICE_BROKERS, name)
    assert broker["spec"]["url"].startswith(f"https://{name}-aws-servicebroker.{namespace}.svc."), broker["spec"]["url"]
