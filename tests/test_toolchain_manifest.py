"""The toolchain cache keys: stable for the same pins, new for any change,
and per entry, so a changed pin rebuilds only what uses it."""
import dataclasses

import fixtures.platform.toolchain.manifest as manifest_module
from fixtures.platform.toolchain.manifest import entry_key, load_manifest


def test_the_real_manifest_lists_the_binaries_the_issue_requires():
    manifest = load_manifest()
    assert {"kube-apiserver", "kubectl", "service-catalog", "svcat", "helm", "kf"} <= {b.name for b in manifest.binaries}
    assert manifest.binary("kube-apiserver").version.startswith("v1.21.")
    assert manifest.binary("service-catalog").version == "v0.3.1"
    assert manifest.binary("etcd").version.startswith("3.4.")


def test_key_is_stable_for_unchanged_pins():
    helm = load_manifest().binary("helm")
    assert entry_key(helm, "go1.26.8") == entry_key(helm, "go1.26.8")


def test_key_changes_with_go_version():
    helm = load_manifest().binary("helm")
    assert entry_key(helm, "go1.26.8") != entry_key(helm, "go1.27.3")


def test_key_changes_with_the_entry_itself():
    helm = load_manifest().binary("helm")
    changed = dataclasses.replace(helm, ldflags=helm.ldflags + ("-X extra=1",))
    assert entry_key(changed, "go1.26.8") != entry_key(helm, "go1.26.8")


def test_binaries_of_different_modules_have_different_keys():
    manifest = load_manifest()
    assert entry_key(manifest.binary("helm"), "go1.26.8") != entry_key(manifest.binary("kf"), "go1.26.8")


def test_key_changes_when_a_pinned_file_of_its_module_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest_module, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(manifest_module, "TOOLS_DIR", tmp_path)
    (tmp_path / "helm").mkdir()
    go_sum = tmp_path / "helm" / "go.sum"
    go_sum.write_text("helm.sh/helm/v3 v3.5.4 h1:aaa\n")
    entry = manifest_module.GoBinary("helm", "helm", "helm.sh/helm/v3", "v3.5.4", "helm.sh/helm/v3/cmd/helm", ("version",))
    before = entry_key(entry, "go1.26.8")
    go_sum.write_text("helm.sh/helm/v3 v3.5.5 h1:bbb\n")
    assert entry_key(entry, "go1.26.8") != before


def test_every_built_binary_says_its_pinned_version():
    from fixtures.platform.toolchain import Toolchain

    toolchain = Toolchain()
    manifest = toolchain.manifest
    for tool in toolchain.versions():
        if tool.source == "built":
            assert manifest.binary(tool.name).version in tool.version, f"{tool.name}: {tool.version}"
            assert len(tool.sha256) == 64
