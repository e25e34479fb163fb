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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Codec:
    """What each format is read and written with."""

    reader: Callable[[BinaryIO], BinaryIO]  # a file object reading every stream, one after another
    compress: Callable[[bytes], bytes]      # data as one whole stream
    decompressor: Callable[[], Any]         # one stream: ``decompress(data)``, then ``eof``, ``unused_data``


# Levels for speed: the process writing the output compresses it beside the cleaning (in a parallel
# run, the parent, on a core the workers use too), and a document takes about 1 ms to clean.
# Measured on cleaner's JSONL output: gzip 1 at 140 MB/s (6 at 32 MB/s for 16% fewer bytes), zstd 3
# at 1 GB/s, xz preset 0 at 33 MB/s (its default, 6, at 4 MB/s, would slow a run several times),
# bz2 at 15 MB/s whatever its level. (gzip's header without a time: the same records, the same bytes.)
_CODECS = {
    "gzip": _Codec(lambda f: gzip.GzipFile(fileobj=f), lambda data: gzip.compress(data, compresslevel=1, mtime=0),
                   lambda: zlib.decompressobj(wbits=31)),
    "bz2": _Codec(bz2.BZ2File, lambda data: bz2.compress(data, 9), bz2.BZ2Decompressor),
    "xz": _Codec(lzma.LZMAFile, lambda data: lzma.compress(data, preset=0), lzma.LZMADecompressor),
    "zstd": _Codec(lambda f: _zstandard().ZstdDecompressor().stream_reader(f, read_across_frames=True),
                   lambda data: _zstandard().ZstdCompressor(level=3).compress(data),
                   lambda: _zstandard().ZstdDecompressor().decompressobj()),
}


def open_reader(buffered: BinaryIO, codec: str) -> BinaryIO:
    """``buffered`` read through ``codec``'s decompressor (every stream of it, one after another)."""
    return _CODECS[codec].reader(buffered)


def compress(codec: str, data: bytes) -> bytes:
    """``data`` as one whole stream of ``codec``."""
    return _CODECS[codec].compress(data)


def whole_streams(raw: BinaryIO, codec: str, chunk: int = 1 << 20) -> Iterator[tuple[int, list[bytes]]]:
    """(where in ``raw`` it ends, its decompressed pieces) of each whole stream from the start of
    ``raw``, read a chunk at a time; a torn or corrupt stream ends them. A stream's pieces are held
    until it is whole (a chunk of records, as this package writes them)."""
    end = 0  # where the last whole stream ends
    fed = 0  # bytes of the current stream given to its decompressor before ``data``
    new_stream = _CODECS[codec].decompressor
    d, pieces = new_stream(), []
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
        fed, d, pieces, data = 0, new_stream(), [], rest
