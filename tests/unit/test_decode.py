"""Which charset bytes are decoded with: BOM, valid UTF-8, the page's declaration, detection."""
from __future__ import annotations

from cleaner.io.decode import decode


def _page(charset: str, body: str, encoding: str) -> bytes:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"</head><body><p>{body}</p></body></html>").encode(encoding)


def test_utf8_bytes_under_an_old_single_byte_declaration_decode_as_utf8():
    # a page re-encoded to UTF-8 that still declares Latin-1: "’" must not become "â\x80\x99"
    text = decode(_page("iso-8859-1", "Kosovo’s future, café", "utf-8"))
    assert "Kosovo’s future, café" in text


def test_single_byte_text_follows_its_declaration():
    text = decode(_page("windows-1252", "Kosovo’s future, café", "cp1252"))
    assert "Kosovo’s future, café" in text


def test_plain_ascii_follows_its_declaration_as_seven_bit_encodings_are_ascii_too():
    data = _page("iso-2022-jp", "東京の天気", "iso-2022-jp")
    assert data.isascii()
    assert "東京の天気" in decode(data)
