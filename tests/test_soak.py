"""The soak's own logic, without running a soak: results from junit.xml, the
tally that names flakes, the seeded plan, and the count of what a killed run left."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from fixtures.platform.leftovers import sweep_temp_dirs
from fixtures.cli.soak.census import ProcessWatch, count_leftovers
from fixtures.cli.soak.plan import EARLIEST, LATEST, WORKER_KILL, plan, run_order
from fixtures.cli.soak.report import markdown, summary
from fixtures.cli.soak.results import scenario_outcomes, tally
from fixtures.cli.soak.runner import RunRecord
from fixtures.core.waiting import Observation, wait_for
from tests.conftest import REPO_ROOT

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="features.test_features" name="test_ready" time="1.0" />
<testcase classname="features.test_features" name="test_offerings[aws-full]" time="1.0"><failure message="boom">x</failure></testcase>
<testcase classname="features.test_features" name="test_torn_down" time="1.0" />
<testcase classname="features.test_features" name="test_torn_down" time="0.1"><error message="teardown">x</error></testcase>
<testcase classname="features.test_features" name="test_pods" time="0.0"><skipped type="pytest.skip" message="needs pods">x</skipped></testcase>
<testcase classname="features.test_features" name="test_drift" time="0.0"><skipped type="pytest.xfail" message="known drift">x</skipped></testcase>
</testsuite></testsuites>"""

# Makes a temp folder the suite's way, starts a grandchild in its own session
# that listens on a port (it outlives a SIGKILL of its parent), says both, waits.
LEAVER = """
import subprocess, sys
from fixtures.core import processes
folder = processes.make_temp_dir('asb-conformance-soaktest-')
processes._reaper._process.kill()  # its reaper gone too: the folder stays for the count
processes._reaper._process.wait()
listener = subprocess.Popen([sys.executable, '-c', "import signal,socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); signal.pause()"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, start_new_session=True)
print(folder, listener.stdout.readline().strip(), listener.pid, flush=True)
input()
"""


def test_each_scenarios_outcome_is_read_from_junit_and_a_teardown_error_counts(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    assert scenario_outcomes(junit) == {
        "test_ready": "passed", "test_offerings[aws-full]": "failed", "test_torn_down": "error", "test_pods": "skipped", "test_drift": "xfailed",
    }


def test_a_killed_runs_missing_or_cut_junit_gives_no_outcomes(tmp_path):
    cut = tmp_path / "junit.xml"
    cut.write_text(JUNIT[:200])
    assert scenario_outcomes(cut) == {} and scenario_outcomes(tmp_path / "none.xml") == {}


def test_the_tally_names_a_scenario_that_passed_and_failed_flaky():
    runs = [{"a": "passed", "b": "passed", "c": "failed", "d": "skipped"}, {"a": "passed", "b": "failed", "c": "failed", "d": "skipped"}, {"a": "xfailed", "b": "passed"}]
    table = tally(runs)
    assert {name: t.verdict for name, t in table.items()} == {"a": "steady", "b": "FLAKY", "c": "FAILS", "d": "MISSING"}
    assert (table["b"].passed, table["b"].failed, table["b"].runs) == (2, 1, 3)


def test_the_plan_is_the_same_for_the_same_seed_and_follows_each_interrupt_with_a_full_run():
    first, again = plan(20, 20, seed=13, with_workers=True), plan(20, 20, seed=13, with_workers=True)
    assert first == again and first != plan(20, 20, seed=14, with_workers=True)
    kinds = [p.kind for p in first]
    assert kinds.count("full") == 20 and kinds.count("interrupt") == 20 and kinds[-1] == "full"
    assert all(kinds[i + 1] == "full" for i, kind in enumerate(kinds) if kind == "interrupt")
    signals = [p.signal for p in first if p.kind == "interrupt"]
    assert {s: signals.count(s) for s in set(signals)} == {"SIGINT": 5, "SIGTERM": 5, "SIGKILL": 5, WORKER_KILL: 5}
    assert all(p.fraction is not None and EARLIEST <= p.fraction <= LATEST for p in first if p.kind == "interrupt")


def test_without_xdist_no_worker_is_killed_and_more_interrupts_than_runs_still_end_on_a_full_run():
    assert WORKER_KILL not in {p.signal for p in plan(2, 3, seed=1, with_workers=False)}
    assert run_order(2, 3) == ["interrupt", "interrupt", "full", "interrupt", "full"]
    assert run_order(3, 1) == ["full", "interrupt", "full", "full"]
    assert run_order(0, 2) == ["interrupt", "interrupt"]


def test_what_a_killed_run_left_is_counted_and_the_next_sweep_removes_its_folder():
    run = subprocess.Popen([sys.executable, "-c", LEAVER], cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    watch = ProcessWatch(run.pid, interval=0.05).start()
    listener_pid = 0
    try:
        assert run.stdout is not None
        folder, port, listener = run.stdout.readline().split()
        listener_pid = int(listener)

        def listener_seen() -> Observation[None]:
            return Observation(listener_pid in watch.seen, None, f"watched: {sorted(watch.seen)}")

        wait_for("the watch to see the grandchild", listener_seen, timeout=10)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        watch.stop()
        left = count_leftovers(watch)
        assert left.temp_dirs == [Path(folder).name]
        assert left.processes == [f"python3({listener_pid})"] or left.processes == [f"python({listener_pid})"], left.processes
        assert left.listening_ports == [f"{listener_pid}:{port}"]
        assert left.counts()["containers"] is None, "not counted for this profile: None, not 0"
    finally:
        run.kill()
        if listener_pid:
            subprocess.run(["kill", "-9", str(listener_pid)], check=False)
    assert Path(folder).name in sweep_temp_dirs().removed.get("temp folders", [])

    def nothing_left() -> Observation[None]:  # the killed listener takes a moment to be gone
        left = count_leftovers(watch)
        return Observation(left.total() == 0, None, str(left))

    wait_for("nothing of the killed run to be left", nothing_left, timeout=10)


def test_the_report_flags_flakes_and_what_an_interrupt_left():
    left = {"counts": {"processes": 0, "listening_ports": 0, "temp_dirs": 2, "containers": None}, "names": {"temp_dirs": ["a", "b"]}}
    clean = {"counts": {"processes": 0, "listening_ports": 0, "temp_dirs": 0, "containers": None}, "names": {}}
    records = [
        RunRecord(1, "full", None, exit_code=0, outcomes={"s1": "passed", "s2": "passed"}, left=clean),
        RunRecord(2, "interrupt", "SIGKILL", planned_at=10.0, signalled_at=10.1, exit_code=-9, left=left, left_after_next_run=clean),
        RunRecord(3, "full", None, exit_code=1, outcomes={"s1": "passed", "s2": "failed"}, left=clean, sweep_lines=["[sweep] removed ...: 2 temp folders"]),
    ]
    totals = summary(records)
    assert totals["flaky"] == ["s2"] and totals["leftovers_after_interrupts"] == 2 and totals["leftovers_after_next_run"] == 0
    text = markdown({"id": "x", "command": "python -m fixtures.cli.soak", "cluster": "embedded", "pytest_args": [], "netns": True, "seed": 1, "started": "now"}, records, totals)
    assert "| 2 | interrupt | SIGKILL | 10.1 (10.0) | -9 |" in text and "tmp 2" in text and "[sweep] removed ...: 2 temp folders" in text
    assert "- FLAKY: s2" in text


def test_bad_soak_options_say_one_line_and_exit_2():
    for args in (["--runs", "-1"], ["--cluster", "nowhere"], ["--runs", "0", "--interrupts", "0"]):
        result = subprocess.run([sys.executable, "-m", "fixtures.cli.soak", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: "), (args, result.stderr)


def test_an_xdist_worker_is_found_among_pytests_children_by_execnets_bootstrap():
    """xdist starts each worker as `python -c "import sys;exec(eval(sys.stdin.readline()))"`."""
    from fixtures.core.parallel import XDIST_WORKER_MARK

    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys; w = subprocess.Popen([sys.executable, '-c', 'import sys;exec(eval(sys.stdin.readline()))'], stdin=subprocess.PIPE); print(w.pid, flush=True); w.wait()"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        watch = ProcessWatch(parent.pid)
        assert [seen.pid for seen in watch.children_named(XDIST_WORKER_MARK)] == [worker]
    finally:
        parent.kill()
        parent.wait()
        subprocess.run(["kill", "-9", str(worker)], check=False)
