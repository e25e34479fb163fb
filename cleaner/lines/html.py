"""HTML -> text dump with one block per line, so HTML can go through the text classifier.

A first bridge: block elements become lines separated by blank lines, script/style/template and
other non-text elements are dropped, links keep their text. DOM features come with the HTML model.
"""
from __future__ import annotations

import re

SKIP = frozenset({"script", "style", "template", "head", "svg", "math", "iframe", "object", "embed",
                  "canvas", "noscript", "select", "option", "textarea", "button", "input", "form"})
BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul",
                    "ol", "li", "dl", "dt", "dd", "table", "tr", "caption", "blockquote", "pre", "figure",
                    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "address", "details", "summary",
                    "body", "br", "hr", "td", "th"})
_WS = re.compile(r"\s+")


def parse(html: str):
    """lxml root of ``html`` (no network, no entity resolution), or None for junk."""
    import lxml.html  # lazy: text dumps never load an HTML parser

    try:
        return lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False))
    except Exception:  # lxml raises a zoo of errors on junk; junk has no text
        return None


def html_to_text(html: str, root=None) -> str:
    """Visible text of ``html``, one block element per paragraph; headings marked markdown-style."""
    root = parse(html) if root is None else root
    if root is None:
        return ""
    blocks: list[str] = []
    cur: list[str] = []

    def flush(prefix: str = "") -> None:
        text = _WS.sub(" ", "".join(cur)).strip()
        if text:
            blocks.append(prefix + text)
        cur.clear()

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag in SKIP or tag is None:
            if el.tail:
                cur.append(el.tail)
            return
        block = tag in BLOCKS
        if block:
            flush()
        if el.text:
            cur.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush("# " if tag in {"h1", "h2", "h3"} else "")
        if el.tail:
            cur.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n\n".join(blocks) + "\n"
