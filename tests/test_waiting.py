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
