"""The kind profile's pure parts: the cluster config the suite owns, CoreDNS
limited to cluster names, image keys, and the toolchain's profiles."""
from pathlib import Path

from fixtures.platform.cluster.kind import cluster_config, cluster_names_only
from fixtures.platform.kind.images import content_key
from fixtures.platform.placement import HostPlacement
from fixtures.platform.toolchain import Toolchain

KUBEADM_COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
"""


def test_coredns_keeps_cluster_names_and_drops_upstream_forwarding():
    corefile = cluster_names_only(KUBEADM_COREFILE)
    assert "forward" not in corefile and "max_concurrent" not in corefile
    assert "kubernetes cluster.local in-addr.arpa ip6.arpa {" in corefile
    assert corefile.count("{") == corefile.count("}")


def test_coredns_forward_without_options_is_dropped_too():
    assert "forward" not in cluster_names_only(".:53 {\n    errors\n    forward . /etc/resolv.conf\n    cache 30\n}\n")


def test_the_cluster_config_uses_the_built_node_image_and_the_static_pod_network():
    config = cluster_config("asb-conformance/node:v1.21.14-abc")
    assert config["apiVersion"] == "kind.x-k8s.io/v1alpha4"
    assert config["networking"]["disableDefaultCNI"] is True  # the node image carries its CNI config
    assert [n["image"] for n in config["nodes"]] == ["asb-conformance/node:v1.21.14-abc"]


def test_an_image_key_follows_content_not_bytecode(tmp_path: Path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    before = content_key("parent", package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert content_key("parent", package) == before
    (package / "a.py").write_text("x = 2\n")
    assert content_key("parent", package) != before
    assert content_key("other parent", package) != content_key("parent", package)


def test_the_kind_profile_adds_its_binaries_only_when_asked():
    default = {b.name for b in Toolchain().wanted()}
    with_kind = {b.name for b in Toolchain(profiles=("default", "kind")).wanted()}
    assert "kind" not in default and "kubelet" not in default
    assert with_kind - default == {"kind", "coredns", "kubeadm", "kubelet", "kube-proxy", "kube-scheduler"}
    assert "kube-controller-manager" in default  # the embedded cluster runs its garbage collector


def test_moto_that_runs_lambda_functions_stays_on_this_machine_reached_at_the_networks_gateway():
    """It starts the functions' containers with this machine's Docker: the cluster's side reaches it
    at the kind network's gateway, the embedded control plane on loopback."""
    on_kind = HostPlacement(gateway="172.18.0.1")
    assert on_kind.listen_host == "0.0.0.0" and on_kind.free_address("moto") == "172.18.0.1" and not on_kind.runs_images
    assert HostPlacement().free_address("moto") == "127.0.0.1"
