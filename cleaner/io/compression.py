"""The compressed formats: gzip, bz2, xz and zstd, recognised by content on input and by the file's
name on output.

Each of the four lets a file hold several complete streams one after another (gzip members, bz2
and xz streams, zstd frames), which their tools and Python's readers read as one: an output is
written as a stream per chunk of records, so that a run killed between two chunks leaves a file
whose streams are whole, and a resumed run finds where the last whole one ends.
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "xz", b"\x28\xb5\x2f\xfd": "zstd"}
SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
ZSTD_HINT = "zstd needs the zstandard package: pip install 'cleaner[zstd]'"
# A stream a truncated or foreign file may end with raises one of these.
_CORRUPT = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError)


def codec_in(head: bytes) -> str | None:
    """The compression a file's first bytes show, or None."""
    return next((codec for magic, codec in MAGIC.items() if head.startswith(magic)), None)


def codec_of(name: str) -> str | None:
    """The compression an output named ``name`` asks for (by its last suffix), or None."""
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:].lower()) if dot > 0 else None


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise OSError(ZSTD_HINT) from None
    return zstandard


def check_available(codec: str) -> None:
    """OSError naming what to install when ``codec`` cannot be used here."""
    if codec == "zstd":
        _zstandard()


def open_reader(buffered: BinaryIO, codec: str) -> BinaryIO:
    """``buffered`` read through ``codec``'s decompressor (every stream of it, one after another)."""
    if codec == "gzip":
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    if codec == "bz2":
        return bz2.BZ2File(buffered)  # type: ignore[return-value]
    if codec == "xz":
        return lzma.LZMAFile(buffered)  # type: ignore[return-value]
    return _zstandard().ZstdDecompressor().stream_reader(buffered, read_across_frames=True)


# Levels for speed: the process writing the output compresses it beside the cleaning (in a parallel
# run, the parent, on a core the workers use too), and a document takes about 1 ms to clean.
# Measured on cleaner's JSONL output: gzip 1 at 140 MB/s (6 at 32 MB/s for 16% fewer bytes), zstd 3
# at 1 GB/s, xz preset 0 at 33 MB/s (its default, 6, at 4 MB/s, would slow a run several times),
# bz2 at 15 MB/s whatever its level.
LEVELS = {"gzip": 1, "bz2": 9, "xz": 0, "zstd": 3}


def compress(codec: str, data: bytes) -> bytes:
    """``data`` as one whole stream of ``codec`` (gzip's header without a time, so that the same
    records give the same bytes)."""
    level = LEVELS[codec]
    if codec == "gzip":
        return gzip.compress(data, compresslevel=level, mtime=0)
    if codec == "bz2":
        return bz2.compress(data, level)
    if codec == "xz":
        return lzma.compress(data, preset=level)
    return _zstandard().ZstdCompressor(level=level).compress(data)


def _decompressor(codec: str) -> Any:
    """An object decompressing one stream: ``decompress(data)``, then ``eof`` and ``unused_data``."""
    if codec == "gzip":
        return zlib.decompressobj(wbits=31)
    if codec == "bz2":
        return bz2.BZ2Decompressor()
    if codec == "xz":
        return lzma.LZMADecompressor()
    return _zstandard().ZstdDecompressor().decompressobj()


def whole_streams(raw: BinaryIO, codec: str, chunk: int = 1 << 20) -> Iterator[tuple[int, list[bytes]]]:
    """(where in ``raw`` it ends, its decompressed pieces) of each whole stream from the start of
    ``raw``, read a chunk at a time; a torn or corrupt stream ends them. A stream's pieces are held
    until it is whole (a chunk of records, as this package writes them)."""
    end = 0  # where the last whole stream ends
    fed = 0  # bytes of the current stream given to its decompressor before ``data``
    d, pieces = _decompressor(codec), []
    data = b""
    while True:
        if not data:
            data = raw.read(chunk)
            if not data:
                return  # (a stream still open here is torn)
        try:
            pieces.append(d.decompress(data))
        except _CORRUPT:
            return
        if not d.eof:
            fed += len(data)
            data = b""
            continue
        rest = d.unused_data
        end += fed + len(data) - len(rest)
        yield end, pieces
        fed, d, pieces, data = 0, _decompressor(codec), [], rest
