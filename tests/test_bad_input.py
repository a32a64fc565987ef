"""Bad input: one actionable line, a non-zero exit, nothing left behind."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fixtures.platform.cluster import embedded
from fixtures.platform.cluster.embedded import EmbeddedCluster
from fixtures.core.errors import SuiteError
from fixtures.platform.toolchain import Toolchain
from tests.conftest import REPO_ROOT, run_suite


@pytest.mark.parametrize(
    "option, line",
    [
        ("--cluster=minikube", "unknown --cluster value 'minikube': choose one of embedded, kind, kind=NAME, kubeconfig=PATH"),
        ("--cluster=kind=My_Cluster", "--cluster=kind=My_Cluster: a kind cluster name is lower-case letters, digits and '-'"),
        ("--cluster=kubeconfig=/nonexistent/config", "--cluster=kubeconfig=/nonexistent/config: no such file"),
        ("--ready-timeout=soon", "--ready-timeout='soon': give a positive number of seconds"),
        ("--aws=real", "--aws=real creates and deletes real AWS resources (costs money): add --aws-real-opt-in"),
        ("--aws=real --aws-real-opt-in", "--aws=real needs --aws-region"),
        ("--aws=localstack", "unknown --aws value 'localstack': choose moto (default) or real"),
        ("--marketplace-reader=cf", "unknown --marketplace-reader 'cf': choose one of kf, svcat, api"),
        ("--control-planes=0", "--control-planes 0: give a count of 1 or more, or auto"),
        ("--control-planes=many", "--control-planes many: give a count of 1 or more, or auto"),
        ("--broker=fake", "unknown --broker 'fake': choose aws (the real AWS Service Broker, default) or mock (skip the @aws_broker scenarios)"),
        ("--kubernetes-version=1.23", "--kubernetes-version=1.23: no kubernetes variant '1.23' in tools/manifest.toml: choose one of 1.19, 1.20, 1.21 (default), 1.22, 1.24"),
        ("--service-catalog-version=v0.2.0", "--service-catalog-version=v0.2.0: no service-catalog variant 'v0.2.0' in tools/manifest.toml: choose one of v0.3.0, v0.3.1 (default)"),
        ("--helm-version=3.22.0", "--helm-version=3.22.0: no helm variant '3.22.0' in tools/manifest.toml: choose one of v3.5.4 (default), v3.21.4, v4.3.2"),
        ("--cluster=kind --kubernetes-version=1.19", "--kubernetes-version=1.19: --cluster=kind makes no node of it: tools/manifest.toml's kubernetes=1.19 gives only the embedded cluster's binaries"),
    ],
)
def test_a_bad_option_is_refused_in_one_line(option, line, reports):
    result = run_suite(*option.split(), reports=reports)
    assert result.returncode == 4, result.stdout + result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("ERROR:")]
    assert len(errors) == 1 and line in errors[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not reports.exists(), "a refused run must leave nothing behind"


def test_a_kubeconfig_that_reaches_nothing_is_one_line(reports, tmp_path):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "kubeconfig"
    config.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        f"clusters: [{{name: c, cluster: {{server: 'https://127.0.0.1:{port}', insecure-skip-tls-verify: true}}}}]\n"
        "users: [{name: c, user: {token: not-a-real-token}}]\n"
        "contexts: [{name: c, context: {cluster: c, user: c}}]\n"
    )
    result = run_suite(f"--cluster=kubeconfig={config}", reports=reports)
    assert result.returncode == 3, result.stdout[-2000:]
    lines = [l for l in (result.stdout + result.stderr).splitlines() if "does not reach a cluster" in l]
    assert len(lines) == 1, result.stdout[-2000:]
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_go_says_what_to_install(tmp_path):
    env = {**os.environ, "PATH": "/usr/bin:/bin", "ASB_CONFORMANCE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("ASB_CONFORMANCE_BIN_DIR", None)
    if any(Path(d, "go").exists() for d in ("/usr/bin", "/bin")):
        pytest.skip("this machine has go in /usr/bin or /bin, so PATH cannot hide it")
    result = subprocess.run([sys.executable, "-m", "fixtures.cli.toolchain", "build"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # exactly one line
    assert "Go is not installed" in result.stderr and "install Go >= 1.26" in result.stderr
    assert not (tmp_path / "cache").exists()


def _cluster_temp_dirs() -> set[Path]:
    """This process's cluster temp folders (another run on the machine makes its own meanwhile)."""
    from fixtures.core.ownership import Owner, folder_owner

    me = Owner.current().pid
    return {p for p in Path(tempfile.gettempdir()).glob("asb-conformance-cluster-*") if (owner := folder_owner(p)) is None or owner.pid == me}


def test_a_port_taken_fails_etcd_with_its_log_and_leaves_nothing(tmp_path, monkeypatch):
    toolchain = Toolchain()
    before = _cluster_temp_dirs()
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    monkeypatch.setattr(embedded, "free_port", lambda: held.getsockname()[1])
    cluster = EmbeddedCluster(toolchain, tmp_path / "logs", start_timeout=30)
    try:
        with pytest.raises(SuiteError) as failure:
            cluster.start()
    finally:
        held.close()
    message = str(failure.value)
    assert message.startswith("etcd failed to start.")
    assert "address already in use" in message  # the tail of etcd's own log
    assert cluster.processes == []
    assert _cluster_temp_dirs() <= before


def test_preflight_reports_every_gap_with_its_fix_before_creating_anything(tmp_path, reports):
    before = _cluster_temp_dirs()
    result = run_suite("--preflight", reports=reports, env={"ASB_CONFORMANCE_CACHE_DIR": str(tmp_path / "empty-cache")})
    assert result.returncode == 3, result.stdout[-2000:]
    assert "preflight (--cluster=embedded --aws=moto): 1 gap(s)" in result.stdout
    assert "not built yet: kube-apiserver, kubectl, service-catalog, svcat, helm, kf, kube-controller-manager, catalog" in result.stdout
    assert "fix: make setup" in result.stdout
    assert _cluster_temp_dirs() <= before
    assert not (tmp_path / "empty-cache").exists()


def test_preflight_passes_on_a_set_up_machine(reports):
    result = run_suite("--preflight", reports=reports)
    assert result.returncode == 0 and "nothing missing" in result.stdout, result.stdout[-2000:]
