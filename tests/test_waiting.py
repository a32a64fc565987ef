"""The wait helper: returns as soon as done; on timeout names the last state."""
import threading
import time

import pytest

from fixtures.core.waiting import Observation, WaitTimeout, wait_for


def test_returns_the_value_once_done():
    answers = iter([Observation(False, 0, "pending"), Observation(True, 42, "done")])
    assert wait_for("the answer", lambda: next(answers), timeout=5, interval=0.01) == 42


def test_timeout_message_carries_the_last_state_seen():
    with pytest.raises(WaitTimeout) as failure:
        wait_for("the broker", lambda: Observation(False, None, "Ready=False reason=ErrorFetchingCatalog"), timeout=0.1, interval=0.02)
    assert str(failure.value) == "the broker: not within 0.1s; last seen: Ready=False reason=ErrorFetchingCatalog"


def test_tolerated_errors_are_states_and_others_end_the_wait():
    def refused():
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(WaitTimeout, match="ConnectionRefusedError: connection refused"):
        wait_for("a server", refused, timeout=0.05, interval=0.01)
    with pytest.raises(KeyError):
        wait_for("a server", lambda: {}["missing"], timeout=5)


def test_a_wake_event_ends_the_pause_early():
    wake, state = threading.Event(), {"done": False}

    def flip():
        state["done"] = True
        wake.set()

    threading.Timer(0.05, flip).start()
    started = time.monotonic()
    wait_for("the flip", lambda: Observation(state["done"], None, str(state)), timeout=5, interval=10, wake=wake)
    assert time.monotonic() - started < 1.0


def test_a_watch_that_has_not_listed_yet_never_reports_an_object_gone():
    """A deletion wait that ended before the first list let the next install adopt a broker still being deleted."""
    from kubernetes import client

    from fixtures.core.watching import ObjectWatch
    from fixtures.platform.catalog.registration import wait_until_gone

    watch = ObjectWatch(client.ApiClient(), "servicecatalog.k8s.io", "v1beta1", "clusterservicebrokers", "aws-servicebroker")  # never entered: no list yet
    try:
        wait_until_gone(watch, 0.3)
    except WaitTimeout as exc:
        assert "not listed yet" in str(exc)
    else:
        raise AssertionError("the wait ended before the watch had listed anything")
    watch.latest, watch.deleted = None, True
    watch.listed.set()
    wait_until_gone(watch, 1.0)  # listed and gone: done at once
