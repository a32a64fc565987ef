"""Version variants (tools/manifest.toml's [[variant]]): a chosen value replaces
exactly the entries of its axis, is its own cache entry, and a value that is not
declared (or cannot be built) is refused in one line. Nothing here builds."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from fixtures.actors.brokers.aws import broker_toolchain
from fixtures.core.errors import SuiteError
from fixtures.platform.kind.node import NODE_BINARIES, check_kubeadm_images, images_by_name, mixed_versions
from fixtures.platform.toolchain import Toolchain
from fixtures.platform.toolchain.manifest import MANIFEST_PATH, TOOLS_DIR, entry_key, load_manifest
from fixtures.profiles.kind import KIND_NODE_SERIES
from fixtures.profiles.options import ClusterChoice, parse_versions
from tests.conftest import REPO_ROOT

MANIFEST = load_manifest()
NON_DEFAULT = [v for v in MANIFEST.variants if not v.default]
GO = "go1.26.8"


def _own_tables(variant) -> set[str]:
    """The entries a value's own [[variant.binary]] / [[variant.chart]] tables name (the rest of its axis is the default's)."""
    for raw in tomllib.loads(MANIFEST_PATH.read_text())["variant"]:
        if (raw["axis"], raw["value"]) == (variant.axis, variant.value):
            return {t["name"] for t in (*raw.get("binary", []), *raw.get("chart", []))}
    raise AssertionError(variant)


def _differing(manifest) -> set[str]:
    defaults = {b.name: b for b in MANIFEST.binaries} | {c.name: c for c in MANIFEST.charts}
    return {entry.name for entry in (*manifest.binaries, *manifest.charts) if defaults[entry.name] != entry}


def test_the_axes_and_values_the_matrix_asks_for_are_declared():
    values = {axis: [v.value for v in variants] for axis, variants in MANIFEST.axes().items()}
    assert values == {
        "kubernetes": ["1.19", "1.20", "1.21", "1.22", "1.24"],
        "service-catalog": ["v0.3.0", "v0.3.1"],
        "helm": ["v3.5.4", "v3.21.4", "v4.3.2"],
    }
    assert dict(MANIFEST.chosen) == {"kubernetes": "1.21", "service-catalog": "v0.3.1", "helm": "v3.5.4"}


@pytest.mark.parametrize("variant", NON_DEFAULT, ids=lambda v: f"{v.axis}={v.value}")
def test_a_variant_overrides_exactly_its_binaries(variant):
    chosen = MANIFEST.select({variant.axis: variant.value})
    assert _differing(chosen) == _own_tables(variant)
    assert [b.name for b in chosen.binaries] == [b.name for b in MANIFEST.binaries]  # same entries, same order
    assert dict(chosen.chosen)[variant.axis] == variant.value


EMBEDDED = {"kube-apiserver", "kube-controller-manager", "kubectl"}
KIND_NODE = {"kubeadm", "kubelet", "kube-proxy", "kube-scheduler"}


def test_the_kubernetes_variants_override_the_embedded_clusters_binaries():
    for value, version in (("1.19", "v1.19.16"), ("1.20", "v1.20.15"), ("1.22", "v1.22.17"), ("1.24", "v1.24.17")):
        chosen = MANIFEST.select({"kubernetes": value})
        assert EMBEDDED <= _differing(chosen)
        for name in EMBEDDED:
            entry = chosen.binary(name)
            assert entry.version == version and entry.module_dir == f"kubernetes-{value}", name
            assert f"-X k8s.io/component-base/version.gitVersion={version}" in entry.ldflags, name
    for value in ("1.19", "1.20"):  # no kind node: the kind profile's binaries stay the default's
        chosen = MANIFEST.select({"kubernetes": value})
        assert _differing(chosen) == EMBEDDED
        assert chosen.binary("kubelet") == MANIFEST.binary("kubelet")


@pytest.mark.parametrize("value, version, minor, coredns", [("1.22", "v1.22.17", "22", "v1.8.4"), ("1.24", "v1.24.17", "24", "v1.8.6")])
def test_the_kind_nodes_binaries_switch_with_the_variant(tmp_path, value, version, minor, coredns):
    """kubeadm, kubelet, kube-proxy, kube-scheduler from the value's own module, with the
    value's version stamped in; CoreDNS at the version that value's kubeadm deploys."""
    chosen = MANIFEST.select({"kubernetes": value})
    assert _differing(chosen) == EMBEDDED | KIND_NODE | {"coredns"}
    for name in KIND_NODE:
        entry, default = chosen.binary(name), MANIFEST.binary(name)
        assert (entry.version, entry.module_dir, entry.package, entry.profile) == (version, f"kubernetes-{value}", default.package, "kind"), name
        assert f"-X k8s.io/component-base/version.gitVersion={version}" in entry.ldflags, name
        assert f"-X k8s.io/client-go/pkg/version.gitMinor={minor}" in entry.ldflags, name
        assert entry_key(entry, GO) != entry_key(default, GO), name
    assert (chosen.binary("coredns").version, chosen.binary("coredns").module_dir) == (coredns, f"coredns-{coredns.removeprefix('v')}")
    assert mixed_versions(chosen) is None and mixed_versions(MANIFEST) is None
    said = {tool.name: tool for tool in Toolchain(cache_root=tmp_path, profiles=("default", "kind"), variants={"kubernetes": value}).versions()}
    assert {said[name].variant for name in (*NODE_BINARIES, "coredns")} == {f"kubernetes={value}"}
    assert said["kind"].variant == ""  # kind itself is the default's


def test_every_kubernetes_value_with_a_kind_node_pairs_a_kind_known_to_make_it():
    """The kind profile's preflight knows which node series each kind release makes here."""
    with_node = [v.value for v in MANIFEST.axes()["kubernetes"] if mixed_versions(MANIFEST.select({"kubernetes": v.value})) is None]
    assert with_node == ["1.21", "1.22", "1.24"]
    for value in with_node:
        chosen = MANIFEST.select({"kubernetes": value})
        assert chosen.binary("kubelet").version.startswith(KIND_NODE_SERIES[chosen.binary("kind").version]), value


def test_kubeadms_image_list_names_what_the_node_image_carries():
    """The node image's images are named as kubeadm lists them: 1.21 keeps the tags it always had,
    1.22.17 pulls from registry.k8s.io (its kubeadm's default)."""
    v121 = images_by_name("k8s.gcr.io/kube-apiserver:v1.21.14 k8s.gcr.io/kube-controller-manager:v1.21.14 k8s.gcr.io/kube-scheduler:v1.21.14 "
                          "k8s.gcr.io/kube-proxy:v1.21.14 k8s.gcr.io/pause:3.4.1 k8s.gcr.io/etcd:3.4.13-0 k8s.gcr.io/coredns/coredns:v1.8.0".split())
    assert (v121["etcd"], v121["pause"], v121["coredns"]) == ("k8s.gcr.io/etcd:3.4.13-0", "k8s.gcr.io/pause:3.4.1", "k8s.gcr.io/coredns/coredns:v1.8.0")
    check_kubeadm_images(v121, "v1.21.14", MANIFEST.binary("coredns").version)
    v122 = images_by_name(["registry.k8s.io/pause:3.5", "registry.k8s.io/etcd:3.5.6-0", "registry.k8s.io/coredns/coredns:v1.8.4"])
    check_kubeadm_images(v122, "v1.22.17", MANIFEST.select({"kubernetes": "1.22"}).binary("coredns").version)
    with pytest.raises(SuiteError, match=r"^kubeadm v1.22.17 deploys registry.k8s.io/coredns/coredns:v1.8.4 but tools/manifest.toml's coredns entry for it is v1.8.0: "):
        check_kubeadm_images(v122, "v1.22.17", "v1.8.0")
    with pytest.raises(SuiteError, match=r"^kubeadm v1.22.17 asks for images the node image would not carry: registry.k8s.io/kindnetd:v1$"):
        check_kubeadm_images({**v122, "kindnetd": "registry.k8s.io/kindnetd:v1"}, "v1.22.17", "v1.8.4")


def test_a_service_catalog_variant_switches_its_chart_too():
    chosen = MANIFEST.select({"service-catalog": "v0.3.0"})
    assert chosen.chart("catalog").version == "v0.3.0" and chosen.chart("catalog").module == MANIFEST.chart("catalog").module
    assert chosen.binary("service-catalog").version == chosen.binary("svcat").version == "v0.3.0"


def test_helm_4_is_its_own_module():
    helm = MANIFEST.select({"helm": "v4.3.2"}).binary("helm")
    assert (helm.module, helm.package) == ("helm.sh/helm/v4", "helm.sh/helm/v4/cmd/helm")


def test_choosing_the_defaults_changes_nothing_and_a_choice_can_be_undone():
    assert MANIFEST.select(dict(MANIFEST.chosen)) == MANIFEST
    assert MANIFEST.select({"kubernetes": "1.22"}).select({"kubernetes": "1.21"}) == MANIFEST


def test_a_leading_v_is_optional():
    assert MANIFEST.variant("helm", "3.21.4").value == "v3.21.4"
    assert MANIFEST.variant("kubernetes", "v1.22").value == "1.22"


def test_an_undeclared_value_is_one_line_naming_the_values_that_exist():
    with pytest.raises(SuiteError) as refused:
        MANIFEST.select({"kubernetes": "1.23"})
    assert str(refused.value) == "no kubernetes variant '1.23' in tools/manifest.toml: choose one of 1.19, 1.20, 1.21 (default), 1.22, 1.24"
    with pytest.raises(SuiteError, match=r"^no version axis 'kf' in tools/manifest.toml: the axes are kubernetes, service-catalog, helm$"):
        MANIFEST.select({"kf": "v0.2.0"})


def test_helm_3_22_is_not_declared():
    """Served by the proxy but not approved: the matrix must not pick it up by accident."""
    with pytest.raises(SuiteError, match=r"choose one of v3.5.4 \(default\), v3.21.4, v4.3.2$"):
        MANIFEST.variant("helm", "v3.22.0")


def test_each_value_is_its_own_cache_entry():
    for axis, variants in MANIFEST.axes().items():
        for name in {b.name for v in variants for b in v.binaries}:
            own = [v for v in variants if v.default or name in _own_tables(v)]  # the others keep the default's entry
            keys = {entry_key(MANIFEST.select({axis: v.value}).binary(name), GO) for v in own}
            assert len(keys) == len(own), f"{axis}: {name}"
    charts = {entry_key(MANIFEST.select({"service-catalog": v}).chart("catalog"), GO) for v in ("v0.3.0", "v0.3.1")}
    assert len(charts) == 2


def test_declaring_variants_keeps_the_default_entries_keys():
    """The default entries are what they were, so a set-up machine rebuilds nothing."""
    plain = load_manifest()
    assert all(entry_key(b, GO) == entry_key(MANIFEST.select(dict(MANIFEST.chosen)).binary(b.name), GO) for b in plain.binaries if b.module_dir)


@pytest.mark.parametrize("variant", NON_DEFAULT, ids=lambda v: f"{v.axis}={v.value}")
def test_every_variant_pins_its_module_in_its_own_go_module(variant):
    for binary in variant.binaries:
        folder = TOOLS_DIR / binary.module_dir
        assert (folder / "go.mod").is_file() and (folder / "go.sum").is_file(), folder
        assert f"{binary.module} {binary.version}" in (folder / "go.mod").read_text(), folder
        assert binary.package.removeprefix(binary.module + "/") in (folder / "tools.go").read_text(), folder


def _manifest_with(tmp_path: Path, variants: str) -> Path:
    path = tmp_path / "manifest.toml"
    path.write_text(
        '[[binary]]\nname = "helm"\nmodule_dir = "helm"\nmodule = "helm.sh/helm/v3"\nversion = "v3.5.4"\n'
        'package = "helm.sh/helm/v3/cmd/helm"\nversion_args = ["version"]\n\n' + variants
    )
    return path


def test_an_unbuildable_value_is_refused_with_its_reason(tmp_path):
    manifest = load_manifest(_manifest_with(tmp_path, (
        '[[variant]]\naxis = "helm"\nvalue = "v3.5.4"\ndefault = true\n\n'
        '[[variant]]\naxis = "helm"\nvalue = "v9.9.9"\nunbuildable = "the module proxy refuses helm.sh/helm/v9 (403)"\n'
        '[[variant.binary]]\nname = "helm"\nversion = "v9.9.9"\n'
    )))
    with pytest.raises(SuiteError, match=r"^helm v9.9.9 cannot be built here: the module proxy refuses helm.sh/helm/v9 \(403\)$"):
        manifest.select({"helm": "v9.9.9"})
    with pytest.raises(SuiteError, match=r"^--helm-version=v9.9.9: helm v9.9.9 cannot be built here"):
        parse_versions({"--helm-version": "v9.9.9"}, ClusterChoice("embedded"), manifest)


@pytest.mark.parametrize("variants, said", [
    ('[[variant]]\naxis = "helm"\nvalue = "v4"\ndefault = true\n[[variant.binary]]\nname = "kubectl"\nversion = "v1"\n', "overrides binary 'kubectl', which has no default entry"),
    ('[[variant]]\naxis = "helm"\nvalue = "v4"\n[[variant.binary]]\nname = "helm"\nversion = "v4"\n', "the helm axis needs exactly one value with default = true"),
    ('[[variant]]\naxis = "helm"\nvalue = "v3"\ndefault = true\n[[variant]]\naxis = "helm"\nvalue = "3"\n', "the helm axis declares a value twice"),
])
def test_a_malformed_variant_is_refused_when_the_manifest_is_read(tmp_path, variants, said):
    with pytest.raises(SuiteError, match=said):
        load_manifest(_manifest_with(tmp_path, variants))


def test_the_toolchain_uses_and_reports_the_chosen_values(tmp_path):
    toolchain = Toolchain(cache_root=tmp_path, variants={"kubernetes": "1.22", "helm": "4.3.2"})
    assert toolchain.variants == {"kubernetes": "1.22", "service-catalog": "v0.3.1", "helm": "v4.3.2"}
    assert toolchain.manifest.binary("kube-apiserver").version == "v1.22.17"
    said = {tool.name: tool for tool in toolchain.versions()}  # nothing built in tmp_path: each "missing", with its variant
    assert said["kube-apiserver"].variant == said["kubectl"].variant == "kubernetes=1.22"
    assert said["helm"].variant == "helm=v4.3.2" and said["svcat"].variant == "service-catalog=v0.3.1"
    assert said["kf"].variant == "" and said["etcd"].variant == ""
    assert "kube-apiserver" in toolchain.missing()


def test_a_toolchain_made_from_another_keeps_its_values(tmp_path):
    toolchain = Toolchain(cache_root=tmp_path, variants={"kubernetes": "1.24"})
    assert broker_toolchain(toolchain).variants["kubernetes"] == "1.24"
    assert broker_toolchain(toolchain).manifest.binary("kubectl").version == "v1.24.17"


def test_the_options_keep_the_manifests_spelling_and_take_kind_with_a_value_that_has_its_node():
    assert parse_versions({"--kubernetes-version": "v1.22", "--helm-version": None}, ClusterChoice("embedded")) == {"kubernetes": "1.22"}
    for value in ("1.21", "1.22", "v1.24"):
        assert parse_versions({"--kubernetes-version": value}, ClusterChoice("kind")) == {"kubernetes": value.removeprefix("v")}
    assert parse_versions({"--kubernetes-version": "1.22"}, ClusterChoice("kind", name="mine")) == {"kubernetes": "1.22"}


@pytest.mark.parametrize("value, version", [("1.19", "v1.19.16"), ("1.20", "v1.20.15")])
def test_kind_with_a_kubernetes_value_without_node_binaries_is_refused_in_one_line(value, version):
    with pytest.raises(SuiteError) as refused:
        parse_versions({"--kubernetes-version": value}, ClusterChoice("kind"))
    assert str(refused.value) == (
        f"--kubernetes-version={value}: --cluster=kind makes no node of it: tools/manifest.toml's kubernetes={value} gives only the embedded "
        f"cluster's binaries (kube-apiserver, kube-controller-manager, kubectl {version}; kube-scheduler, kube-proxy, kubelet, kubeadm v1.21.14); "
        "use --cluster=embedded, or with kind one of 1.21 (default), 1.22, 1.24"
    )
    assert parse_versions({"--kubernetes-version": value}, ClusterChoice("embedded")) == {"kubernetes": value}


def test_the_build_command_refuses_an_undeclared_value_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "fixtures.cli.toolchain", "build", "--variant", "kubernetes=1.23"],
        cwd=REPO_ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "ASB_CONFORMANCE_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: no kubernetes variant '1.23' in tools/manifest.toml: choose one of 1.19, 1.20, 1.21 (default), 1.22, 1.24"
    ]
    assert not any(tmp_path.iterdir())
