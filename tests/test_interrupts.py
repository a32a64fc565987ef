"""Ctrl-C and SIGTERM land where they end the run, never where they are lost or
leave a lock held (fixtures/core/interrupts.py)."""
from __future__ import annotations

import logging
import signal
import time
import weakref
from typing import Iterator

import pytest

from fixtures.core import interrupts
from fixtures.core.waiting import Observation, wait_for


@pytest.fixture
def installed() -> Iterator[None]:
    restore = interrupts.install()
    try:
        yield
    finally:
        restore()


def _until_interrupted() -> None:
    """Where a deferred interrupt lands: a wait (the suite's one wait helper) with a deadline."""
    wait_for("the deferred interrupt to land", lambda: Observation(False, None, "no KeyboardInterrupt yet"), timeout=5, interval=0.01)


class _LogsThroughSignal(logging.Handler):
    """The signal arrives while logging runs (its locks held), as in the CI run
    whose watch threads then blocked on logging's module lock for good."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum, self.finished = signum, False

    def emit(self, record: logging.LogRecord) -> None:
        signal.raise_signal(self.signum)
        sum(range(10_000))  # bytecodes enough for Python to run the handler in here
        self.finished = True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda signum: signum.name)
def test_a_signal_inside_logging_lands_after_it(installed, signum):
    handler = _LogsThroughSignal(signum)
    logger = logging.getLogger(f"asb-test-interrupts-{signum}")
    logger.addHandler(handler)
    logger.propagate = False
    with pytest.raises(KeyboardInterrupt, match=f"signal {int(signum)}"):
        logger.warning("a line while the signal arrives")
        _until_interrupted()
    assert handler.finished, "the KeyboardInterrupt was raised inside logging"


def test_a_main_thread_that_stays_inside_logging_is_interrupted_after_the_deadline(installed, monkeypatch):
    monkeypatch.setattr(interrupts, "DEFER_AT_MOST_SECONDS", 0.2)

    class StaysInside(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            signal.raise_signal(signal.SIGINT)
            _until_interrupted()

    logger = logging.getLogger("asb-test-interrupts-stays")
    logger.addHandler(StaysInside())
    logger.propagate = False
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        logger.warning("a handler that never returns")
    assert 0.2 <= time.monotonic() - started < 4


def test_a_signal_inside_a_finalizer_is_not_lost(installed):
    finalized = []

    class Finalized:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGINT)
            sum(range(10_000))
            finalized.append(True)

    with pytest.raises(KeyboardInterrupt):
        Finalized()  # dropped at once: its __del__ runs here
        _until_interrupted()
    assert finalized == [True]


def test_a_keyboard_interrupt_that_ends_up_unraisable_is_delivered_again(installed):
    """The backstop for a finalizer the frame test does not know (a weakref callback)."""
    class Owner:
        pass

    def callback() -> None:
        raise KeyboardInterrupt("raised in a weakref callback")

    with pytest.raises(KeyboardInterrupt, match=f"signal {int(signal.SIGINT)}"):
        owner = Owner()
        weakref.finalize(owner, callback)
        del owner  # Python reports the callback's exception as unraisable and goes on
        _until_interrupted()


def test_a_signal_at_a_safe_point_raises_at_once(installed):
    with pytest.raises(KeyboardInterrupt, match=f"signal {int(signal.SIGTERM)}"):
        signal.raise_signal(signal.SIGTERM)
        sum(range(10_000))
        raise AssertionError("SIGTERM did not interrupt")


def test_install_gives_back_what_it_found():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    interrupts.install()()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
