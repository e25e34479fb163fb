"""A parsed page -> its text, as html_text renders it, with what each line of it comes from.

The text is html_text's ``extract_text(guess_layout=True)`` byte for byte: the same cleaning (its
own lxml Cleaner, run here in place on a tree that is ours to change) and the same walk, layout
tags and punctuation spacing, re-implemented so that one walk also records, per line, the
innermost block element open where the line's text starts (its DOM facts) and the heading, list
item or table row it belongs to (for markdown output). The models learned from this text.
"""
from __future__ import annotations

import re

from ..types import Block, DomInfo
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


def clean_in_place(root) -> None:
    """html_text's cleaning (scripts, styles, comments, embedded objects...) applied to ``root``
    itself rather than to a copy of it."""
    from html_text.html_text import cleaner  # lazy, like lxml: text dumps never load it

    try:
        cleaner(root)
    except AssertionError:  # lxml bug 1838497: html_text then renders the tree as it is
        pass


def render(root, facts: DomFacts | None = None, *, structure: bool = True
           ) -> tuple[str, dict[int, Block], dict[int, DomInfo]]:
    """The text of the cleaned tree ``root`` (ending in a newline); with ``structure``, the
    heading, list item or table row of each line with text, by 0-based line number; with
    ``facts``, the DOM facts of each line with text."""
    from html_text.html_text import DOUBLE_NEWLINE_TAGS, NEWLINE_TAGS
    from lxml.etree import iterwalk

    blocks_tags = (NEWLINE_TAGS | DOUBLE_NEWLINE_TAGS | _MORE_BLOCKS) - _NOT_BLOCKS
    chunks: list[str] = []
    prev: object = _DOUBLE_NEWLINE  # a layout sentinel or the raw text last printed
    line = 0                        # number of the line being written
    width = 0                       # characters on it so far
    started = False                 # whether it has text yet
    owners: dict[int, object] = {}  # line -> innermost open block element where its text starts
    kinds: dict[int, str] = {}      # line -> innermost heading, list item or cell starting there
    cuts: dict[int, list] = {}      # line -> offsets on it where table cells start
    open_blocks: list = []
    open_structure: list[str] = []
    unseen = 0                      # open_structure[unseen:] have printed no text yet

    def layout(tag: str) -> None:
        nonlocal prev, line, width, started
        if prev is _DOUBLE_NEWLINE:  # never more than one blank line
            return
        if tag in DOUBLE_NEWLINE_TAGS:
            breaks = 1 if prev is _NEWLINE else 2
            prev = _DOUBLE_NEWLINE
        elif tag in NEWLINE_TAGS:
            breaks = 0 if prev is _NEWLINE else 1
            prev = _NEWLINE
        else:
            return
        if breaks:
            chunks.append("\n" * breaks)
            line, width, started = line + breaks, 0, False

    def text(raw: str | None, owner=None) -> None:
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
            owners[line] = owner if owner is not None else open_blocks[-1] if open_blocks else None
            if len(open_structure) > unseen:  # a structure marks the line its own text starts on
                kinds[line] = open_structure[-1]
            started = True
        unseen = len(open_structure)
        width += len(space) + len(words)
        prev = raw

    for event, el in iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):  # a comment, left where lxml's cleaner failed
            if event == "end" and el is not root:
                text(el.tail)
            continue
        block = facts is not None and tag in blocks_tags and el in facts
        marked = structure and tag in _STRUCTURE
        if event == "start":
            layout(tag)
            if block:
                open_blocks.append(el)
            if marked:
                open_structure.append(tag)
                if tag in _CELLS:
                    cuts.setdefault(line, []).append(width)
            text(el.text)
        else:
            layout(tag)
            parent = None
            if block:
                open_blocks.pop()  # its tail belongs to the element around it, block or not
                parent = el.getparent()
                parent = parent if parent in facts else None
            if marked:
                open_structure.pop()
                unseen = min(unseen, len(open_structure))
            if el is not root:
                text(el.tail, parent)
    out = "".join(chunks).strip() + "\n"
    lines = out.split("\n") if kinds else []
    blocks = {i: _block(kind, cuts.get(i, [0]), lines[i]) for i, kind in kinds.items()}
    infos: dict = {}  # one DomInfo per element, shared by its lines
    doms = {}
    for i, el in owners.items():
        if el is not None:
            if el not in infos:
                infos[el] = facts.info(el)
            doms[i] = infos[el]
    return out, blocks, doms


def _block(kind: str, starts: list[int], line: str) -> Block:
    """A line's structure from the innermost heading, list item or cell open where its text
    starts; a row's cells are the line cut where each cell on it starts."""
    if kind not in _CELLS:
        return Block(kind)
    cuts = [*starts, len(line)]
    return Block("tr", tuple(line[a:b].strip() for a, b in zip(cuts, cuts[1:])))
