"""HTML -> a text dump, so HTML goes through the same line classifier as text.

The page is parsed once here (lxml, guarded: no network, no entities, a typed error past libxml2's
nesting limit), pruned of furniture and rendered as ``html_text`` renders in its layout-guessing
mode (``lines.render``): the renderer of the "plain" dumps the shipped model learned from, so HTML
lines look like the lines it knows; the same walk tells each line's element and structure.
"""
from __future__ import annotations

import re

from ..errors import InputError
from ..types import Block, DomInfo
from . import tree
from .dom import DomFacts
from .render import clean_in_place, render

_DEPTH = re.compile(r"depth in document: (\d+)")
# C0 control characters: libxml2's HTML parser keeps them in text, but lxml refuses to set text that
# holds them, which pruning and cleaning do when they join a removed element's tail to its
# neighbour's text. A page where that fails is parsed again without them: those that Python counts
# as white space become a space, the others nothing. (Looking for them on every page costs more
# than the parse of the few that have them.)
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACE_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f]")
# Elements that are page furniture by their tag or ARIA role. (Class names such as "share" or
# "related" were tried too: on the evaluation-only sets they cost as much recall as they gained.)
CHROME_TAGS = frozenset({"nav", "aside", "footer"})
CHROME_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search"})
_CHROME_CANDIDATES = f"descendant-or-self::*[{' or '.join(f'self::{t}' for t in sorted(CHROME_TAGS))} or @role]"
_CHROME_FLAGS = {tag: tree.CHROME for tag in CHROME_TAGS}
# An element holding more than this share of the page's text is never pruned as furniture: a
# "main-nav-wrapper" around the whole page must not take the article with it.
MAX_PRUNED_SHARE = 0.3


def parse(html: str, source: str = "<string>"):
    """lxml root of ``html`` (no network, no entity resolution), or None for junk.

    ``huge_tree`` lifts libxml2's nesting limit from 256 to its hard maximum, since broken pages
    nest unclosed tags deeply; past that maximum libxml2 stops, and a page whose text all lies
    deeper is an InputError rather than a silently empty article.
    """
    import lxml.html  # lazy: text dumps never load an HTML parser

    parser = _parser()
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


def _parser():
    """lxml.html's parser, every element an HtmlElement: its own lookup picks the element class in
    Python for each element proxy made (a tenth of a page's DOM time); the form classes it would
    pick add nothing that cleaner uses. A fresh parser per page: its error log is read after."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    return parser


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
    """Visible text of ``html``, one block per line, blank lines between paragraph-like blocks."""
    return html_to_blocks(html, root, structure=False)[0]


def html_to_blocks(html: str, root=None, *, structure: bool = True
                   ) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    """``html_to_text``'s text; the block each line of it comes from, by 0-based line number,
    where that is a heading, a list item or a table row (with its cells); and the DOM facts of the
    element each line's text comes from. ``root`` (parsed from ``html`` when not given) is
    changed in place: furniture pruned, then cleaned for rendering."""
    root = parse(html) if root is None else root
    if root is None:
        return "", {}, {}
    try:
        return _blocks(root, structure)
    except ValueError:
        if not _NOT_IN_XML.search(html):
            raise
        root = parse(_NOT_IN_XML.sub("", _SPACE_CONTROLS.sub(" ", html)))
        return _blocks(root, structure) if root is not None else ("", {}, {})


def _blocks(root, structure: bool) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    prune_chrome(root)
    body = root.find("body")
    facts = DomFacts(body) if structure and body is not None else None  # of the page as it stands
    clean_in_place(root)
    rendered = render(root, facts, structure=structure)
    if facts is not None:
        facts.release()
    return rendered


def attach(lines: list, blocks: dict[int, Block], doms: dict[int, DomInfo]) -> None:
    """Give each of ``to_lines``'s lines of the rendered text the block and the element of the
    text line it starts on."""
    for ln in lines:
        ln.block = blocks.get(ln.first - 1)
        ln.dom = doms.get(ln.first - 1)


def prune_chrome(root) -> None:
    """Remove, in place, the subtrees that are page furniture by their markup (navigation, asides,
    footers), unless one holds much of the page's text."""
    body = root.find("body")
    if body is None:
        return
    walk = tree.compiled()
    if walk is not None:
        doomed = walk.furniture(body, _CHROME_FLAGS, CHROME_ROLES, MAX_PRUNED_SHARE)
    else:
        total = len(body.text_content()) or 1
        doomed = []
        for el in body.xpath(_CHROME_CANDIDATES):  # one query in C rather than a look at every element
            if el.tag not in CHROME_TAGS and el.get("role") not in CHROME_ROLES:
                continue
            if len(el.text_content()) <= MAX_PRUNED_SHARE * total:
                doomed.append(el)
    for el in doomed:  # (one inside another goes with it; dropping it again is harmless)
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the parent
