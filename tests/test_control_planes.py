"""Several control planes per run: how many (and each reason said in one line), their
network namespaces made, entered, reaching this machine, and removed."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from fixtures.core import control_planes, netns
from fixtures.core.control_planes import ControlPlaneNetworks, Machine, Seat, plan

BIG = Machine(cores=8, available_gib=64.0, namespaces_refused=None)
SMALL = Machine(cores=2, available_gib=24.0, namespaces_refused=None)
needs_root = pytest.mark.skipif(os.geteuid() != 0 or control_planes._namespaces_refused() is not None, reason="network namespaces need root, ip and nsenter")


def test_auto_gives_each_control_plane_three_workers_within_the_cores_and_memory():
    assert plan(None, 6, None, SMALL).count == 2
    assert plan(None, 6, None, SMALL).said == ["2 control planes (auto: 6 workers, 2 cores, 24.0 GiB available)"]
    assert plan(None, 12, None, BIG).count == 4
    assert plan(None, 9, None, SMALL).said == ["3 control planes (auto: 9 workers, 2 cores, 24.0 GiB available)"]
    assert control_planes.auto_workers(SMALL) == 9 and control_planes.auto_workers(BIG) == 12


def test_more_than_the_machine_carries_goes_on_with_what_fits_and_says_why():
    too_many = plan(5, 6, None, SMALL)
    assert too_many.count == 3
    assert too_many.said[0] == "--control-planes 5: more than 2 cores (more than 3 control planes only queue for them) can carry; the run goes on with 3"
    short_of_memory = plan(2, 6, None, Machine(cores=2, available_gib=3.0, namespaces_refused=None))
    assert short_of_memory.count == 1 and "more than 3.0 GiB available (2 GiB each) can carry; the run goes on with 1" in short_of_memory.said[0]
    assert plan(4, 2, None, BIG).count == 2  # each control plane needs a worker


@pytest.mark.parametrize("workers, one_cluster, refused, reason", [
    (6, "--cluster=kind runs one cluster", None, "--cluster=kind runs one cluster"),
    (0, None, None, "one process runs the scenarios (no -n): it runs one control plane"),
    (6, None, "network namespaces for more control planes need root", "network namespaces for more control planes need root"),
])
def test_where_one_cluster_is_all_there_can_be_asking_for_more_is_said_once(workers, one_cluster, refused, reason):
    machine = Machine(cores=8, available_gib=64.0, namespaces_refused=refused)
    assert plan(3, workers, one_cluster, machine).said == [f"--control-planes 3: {reason}; the run goes on with one"]
    assert plan(None, workers, one_cluster, machine).said == [f"1 control plane: {reason}"]


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_a_count_that_is_not_one_or_more_is_refused(value):
    with pytest.raises(control_planes.SuiteError, match=f"--control-planes {value}: give a count of 1 or more, or auto"):
        control_planes.parse_control_planes(value)


def test_workers_are_seated_round_the_control_planes():
    networks = ControlPlaneNetworks(2)
    networks.seats = [Seat(0, 2), Seat(1, 2, "/run/netns/x", "/proc/1/ns/net", "10.213.1.1")]
    assert [networks.seat_of(f"gw{i}").index for i in range(5)] == [0, 1, 0, 1, 0]
    assert Seat.from_input(networks.seats[1].to_input()) == networks.seats[1]


@needs_root
def test_a_control_planes_network_has_its_own_ports_and_reaches_this_machine():
    networks = ControlPlaneNetworks(2)
    try:
        _, seat = networks.start()
        name = seat.netns.rsplit("/", 1)[1]
        assert name in netns.ip("netns", "list")
        # The same port on loopback here and there: Service Catalog's webhook's 8080, twice.
        with socket.socket() as here:
            here.bind(("0.0.0.0", 0))  # every address here, as moto listens when it runs Lambda functions
            port = here.getsockname()[1]
            here.listen()
            there = [sys.executable, "-c", f"import socket; s = socket.socket(); s.bind(('127.0.0.1', {port})); print('bound')"]
            assert subprocess.run([*netns.nsenter_prefix(seat.netns), *there], capture_output=True, text=True, timeout=30).stdout.strip() == "bound"
            # This machine, at the veth's host end, from inside (moto running Lambda functions is there).
            reach = [sys.executable, "-c", f"import socket; socket.create_connection(({seat.host_address!r}, {port}), timeout=5); print('reached')"]
            assert subprocess.run([*netns.nsenter_prefix(seat.netns), *reach], capture_output=True, text=True, timeout=30).stdout.strip() == "reached"
        # A thread that entered it binds there; this thread stays here.
        inside = netns.in_network(seat.netns, lambda: os.readlink("/proc/thread-self/ns/net"))
        assert inside != os.readlink("/proc/thread-self/ns/net")
    finally:
        networks.stop()
    assert name not in netns.ip("netns", "list")


@needs_root
def test_a_killed_runs_namespaces_are_removed_by_the_next_start():
    gone = subprocess.Popen(["true"])  # a pid that existed and is gone
    gone.wait()
    name = f"asb-{gone.pid}-cp1"
    netns.ip("netns", "add", name)
    try:
        assert name in control_planes.remove_abandoned()
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
    assert name not in netns.ip("netns", "list")


class _Node:
    def __init__(self, worker: str):
        self.gateway = type("Gateway", (), {"id": worker})()
        self.sent: list[int] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices


def test_scenarios_are_spread_over_the_control_planes_longest_first():
    from fixtures.plugin.scheduling import spread

    collection = ["journey-a", "journey-b", "kf2-fail", "small-1", "small-2"]
    weights = {"journey-a": 60.0, "journey-b": 55.0, "kf2-fail": 160.0, "small-1": 5.0, "small-2": 5.0}
    planes = spread(collection, weights, 2)
    assert planes == {2: 0, 0: 1, 1: 1, 3: 1, 4: 1}  # the 160 s one alone; 125 s of the rest on the other plane
    assert spread(["new"], {}, 2) == {0: 0}


def test_a_worker_takes_its_own_planes_scenarios_and_then_helps_the_others():
    from fixtures.plugin.scheduling import ControlPlaneScheduling

    config = type("Config", (), {"getoption": lambda self, name: None, "getvalue": lambda self, name: ["popen", "popen"]})()  # xdist's -n 2
    scheduler = ControlPlaneScheduling(config, None, 2, {"a": 100.0, "b": 90.0, "c": 1.0})
    gw0, gw1 = _Node("gw0"), _Node("gw1")
    scheduler.collection = ["a", "b", "c"]
    scheduler.pending[:] = [0, 1, 2]
    scheduler.node2pending = {gw0: [], gw1: []}
    scheduler._send_tests(gw1, 5)
    assert gw1.sent == [1, 2]  # plane 1 got b (90 s) and c (1 s); a (100 s) is plane 0's
    scheduler.node2pending[gw1].clear()
    scheduler._send_tests(gw1, 5)
    assert gw1.sent == [1, 2, 0]  # nothing of its own left: it helps with plane 0's


def test_each_control_plane_logs_in_a_folder_of_its_own_when_there_are_several(tmp_path):
    assert Seat().logs(tmp_path) == tmp_path
    assert Seat(1, 2).logs(tmp_path) == tmp_path / "cp1"  # its etcd.log beside its own kube-apiserver.log, for its failure bundles
