"""The kind profile leaves nothing behind: no node or broker container, no
kind network, no Docker daemon it started, no temp folder, even when the run
is interrupted in the middle. Runs only from `make e2e-kind` (it creates a
real kind cluster, minutes of work)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fixtures.platform.kind.docker import daemon_answers, docker
from fixtures.core.waiting import Observation, wait_for
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(
    os.environ.get("ASB_CONFORMANCE_KIND_TESTS") != "1", reason="kind lifecycle tests run from `make e2e-kind` (ASB_CONFORMANCE_KIND_TESTS=1)"
)


def _world() -> dict[str, object]:
    """What a kind run could leave: containers, the kind network, dockerd, temp folders."""
    answers = daemon_answers()
    return {
        "containers": sorted(docker("ps", "-aq").stdout.split()) if answers else [],
        "kind network": answers and docker("network", "inspect", "kind", check=False).returncode == 0,
        "dockerd": subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True).returncode == 0,
        "temp dirs": sorted(str(p) for p in Path(tempfile.gettempdir()).glob("asb-conformance-*")),
    }


def test_ctrl_c_while_service_catalog_installs_removes_the_cluster_and_all_it_made(tmp_path):
    before = _world()
    reports = tmp_path / "reports"
    suite = subprocess.Popen(
        [sys.executable, "-m", "pytest", "features/", "-m", "verify", "--cluster=kind", "-p", "no:cacheprovider", f"--reports-dir={reports}"],
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def installing() -> Observation[None]:
            transcript = "".join(p.read_text(errors="replace") for p in reports.glob("*/logs/commands.log"))
            return Observation("$ helm install catalog" in transcript, None, f"{len(transcript)} bytes of commands.log")

        wait_for("the kind run to reach `helm install` of Service Catalog", installing, timeout=900, interval=1.0)
        suite.send_signal(signal.SIGINT)
        suite.wait(timeout=300)
    finally:
        if suite.poll() is None:
            suite.kill()
    assert _world() == before
