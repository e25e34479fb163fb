"""HTML -> text dump with one block per line, so HTML can go through the text classifier.

A first bridge: block elements become lines separated by blank lines, script/style/template and
other non-text elements are dropped, links keep their text. DOM features come with the HTML model.
"""
from __future__ import annotations

import re

from ..errors import InputError

SKIP = frozenset({"script", "style", "template", "head", "svg", "math", "iframe", "object", "embed",
                  "canvas", "noscript", "select", "option", "textarea", "button", "input", "form"})
BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul",
                    "ol", "li", "dl", "dt", "dd", "table", "tr", "caption", "blockquote", "pre", "figure",
                    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "address", "details", "summary",
                    "body", "br", "hr", "td", "th"})
_WS = re.compile(r"\s+")
_DEPTH = re.compile(r"depth in document: (\d+)")


def parse(html: str, source: str = "<string>"):
    """lxml root of ``html`` (no network, no entity resolution), or None for junk.

    ``huge_tree`` lifts libxml2's nesting limit from 256 to its hard maximum, since broken pages
    nest unclosed tags deeply; past that maximum libxml2 stops, and a page whose text all lies
    deeper is an InputError rather than a silently empty article.
    """
    import lxml.html  # lazy: text dumps never load an HTML parser

    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(_without_dtd_subset(html).encode("utf-8"), parser=parser)
    except Exception:  # lxml raises a zoo of errors on junk; junk has no text
        root = None
    too_deep = next((e for e in parser.error_log if "Excessive depth" in e.message), None)
    if too_deep is not None and (root is None or not root.text_content().strip()):
        depth = _DEPTH.search(too_deep.message)
        raise InputError(f"HTML nested too deeply: the parser stops at {depth.group(1) if depth else 'its limit of'} "
                         "levels and no text lies above that depth", source=source)
    return root


def _without_dtd_subset(html: str) -> str:
    """``html`` without a DOCTYPE's internal subset (``<!DOCTYPE x [ ... ]>``): the HTML parser
    neither resolves its entities (good: no billion laughs, no external fetch) nor skips it, and
    would print its tail ``]>`` as text."""
    start = html.find("<!", 0, 2048)
    if start < 0 or not html.startswith("<!DOCTYPE", start) and not html.startswith("<!doctype", start):
        return html
    gt, bracket = html.find(">", start), html.find("[", start)
    if bracket < 0 or gt < bracket:
        return html
    end = html.find("]", bracket)
    close = html.find(">", end) if end >= 0 else -1
    return html if close < 0 else html[:bracket] + html[close:]


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

    from lxml import etree

    body = root.find("body")
    # Iterative walk (start/end events), so nesting depth never meets Python's recursion limit.
    events = etree.iterwalk(body if body is not None else root, events=("start", "end", "comment", "pi"))
    for event, el in events:
        if event in ("comment", "pi"):  # no text of their own, but their tail is text
            if el.tail:
                cur.append(el.tail)
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        skip = tag in SKIP or tag is None
        if event == "start":
            if skip:
                events.skip_subtree()  # its "end" event still comes, and brings the tail
                continue
            if tag in BLOCKS:
                flush()
            if el.text:
                cur.append(el.text)
        else:
            if tag in BLOCKS and not skip:
                flush("# " if tag in {"h1", "h2", "h3"} else "")
            if el.tail:
                cur.append(el.tail)
    flush()
    return "\n\n".join(blocks) + "\n"
