"""HTML -> a text dump, so HTML goes through the same line classifier as text.

The page is parsed once here (lxml, guarded: no network, no entities, a typed error past libxml2's
nesting limit) and rendered with ``html_text`` in its layout-guessing mode: the renderer of the
"plain" dumps the shipped model learned from, so HTML lines look like the lines it knows.
"""
from __future__ import annotations

import re

from ..errors import InputError
from ..types import Block, DomInfo
from .dom import BLOCK_TAGS, SILENT_TAGS, DomFacts

_DEPTH = re.compile(r"depth in document: (\d+)")
# Elements that are page furniture by their tag or ARIA role. (Class names such as "share" or
# "related" were tried too: on the evaluation-only sets they cost as much recall as they gained.)
CHROME_TAGS = frozenset({"nav", "aside", "footer"})
CHROME_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search"})
# An element holding more than this share of the page's text is never pruned as furniture: a
# "main-nav-wrapper" around the whole page must not take the article with it.
MAX_PRUNED_SHARE = 0.3
# Private-use characters put at the start of headings, list items and table cells before
# rendering and taken out after: they carry the page's structure through html_text (for markdown
# output) while the text the model reads stays exactly what it was trained on.
HEADING_MARKS = "\ue001\ue002\ue003\ue004\ue005\ue006"  # h1 .. h6
ITEM_MARK = "\ue010"
CELL_MARK = "\ue011"
# The element a line's text comes from: a mark per block element (supplementary private use, so
# a page has room for 65,534), glued to the first character of its text.
DOM_BASE = 0xF0000
DOM_LIMIT = 0xFFFFD - DOM_BASE
_DOM_CHARS = "\U000F0000-\U000FFFFD"
_BMP_MARKS = HEADING_MARKS + ITEM_MARK + CELL_MARK
_STRUCTURE = f"[{re.escape(_BMP_MARKS)}]"
_CLASS = f"[{re.escape(_BMP_MARKS)}{_DOM_CHARS}]"
_DOM = re.compile(f"[{_DOM_CHARS}]")
_LEADING = re.compile(f"(?:\\s*{_CLASS})+")
_MARK = re.compile(_CLASS + " ?")  # html_text may print a space after it
_CELLS = re.compile(_STRUCTURE + " ?")
_END_MARKS = re.compile(f" ?(?:{_CLASS} ?)+$")  # empty cells end a row: and the space before
# html_text adds no space before punctuation or after "(": a mark there made it add one
_GLUED = re.compile(f" (?:{_CLASS} ?)+(?=[,:;.!?\")])|(?<=\\() (?:{_CLASS} ?)+")
_HEADINGS = {f"h{k}": HEADING_MARKS[k - 1] for k in range(1, 7)}


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
    """Visible text of ``html``, one block per line, blank lines between paragraph-like blocks."""
    return html_to_blocks(html, root, structure=False)[0]


def html_to_blocks(html: str, root=None, *, structure: bool = True
                   ) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    """``html_to_text``'s text; the block each line of it comes from, by 0-based line number,
    where that is a heading, a list item or a table row (with its cells); and the DOM facts of the
    element each line's text comes from."""
    import html_text  # lazy, like lxml: text dumps never load it

    root = parse(html) if root is None else root
    if root is None:
        return "", {}, {}
    prune_chrome(root)
    # a page using the marks' characters itself (icon fonts do) is rendered without structure
    structure = structure and not _uses_marks(html)
    facts: list[DomInfo] = []
    if structure:
        facts = _mark_elements(root)  # (first: the structure marks are not text to count)
        _mark_structure(root)
    text = html_text.extract_text(root, guess_layout=True) + "\n"
    return _take_marks(text, facts) if structure else (text, {}, {})


def _uses_marks(html: str) -> bool:
    """Whether ``html`` holds any mark character (``in`` per BMP mark: a regex scan over a page is
    several times slower)."""
    return any(mark in html for mark in _BMP_MARKS) or _DOM.search(html) is not None


def attach(lines: list, blocks: dict[int, Block], doms: dict[int, DomInfo]) -> None:
    """Give each of ``to_lines``'s lines of the rendered text the block and the element of the
    text line it starts on."""
    for ln in lines:
        ln.block = blocks.get(ln.first - 1)
        ln.dom = doms.get(ln.first - 1)


def _mark_structure(root) -> None:
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"):
        mark = _HEADINGS.get(el.tag) or (ITEM_MARK if el.tag == "li" else CELL_MARK)
        el.text = mark + (el.text or "")


def _mark_elements(root) -> list[DomInfo]:
    """Glue each block element's mark to the first character of its text, and its parent's to
    the first of its tail; return the DOM facts by mark number."""
    body = root.find("body")
    if body is None:
        return []
    facts = DomFacts(body)
    numbers: dict = {}
    infos: list[DomInfo] = []

    def mark_of(el) -> str:
        if el not in numbers:
            numbers[el] = len(infos)
            infos.append(facts.info(el))
        return chr(DOM_BASE + numbers[el])

    blocks = [el for el in facts.elements if el.tag in BLOCK_TAGS]
    if len(blocks) * 2 > DOM_LIMIT:
        return []
    # outermost first: an inner element's mark, glued after the marks already there, comes last
    for el in blocks:
        parent = el.getparent()
        if parent is not None and parent in facts and (el.tail or "").strip():
            el.tail = _glue(mark_of(parent), el.tail)  # (a block with no text too: a script's box)
        slot = _first_text(el) if facts.chars[el] else None
        if slot is not None:
            node, attr = slot
            setattr(node, attr, _glue(mark_of(el), getattr(node, attr)))
    return infos


def _glue(mark: str, text: str) -> str:
    """``text`` with ``mark`` before its first character that is neither space nor a mark."""
    lead = _LEADING.match(text)
    start = lead.end() if lead else 0
    start += len(text[start:]) - len(text[start:].lstrip())
    return text[:start] + mark + text[start:]


def _first_text(el):
    """(node, "text" or "tail") holding the first printed text inside ``el``, or None. (A loop,
    not recursion: broken pages nest thousands deep.)"""
    if (el.text or "").strip():
        return el, "text"
    stack = [(el, iter(el))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and (node.tail or "").strip():
                return node, "tail"
        elif isinstance(child.tag, str) and child.tag not in SILENT_TAGS:
            if (child.text or "").strip():
                return child, "text"
            stack.append((child, iter(child)))
        elif (child.tail or "").strip():
            return child, "tail"
    return None


def _take_marks(text: str, facts: list[DomInfo]) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    """The text without the marks (a line holding nothing else goes too), the marked lines'
    blocks, and each line's element: the last mark before its text, else the last one seen."""
    out: list[str] = []
    blocks: dict[int, Block] = {}
    doms: dict[int, DomInfo] = {}
    dropped = False
    current = None
    for line in text.split("\n"):
        first = _MARK.search(line)
        element = current
        if first is not None and facts:
            numbers = _DOM.findall(line)
            if numbers:
                lead = _LEADING.match(line)
                leading = _DOM.findall(lead.group()) if lead else ()
                element = facts[ord(leading[-1]) - DOM_BASE] if leading else current
                current = facts[ord(numbers[-1]) - DOM_BASE]
        if first is None:
            if not (dropped and not line.strip() and (not out or not out[-1].strip())):
                if line.strip() and element is not None:
                    doms[len(out)] = element
                out.append(line)  # (html_text prints one blank line where the dropped line stood)
            dropped = False
            continue
        plain = _MARK.sub("", _GLUED.sub("", _END_MARKS.sub("", line)))
        if not plain.strip():
            dropped = True  # an element whose text html_text does not print (a script in a list item)
            continue
        dropped = False
        marked = _DOM.sub("", line)  # its structure marks only
        structure = _CELLS.search(marked)
        if structure is not None and structure.group()[0] == CELL_MARK:
            cells = tuple(c.strip() for c in _CELLS.split(marked)[1:])
            blocks[len(out)] = Block("tr", cells)
        elif structure is not None:
            mark = structure.group()[0]
            blocks[len(out)] = Block("li" if mark == ITEM_MARK else f"h{HEADING_MARKS.index(mark) + 1}")
        if element is not None:
            doms[len(out)] = element
        out.append(plain)
    return "\n".join(out), blocks, doms


def prune_chrome(root) -> None:
    """Remove, in place, the subtrees that are page furniture by their markup (navigation, asides,
    footers), unless one holds much of the page's text."""
    body = root.find("body")
    if body is None:
        return
    total = len(body.text_content()) or 1
    doomed = []
    for el in body.iter():
        if not isinstance(el.tag, str) or (el.tag not in CHROME_TAGS and el.get("role") not in CHROME_ROLES):
            continue
        if len(el.text_content()) <= MAX_PRUNED_SHARE * total:
            doomed.append(el)
    for el in doomed:  # (one inside another goes with it; dropping it again is harmless)
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the parent
