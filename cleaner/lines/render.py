"""A parsed page -> its text, as html_text renders it, with what each line of it comes from.

The text is html_text's ``extract_text(guess_layout=True)`` byte for byte: the same cleaning (its
own lxml Cleaner, run here in place on a tree that is ours to change) and the same walk, layout
tags and punctuation spacing, re-implemented so that one walk also records, per line, the
innermost block element open where the line's text starts (its DOM facts) and the heading, list
item or table row it belongs to (for markdown output). The models learned from this text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..types import Block, DomInfo
from . import tree
from .dom import DomFacts

_WHITESPACE = re.compile(r"\s+")
_TRAILING_SPACE = re.compile(r"\s$").search
_PUNCT_AFTER = re.compile(r'^[,:;.!?")]').search
_OPEN_BRACKET_BEFORE = re.compile(r"\($").search
_CELLS = frozenset({"td", "th"})
_STRUCTURE = frozenset({*(f"h{k}" for k in range(1, 7)), "li", *_CELLS})  # for markdown output
# Elements a line's DOM facts can come from: html_text's layout tags (an element it prints inline,
# such as <center> or <section>, would claim the text after it on its line) but those that hold no
# text of the body, plus table cells (a row is one line) and <body>.
_NOT_BLOCKS = frozenset({"br", "hr", "title"})
_MORE_BLOCKS = _CELLS | {"body"}
_NEWLINE, _DOUBLE_NEWLINE = object(), object()


# html_text's cleaning is lxml_html_clean's Cleaner as html_text configures it (scripts, comments,
# styles, links, metas, processing instructions, embedded objects and frames; forms and the page's
# structure kept). The Cleaner looks at every node of the tree in Python to find what it drops;
# ``clean_in_place`` drops the same with lxml's tag filters, which look in C, in the same order.
_XHTML = "{http://www.w3.org/1999/xhtml}"
_KILLED = ("script", "style", "link", "meta", "applet", "frameset", "frame", "noframes")  # with their content
_UNWRAPPED = ("iframe", "embed", "layer", "object", "param")  # the tag only, their content kept


def clean_in_place(root) -> None:
    """html_text's cleaning applied to ``root`` itself rather than to a copy of it
    (tests/test_html.py checks it against html_text's Cleaner)."""
    from collections import deque

    from lxml import etree

    try:
        for el in root.iter(_XHTML + "*"):
            el.tag = el.tag[len(_XHTML):]
        for el in root.iter("image"):
            el.tag = "img"
        etree.strip_attributes(root, "style")
        for el in list(root.iter("param")):  # a <param> outside <applet> and <object> goes with its content
            parent = el.getparent()
            while parent is not None and parent.tag not in ("applet", "object"):
                parent = parent.getparent()
            if parent is None:
                el.drop_tree()
        unwrapped = deque(root.iter(*_UNWRAPPED))
        if unwrapped and unwrapped[0] == root:  # the root cannot go: it becomes a <div>
            el = unwrapped.popleft()
            el.tag = "div"
            el.attrib.clear()
        elif root.tag in _KILLED:
            if root.tag != "html":
                root.tag = "div"
            root.clear()
        # drop_tree() of each, in C: their tails stay where they were, as the text after the previous
        # node (drop_tree joins them to it; the text reads the same)
        etree.strip_elements(root, *_KILLED, etree.Comment, etree.ProcessingInstruction, with_tail=False)
        while unwrapped:
            unwrapped.pop().drop_tag()
    except AssertionError:  # lxml bug 1838497: html_text then renders the tree as it is
        pass


@lru_cache(maxsize=1)
def _tag_flags() -> dict[str, int]:
    """What the render needs to know of a tag, as lines.tree flag bits."""
    from html_text.html_text import DOUBLE_NEWLINE_TAGS, NEWLINE_TAGS

    flags: dict[str, int] = {}
    for tags, flag in ((NEWLINE_TAGS, tree.NEWLINE), (DOUBLE_NEWLINE_TAGS, tree.DOUBLE_NEWLINE),
                       ((NEWLINE_TAGS | DOUBLE_NEWLINE_TAGS | _MORE_BLOCKS) - _NOT_BLOCKS, tree.BLOCK),
                       (_STRUCTURE, tree.STRUCTURE), (_CELLS, tree.CELL)):
        for tag in tags:
            flags[tag] = flags.get(tag, 0) | flag
    return flags


def render(root, facts: DomFacts | None = None, *, structure: bool = True
           ) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    """The text of the cleaned tree ``root`` (ending in a newline); with ``structure``, the
    heading, list item or table row of each line with text, by 0-based line number; with
    ``facts``, the DOM facts of each line with text."""
    walk = tree.compiled()
    if facts is not None and isinstance(facts.tree.nodes, list):  # facts from the Python walk
        walk = None
    if walk is not None:
        out, owners, kinds, cuts = walk.render(root, _tag_flags(), facts.tree.nodes if facts else None, structure)
    else:
        out, owners, kinds, cuts = _walk_python(root, facts, structure)
    lines = out.split("\n") if kinds else []
    blocks = {i: _block(kind, cuts.get(i, [0]), lines[i]) for i, kind in kinds.items()}
    infos: dict[int, DomInfo] = {}  # one DomInfo per element, shared by its lines
    doms = {}
    for i, el in owners.items():
        if el not in infos:
            infos[el] = DomInfo(facts, el)
        doms[i] = infos[el]
    return out, blocks, doms


def _walk_python(root, facts: DomFacts | None, structure: bool
                 ) -> tuple[str, dict[int, int], dict[int, str], dict[int, list[int]]]:
    """The compiled render's twin: the text; per line, the index in ``facts`` of the innermost
    block element open where its text starts, the innermost heading, list item or cell starting
    there, and the offsets on it where table cells start."""
    from lxml.etree import iterwalk

    flags = _tag_flags()
    index = {el: i for i, el in enumerate(facts.tree.nodes)} if facts is not None else {}
    chunks: list[str] = []
    prev: object = _DOUBLE_NEWLINE  # a layout sentinel or the raw text last printed
    line = 0                        # number of the line being written
    width = 0                       # characters on it so far
    started = False                 # whether it has text yet
    owners: dict[int, int] = {}     # line -> innermost open block element where its text starts
    kinds: dict[int, str] = {}      # line -> innermost heading, list item or cell starting there
    cuts: dict[int, list] = {}      # line -> offsets on it where table cells start
    open_blocks: list[int] = []
    open_structure: list[str] = []
    unseen = 0                      # open_structure[unseen:] have printed no text yet

    def layout(flag: int) -> None:
        nonlocal prev, line, width, started
        if prev is _DOUBLE_NEWLINE:  # never more than one blank line
            return
        if flag & tree.DOUBLE_NEWLINE:
            breaks = 1 if prev is _NEWLINE else 2
            prev = _DOUBLE_NEWLINE
        elif flag & tree.NEWLINE:
            breaks = 0 if prev is _NEWLINE else 1
            prev = _NEWLINE
        else:
            return
        if breaks:
            chunks.append("\n" * breaks)
            line, width, started = line + breaks, 0, False

    def text(raw: str | None, owner: int = -1) -> None:
        nonlocal prev, width, started, unseen
        words = _WHITESPACE.sub(" ", raw.strip()) if raw else ""
        if not words:
            return
        space = ""
        if prev is not _NEWLINE and prev is not _DOUBLE_NEWLINE and (
                _TRAILING_SPACE(prev) or not _PUNCT_AFTER(words) and not _OPEN_BRACKET_BEFORE(prev)):
            space = " "
        chunks.append(space + words)
        if not started:
            owner = owner if owner >= 0 else open_blocks[-1] if open_blocks else -1
            if owner >= 0:
                owners[line] = owner
            if len(open_structure) > unseen:  # a structure marks the line its own text starts on
                kinds[line] = open_structure[-1]
            started = True
        unseen = len(open_structure)
        width += len(space) + len(words)
        prev = raw

    for event, el in iterwalk(root, events=("start", "end")):  # elements only: a comment's tail is not printed
        tag = el.tag
        flag = flags.get(tag, 0)
        at = index.get(el, -1) if flag & tree.BLOCK else -1
        marked = structure and flag & tree.STRUCTURE
        if event == "start":
            layout(flag)
            if at >= 0:
                open_blocks.append(at)
            if marked:
                open_structure.append(tag)
                if flag & tree.CELL:
                    cuts.setdefault(line, []).append(width)
            text(el.text)
        else:
            layout(flag)
            parent = -1
            if at >= 0:
                open_blocks.pop()  # its tail belongs to the element around it, block or not
                parent = index.get(el.getparent(), -1)
            if marked:
                open_structure.pop()
                unseen = min(unseen, len(open_structure))
            if el is not root:
                text(el.tail, parent)
    return "".join(chunks).strip() + "\n", owners, kinds, cuts


def _block(kind: str, starts: list[int], line: str) -> Block:
    """A line's structure from the innermost heading, list item or cell open where its text
    starts; a row's cells are the line cut where each cell on it starts."""
    if kind not in _CELLS:
        return Block(kind)
    cuts = [*starts, len(line)]
    return Block("tr", tuple(line[a:b].strip() for a, b in zip(cuts, cuts[1:])))
