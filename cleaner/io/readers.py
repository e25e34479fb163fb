"""Inputs -> RawDoc stream: files, folders (recursively, sorted), stdin ("-"); JSONL records;
WARC (HTML responses) and WET (text conversions) records through warcio; gzip, bz2, xz and zstd
recognised by their magic bytes, not by name. Streams: a JSONL file is read
one record at a time, so memory stays bounded by the largest document."""
from __future__ import annotations

import glob
import io
import json
import lzma
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..types import RawDoc, pickled_by_fields
from .compression import codec_in, open_reader


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input that could not be read: it still yields a record, an error one."""

    source: str
    kind: str
    message: str
    id: str | None = None

    @property
    def error(self) -> dict[str, str]:
        """{kind, message}, as ``pipeline.error_of`` gives for a failure while cleaning."""
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True, slots=True)
class Fields:
    """Which JSONL fields hold the text, the HTML, the URL and the id of a record."""

    text: str = "text"
    html: str = "html"
    url: str = "url"
    id: str = "id"


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                yield p
    else:
        yield path


def open_decompressed(raw: BinaryIO) -> BinaryIO:
    """``raw`` wrapped in the decompressor its first bytes call for (plain when none)."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
    codec = codec_in(buffered.peek(6)[:6])
    return open_reader(buffered, codec) if codec else buffered


def _is_jsonl(stream: io.BufferedReader, name: str) -> bool:
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return True
    return stream.peek(4)[:4].removeprefix(b"\xef\xbb\xbf")[:1] == b"{"  # (a UTF-8 BOM before it: json.loads takes it)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class JsonLine:
    """A JSONL record read but not parsed yet: a parallel run's workers parse their own (the
    parent, which reads every input, would spend a third of its time in ``json.loads``)."""

    line: bytes
    source: str  # "<file>:<line number>"
    fields: Fields

    def parse(self) -> RawDoc | ReadFailure:
        try:
            rec = json.loads(self.line)
        except (ValueError, RecursionError) as e:
            return ReadFailure(self.source, "input", f"malformed JSON line ({e})")
        if not isinstance(rec, dict):
            return ReadFailure(self.source, "input", "JSON line is not an object")
        fields = self.fields
        content = rec.get(fields.html) if isinstance(rec.get(fields.html), str) else rec.get(fields.text)
        doc_id = rec.get(fields.id)
        if not isinstance(content, str):
            return ReadFailure(self.source, "input", f"no string field {fields.text!r} or {fields.html!r}",
                               str(doc_id) if doc_id is not None else None)
        url = rec.get(fields.url)
        return RawDoc(content, source=self.source, url=url if isinstance(url, str) else None,
                      id=str(doc_id) if doc_id is not None else self.source)


def parsed(doc: RawDoc | ReadFailure | JsonLine) -> RawDoc | ReadFailure:
    """``doc``, its JSON parsed when it is a JsonLine."""
    return doc.parse() if isinstance(doc, JsonLine) else doc


def content_size(doc: RawDoc | ReadFailure) -> int:
    """Bytes of a document's content (UTF-8 when it is text); none for an input that was not read."""
    if isinstance(doc, ReadFailure):
        return 0
    return len(doc.content) if isinstance(doc.content, bytes) else len(doc.content.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class _Reading:
    """How the records of an input are read: the JSONL fields, JSON left to parse (a parallel
    run's workers parse it), and the size past which a record is refused unread (None: any)."""

    fields: Fields
    defer: bool = False
    max_bytes: int | None = None

    @property
    def line_cap(self) -> int | None:
        return self.max_bytes and JSON_LINE_BYTES_PER_LIMIT * self.max_bytes + 65536

    @property
    def record_cap(self) -> int | None:
        return self.max_bytes and RECORD_BYTES_PER_LIMIT * self.max_bytes

    def too_big(self, source: str, what: str, limit: int) -> ReadFailure:
        return ReadFailure(source, "input", f"{what} of more than {limit:,} bytes, not read: the limit on a document "
                                            f"is {self.max_bytes:,} (Options.max_input_bytes, --max-bytes)")


# A record's bytes may exceed its content's without its content exceeding the limit: a JSON line holds
# the text escaped (up to six bytes a character, "\u00e9") and other fields; a file or WARC record
# is read up to twice the limit (the pipeline then names its exact size), past that it is refused
# unread, so that one giant record cannot hold a worker's memory.
JSON_LINE_BYTES_PER_LIMIT = 6
RECORD_BYTES_PER_LIMIT = 2
_SKIP_CHUNK = 1 << 20
# A file's read buffer: a JSON line of a text dump is about 10 KB, more than the default 8 KB holds,
# and read line by line through it took three reads and a join a line (9 -> 3 us a line). Not for a
# decompressed stream: filling a megabyte there, a truncated one fails before the lines ahead of its
# cut are given (tests/test_bad_input.py).
READ_BUFFER = 1 << 20


def _records(stream: BinaryIO, source: str, how: _Reading) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    cap = how.line_cap
    no = 0
    while line := (stream.readline(cap + 1) if cap else stream.readline()):
        no += 1
        if cap and len(line) > cap and not line.endswith(b"\n"):  # the rest of the line skipped, not held
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield how.too_big(f"{source}:{no}", "a JSON line", cap)
        elif line.strip():
            record = JsonLine(line, f"{source}:{no}", how.fields)
            yield record if how.defer else record.parse()


def _read_capped(stream: BinaryIO, how: _Reading) -> bytes | None:
    """All of ``stream``, or None when it holds more than ``how.record_cap`` bytes."""
    cap = how.record_cap
    if not cap:
        return stream.read()
    data = stream.read(cap + 1)
    return data if len(data) <= cap else None


def _warc_records(stream: BinaryIO, source: str, how: _Reading) -> Iterator[RawDoc | ReadFailure]:
    """HTML responses and WET text conversions of a WARC stream, one RawDoc each."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise OSError("WARC/WET input needs the warc extra: pip install 'cleaner[warc]'") from None
    no = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "conversion", "resource"):
                continue
            no += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            rec_id = record.rec_headers.get_header("WARC-Record-ID") or f"{source}#{no}"
            charset = None
            if record.rec_type == "response" and record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                charset = (m := _CHARSET.search(ctype)) and m.group(1)
            content = _read_capped(record.content_stream(), how)
            yield (RawDoc(content, source=f"{source}#{no}", url=url, id=rec_id, charset=charset)
                   if content is not None else
                   how.too_big(f"{source}#{no}", "a record", how.record_cap))
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, AttributeError, TypeError) as e:
        # warcio fails in several ways on a damaged record; the records before it are kept
        yield ReadFailure(f"{source}#{no + 1}", "input", f"broken WARC record ({type(e).__name__}: {e})")


# The charset parameter of a Content-Type header ("text/html; charset=koi8-r").
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


def _is_warc(buffered: io.BufferedReader) -> bool:
    """WARC by its first bytes, looking inside a gzip member without consuming the stream."""
    head = buffered.peek(4096)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _read_one(raw: BinaryIO, source: str, how: _Reading) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
    if _is_warc(buffered):  # warcio reads (and decompresses) record by record itself
        yield from _warc_records(buffered, source, how)
        return
    stream = open_decompressed(buffered)
    peekable = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    if _is_jsonl(peekable, source):
        yield from _records(peekable, source, how)
        return
    content = _read_capped(peekable, how)
    yield (RawDoc(content, source=source, id=source) if content is not None else
           how.too_big(source, "an input", how.record_cap))


class InputProgress:
    """How far reading the inputs has come, for a progress bar's ETA: bytes of the input files read
    as stored (compressed or not), and their ``total`` when it is known (None with stdin among them)."""

    def __init__(self, inputs: Iterable[str]):
        names = list(inputs)
        self.total = None if "-" in names else sum(
            p.stat().st_size for name in names for path in _paths(name) for p in _files(path))
        self._finished = 0  # bytes of the files read to their end
        self._current: BinaryIO | None = None

    @property
    def done(self) -> int:
        current = self._current
        return self._finished + (current.tell() if current is not None and not current.closed else 0)


def iter_docs(inputs: Iterable[str], fields: Fields = Fields(), *, defer_json: bool = False,
              progress: InputProgress | None = None, max_bytes: int | None = None,
              ) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    """One RawDoc per input document (bytes or str, decoded later), or a ReadFailure naming it;
    with ``defer_json``, a JSONL record as a JsonLine, to ``parse()`` where it is cleaned;
    ``progress`` follows the files as they are read. ``max_bytes``, a document's size limit: a
    record far past it (JSON_LINE_BYTES_PER_LIMIT, RECORD_BYTES_PER_LIMIT) is refused unread."""
    how = _Reading(fields, defer_json, max_bytes)
    for name in inputs:
        if name == "-":
            yield from _guarded(lambda: _read_one(sys.stdin.buffer, "<stdin>", how), "<stdin>")
            continue
        paths = _paths(name)
        if not paths:
            yield ReadFailure(name, "input", "no file matches the pattern" if _GLOB.search(name) else
                              "no such file or directory")
            continue
        for f in (f for path in paths for f in _files(path)):
            yield from _guarded(lambda f=f: _open_and_read(f, how, progress), str(f))


_GLOB = re.compile(r"[*?[]")


def _paths(name: str) -> list[Path]:
    """What an input names: the file or folder, or the paths a glob pattern matches, sorted ("**"
    for any depth; quoted, where the shell would not expand it or the list would be too long)."""
    path = Path(name)
    if path.exists():
        return [path]
    return [Path(p) for p in sorted(glob.glob(name, recursive=True))] if _GLOB.search(name) else []


def _open_and_read(path: Path, how: _Reading,
                   progress: InputProgress | None = None) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    with open(path, "rb", buffering=READ_BUFFER) as fh:
        if progress is not None:
            progress._current = fh
        try:
            yield from _read_one(fh, str(path), how)
        finally:
            if progress is not None:
                progress._current = None
                progress._finished += os.fstat(fh.fileno()).st_size


def _guarded(make: object, source: str) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    """Documents from ``make()``; a read or decompression error ends the input with a failure record."""
    try:
        yield from make()  # type: ignore[operator]
    except (OSError, EOFError, lzma.LZMAError, ValueError) as e:
        yield ReadFailure(source, "input", f"cannot read: {e}")
