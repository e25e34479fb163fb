"""Inputs -> RawDoc stream: files, folders (recursively, in sorted order) and stdin ("-")."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..types import RawDoc


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input that could not be read: it still yields a record, an error one."""

    source: str
    kind: str
    message: str


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                yield p
    else:
        yield path


def iter_docs(inputs: Iterable[str]) -> Iterator[RawDoc | ReadFailure]:
    """One RawDoc (bytes, decoded later) per input document, or a ReadFailure naming it."""
    for name in inputs:
        if name == "-":
            yield RawDoc(sys.stdin.buffer.read(), source="<stdin>", id="<stdin>")
            continue
        path = Path(name)
        if not path.exists():
            yield ReadFailure(name, "input", "no such file or directory")
            continue
        for f in _files(path):
            try:
                yield RawDoc(f.read_bytes(), source=str(f), id=str(f))
            except OSError as e:
                yield ReadFailure(str(f), "input", e.strerror or str(e))
