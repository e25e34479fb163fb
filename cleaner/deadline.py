"""Per-document time limit: a document that takes too long becomes an error, the run goes on.

Where it can (the main thread of a Unix process, no interval timer of the caller running), a
SIGALRM timer interrupts the work mid-stage; elsewhere (threads, Windows) the pipeline checks the
deadline between stages, which bounds everything but a single runaway stage.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import TimeLimitError


class Deadline:
    """The moment one document's time runs out; ``check()`` raises once it has."""

    __slots__ = ("seconds", "source", "end")

    def __init__(self, seconds: float | None, source: str | None):
        self.seconds, self.source = seconds, source
        self.end = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise self.error()

    def error(self) -> TimeLimitError:
        return TimeLimitError(f"cleaning took longer than the limit of {self.seconds:g} s "
                              "(Options.time_limit, --time-limit)", source=self.source)


# signal.signal without its wrapper's conversion of the handlers to enums, which costs a document
# 7 us of the 8 that setting and restoring the handler takes (the C function takes back what it gave).
try:
    from _signal import signal as _set_handler
except ImportError:  # (not CPython)
    _set_handler = signal.signal


def _can_use_alarm() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextmanager
def time_limit(seconds: float | None, source: str | None) -> Iterator[Deadline]:
    """Run the block under a deadline of ``seconds`` (None or 0: no limit)."""
    deadline = Deadline(seconds, source)
    if not seconds or not _can_use_alarm():
        yield deadline
        return

    def on_alarm(signum, frame):
        raise deadline.error()

    previous = _set_handler(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _set_handler(signal.SIGALRM, previous)
