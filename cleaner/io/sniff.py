"""Peek at the start of a document to tell HTML from a text dump."""
from __future__ import annotations

import re

from ..types import Kind

_HTML_START = re.compile(r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|\?xml)\b",
                         re.I | re.S)
_TAG = re.compile(r"</?(?:p|div|span|a|br|table|td|li|ul|script|style)\b[^>]*>", re.I)


def sniff(text: str) -> Kind:
    """HTML when the document starts like HTML or is dense with tags, else TEXT."""
    head = text[:4096]
    if _HTML_START.match(head):
        return Kind.HTML
    tags = len(_TAG.findall(head))
    return Kind.HTML if tags >= 5 and tags * 40 > len(head.split("\n")) else Kind.TEXT
