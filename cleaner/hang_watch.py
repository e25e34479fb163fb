"""A worker process that one document holds far past its time limit ends itself.

The per-document limit (``deadline.time_limit``) is a SIGALRM handler: Python runs it between
bytecodes, so it cannot interrupt compiled code that never returns (a library's endless loop, a
lock a forked worker inherited held and never released). faulthandler's timer waits in a thread of
its own, outside the GIL, and ends the process whatever the main thread does; the pool sees its
worker die, and the parent cleans that batch again one document at a time, so the hung document
becomes an error record and the run goes on (``parallel._Workers``).
"""
from __future__ import annotations

import faulthandler
import os
import time
from typing import TextIO


class HangWatch:
    """The timer over one batch of documents: armed once for the batch and again only when half
    the slack has passed (arming costs 50 us, a twentieth of a document), so that a document always
    has at least one and a half times its limit, and at most twice its limit and a second, before
    the process ends (the alarm, given its limit, has long had its chance to stop it)."""

    __slots__ = ("timeout", "rearm_after", "armed_at")
    _devnull: TextIO | None = None  # (where the timer's traceback goes: the error record tells)

    def __init__(self, limit: float):
        self.timeout = 2 * limit + 1
        self.rearm_after = (limit + 1) / 2  # timeout - rearm_after: at least 1.5 limits + 0.5 s left
        self.armed_at = 0.0

    def __enter__(self) -> HangWatch:
        self._arm()
        return self

    def document(self) -> None:
        """Call before each document: the timer set again when too little of it is left."""
        if time.monotonic() - self.armed_at > self.rearm_after:
            self._arm()

    def _arm(self) -> None:
        if HangWatch._devnull is None:
            HangWatch._devnull = open(os.devnull, "w")  # noqa: SIM115 (kept for the process's life)
        faulthandler.dump_traceback_later(self.timeout, exit=True, file=HangWatch._devnull)
        self.armed_at = time.monotonic()

    def __exit__(self, *exc) -> None:
        faulthandler.cancel_dump_traceback_later()  # (an idle worker waiting for work is not hung)
