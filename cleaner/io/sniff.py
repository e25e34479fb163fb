"""Peek at the start of a document to tell HTML from a text dump."""
from __future__ import annotations

import re

from ..types import Kind

# A page starts with its doctype or one of these tags, after white space and comments, and after at
# most two other tags (a crawler's wrapper such as CleanEval's <text id=...>). A text dump starts
# with text.
_HTML_START = re.compile(r"\A(?:\s|<!--.*?-->)*(?:<[a-z][^<>]{0,300}>\s*){0,2}"
                         r"<(?:!doctype\s+html|html|head|body|meta|\?xml|title|script|style|link|noscript|base)\b",
                         re.I | re.S)
_TAG = re.compile(r"</?(?:p|div|span|a|br|table|td|li|ul|script|style)\b[^>]*>", re.I)


def sniff(text: str) -> Kind:
    """HTML when the document starts like HTML or is dense with tags, else TEXT."""
    head = text[:4096]
    if _HTML_START.match(head):
        return Kind.HTML
    tags = len(_TAG.findall(head))
    return Kind.HTML if tags >= 5 and tags * 40 > len(head.split("\n")) else Kind.TEXT
