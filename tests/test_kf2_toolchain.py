"""Kf 2.11 in the toolchain: entries built inside their own tree, from the
sources folder or a git clone of the tag checked against its commit; where
neither can be had, one line saying what to give."""
import subprocess
from pathlib import Path

import pytest

from fixtures.core.errors import SuiteError
from fixtures.platform.toolchain import Toolchain
from fixtures.platform.toolchain.manifest import GoBinary, Manifest, entry_key, load_manifest
from fixtures.platform.toolchain.sources import git_checkout, writable_copy

MODULE = "example.test/kf/v2"


def _entry(**changes: object) -> GoBinary:
    fields: dict = dict(
        name="kf2", module_dir="", module=MODULE, version="v2.0.0", package=f"{MODULE}/cmd/kf", version_args=("version",),
        profile="kf2", source_folder="kf-v2.0.0", build_in_tree=True,
    )
    fields.update(changes)
    return GoBinary(**fields)


def _repository(root: Path) -> tuple[Path, str]:
    """A git repository holding a tiny module at tag v2.0.0; its commit."""
    repo = root / "upstream"
    (repo / "cmd" / "kf").mkdir(parents=True)
    (repo / "go.mod").write_text(f"module {MODULE}\n\ngo 1.22\n")
    (repo / "cmd" / "kf" / "main.go").write_text("package main\n\nfunc main() {}\n")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "v2"], check=True)
    subprocess.run([*git, "tag", "v2.0.0"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    return repo, commit


def test_the_real_manifest_builds_kf_2_11_in_its_tree_under_its_own_profile():
    manifest = load_manifest()
    for name, package in (("kf2", "cmd/kf"), ("kf2-controller", "cmd/controller")):
        entry = manifest.binary(name)
        assert isinstance(entry, GoBinary) and entry.profile == "kf2" and entry.build_in_tree
        assert entry.package == f"github.com/google/kf/v2/{package}" and entry.source_folder == "kf-v2.11.32"
        assert entry.source_commit == "ae0b8bf2d0d851645bdca634531099ca6757fe81"
    assert "-X github.com/google/kf/v2/pkg/kf/commands.Version=v2.11.32" in manifest.binary("kf2").ldflags  # type: ignore[union-attr]
    assert manifest.binary("kf").version == "v0.2.0"  # the first generation stays


def test_building_in_the_tree_is_part_of_the_key_but_leaves_other_entries_keys_alone():
    assert entry_key(_entry(), "go1.26") != entry_key(_entry(build_in_tree=False), "go1.26")
    assert "build_in_tree" not in repr(_entry()) and "source_git" not in repr(_entry())
    assert entry_key(_entry(), "go1.26", "tree-a") != entry_key(_entry(), "go1.26", "tree-b")


def test_a_clone_of_the_tag_is_checked_against_the_pinned_commit(tmp_path):
    repo, commit = _repository(tmp_path)
    tree = git_checkout(f"file://{repo}", "v2.0.0", commit, tmp_path / "clone")
    assert (tree / "cmd" / "kf" / "main.go").is_file()
    assert git_checkout(f"file://{repo}", "v2.0.0", commit, tmp_path / "clone") == tree  # once
    with pytest.raises(SuiteError, match="the tag moved") as moved:
        git_checkout(f"file://{repo}", "v2.0.0", "0" * 40, tmp_path / "clone")
    assert "\n" not in str(moved.value)


def test_a_failed_clone_is_one_line(tmp_path):
    with pytest.raises(SuiteError) as failed:
        git_checkout(f"file://{tmp_path}/nothing-here", "v2.0.0", "0" * 40, tmp_path / "clone")
    assert str(failed.value).startswith("git clone --branch v2.0.0") and "\n" not in str(failed.value)
    assert not (tmp_path / "clone").exists()


def test_without_sources_or_git_the_toolchain_says_what_to_give(tmp_path, monkeypatch):
    monkeypatch.delenv("ASB_CONFORMANCE_SOURCES", raising=False)
    entry = _entry(source_git=f"file://{tmp_path}/nothing-here", source_commit="0" * 40)
    toolchain = Toolchain(manifest=Manifest((entry,), (), ()), cache_root=tmp_path / "cache", profiles=("kf2",))
    with pytest.raises(SuiteError) as refused:
        toolchain.origin(entry)
    message = str(refused.value)
    assert message.startswith("cannot build kf2: no --sources / ASB_CONFORMANCE_SOURCES was given, and git clone") and "\n" not in message
    assert "point --sources (or ASB_CONFORMANCE_SOURCES) at a folder holding kf-v2.0.0/" in message


def test_the_git_fallback_is_used_when_no_sources_folder_holds_the_tree(tmp_path, monkeypatch):
    monkeypatch.delenv("ASB_CONFORMANCE_SOURCES", raising=False)
    repo, commit = _repository(tmp_path)
    entry = _entry(source_git=f"file://{repo}", source_commit=commit)
    toolchain = Toolchain(manifest=Manifest((entry,), (), ()), cache_root=tmp_path / "cache", sources_dir=tmp_path / "empty-sources", profiles=("kf2",))
    (tmp_path / "empty-sources").mkdir()
    tree = toolchain.origin(entry)
    assert tree is not None and tree.name == "kf-v2.0.0-git" and (tree / "go.mod").is_file()


def test_the_build_copy_is_writable_and_leaves_the_tree_alone(tmp_path):
    repo, _ = _repository(tmp_path)
    (repo / "go.mod").chmod(0o444)
    copy = writable_copy(repo, tmp_path / "copy")
    (copy / "go.mod").write_text("changed\n")
    assert (repo / "go.mod").read_text().startswith("module ") and not (copy / ".git").exists()
