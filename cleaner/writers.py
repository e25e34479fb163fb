"""Where records go: stdout, one file, or one file per input in a folder; safely, and resumable.

A file output is written to ``<name>.partial`` and renamed to ``<name>`` only when the run
completes, so a complete-looking file is a complete one. Each record goes out in a single
unbuffered write, so a run killed by a signal leaves whole records only (a power cut can still tear
the last one; ``resume`` drops it). A file named ``.gz``, ``.bz2``, ``.xz`` or ``.zst`` is written
compressed, a whole stream per chunk of records (``io.compression``): a killed run leaves whole
streams, and loses the records of the chunk it was filling. ``--resume`` reopens the partial (or
the finished) file, counts the records in it, and the run skips that many inputs after checking
they are the same ones, reading the file's records as it goes (memory stays flat whatever its
size). Folder outputs write each file under a temporary name and rename it.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .io.compression import check_available, codec_in, codec_of, compress, whole_streams
from .outputs import EXTENSIONS, render, utf8
from .types import Article, Rendered

PARTIAL_SUFFIX = ".partial"
RESUMABLE_FORMATS = ("jsonl",)
# A compressed output's records go out a stream per this many bytes of them: a killed run loses at
# most this much (the resumed run cleans those documents again); larger chunks compress little better.
COMPRESSED_CHUNK_BYTES = 1 << 20


class ResumeError(ValueError):
    """The output cannot be continued (wrong format, or written for other inputs)."""


class OutputError(Exception):
    """The output cannot be written (no permission, no space left): the message names it."""


class Sink:
    """Writes article and error records in ``fmt`` to ``output`` (None or "-" for stdout; a folder
    when ``per_doc``). When resuming, ``resumed`` records are already written (``written`` reads
    them back)."""

    def __init__(self, output: str | None, fmt: str, per_doc: bool, resume: bool = False):
        self.fmt, self.per_doc = fmt, per_doc
        self.folder = Path(output) if output and per_doc else None
        self.final: Path | None = None
        self.partial: Path | None = None
        self.resumed = 0
        self.count = 0
        self.codec: str | None = None  # a compressed file output's compression
        self._chunk = bytearray()      # and the records waiting for their stream
        self._stream: BinaryIO | None = None
        self._taken: set[str] = set()  # a folder output's file names given out (a million of them
        self._named: dict[str, Path] = {}  # are a folder of a million files), and those not yet written
        if self.folder is not None:
            with _naming(self.folder):
                self.folder.mkdir(parents=True, exist_ok=True)
            return
        if not output or output == "-":
            if resume:
                raise ResumeError("--resume needs an output file or folder (-o), not stdout")
            self._stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
            return
        self.final = Path(output)
        self.partial = self.final.with_name(self.final.name + PARTIAL_SUFFIX)
        self.codec = codec_of(self.final.name)
        with _naming(self.final):
            if self.codec:
                check_available(self.codec)
            self._open(resume)

    def _open(self, resume: bool) -> None:
        """Open the partial file (a missing folder made), or reopen it to resume."""
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if resume:
            if self.fmt not in RESUMABLE_FORMATS:
                raise ResumeError(f"--resume continues {', '.join(RESUMABLE_FORMATS)} files or folder outputs, "
                                  f"not a {self.fmt} file")
            if self.final.exists() and not self.partial.exists():
                os.replace(self.final, self.partial)  # finished before: reopen it, in case inputs grew
            if self.partial.exists():
                self.resumed, end = _count_whole_records(self.partial, self.codec)
                with open(self.partial, "r+b") as f:
                    f.truncate(end)  # (a torn last record or stream)
            self.count = self.resumed
            self._stream = open(self.partial, "ab", buffering=0)
        else:
            self._stream = open(self.partial, "wb", buffering=0)

    def written(self) -> Iterator[tuple[str, bool]]:
        """(source, is an error record) of each record a resumed file output already holds, read
        from the file as they are asked for."""
        if self.resumed:
            with open(self.partial, "rb") as f:  # type: ignore[arg-type]
                lines = itertools.islice(_record_lines(f, self.codec), self.resumed)
                for n, (_, line) in enumerate(lines, 1):
                    try:
                        rec = json.loads(line)
                        yield rec["source"], "error" in rec
                    except (ValueError, KeyError, TypeError):
                        raise ResumeError(f"{self.partial}: record {n} is not one written by cleaner") from None

    def already_written(self, source: str) -> bool:
        """In a resumed folder output: whether this input's file is there."""
        if self.folder is None or not self._path_for(source).exists():
            return False
        del self._named[source]
        return True

    def write(self, article: Article | Rendered) -> None:
        data = article.text if isinstance(article, Rendered) else utf8(render(article, self.fmt))
        if self.folder is not None:
            path = self._path_for(article.source)
            self._named.pop(article.source, None)
            tmp = path.with_name(path.name + PARTIAL_SUFFIX)
            with _naming(path):
                tmp.write_bytes(data)
                os.replace(tmp, path)
        else:
            if self.fmt == "json":
                data = (b"[\n" if self.count == 0 else b",\n") + data.rstrip(b"\n")
            elif self.fmt in ("text", "markdown") and self.count:
                data = b"\n" + data
            self._emit(data)
        self.count += 1

    def write_error(self, rec: dict) -> None:
        """Error records go into JSON outputs too, so every input has its record in order."""
        if self.folder is not None or self.fmt not in ("json", "jsonl"):
            if self.folder is not None:
                self._named.pop(rec.get("source"), None)  # (named when resuming)
            return
        text = json.dumps(rec, ensure_ascii=False)
        text = (("[\n" if self.count == 0 else ",\n") + text) if self.fmt == "json" else text + "\n"
        self._emit(utf8(text))
        self.count += 1

    def close(self, complete: bool = True) -> None:
        """Finish the output; a complete file output is renamed into place."""
        if self._stream is None:
            return
        if self.fmt == "json" and complete:
            self._emit(b"\n]\n" if self.count else b"[]\n")
        if self._chunk:  # (interrupted too: the records so far are whole, for --resume)
            self._write_chunk()
        stream, self._stream = self._stream, None
        with _naming(self.final or "the standard output"):
            if self.partial is not None:
                stream.close()
                if complete:
                    os.replace(self.partial, self.final)
            else:
                stream.flush()

    def _emit(self, data: bytes) -> None:
        if self._stream is None:  # a text-only stdout (tests, embedding)
            sys.stdout.write(data.decode("utf-8"))
            return
        if self.codec:
            self._chunk += data
            if len(self._chunk) >= COMPRESSED_CHUNK_BYTES:
                self._write_chunk()
            return
        self._write(data)

    def _write_chunk(self) -> None:
        data = compress(self.codec, bytes(self._chunk))  # type: ignore[arg-type]
        self._chunk.clear()
        self._write(data)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        with _naming(self.partial or "the standard output"):
            while view:  # unbuffered: one write per record, looping only on a short write
                view = view[self._stream.write(view):]
            if self.partial is None:
                self._stream.flush()

    def _path_for(self, source: str | None) -> Path:
        """The file of one input in a folder output: its name without the extension, a record of a
        JSONL or WARC file numbered ("crawl-12"); a name another input of the run already took
        (x.txt in two folders) gets a digest of the source after it."""
        source = source or f"doc{self.count}"
        path = self._named.get(source)  # (asked by already_written, then by write)
        if path is None:
            name = _file_stem(source)
            if name in self._taken:
                name += "-" + hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
            self._taken.add(name)
            path = self._named[source] = self.folder / (name + EXTENSIONS[self.fmt])
        return path


# A record of a container input: "<file>:<line>" (JSONL), "<file>#<record>" (WARC).
_RECORD = re.compile(r"(.*)[:#](\d+)")


def _file_stem(source: str) -> str:
    m = _RECORD.fullmatch(source)
    stem = f"{Path(m.group(1)).stem}-{m.group(2)}" if m else Path(source).stem
    return stem.strip("<>") or "doc"  # ("<stdin>")


@contextmanager
def _naming(where: Path | str) -> Iterator[None]:
    """An OSError of the block as an OutputError naming ``where`` and the system's reason (a broken
    pipe stays one: click ends the run quietly when the reader of its output has gone)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(f"cannot write {where}: {e.strerror or e}") from e


def _record_lines(f: BinaryIO, codec: str | None) -> Iterator[tuple[int, bytes]]:
    """(where what holds it ends, line) of each whole line at the start of an output file: its own
    end, or in a compressed file its stream's; a torn last line, or stream, is left out."""
    if codec is None:
        end = 0
        for line in f:
            if not line.endswith(b"\n"):
                return
            end += len(line)
            yield end, line
        return
    for end, pieces in whole_streams(f, codec):
        for line in b"".join(pieces).splitlines(keepends=True):
            yield end, line


def _count_whole_records(path: Path, codec: str | None) -> tuple[int, int]:
    """(records, where they end) of the whole records at the start of an output file: what a run
    killed mid-record, or mid-stream, left whole. Each line is only glanced at here; the run reads
    it in full as it skips its input (``Sink.written``)."""
    count = end = 0
    with open(path, "rb") as f:
        head = f.peek(6)[:6]
        if codec and head and codec_in(head) != codec:
            raise ResumeError(f"{path} is not {codec}-compressed, as its name says")  # (left as it is)
        for end, line in _record_lines(f, codec):
            count += 1
            if not (line.startswith(b"{") and line.rstrip().endswith(b"}")):
                raise ResumeError(f"{path}: line {count} is not a record written by cleaner")
    return count, end
