"""The sweep removes what a gone run left, and never what a live run still uses."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.platform.leftovers import Swept, gone_owners, sweep_temp_dirs
from fixtures.core.ownership import KEPT, MARKER_FILE, Owner, folder_owner, mark_folder, mark_folder_kept, process_start_ticks, with_owner
from fixtures.core.waiting import Observation, WaitTimeout, wait_for
from tests.conftest import REPO_ROOT

# A process that makes a temp folder the suite's way, says where and its reaper's pid, and waits.
MAKER = "from fixtures.core import processes; f = processes.make_temp_dir('asb-conformance-test-'); print(f, processes._reaper.pid, flush=True); input()"


def _ended_process_owner() -> Owner:
    child = subprocess.Popen(["sleep", "30"])
    owner = Owner.of(child.pid)
    child.kill()
    child.wait()
    return owner


def test_this_process_is_not_gone_and_an_ended_one_is():
    assert not Owner.current().is_gone()
    assert _ended_process_owner().is_gone()


def test_a_new_process_with_a_reused_pid_does_not_keep_the_old_owner_alive():
    me = Owner.current()
    assert Owner(me.host, me.boot, me.pid, me.start + 1).is_gone()


def test_another_machine_is_never_taken_as_gone_and_another_boot_is():
    dead = _ended_process_owner()
    assert not Owner(f"not-{socket.gethostname()}", dead.boot, dead.pid, dead.start).is_gone()
    assert Owner(dead.host, "another-boot", os.getpid(), Owner.current().start).is_gone()


def test_a_mark_reads_back_and_anything_else_is_no_owner():
    me = Owner.current()
    assert Owner.parse(me.text()) == me
    for text in ("", KEPT, "a/b/c", "host/boot/pid/start"):
        assert Owner.parse(text) is None


def test_the_reaper_removes_only_folders_still_marked_with_its_run(tmp_path):
    from fixtures.core.reaper import reap

    mine, kept, other = (tmp_path / name for name in ("mine", "kept", "other"))
    for folder in (mine, kept, other):
        folder.mkdir()
        mark_folder(folder)
    mark_folder_kept(kept)
    mark_folder(other, _ended_process_owner())
    assert reap(Owner.current(), [mine, kept, other, tmp_path / "absent"]) == [mine]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept", "other"]


def test_the_reaper_waits_for_the_runs_processes_before_it_removes_their_folders(tmp_path):
    """The kernel closes a killed run's pipe before its children get their
    parent-death signal: a folder removed meanwhile could be made again by one
    of them (Service Catalog's controller writing its certificates), unmarked."""
    from fixtures.core.reaper import PROCESS_LINE

    folder = tmp_path / "asb-conformance-test-reaped"
    folder.mkdir()
    mark_folder(folder)
    child = subprocess.Popen(["sleep", "60"])
    reaper = subprocess.Popen([sys.executable, "-m", "fixtures.core.reaper", Owner.current().text()], cwd=REPO_ROOT, stdin=subprocess.PIPE, text=True)
    try:
        assert reaper.stdin is not None
        reaper.stdin.write(f"{folder}\n{PROCESS_LINE}{child.pid} {process_start_ticks(child.pid)}\n")
        reaper.stdin.close()  # the run has ended

        def removed() -> Observation[None]:
            return Observation(not folder.exists(), None, f"folder exists: {folder.exists()}")

        with pytest.raises(WaitTimeout):
            wait_for("the folder removed while the run's process lives", removed, timeout=1.5)
        child.kill()
        child.wait()
        wait_for("the folder removed once the run's process is gone", removed, timeout=10)
        assert reaper.wait(timeout=10) == 0
    finally:
        child.kill()
        reaper.kill()
        child.wait()
        reaper.wait()


def test_the_sweep_removes_only_folders_of_gone_owners(tmp_path):
    gone, live, unmarked, kept = (tmp_path / f"asb-conformance-{name}" for name in ("gone", "live", "unmarked", "kept"))
    for folder in (gone, live, unmarked, kept):
        folder.mkdir()
    mark_folder(gone, _ended_process_owner())
    mark_folder(live)
    mark_folder(kept, _ended_process_owner())
    mark_folder_kept(kept)  # --keep-on-failure after the mark
    other = tmp_path / "someone-else"
    other.mkdir()
    mark_folder(other, _ended_process_owner())

    swept = sweep_temp_dirs(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["asb-conformance-kept", "asb-conformance-live", "asb-conformance-unmarked", "someone-else"]
    assert swept.removed == {"temp folders": ["asb-conformance-gone"]}
    assert swept.line().startswith("[sweep] removed what earlier runs left behind (their pids ")
    assert swept.line().endswith(": 1 temp folders")
    assert not sweep_temp_dirs(tmp_path), "a second sweep finds nothing"


def _maker() -> tuple[subprocess.Popen, Path, int]:
    owner = subprocess.Popen([sys.executable, "-c", MAKER], cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    folder, reaper = owner.stdout.readline().split()
    return owner, Path(folder), int(reaper)


def test_a_killed_runs_reaper_removes_its_folder_at_once():
    owner, folder, reaper = _maker()
    try:
        assert folder_owner(folder) == Owner.of(owner.pid) and Owner.of(reaper)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)

        def reaped() -> Observation[None]:
            return Observation(not folder.exists() and process_start_ticks(reaper) is None, None, f"folder exists: {folder.exists()}, reaper alive: {process_start_ticks(reaper) is not None}")

        wait_for("the reaper to remove the killed run's folder and end", reaped, timeout=20)
    finally:
        owner.kill()
        owner.wait()


def test_a_live_runs_folder_survives_the_sweep_and_goes_once_its_run_and_reaper_are_killed():
    """Two real processes: the owner keeps running while another sweeps; then it
    and its reaper are SIGKILLed (what the reaper cannot cover, the sweep does)."""
    owner, folder, reaper = _maker()
    try:
        assert folder.name not in sweep_temp_dirs().removed.get("temp folders", [])
        assert folder.is_dir(), "the sweep removed a live run's folder"
        os.kill(reaper, signal.SIGKILL)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        assert folder.is_dir()
        swept = sweep_temp_dirs()
        assert folder.name in swept.removed["temp folders"] and owner.pid in swept.owners
        assert not folder.exists()
    finally:
        owner.kill()
        owner.wait()


def test_gone_owners_picks_marks_of_gone_processes_from_labels():
    dead, me = _ended_process_owner(), Owner.current()
    found = gone_owners([("a", dead.text()), ("b", me.text()), ("c", ""), ("d", None), ("e", KEPT)])
    assert found == [("a", dead)]


def test_a_kubernetes_object_is_marked_in_an_annotation_without_changing_the_original():
    manifest = {"kind": "ClusterServiceBroker", "metadata": {"name": "x"}}
    owned = with_owner(manifest)
    assert Owner.parse(owned["metadata"]["annotations"]["asb-conformance/owner"]) == Owner.current()
    assert "annotations" not in manifest["metadata"]


def test_swept_says_nothing_when_nothing_was_removed():
    assert not Swept()
    assert MARKER_FILE.startswith(".")  # the mark does not show in a plain ls of the folder


def test_a_kind_cluster_is_claimed_until_deleted_or_kept(tmp_path):
    from fixtures.platform.kind.leftovers import ClusterOwners

    owners = ClusterOwners(tmp_path)
    owners.claim("asb-abc123")
    assert Owner.parse(owners.marks()["asb-abc123"]) == Owner.current()
    assert gone_owners(owners.marks().items()) == [], "a live run's cluster is not a leftover"
    owners.release("asb-abc123")
    assert owners.marks() == {}


def test_a_dockerd_the_suite_started_is_an_orphan_only_once_its_run_is_gone_and_it_still_runs(tmp_path):
    from fixtures.platform.kind.docker import DaemonRecord

    daemon = subprocess.Popen(["sleep", "30"])  # stands in for dockerd: a process that outlives its run
    try:
        DaemonRecord.write(tmp_path, daemon.pid)
        record = DaemonRecord.read(tmp_path)
        assert record is not None and record.orphaned() is None, "this run is alive: its daemon is no orphan"
        dead = _ended_process_owner()
        orphan = DaemonRecord(record.pid, record.start, dead.text())
        assert orphan.orphaned() == dead
        daemon.kill()
        daemon.wait()
        assert orphan.orphaned() is None, "a daemon that has stopped is nothing to take over"
    finally:
        daemon.kill()
        daemon.wait()
    DaemonRecord.remove(tmp_path)
    assert DaemonRecord.read(tmp_path) is None
