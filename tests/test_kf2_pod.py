"""Kf 2.11's controller as a pod (the kind profile): the Deployment rendered
from config/controller.yaml, the RBAC it runs under, and which profile runs
the controller where."""
import os
from pathlib import Path

import pytest
import yaml

from fixtures.platform.cluster.base import ClusterAccess
from fixtures.actors.kf2.controller import Kf2ControllerProcess
from fixtures.actors.kf2.manifests import CONTROLLER_ENV, NAMESPACE, controller_deployment, kf_objects
from fixtures.actors.kf2.pod import Kf2ControllerInstalled, Kf2ControllerPod
from fixtures.profiles.options import parse_cluster
from fixtures.profiles import ProfileSettings, profile_for
from fixtures.platform.toolchain import Toolchain

KF_TREE = Path(os.environ.get("ASB_CONFORMANCE_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources") / "kf-v2.11.32"
needs_tree = pytest.mark.skipif(not KF_TREE.is_dir(), reason=f"Kf's source tree is not at {KF_TREE}")
IMAGE = "asb-conformance/kf2-controller:v2.11.32-0123456789ab"


def _container(deployment: dict) -> dict:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


@needs_tree
def test_the_pod_is_config_controller_yaml_with_the_image_built_here():
    rendered = controller_deployment(KF_TREE, "v2.11.32", IMAGE)
    (deployment,) = rendered.objects
    container = _container(deployment)
    assert deployment["kind"] == "Deployment" and deployment["metadata"] == {**deployment["metadata"], "name": "controller", "namespace": NAMESPACE}
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "controller"
    assert container["image"] == IMAGE and container["imagePullPolicy"] == "Never"  # loaded into the node, never pulled
    assert container["args"] == ["--disable-ha=true"]
    assert container["livenessProbe"]["httpGet"]["port"] == 10000
    assert "VERSION_PLACEHOLDER" not in repr(deployment) and deployment["metadata"]["labels"]["kf.dev/release"] == "v2.11.32"
    assert "ko://github.com/google/kf/v2/cmd/controller" in rendered.adaptations[0]


@needs_tree
def test_the_pod_gets_the_environment_the_process_gets():
    env = {e["name"]: e for e in _container(controller_deployment(KF_TREE, "v2.11.32", IMAGE).objects[0])["env"]}
    assert env["SYSTEM_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"  # the namespace kf, as the process is told
    for name, value in CONTROLLER_ENV.items():
        if name != "SYSTEM_NAMESPACE":
            assert env[name]["value"] == value
    assert env["KUBERNETES_MIN_VERSION"]["value"] == "v1.21.0"  # else it refuses Kubernetes 1.21


def test_environment_the_shipped_deployment_lacks_is_added_and_said(tmp_path: Path):
    shipped = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "controller", "namespace": "kf"},
        "spec": {"selector": {"matchLabels": {"app": "controller"}}, "template": {"spec": {"serviceAccountName": "controller", "containers": [
            {"name": "controller", "image": "ko://x", "args": ["--disable-ha=true"], "env": [{"name": "SYSTEM_NAMESPACE", "value": "kf"}]},
        ]}}},
    }
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "controller.yaml").write_text(yaml.safe_dump(shipped))
    rendered = controller_deployment(tmp_path, "v2.11.32", IMAGE)
    env = {e["name"]: e.get("value") for e in _container(rendered.objects[0])["env"]}
    assert env["KUBERNETES_MIN_VERSION"] == "v1.21.0" and env["SYSTEM_NAMESPACE"] == "kf"
    assert any("KUBERNETES_MIN_VERSION=v1.21.0" in line for line in rendered.adaptations)


@needs_tree
def test_the_pod_runs_under_kf_own_rbac_aggregated_by_the_cluster():
    """With pods there is a kube-controller-manager: Kf's aggregated ClusterRole
    ships as it is (the cluster fills it), bound to the ServiceAccount the pod runs as."""
    objects = {(o["kind"], o["metadata"]["name"]): o for o in kf_objects(KF_TREE, "v2.11.32", aggregate=False).objects}
    admin = objects[("ClusterRole", "kf-admin")]
    assert admin.get("aggregationRule") and not admin.get("rules")
    binding = objects[("ClusterRoleBinding", "kf-controller-admin")]
    assert binding["roleRef"]["name"] == "kf-admin"
    assert {"kind": "ServiceAccount", "name": "controller", "namespace": NAMESPACE} in binding["subjects"]
    assert ("ServiceAccount", "controller") in objects
    filled = {(o["kind"], o["metadata"]["name"]): o for o in kf_objects(KF_TREE, "v2.11.32").objects}
    assert filled[("ClusterRole", "kf-admin")]["rules"] and "aggregationRule" not in filled[("ClusterRole", "kf-admin")]


@needs_tree
@pytest.mark.parametrize(
    "cluster, runs, aggregates",
    [("embedded", Kf2ControllerProcess, True), ("kind", Kf2ControllerPod, False), ("kubeconfig", Kf2ControllerInstalled, False)],
)
def test_the_profile_decides_where_the_controller_runs(cluster: str, runs: type, aggregates: bool, tmp_path: Path):
    toolchain = Toolchain(profiles=("default", "kf2"), sources_dir=KF_TREE.parent)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("{}")
    access = ClusterAccess(kubeconfig, "https://127.0.0.1:6443", "test", runs_pods=cluster != "embedded", kind_name="asb-test")
    profile = profile_for(parse_cluster(f"kubeconfig={kubeconfig}" if cluster == "kubeconfig" else cluster))
    provider = profile.kf2_controller(access, ProfileSettings(toolchain, tmp_path, start_timeout=1), toolchain)
    assert type(provider) is runs and provider.aggregates_roles is aggregates
