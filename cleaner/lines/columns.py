"""Table layouts printed side by side: a dump's padded rows read column by column.

inscriptis (and renderers like it) print a page laid out in a table as its cells side by side,
every line of the table padded to the same width: the menu, the article and a sidebar share each
line ("Registration    17:20 Derby manager Paul Jewell has revealed ...    Jobs in Scotland:").
Read line by line, each line mixes all three, and the classifier can only keep or drop it whole.
Such a block is cut into its columns at the runs of spaces that cross every one of its lines, and
its text is read one column after the other: the article's paragraphs come out one after another.

Applied where documents are cleaned, not to the training renders (``train/examples.py``): the
shipped model scores the columns' lines as the menus and paragraphs they are.
"""
from __future__ import annotations

import re
from itertools import groupby

from .. import native
from ..types import Line
from .text import unify_newlines

# A block: at least this many consecutive lines of one length, at least this long (a table's rows
# padded to its width; ordinary text seldom has three lines of one length this long).
BLOCK_MIN_LINES = 3
BLOCK_MIN_CHARS = 100
# Columns are parted by a run of at least this many spaces down every line of the block.
GUTTER_MIN_SPACES = 2
# A column's cell this long holds paragraphs the layout ran into one line: it is cut into its
# sentences as a run-on line is (lines.text.cut_run_on).
CELL_RUN_ON_CHARS = 1000
_NOT_SPACE = re.compile(r"[^ ]")
_GUTTER = re.compile(f"0{{{GUTTER_MIN_SPACES},}}")


def read_columns(text: str) -> tuple[str, list[int] | None]:
    """``text`` with each padded block read column by column, and the input line (1-based) of each
    of its lines; ``(text, None)`` when it holds no such block."""
    # (in C where the compiled helper is built: the gutter's and the block's tests in one pass, without
    # a string a line; a search for two spaces in a row takes re or str a microsecond a kilobyte)
    if not (native.compiled.padded_block(text, BLOCK_MIN_LINES, BLOCK_MIN_CHARS, GUTTER_MIN_SPACES)
            if native.AVAILABLE else " " * GUTTER_MIN_SPACES in text):
        return text, None
    lines = unify_newlines(text).split("\n")
    if not native.AVAILABLE and not _has_block(list(map(len, lines))):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    changed = False
    start = 0
    for width, run in groupby(lines, key=len):
        block = list(run)
        numbers = range(start + 1, start + len(block) + 1)
        start += len(block)
        cuts = _gutters(block, width) if width >= BLOCK_MIN_CHARS and len(block) >= BLOCK_MIN_LINES else []
        if not cuts:
            out += block
            origin += numbers
            continue
        changed = True
        bounds = [0, *cuts, width]
        for a, b in zip(bounds, bounds[1:]):
            out += [line[a:b].strip() for line in block] + [""]  # (a blank line closes each column)
            origin += [*numbers, numbers[-1]]
    return ("\n".join(out), origin) if changed else (text, None)


def _has_block(lengths: list[int]) -> bool:
    """Whether BLOCK_MIN_LINES consecutive lines share a length of BLOCK_MIN_CHARS or more (most dumps
    have none: a look at their lengths spares grouping their lines)."""
    if not lengths or max(lengths) < BLOCK_MIN_CHARS:
        return False
    run = 1
    for a, b in zip(lengths, lengths[1:]):
        run = run + 1 if a == b and a >= BLOCK_MIN_CHARS else 1
        if run >= BLOCK_MIN_LINES:
            return True
    return False


def _gutters(block: list[str], width: int) -> list[int]:
    """Where the block's columns start after the first: the ends of the runs of at least
    GUTTER_MIN_SPACES columns blank on every line, between text."""
    used = 0  # a bit per column, set where some line has a character other than a space
    for line in block:
        used |= int(_NOT_SPACE.sub("1", line).replace(" ", "0") or "0", 2)
    columns = format(used, f"0{width}b")
    return [m.end() for m in _GUTTER.finditer(columns) if m.start() > 0 and m.end() < width]


def renumber(lines: list[Line], origin: list[int]) -> None:
    """Give ``lines``, made of ``read_columns``' text, the input line numbers it sat on, in place."""
    for ln in lines:
        ln.first, ln.last = origin[ln.first - 1], origin[ln.last - 1]
