"""Stopping what the devtools start (servers, clusters, poolers), whatever ends the process.

Every process the devtools launch must die with its owner: a postgres left running after
Ctrl-C holds its port and data directory and breaks the next run. One registry serves all
of them, so ``stop_all()`` stops every kind and one set of signal handlers is installed.

- ``atexit`` always stops what is still running.
- SIGINT/SIGTERM (when asked for): the program first unwinds as usual (the previous
  handler runs; for Ctrl-C and a default SIGTERM that is ``KeyboardInterrupt``), so
  ``finally`` blocks, context managers and pytest's teardown stop things after the code
  using them is done; a watchdog stops them anyway after ``GRACE_SECONDS``, and a second
  signal stops them at once.
"""

from __future__ import annotations

import atexit
import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType, TracebackType
from typing import Any, Protocol, Self

__all__ = [
    "GRACE_SECONDS",
    "StopsOnExit",
    "forget",
    "install_handlers",
    "signals_held",
    "stop_all",
    "track",
]

GRACE_SECONDS = 15.0


class Stoppable(Protocol):
    def stop(self) -> None: ...


class StopsOnExit:
    """Mixin: ``with thing:`` stops it at the end of the block."""

    def stop(self) -> None:  # pragma: no cover - every user defines it
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


_running: set[Stoppable] = set()
_atexit_installed = False
_signals_installed = False
_watchdog: threading.Timer | None = None


def track(thing: Stoppable) -> None:
    """Stop ``thing`` at exit (and on signals, when handlers are installed)."""
    _running.add(thing)


def forget(thing: Stoppable) -> None:
    """``thing`` stopped itself: nothing left to do for it."""
    _running.discard(thing)


def stop_all() -> None:
    """Stop everything still running that this process started."""
    for thing in list(_running):
        with contextlib.suppress(Exception):
            thing.stop()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while stopping, so a second Ctrl-C cannot leave a half-stop."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def install_handlers(*, signals: bool = True) -> None:
    """Register ``stop_all`` at exit; with ``signals``, also on SIGINT/SIGTERM (main thread)."""
    global _atexit_installed, _signals_installed
    if not _atexit_installed:
        _atexit_installed = True
        atexit.register(stop_all)
    if not signals or _signals_installed:
        return
    if threading.current_thread() is not threading.main_thread():
        return
    _signals_installed = True
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)
        if previous is signal.SIG_IGN:
            continue
        signal.signal(signum, _make_handler(signum, previous))


def _make_handler(signum: int, previous: Any) -> Any:
    def handler(received: int, frame: FrameType | None) -> None:
        global _watchdog
        if _watchdog is None:
            _watchdog = threading.Timer(GRACE_SECONDS, stop_all)
            _watchdog.daemon = True
            _watchdog.start()
        else:
            stop_all()
        if callable(previous) and previous is not signal.default_int_handler:
            previous(received, frame)
            return
        # Ctrl-C, or SIG_DFL / None (installed from C): unwind like Ctrl-C does.
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise KeyboardInterrupt(f"received {signal.Signals(signum).name}")

    return handler
