"""The toolchain cache key: stable for the same pins, new for any change."""
from pathlib import Path

from fixtures.toolchain.manifest import Manifest, load_manifest


def _manifest_with(files: list[Path]) -> Manifest:
    return Manifest(binaries=(), system=(), charts=(), source_files=tuple(files))


def test_the_real_manifest_lists_the_binaries_the_issue_requires():
    manifest = load_manifest()
    assert {"kube-apiserver", "kubectl", "service-catalog", "svcat", "helm"} <= {b.name for b in manifest.binaries}
    assert manifest.binary("kube-apiserver").version.startswith("v1.21.")
    assert manifest.binary("service-catalog").version == "v0.3.1"
    assert manifest.binary("etcd").version.startswith("3.4.")


def test_cache_key_is_stable_for_unchanged_pins():
    manifest = load_manifest()
    assert manifest.cache_key("go1.26.8") == manifest.cache_key("go1.26.8")


def test_cache_key_changes_with_go_version():
    manifest = load_manifest()
    assert manifest.cache_key("go1.26.8") != manifest.cache_key("go1.27.3")


def test_cache_key_changes_when_a_pinned_file_changes(tmp_path, monkeypatch):
    import fixtures.toolchain.manifest as module

    monkeypatch.setattr(module, "REPO_ROOT", tmp_path)
    go_sum = tmp_path / "go.sum"
    go_sum.write_text("k8s.io/api v0.21.14 h1:aaa\n")
    before = _manifest_with([go_sum]).cache_key("go1.26.8")
    go_sum.write_text("k8s.io/api v0.21.15 h1:bbb\n")
    assert _manifest_with([go_sum]).cache_key("go1.26.8") != before
