"""Building from a source tree where the module proxy refuses a module: the
tree is checked, built through a replace, and keyed by its content."""
import os
from pathlib import Path

import pytest

import fixtures.platform.toolchain.manifest as manifest_module
from fixtures.core.errors import SuiteError
from fixtures.platform.toolchain import Toolchain
from fixtures.platform.toolchain.manifest import GoBinary, Manifest
from fixtures.platform.toolchain.sources import check_tree, tree_hash

MODULE = "example.test/upstream-broker"
PACKAGE = f"{MODULE}/cmd/servicebroker"
# The sources folder the run uses (ASB_CONFORMANCE_SOURCES, as make and CI set it), else beside the checkout.
SHARED_SOURCES = Path(os.environ.get("ASB_CONFORMANCE_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources")


def _tree(root: Path, with_main: bool = True, says: str = "upstream main") -> Path:
    tree = root / "upstream-broker-v1.0.0"
    (tree / "pkg").mkdir(parents=True, exist_ok=True)
    (tree / "go.mod").write_text(f"module {MODULE}\n\ngo 1.22\n")
    (tree / "pkg" / "lib.go").write_text('package pkg\n\nconst Name = "lib"\n')
    if with_main:
        (tree / "cmd" / "servicebroker").mkdir(parents=True, exist_ok=True)
        (tree / "cmd" / "servicebroker" / "main.go").write_text(f'package main\n\nimport "fmt"\n\nfunc main() {{ fmt.Println("{says}") }}\n')
    return tree


def _tools_module(tools: Path) -> None:
    module = tools / "upstream-broker"
    module.mkdir(parents=True)
    (module / "go.mod").write_text(f"module conformance.local/tools/upstream-broker\n\ngo 1.22\n\nrequire {MODULE} v1.0.0\n")
    (module / "tools.go").write_text(f'//go:build tools\n\npackage tools\n\nimport _ "{PACKAGE}"\n')


def _entry() -> GoBinary:
    return GoBinary("upstream-broker", "upstream-broker", MODULE, "v1.0.0", PACKAGE, (), profile="broker", source_folder="upstream-broker-v1.0.0")


def test_a_tree_without_the_main_package_is_refused_with_what_to_provide(tmp_path):
    tree = _tree(tmp_path, with_main=False)
    with pytest.raises(SuiteError) as refused:
        check_tree(tree, MODULE, PACKAGE, "v1.0.0")
    message = str(refused.value)
    assert "has no cmd/servicebroker" in message and "git clone --branch v1.0.0" in message
    assert "\n" not in message


def test_a_tree_of_another_module_is_refused(tmp_path):
    tree = _tree(tmp_path)
    with pytest.raises(SuiteError, match="is not example.test/other"):
        check_tree(tree, "example.test/other", "example.test/other/cmd/servicebroker", "v1.0.0")


def test_the_tree_hash_follows_content(tmp_path):
    tree = _tree(tmp_path)
    before = tree_hash(tree)
    assert tree_hash(tree) == before
    (tree / "pkg" / "lib.go").write_text('package pkg\n\nconst Name = "changed"\n')
    assert tree_hash(tree) != before


def test_the_tree_hash_takes_links_by_their_target_even_dangling_ones(tmp_path):
    """A real checkout has symbolic links (some dangling, some to folders); the
    shared copy has them as small text files. Neither may break the hash."""
    tree = _tree(tmp_path)
    (tree / "docs").symlink_to("pkg")  # a link to a folder: not walked into
    (tree / "dangling").symlink_to("no-such-file")
    before = tree_hash(tree)
    (tree / "dangling").unlink()
    (tree / "dangling").symlink_to("another-missing-file")
    assert tree_hash(tree) != before
    (tree / "dangling").unlink()
    (tree / "dangling").write_text("no-such-file")  # the copy's form of the same link
    assert tree_hash(tree) not in (before, "")


def test_a_refused_module_is_built_from_its_source_tree_through_a_replace(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest_module, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(manifest_module, "TOOLS_DIR", tmp_path / "tools")
    monkeypatch.setenv("GOFLAGS", "")
    monkeypatch.setenv("GOPROXY", "off")  # nothing may come from a proxy: the tree is the module
    _tools_module(tmp_path / "tools")
    sources = tmp_path / "sources"
    tree = _tree(sources, says="built from the tree")
    toolchain = Toolchain(Manifest((_entry(),), (), ()), cache_root=tmp_path / "cache", profiles=("broker",), sources_dir=sources)
    toolchain.ensure(progress=lambda line: None)
    binary = toolchain.path("upstream-broker")
    import subprocess

    assert subprocess.run([str(binary)], capture_output=True, text=True, check=True).stdout.strip() == "built from the tree"
    [version] = toolchain.versions()
    assert version.version.startswith("v1.0.0 (source tree") and tree_hash(tree) in version.version
    # Another tree content is another build.
    (tree / "cmd" / "servicebroker" / "main.go").write_text('package main\n\nfunc main() {}\n')
    rebuilt = Toolchain(Manifest((_entry(),), (), ()), cache_root=tmp_path / "cache", profiles=("broker",), sources_dir=sources)
    assert rebuilt.missing() == ["upstream-broker"]


@pytest.mark.skipif(not (SHARED_SOURCES / "aws-servicebroker-v1.0.4").is_dir(), reason=f"no {SHARED_SOURCES}/aws-servicebroker-v1.0.4 on this machine")
def test_the_shared_aws_broker_tree_is_checked_before_any_build(tmp_path):
    """A complete tree is the binary's origin; one without cmd/servicebroker
    (an earlier copy: upstream's .gitignore line `servicebroker` matched that
    folder) is refused in one line before any build."""
    toolchain = Toolchain(cache_root=tmp_path, profiles=("default", "aws-broker"), sources_dir=SHARED_SOURCES)
    entry = toolchain.manifest.binary("aws-servicebroker")
    tree = SHARED_SOURCES / "aws-servicebroker-v1.0.4"
    if (tree / "cmd" / "servicebroker").is_dir():
        assert toolchain.origin(entry) == tree  # type: ignore[arg-type]
        return
    with pytest.raises(SuiteError, match="has no cmd/servicebroker"):
        toolchain.origin(entry)  # type: ignore[arg-type]
