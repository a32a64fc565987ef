"""One control plane for all xdist workers (fixtures/core/parallel.py): the first
worker makes it, the others attach, the maker stops it only after the last one
detached; a failed start is said to every worker; dead workers do not hold it;
turns are taken one at a time. Workers are threads here: flock locks open
files, so two opens in one process exclude each other as two processes would."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import pytest

from fixtures.platform.cluster.base import ClusterAccess
from fixtures.core.errors import SuiteError
from fixtures.platform.kind.images import BuiltImages
from fixtures.core.lifecycle import Given
from fixtures.actors.kf2.pod import Kf2Unavailable
from fixtures.core import parallel
from fixtures.core.parallel import SHARED_FOLDER, XDIST_WORKER_MARK, ScenarioTurns, SharedResource, SharedState, Turn, actionable, hand_interrupt_to_workers
from fixtures.core.waiting import Observation, WaitTimeout, wait_for


@contextmanager
def recorded_start(events: list[str]) -> Iterator[dict]:
    events.append("start")
    yield {"address": "https://127.0.0.1:6443"}
    events.append("stop")


def test_the_maker_stops_it_only_after_the_last_worker_detached(tmp_path: Path) -> None:
    events: list[str] = []
    attached, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        shared = SharedResource(tmp_path, "cluster", "gw1", start_timeout=10)
        with shared.use(lambda: recorded_start(events), dict, lambda d: Given({**d, "attached": True})) as value:
            assert value == {"address": "https://127.0.0.1:6443", "attached": True}
            events.append("attach")
            attached.set()
            release.wait(10)
            events.append("detach")

    maker = SharedResource(tmp_path, "cluster", "gw0", start_timeout=10, detach_timeout=10)
    other = threading.Thread(target=other_worker)
    with maker.use(lambda: recorded_start(events), dict, lambda d: Given(d)) as value:
        assert value == {"address": "https://127.0.0.1:6443"}
        other.start()
        assert attached.wait(10), "the second worker never attached"
        threading.Timer(0.5, release.set).start()
    other.join(10)
    assert events == ["start", "attach", "detach", "stop"]
    final = maker.read()
    assert final is not None and final.state == "stopped" and final.users == {}


def test_a_failed_start_is_said_to_every_worker(tmp_path: Path) -> None:
    def broken() -> Iterator[dict]:
        raise SuiteError("etcd not found: install etcd-server")

    with pytest.raises(SuiteError):
        with SharedResource(tmp_path, "cluster", "gw0", start_timeout=5).use(contextmanager(broken), dict, Given):
            pass
    with pytest.raises(SuiteError, match="failed to start in worker gw0: etcd not found: install etcd-server"):
        with SharedResource(tmp_path, "cluster", "gw1", start_timeout=5).use(contextmanager(broken), dict, Given):
            pass


def test_a_dead_worker_does_not_hold_the_maker(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    events: list[str] = []
    maker = SharedResource(tmp_path, "cluster", "gw0", start_timeout=5, detach_timeout=5)
    with maker.use(lambda: recorded_start(events), dict, Given):
        with maker._locked():  # a worker that attached, then was SIGKILLed
            state = maker._read()
            assert state is not None
            state.users["gw7"] = dead.pid
            maker._write(state)
    assert events == ["start", "stop"]


def test_a_live_worker_that_never_detaches_is_named_when_the_maker_gives_up(tmp_path: Path) -> None:
    maker = SharedResource(tmp_path, "cluster", "gw0", start_timeout=5, detach_timeout=0.5)
    events: list[str] = []
    with pytest.raises(WaitTimeout, match=r"still attached: gw3 \(pid \d+\)"):
        with maker.use(lambda: recorded_start(events), dict, Given):
            with maker._locked():
                state = maker._read()
                assert state is not None
                state.users["gw3"] = os.getpid()  # alive: this process
                maker._write(state)
    assert events == ["start", "stop"], "it still stops what it made"


def test_a_predecessors_file_whose_maker_died_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "cluster.json").write_text(json.dumps(SharedState("ready", "gw0", dead.pid, {"address": "gone"}).__dict__))
    events: list[str] = []
    with SharedResource(tmp_path, "cluster", "gw1", start_timeout=5).use(lambda: recorded_start(events), dict, Given) as value:
        assert value == {"address": "https://127.0.0.1:6443"}
    assert events == ["start", "stop"]


def test_turns_are_taken_one_at_a_time_and_a_wait_names_the_holder(tmp_path: Path) -> None:
    with Turn(tmp_path, "page-names", "gw0 test_chart", timeout=5):
        with pytest.raises(WaitTimeout, match=r"held by gw0 test_chart \(pid \d+\)"):
            with Turn(tmp_path, "page-names", "gw1 test_method1", timeout=0.5):
                pass
    with Turn(tmp_path, "page-names", "gw1 test_method1", timeout=5):
        pass


def test_shared_holders_overlap_and_a_whole_turn_waits_for_them_naming_them(tmp_path: Path) -> None:
    with Turn(tmp_path, "class-names", "gw0 test_marketplace", timeout=5, shared=True):
        with Turn(tmp_path, "class-names", "gw1 test_verify", timeout=0.5, shared=True):
            with pytest.raises(WaitTimeout, match=r"shared by gw0 test_marketplace \(pid \d+\), gw1 test_verify"):
                with Turn(tmp_path, "class-names", "gw2 test_journey", timeout=0.5):
                    pass
    with Turn(tmp_path, "class-names", "gw2 test_journey", timeout=5):
        pass


def test_a_worker_waiting_for_the_whole_turn_keeps_new_shared_holders_out(tmp_path: Path) -> None:
    whole_taken = threading.Event()
    release_whole = threading.Event()

    def journey() -> None:
        with Turn(tmp_path, "class-names", "gw2 test_journey", timeout=10):
            whole_taken.set()
            release_whole.wait(10)

    with Turn(tmp_path, "class-names", "gw0 test_marketplace", timeout=5, shared=True):
        waiter = threading.Thread(target=journey)
        waiter.start()
        wait_for("the journey to wait for the whole turn", lambda: _waiting_whole(tmp_path, "gw2 test_journey"), 5, interval=0.05)
        with pytest.raises(WaitTimeout, match=r"wanted whole by gw2 test_journey"):
            with Turn(tmp_path, "class-names", "gw1 test_verify", timeout=2, shared=True):
                pass
        assert not whole_taken.is_set(), "the whole turn was taken while a shared holder held it"
    assert whole_taken.wait(5), "the whole turn was not taken once the shared holder left"
    release_whole.set()
    waiter.join(5)
    with Turn(tmp_path, "class-names", "gw1 test_verify", timeout=5, shared=True):
        pass


def test_a_patient_whole_turn_waiter_lets_new_shared_holders_in(tmp_path: Path) -> None:
    whole_taken = threading.Event()

    def wrong_password() -> None:
        with Turn(tmp_path, "class-names", "gw4 test_wrong_password", timeout=10, patient=True):
            whole_taken.set()

    with Turn(tmp_path, "class-names", "gw0 test_kf2_minimal", timeout=5, shared=True):
        waiter = threading.Thread(target=wrong_password)
        waiter.start()
        wait_for("the patient waiter to wait", lambda: _waiting_whole(tmp_path, "gw4 test_wrong_password", "waiting_patiently"), 5, interval=0.05)
        with Turn(tmp_path, "class-names", "gw1 test_kf2_full", timeout=0.5, shared=True):
            assert not whole_taken.is_set()
    assert whole_taken.wait(5), "the patient waiter did not get the whole turn once the shared holders left"
    waiter.join(5)


def _take_in_another_process(folder: Path, name: str, holder: str, shared: bool, timeout: float) -> str:
    """Another worker's try at a turn ("taken", or its wait's last words): a process of its own, as
    this process's own holding would let it through."""
    script = ("import sys; from pathlib import Path; from fixtures.core.parallel import Turn; from fixtures.core.waiting import WaitTimeout\n"
              "try:\n"
              f"    with Turn(Path({str(folder)!r}), {name!r}, {holder!r}, {timeout!r}, shared={shared!r}): print('taken')\n"
              "except WaitTimeout as exc: print(exc)\n")
    return subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, check=True).stdout


def test_a_whole_holder_that_shares_lets_shared_holders_in(tmp_path: Path) -> None:
    # A journey holds the class names whole until its instances are looked up, then shared.
    with ExitStack() as held:
        turns = ScenarioTurns(tmp_path, "gw2", "test_journey", held, timeout=5)
        turns.take("class-names", shared=False)
        assert turns.holds_whole("class-names")
        assert "held by gw2 test_journey" in _take_in_another_process(tmp_path, "class-names", "gw0 test_marketplace", True, 0.5)
        turns.share("class-names")
        assert not turns.holds_whole("class-names")
        assert _take_in_another_process(tmp_path, "class-names", "gw0 test_marketplace", True, 2) == "taken\n"
        assert "shared by gw2 test_journey" in _take_in_another_process(tmp_path, "class-names", "gw1 test_other_journey", False, 0.5)
    assert _take_in_another_process(tmp_path, "class-names", "gw1 test_other_journey", False, 2) == "taken\n"


def test_a_turn_given_back_early_is_taken_again_by_a_later_take(tmp_path: Path) -> None:
    # A registration gives the catalog writes back once Ready, and takes them again to be deleted.
    with ExitStack() as held:
        turns = ScenarioTurns(tmp_path, "gw1", "test_aws_broker", held, timeout=5)
        turns.take("catalog-writes", shared=False)
        turns.release("catalog-writes")
        assert _take_in_another_process(tmp_path, "catalog-writes", "gw0 test_method2", True, 2) == "taken\n"
        turns.take("catalog-writes", shared=False)
        assert "held by gw1 test_aws_broker" in _take_in_another_process(tmp_path, "catalog-writes", "gw0 test_method2", True, 0.5)
    assert _take_in_another_process(tmp_path, "catalog-writes", "gw0 test_method2", True, 2) == "taken\n"


def test_a_dead_holder_does_not_hold_a_turn(tmp_path: Path) -> None:
    gone = _a_dead_pid()
    (tmp_path / "class-names.turn.json").write_text(json.dumps(
        {"exclusive": f"gw3 test_journey (pid {gone})", "shared": [f"gw4 test_verify (pid {gone})"], "waiting_exclusive": []}))
    with Turn(tmp_path, "class-names", "gw0 test_journey", timeout=2):
        pass


def test_a_whole_holder_taking_its_turn_shared_again_does_not_wait_for_itself(tmp_path: Path) -> None:
    with Turn(tmp_path, "class-names", "gw0 test_journey", timeout=5):
        with Turn(tmp_path, "class-names", "gw0 test_journey registration", timeout=0.5, shared=True):
            pass


def test_a_turn_taken_against_the_order_is_refused_before_it_can_deadlock(tmp_path: Path) -> None:
    # Seen: a journey held class-names whole and waited for catalog-writes, while a
    # bug report held catalog-writes and waited for class-names.
    order = ("class-names", "catalog-writes")
    with Turn(tmp_path, "catalog-writes", "gw1 test_bug_report", timeout=5, shared=True, order=order):
        with pytest.raises(RuntimeError, match="turn class-names taken after catalog-writes"):
            with Turn(tmp_path, "class-names", "gw1 test_bug_report", timeout=5, shared=True, order=order):
                pass
    with Turn(tmp_path, "class-names", "gw1 test_bug_report", timeout=5, shared=True, order=order):
        with Turn(tmp_path, "catalog-writes", "gw1 test_bug_report", timeout=5, shared=True, order=order):
            pass


def test_a_killed_worker_that_was_never_reaped_counts_as_detached() -> None:
    from fixtures.core.parallel import pid_alive

    zombie = subprocess.Popen(["true"])
    wait_for("the child to end", lambda: Observation(Path(f"/proc/{zombie.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z", None, "running"), 5, interval=0.05)
    try:
        assert not pid_alive(zombie.pid), "a <defunct> worker held the shared cluster up"
        assert pid_alive(os.getpid())
    finally:
        zombie.wait()


def _waiting_whole(folder: Path, holder: str, queue: str = "waiting_exclusive") -> Observation[None]:
    path = folder / "class-names.turn.json"
    waiting = json.loads(path.read_text())[queue] if path.exists() else []
    return Observation(any(entry.startswith(holder) for entry in waiting), None, f"waiting: {waiting}")


def _a_dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_cluster_description_round_trips() -> None:
    images = BuiltImages("node:1", "catalog:1", "python:1", node_built=False)
    access = ClusterAccess(Path("/tmp/k/kubeconfig"), "https://127.0.0.1:6443", "kind cluster asb", True, "kind", images, "asb")
    assert ClusterAccess.from_description(json.loads(json.dumps(access.to_description()))) == access
    embedded = ClusterAccess(Path("/tmp/e/kubeconfig"), "https://127.0.0.1:1", "embedded", False)
    assert ClusterAccess.from_description(embedded.to_description()) == embedded


class FakeKf:
    """`kf marketplace` of Kf v0.2.0 as it prints, with two brokers offering `dynamodb`."""

    kubeconfig = Path("/tmp/kubeconfig")

    def __init__(self) -> None:
        self.asked: list[tuple[str, ...]] = []

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        self.asked.append(args)
        selector = args[args.index("-s") + 1] if "-s" in args else None
        if selector is None:
            out = ('2 services can be used in namespace "ns", use the --service flag to list the plans for a service\n\n'
                   "Broker     Name      Namespace  Status  Description\n"
                   "mine       dynamodb             Active  tables\n"
                   "mine       sqs                  Active  queues\n"
                   "theirs     dynamodb             Active  tables\n")
        elif selector == "class-mine-dynamodb":
            out = "Name      Free   Status  Description\nhashrange true   Active  mine\n"
        elif selector == "sqs":
            out = "Name      Free   Status  Description\nstandard  true   Active  mine\n"
        else:  # kf's -s by name: the first class of that name, here the other broker's
            out = "Name      Free   Status  Description\ntheirs-only true Active  theirs\n"
        return subprocess.CompletedProcess(args, 0, out, "")


class FakeCustomObjects:
    def list_cluster_custom_object(self, group: str, version: str, plural: str) -> dict:
        classes = [
            {"metadata": {"name": "class-theirs-dynamodb"}, "spec": {"clusterServiceBrokerName": "theirs", "externalName": "dynamodb"}},
            {"metadata": {"name": "class-mine-dynamodb"}, "spec": {"clusterServiceBrokerName": "mine", "externalName": "dynamodb"}},
        ]
        return {"items": classes if plural == "clusterserviceclasses" else []}

    def list_namespaced_custom_object(self, group: str, version: str, namespace: str, plural: str) -> dict:
        return {"items": []}


def test_the_kf_reader_lists_one_brokers_offerings_even_where_another_broker_offers_the_same_names() -> None:
    from fixtures.actors.marketplace.readers import KfReader

    kf = FakeKf()
    reader = KfReader.__new__(KfReader)
    reader.kf, reader.custom = kf, FakeCustomObjects()  # type: ignore[assignment]
    listing = reader.read("ns", "mine")
    assert listing.pairs == {("dynamodb", "hashrange"), ("sqs", "standard")}
    assert ("--kubeconfig", "/tmp/kubeconfig", "--namespace", "ns", "marketplace", "-s", "class-mine-dynamodb") in kf.asked
    assert "class id" in listing.command


def test_what_a_cluster_lacks_skips_its_scenarios_and_a_users_error_still_ends_the_run() -> None:
    # CI's existing-cluster stage ended with exit 3 because a cluster without Kf 2.11 was taken for a user's error.
    not_a_worker = SimpleNamespace()
    with pytest.raises(pytest.skip.Exception, match="runs no Kf 2.11"):
        with actionable(not_a_worker, skips=(Kf2Unavailable,)):  # type: ignore[arg-type]
            raise Kf2Unavailable("this cluster runs no Kf 2.11")
    with pytest.raises(pytest.exit.Exception, match="error: --ready-timeout"):
        with actionable(not_a_worker, skips=(Kf2Unavailable,)):  # type: ignore[arg-type]
            raise SuiteError("--ready-timeout: not a number")


def _worker_like(shared: Path, on_sigint: str) -> subprocess.Popen[str]:
    """A child that xdist's controller would take for a worker (execnet's
    bootstrap in its command line) and that owns the shared cluster."""
    code = f"""
import json, os, signal, sys
state = {str(shared / 'cluster.json')!r}
def write(value):  # whole, as the suite writes it (os.replace): a reader never sees it half-written
    with open(state + '.tmp', 'w') as out:
        json.dump(dict(state=value, owner='gw0', owner_pid=os.getpid()), out)
    os.replace(state + '.tmp', state)
def interrupted(*_):
    {on_sigint}
signal.signal(signal.SIGINT, interrupted)
write('ready')
print('ready', flush=True)
while True:
    signal.pause()
# the mark: {XDIST_WORKER_MARK}
"""
    worker = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    return worker


def _controller_config(basetemp: Path) -> pytest.Config:
    return SimpleNamespace(_tmp_path_factory=SimpleNamespace(getbasetemp=lambda: basetemp))  # type: ignore[return-value]


def test_an_interrupted_controller_hands_the_signal_to_its_workers_and_waits_for_the_shared_cluster(tmp_path: Path) -> None:
    shared = tmp_path / SHARED_FOLDER
    shared.mkdir()
    worker = _worker_like(shared, "write('stopped'); sys.exit(0)")
    try:
        hand_interrupt_to_workers(_controller_config(tmp_path))(signal.SIGINT)
        assert json.loads((shared / "cluster.json").read_text())["state"] == "stopped"
        assert worker.wait(timeout=10) == 0
    finally:
        worker.kill()
        worker.wait()


def test_a_worker_that_does_not_stop_in_time_is_named_and_left_to_xdist(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(parallel, "HAND_ON_TIMEOUT", 1.0)
    shared = tmp_path / SHARED_FOLDER
    shared.mkdir()
    worker = _worker_like(shared, "pass")
    try:
        hand_interrupt_to_workers(_controller_config(tmp_path))(signal.SIGTERM)
        err = capsys.readouterr().err
        assert "SIGTERM handed to 1 xdist workers" in err
        assert "the workers to stop what they share: not within 1s; last seen: cluster ready in gw0" in err
        assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait()
