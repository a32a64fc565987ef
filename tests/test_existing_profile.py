"""--cluster=kubeconfig=PATH: the suite qualifies a cluster it did not make.
Here that cluster is an embedded control plane with Service Catalog, started
by the test as "someone else's"; the suite must run on it, leave nothing of
its own behind (even when interrupted), and never stop the cluster."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from kubernetes import client

from fixtures.platform.catalog import names
from fixtures.platform.catalog.install import ServiceCatalog
from fixtures.platform.cluster.base import ClusterAccess
from fixtures.platform.cluster.embedded import EmbeddedCluster
from fixtures.core.kube import api_client
from fixtures.platform.toolchain import Toolchain
from fixtures.core.waiting import Observation, wait_for
from tests.conftest import REPO_ROOT, run_suite


@pytest.fixture(scope="module")
def someone_elses_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterAccess]:
    toolchain = Toolchain()
    logs = tmp_path_factory.mktemp("existing-cluster-logs")
    with EmbeddedCluster(toolchain, logs) as access, ServiceCatalog(access, toolchain, logs):
        yield access


def _what_the_suite_left(kubeconfig: Path) -> list[str]:
    """Brokers of any kind, and scenario namespaces not being deleted."""
    with api_client(kubeconfig) as api:
        custom, core = client.CustomObjectsApi(api), client.CoreV1Api(api)
        left = [f"ClusterServiceBroker {b['metadata']['name']}" for b in custom.list_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS)["items"]]
        for ns in core.list_namespace(label_selector="asb-conformance=scenario").items:
            # The embedded control plane has no namespace controller: a deleted namespace stays Terminating.
            if ns.metadata.deletion_timestamp is None:
                left.append(f"namespace {ns.metadata.name}")
        return left


def test_the_features_run_on_an_existing_cluster_and_leave_it_as_found(someone_elses_cluster: ClusterAccess, reports: Path):
    result = run_suite(f"--cluster=kubeconfig={someone_elses_cluster.kubeconfig}", "-m", "verify", reports=reports)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 passed" in result.stdout, result.stdout[-1500:]
    assert _what_the_suite_left(someone_elses_cluster.kubeconfig) == []
    with api_client(someone_elses_cluster.kubeconfig) as api:  # the cluster itself is untouched and up
        assert client.VersionApi(api).get_code().git_version == "v1.21.14"


def test_an_interrupted_run_leaves_nothing_in_the_cluster(someone_elses_cluster: ClusterAccess, reports: Path):
    kubeconfig = someone_elses_cluster.kubeconfig
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "features/", "-p", "no:cacheprovider", f"--reports-dir={reports}", f"--cluster=kubeconfig={kubeconfig}", "-m", "verify"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with api_client(kubeconfig) as api:
            custom = client.CustomObjectsApi(api)

            def a_broker_is_registered() -> Observation[None]:
                if run.poll() is not None:
                    raise AssertionError(f"the run ended (exit {run.returncode}) before registering a broker")
                brokers = custom.list_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS)["items"]
                return Observation(bool(brokers), None, f"{len(brokers)} ClusterServiceBrokers")

            wait_for("the run to register its first ClusterServiceBroker", a_broker_is_registered, 120, interval=0.2)
        run.send_signal(signal.SIGINT)
        output, _ = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode != 0, output[-2000:]
    assert _what_the_suite_left(kubeconfig) == [], output[-2000:]


def test_the_next_run_removes_what_a_killed_run_left_and_never_a_live_runs(someone_elses_cluster: ClusterAccess):
    """A namespace and a ClusterServiceBroker marked by a process that has ended
    go; the same marked by this (live) process stay, and so do unmarked ones."""
    from fixtures.platform.cluster.leftovers import scenario_namespace, sweep_cluster
    from fixtures.core.ownership import OWNER_KEY, Owner

    ended = subprocess.Popen(["true"])
    ended.wait()
    gone = Owner(Owner.current().host, Owner.current().boot, ended.pid, 1)  # no process has that pid and start now
    with api_client(someone_elses_cluster.kubeconfig) as api:
        core, custom = client.CoreV1Api(api), client.CustomObjectsApi(api)
        made = []
        for suffix, mark in (("gone", gone.text()), ("live", Owner.current().text()), ("unmarked", None)):
            body = scenario_namespace(f"asb-sweep-{suffix}")
            body.metadata.annotations = {OWNER_KEY: mark} if mark else None
            core.create_namespace(body)
            broker = {"apiVersion": names.API_VERSION, "kind": "ClusterServiceBroker", "spec": {"url": "http://127.0.0.1:1"},
                      "metadata": {"name": f"asb-sweep-{suffix}", **({"annotations": {OWNER_KEY: mark}} if mark else {})}}
            custom.create_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS, broker)
            made.append(f"asb-sweep-{suffix}")
        try:
            swept = sweep_cluster(api)
            assert swept.removed == {"namespaces": ["asb-sweep-gone"], "ClusterServiceBrokers": ["asb-sweep-gone"]}
            assert swept.owners == {ended.pid}
            terminating = {ns.metadata.name for ns in core.list_namespace().items if ns.metadata.deletion_timestamp is not None}
            assert "asb-sweep-gone" in terminating and not {"asb-sweep-live", "asb-sweep-unmarked"} & terminating
            brokers = {b["metadata"]["name"]: b["metadata"].get("deletionTimestamp") for b in custom.list_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS)["items"]}
            assert "asb-sweep-gone" not in brokers or brokers["asb-sweep-gone"] is not None, "gone, or being deleted"
            assert brokers["asb-sweep-live"] is None and brokers["asb-sweep-unmarked"] is None
            assert not sweep_cluster(api), "a second sweep finds nothing"
        finally:
            for name in made:
                for delete in (lambda n: core.delete_namespace(n), lambda n: custom.delete_cluster_custom_object(names.GROUP, names.VERSION, names.CLUSTER_SERVICE_BROKERS, n)):
                    try:
                        delete(name)
                    except client.ApiException:
                        pass


def _tiny_chart(folder: Path, cluster_role: str) -> Path:
    """A chart that, like the AWS broker's, makes a cluster-scoped object beside its namespaced ones."""
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text("apiVersion: v2\nname: asb-tiny\nversion: 0.1.0\n")
    (folder / "templates" / "objects.yaml").write_text(
        f"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {cluster_role}\nrules: []\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: asb-tiny\ndata: {}\n"
    )
    return folder


def _helm(access: ClusterAccess, tmp_path: Path):
    from fixtures.core.commands import Cli

    return Cli("helm", Toolchain().path("helm"), access.kubeconfig, tmp_path / "commands.log", env={"HELM_CACHE_HOME": str(tmp_path / "helm-cache")})


def test_a_killed_runs_helm_release_is_uninstalled_with_its_namespace(someone_elses_cluster: ClusterAccess, tmp_path: Path):
    """The chart's cluster-scoped objects (the AWS chart's ClusterServiceBroker and
    ClusterRoles) are known only to Helm's record in the namespace: the sweep
    uninstalls the release before it deletes the namespace."""
    from fixtures.platform.cluster.leftovers import scenario_namespace, sweep_cluster
    from fixtures.core.ownership import OWNER_KEY, Owner

    ended = subprocess.Popen(["true"])
    ended.wait()
    gone = Owner(Owner.current().host, Owner.current().boot, ended.pid, 1)
    helm = _helm(someone_elses_cluster, tmp_path)
    chart = _tiny_chart(tmp_path / "chart", "asb-sweep-helm-role")
    with api_client(someone_elses_cluster.kubeconfig) as api:
        core, rbac = client.CoreV1Api(api), client.RbacAuthorizationV1Api(api)
        body = scenario_namespace("asb-sweep-helm")
        body.metadata.annotations = {OWNER_KEY: gone.text()}
        core.create_namespace(body)
        helm.run("install", "asb-tiny", str(chart), "--namespace", "asb-sweep-helm")
        assert rbac.read_cluster_role("asb-sweep-helm-role").metadata.name == "asb-sweep-helm-role"
        try:
            swept = sweep_cluster(api, helm=helm)
            assert swept.removed == {"Helm releases": ["asb-sweep-helm/asb-tiny"], "namespaces": ["asb-sweep-helm"]}
            assert swept.owners == {ended.pid}
            with pytest.raises(client.ApiException) as missing:
                rbac.read_cluster_role("asb-sweep-helm-role")
            assert missing.value.status == 404
            assert "[sweep] removed what earlier runs left behind" in swept.line() and "1 Helm releases" in swept.line()
        finally:
            helm.run("uninstall", "asb-tiny", "--namespace", "asb-sweep-helm", check=False)


def test_the_pages_namespace_is_made_marked_and_reused_and_a_clusters_own_is_left(someone_elses_cluster: ClusterAccess):
    """aws-sb on a cluster without a namespace controller: made once and marked
    (so a killed run's is swept), found again by the next scenario; deleted
    where the cluster deletes namespaces, and waited for by the next one."""
    from fixtures.platform.cluster.leftovers import SCENARIO_LABEL, page_namespace
    from fixtures.core.ownership import OWNER_KEY, Owner
    from fixtures.core.waiting import WaitTimeout

    with api_client(someone_elses_cluster.kubeconfig) as api:
        core = client.CoreV1Api(api)
        with page_namespace(api, "asb-page-ns", lambda: False, 5, cluster_deletes_namespaces=False):
            made = core.read_namespace("asb-page-ns").metadata
            assert SCENARIO_LABEL.items() <= made.labels.items() and made.annotations[OWNER_KEY] == Owner.current().text()
        with page_namespace(api, "asb-page-ns", lambda: False, 5, cluster_deletes_namespaces=True):  # found: used as it is
            pass
        assert core.read_namespace("asb-page-ns").metadata.deletion_timestamp is None, "one the run found is never deleted"
        core.delete_namespace("asb-page-ns")  # here it stays Terminating: the next user says so when it gives up
        with pytest.raises(WaitTimeout, match=r"namespace asb-page-ns to be gone .*not within 1s; last seen: namespace asb-page-ns is Terminating since"):
            with page_namespace(api, "asb-page-ns", lambda: False, 1, cluster_deletes_namespaces=True):
                pass


def test_an_aws_broker_release_the_run_did_not_make_is_named_not_overwritten(someone_elses_cluster: ClusterAccess, tmp_path: Path):
    from fixtures.actors.aws.broker_chart import RELEASE, install
    from fixtures.core.errors import SuiteError

    helm = _helm(someone_elses_cluster, tmp_path)
    chart = _tiny_chart(tmp_path / "chart", "asb-foreign-release-role")
    helm.run("install", RELEASE, str(chart), "--namespace", "asb-foreign", "--create-namespace")
    try:
        with pytest.raises(SuiteError, match=rf"already has a Helm release {RELEASE} in namespace asb-foreign, which this run did not install; remove it \(helm uninstall"):
            install(helm, str(chart), "asb-foreign", ())
    finally:
        helm.run("uninstall", RELEASE, "--namespace", "asb-foreign", check=False)
