"""bytes -> str: the only place that decodes input."""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head)
    return _codec(m.group(1).decode("ascii", "replace")) if m else None


def _codec(name: str | None) -> str | None:
    """Python's codec for a charset's name, None for none or an unknown one."""
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


_MAGIC = ((b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
          (b"RIFF", "a RIFF (WebP/WAV/AVI) file"), (b"\x7fELF", "an executable"))
# Share of NUL bytes in the head above which bytes are binary (UTF-16 without BOM has ~50%,
# handled before this test; a stray NUL in text is dropped by normalisation).
BINARY_NUL_SHARE = 0.1


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte of an ASCII-heavy head is NUL."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, *, source: str = "<bytes>", charset: str | None = None) -> str:
    """Decode ``data``: BOM, then UTF-8 when it is that and not plain ASCII, then a declared
    charset (``charset``, the transport's, as an HTTP header outranks a page's meta; then the
    page's), then UTF-8, then detection (which misreads short pages: KOI8-R, EUC-JP).

    Valid UTF-8 outranks the declaration (as trafilatura has it): text in a single-byte charset
    almost never forms valid multi-byte sequences, while pages re-encoded to UTF-8 by a crawler or
    a CMS keep declaring their old charset (which turned "’" into "â\x80\x99"). Plain ASCII
    follows the declaration: 7-bit encodings such as ISO-2022-JP are ASCII bytes too.

    Raises InputError for binary data (images, PDFs, archives) rather than decoding noise.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"binary input ({what}), not text or HTML", source=source)
    utf16 = _utf16_without_bom(head)
    if utf16:
        return data.decode(utf16, errors="replace")
    if head and head.count(0) > BINARY_NUL_SHARE * len(head):
        raise InputError("binary input (NUL bytes), not text or HTML", source=source)
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for declared in (_codec(charset), _declared_charset(data[:4096])):
        if declared:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common: the next one, else detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only undeclared non-UTF-8 input pays for it

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot detect the text encoding (binary input?)", source=source)
    return str(best)
