"""After any run, interrupted ones included, nothing the run started remains."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from fixtures.core.ownership import folder_owner
from fixtures.cli.soak.census import descendants
from fixtures.core.waiting import Observation, wait_for
from tests.conftest import REPO_ROOT


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _temp_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("asb-conformance-*"))


def _interrupt_once_catalog_runs(tmp_path: Path, signum: int) -> set[int]:
    """Start the features, send `signum` once Service Catalog's controller is up
    (the most there is to clean), wait for pytest to end; every process it had."""
    reports, output = tmp_path / "reports", tmp_path / "pytest.out"
    with output.open("w") as sink:
        suite = subprocess.Popen(
            [sys.executable, "-m", "pytest", "features/", "-p", "no:cacheprovider", "-v", f"--reports-dir={reports}"],
            cwd=REPO_ROOT, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        def controller_started() -> Observation[set[int]]:
            children = descendants(suite.pid)
            logs = list(reports.glob("*/logs/service-catalog-controller-manager.log"))
            return Observation(bool(logs) and len(children) >= 4, children, f"{len(children)} child processes, controller log: {bool(logs)}")

        started = wait_for("the run to start Service Catalog", controller_started, timeout=180, interval=0.2) | {suite.pid}
        suite.send_signal(signum)
        try:
            suite.wait(timeout=60)
        except subprocess.TimeoutExpired:
            tail = "\n".join(output.read_text(errors="replace").splitlines()[-15:])
            raise AssertionError(f"pytest still running 60 s after {signal.Signals(signum).name}; its output ends:\n{tail}") from None
    finally:
        if suite.poll() is None:
            suite.kill()
    return started


def _all_gone(started: set[int]) -> None:
    """The run's processes end with it (its reaper a moment later, once it has
    removed the run's folders): polled with a deadline. Its folders are those
    marked with one of its processes (other runs on the machine make their own)."""
    def look() -> Observation[None]:
        alive = [pid for pid in started if _alive(pid)]
        left = sorted(d for d in _temp_dirs() if (owner := folder_owner(d)) is not None and owner.pid in started)
        return Observation(not alive and not left, None, f"alive: {alive}, temp dirs left: {left}")

    wait_for("every process and temp dir of the interrupted run to be gone", look, timeout=15, interval=0.2)


def test_ctrl_c_in_the_middle_of_a_run_stops_every_process_and_removes_temp_dirs(tmp_path):
    _all_gone(_interrupt_once_catalog_runs(tmp_path, signal.SIGINT))


def test_sigkill_of_pytest_leaves_no_process_and_no_temp_dir(tmp_path):
    """pytest cannot clean up after SIGKILL: its processes die with it (parent-death
    signal) and its reaper removes its folders."""
    _all_gone(_interrupt_once_catalog_runs(tmp_path, signal.SIGKILL))


def test_keep_on_failure_keeps_the_failed_scenario_reachable_and_says_how(tmp_path):
    """The forced failure under --keep-on-failure: its processes outlive pytest,
    the printed kubeconfig reaches the kept cluster, and the printed kill ends them."""
    import os
    import re

    from fixtures.platform.toolchain import Toolchain

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/forced_failure", "-p", "no:cacheprovider", f"--reports-dir={tmp_path / 'reports'}", "--ready-timeout=5", "--keep-on-failure"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "ASB_CONFORMANCE_FORCE_FAILURE": "1"},
    )
    kubeconfig = re.search(r"export KUBECONFIG=(\S+)", result.stdout)
    kill = re.search(r"when done: kill ([\d ]+); rm -rf (.+)$", result.stdout, re.M)
    assert kubeconfig and kill, result.stdout[-2000:]
    pids = [int(p) for p in kill.group(1).split()]
    try:
        assert all(_alive(pid) for pid in pids), "kept processes died with pytest"
        kubectl = Toolchain().path("kubectl")
        listed = subprocess.run([str(kubectl), "--kubeconfig", kubeconfig.group(1), "get", "clusterservicebroker"], capture_output=True, text=True, timeout=30)
        assert "Ready" in listed.stdout, listed.stdout + listed.stderr
        assert "re-run just this scenario: .venv/bin/pytest features/ -k 'test_a_healthy_broker_expected_to_fail'" in result.stdout
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for folder in kill.group(2).split():
            shutil.rmtree(folder, ignore_errors=True)
