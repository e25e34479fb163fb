"""Join hard-wrapped physical lines back into logical lines.

A dump wrapped by a greedy filler (textwrap, lynx, e-mail exports) ends a line only where the next
word would not fit. So ``a`` and ``b`` belong to one paragraph exactly when
``len(a) + 1 + len(first word of b)`` exceeds the wrap width; a real short line (a heading, the
last line of a paragraph) leaves room for the next word and stays a line of its own.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .. import native

# Words longer than this (URLs) overflow the width, so lines holding one do not measure it.
LONG_WORD = 30
# Nobody hard-wraps prose narrower than this; short menu lines must not look wrapped.
MIN_WRAP_WIDTH = 40
# Widths above this are not hard wrapping but ordinary long paragraphs.
MAX_WRAP_WIDTH = 140
# Lines within this many characters of the width count as filled by the wrapper.
FULL_SLACK = 15
# Share of lines in multi-line blocks that must be filled for the dump to count as wrapped.
MIN_FULL_SHARE = 0.3
# Fewer wrapped-looking lines than this is no evidence of wrapping.
MIN_INNER_LINES = 5
# Percentile of inner line lengths taken as the width: tolerates a few overflowing lines.
WIDTH_PERCENTILE = 0.97

# a word (a run between white space, as str.split() finds them) longer than LONG_WORD
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1}}}")
URL_ONLY = re.compile(r"^\s*<(?:[a-z][a-z0-9+.-]*:|/)[^<>\s]*>\s*$", re.I)
ENDS_WITH_URL = re.compile(r"<(?:[a-z][a-z0-9+.-]*:|/)[^<>\s]*>\s*$", re.I)
LIST_START = re.compile(r"^\s*(?:[*+•·‣◦-]|\d{1,3}[.)])\s+\S")
NUMBER_START = re.compile(r"^(\s*)\d{1,3}[.)]\s")


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width a dump was hard-wrapped at, or None when it is not hard-wrapped.

    Measured on lines followed by another line of the same block: a greedy filler leaves those
    within a word's length of the width, so their lengths pile up just below it. The width is a
    high percentile of them (preformatted text and tables may overflow), and the dump counts as
    wrapped when enough of them sit near it.
    """
    inner = native.compiled.wrap_inner(lines) if native.AVAILABLE else _inner_lengths(lines)
    if len(inner) < MIN_INNER_LINES:
        return None
    inner.sort()
    width = inner[min(len(inner) - 1, int(WIDTH_PERCENTILE * len(inner)))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = sum(1 for n in inner if width - FULL_SLACK <= n <= width)
    return width if full >= max(3, MIN_FULL_SHARE * len(inner)) else None


def _inner_lengths(lines: Sequence[str]) -> list[int]:
    """The lengths of the lines followed by another line of the same block (the compiled
    wrap_inner's twin)."""
    inner = []
    has_text = [bool(ln) and not ln.isspace() for ln in lines]  # (ln.strip(), without making the copy)
    for i in range(len(lines) - 1):
        ln, nxt = lines[i], lines[i + 1]
        if not has_text[i] or not has_text[i + 1] or LIST_START.match(nxt):
            continue  # the last line of a block or list item says nothing about the width
        if "<" in nxt and URL_ONLY.match(nxt):  # (the substring test first: it rules out nearly every line)
            continue  # nor does a line whose link target was pushed onto the next line
        if _LONG_WORD.search(ln):
            continue
        inner.append(len(ln))
    return inner


def _first_word(line: str) -> str:
    parts = line.split(None, 1)
    return parts[0] if parts else ""


def _wrapped_number(prev: str, line: str, width: int | None) -> bool:
    """A number the filler carried over ("... on Dec.\n12. (AP)"), not a numbered list item: it sits
    at the indentation of a line filled to the width above it, which is no list item itself
    (list items are indented deeper, or follow a blank line or another item)."""
    m = NUMBER_START.match(line)
    return bool(m and width is not None and not LIST_START.match(prev)
                and len(prev) - len(prev.lstrip()) == len(m.group(1)) and _filled(prev, line, width))


def _filled(prev: str, line: str, width: int) -> bool:
    """Whether the filler could not have put ``line``'s first word on ``prev``: the wrap point.
    Some exporters count the space after the word too, so one column of slack is allowed."""
    return len(prev) + 1 + len(_first_word(line)) >= width


def continues(prev: str, line: str, width: int | None) -> bool:
    """Whether physical ``line`` continues the logical line whose last physical line is ``prev``."""
    if "<" in line and URL_ONLY.match(line):  # (the substring test first: it rules out nearly every line)
        return True  # a link target pushed onto its own line belongs to the anchor before it
    if LIST_START.match(line):
        return _wrapped_number(prev, line, width)
    if "<" in prev and ENDS_WITH_URL.search(prev) and (width is None or len(prev) > width):
        # after an overlong URL the filler starts afresh: only lower-case text continues
        stripped = line.lstrip()
        return bool(stripped) and (stripped[0].islower() or stripped[0] in ",.;:)")
    if width is None:
        return False
    return _filled(prev, line, width)


def group_lines(lines: Sequence[str], width: int | None) -> list[tuple[int, int, bool]]:
    """Logical lines as (first index, last index, blank line before) over physical ``lines``."""
    groups: list[tuple[int, int, bool]] = []
    start = None
    blank = False
    for i, ln in enumerate(lines):
        if not ln or ln.isspace():  # blank (ln.strip() is empty, without making the copy)
            if start is not None:
                groups.append((start, i - 1, blank))
                start = None
            blank = True
            continue
        if start is not None and not continues(lines[i - 1], ln, width):
            groups.append((start, i - 1, blank))
            start, blank = None, False
        if start is None:
            start = i
    if start is not None:
        groups.append((start, len(lines) - 1, blank))
    return groups
