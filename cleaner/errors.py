"""Error hierarchy: every failure names the document and the cause."""
from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""

    kind = "error"

    def __init__(self, message: str, *, source: str | None = None):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}" if source else message)


class InputError(CleanerError):
    """The input has the wrong type or cannot be decoded."""

    kind = "input"


class ModelError(CleanerError):
    """A model file is missing, malformed or does not match this version's features."""

    kind = "model"


class TimeLimitError(CleanerError):
    """Cleaning one document took longer than ``Options.time_limit``."""

    kind = "time_limit"


class WorkerError(CleanerError):
    """The worker processes of a parallel run keep stopping (killed, out of memory, crashed) on
    document after document: not something one document's error record can stand for."""

    kind = "worker"
