"""Text dump -> logical lines: normalise characters, join hard wraps, strip link markup."""
from __future__ import annotations

import re

from .. import native
from ..types import LINE_SLOTS, Line, texts_of
from .markup import MD_DEFINITION, clean_line, md_definitions, split_references, without_markup
from .unwrap import group_lines, wrap_width

# No-break and other fixed-width spaces read as spaces; invisible characters go.
# (regex substitution: str.translate with a dict table is several times slower)
_SPACE_LIKE_CHARS = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\t\x0b\x0c"
_INVISIBLE_CHARS = "\x00\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACE_LIKE = re.compile(f"[{_SPACE_LIKE_CHARS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Signs of markdown: a link "](", a "# heading", "**bold**", "_emphasis_"; each pattern searched only
# where its first character occurs (one regex of the four alternatives tries each at every place).
# The emphasis and heading patterns start with their marker, what comes before it looked at behind
# it ("(?<!\w)_" as "_(?<!\w_)"; "^\s{0,3}#{1,6}\s" as a "#" with a line start and none to three
# white spaces behind it, the four widths each a lookbehind): re then jumps from marker to marker
# instead of trying every place (the same matches; 50 times sooner on a page of URLs, 15 times on
# one whose URLs hold a "#").
_MARKDOWN_HINTS = (("](", None),
                   ("#", re.compile(r"#(?:(?<=^#)|(?<=^\s#)|(?<=^\s\s#)|(?<=^\s\s\s#))#{0,5}\s", re.M)),
                   ("**", re.compile(r"\*\*\S")), ("_", re.compile(r"_(?<!\w_)\S.*?\S_(?!\w)")))
# Share of lines indented by exactly three spaces above which a dump is lynx-like, where
# body text is indented and flush-left lines are headings.
LYNX_INDENT_SHARE = 0.4
# A line of at least this many characters holding at least this share of a dump's text is a render
# that lost the page's blocks (old pages whose body sits in inline elements come out of inscriptis
# and html2text as one line of menu, article and footer, a twentieth of l3s-gn1's pages): it is cut
# after each sentence end and at separators, so that each part is judged on its own.
RUN_ON_MIN_CHARS = 2000
RUN_ON_SHARE = 0.4
_RUN_ON_CUT = re.compile(r"(?<=[.!?。！？])\s+|\s+[·|•]\s+")


def unify_newlines(text: str) -> str:
    """``text`` with "\\r\\n" and "\\r" written "\\n": the lines an input's line numbers count."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def normalise(text: str) -> str:
    """Unify newlines and spaces; drop invisible characters."""
    text = unify_newlines(text)
    # each character looked for alone first: a regex scan of a dump costs a tenth of a millisecond,
    # a character search a microsecond (none, for a character wider than the text's widest)
    if any(c in text for c in _SPACE_LIKE_CHARS):
        text = _SPACE_LIKE.sub(" ", text)
    return _INVISIBLE.sub("", text) if any(c in text for c in _INVISIBLE_CHARS) else text


def _looks_like_markdown(text: str) -> bool:
    # (each key's first character looked for alone first: a one-character search is a memchr, a
    # two-character one over a page thirty times slower, and "]" or "*" is missing from most pages)
    return any(key[0] in text and key in text and (pattern is None or pattern.search(text))
               for key, pattern in _MARKDOWN_HINTS)


def _lynx_indented(phys: list[str]) -> bool:
    nonblank, three = native.compiled.indents(phys) if native.AVAILABLE else _indents(phys)
    return nonblank > 0 and three >= LYNX_INDENT_SHARE * nonblank


def _indents(phys: list[str]) -> tuple[int, int]:
    """How many lines hold more than white space, and how many of those start with exactly three
    spaces (the compiled indents' twin)."""
    nonblank = [ln for ln in phys if ln and not ln.isspace()]
    return len(nonblank), sum(1 for ln in nonblank if ln.startswith("   ") and not ln.startswith("    "))


def _flush_left(phys: list[str], first: int, indented: bool) -> bool:
    """Whether a line starting at physical line ``first`` of a lynx-like dump is flush left: a heading."""
    return indented and not phys[first].startswith(" ")


def _plain_lines(phys: list[str], width: int | None, indented: bool) -> tuple[list[Line | tuple[int, int, bool]], list[int]]:
    """The logical lines over physical ``phys``: a Line where the text holds no markup (``without_markup``
    of the physical lines joined by spaces; none where that is empty), else (first, last, blank line
    before) for ``to_lines`` to clean, and where those are. A Line is a ``duplicate`` when the item
    before it is a Line of the same text. In C where the compiled helper is built
    (native.compiled.plain_lines, the same lines, made without a call of Line's __init__ each)."""
    if native.AVAILABLE:
        return native.compiled.plain_lines(phys, -1 if width is None else width, indented, Line, LINE_SLOTS)
    items: list[Line | tuple[int, int, bool]] = []
    pending: list[int] = []
    for first, last, blank in group_lines(phys, width):
        plain = without_markup(phys[first] if first == last else " ".join(phys[first:last + 1]))
        if plain is None:
            pending.append(len(items))
            items.append((first, last, blank))
        elif plain:
            duplicate = bool(items) and type(items[-1]) is Line and items[-1].text == plain
            items.append(Line(plain, first + 1, last + 1, (), 0, _flush_left(phys, first, indented), False, blank,
                              duplicate))
    return items, pending


def _joined(phys: list[str], first: int, last: int) -> str:
    """The physical lines ``first``..``last`` of a paragraph as one line: a space between two, but
    none after a markdown link's target that the wrapper broke at one of its hyphens (textwrap's
    default, html2text's: "[logo](https://example.org/wp-" then "content/logo.png)"), so that the
    link is read whole. (Only there: a line of the other styles ending in a hyphen, in a URL or not,
    was written so; the model learned them joined with a space.)"""
    parts = [phys[first].strip()]
    in_target = False  # whether the line before ended inside a link's target
    for i in range(first + 1, last + 1):
        before = parts[-1]
        if not before.endswith("-"):
            in_target = False
        elif in_target and " " not in before:  # a line of target alone, broken again
            pass
        else:
            opened = before.rfind("](")
            in_target = opened >= 0 and " " not in before[opened:] and ")" not in before[opened:]
        parts.append(("" if in_target else " ") + phys[i].strip())
    return "".join(parts)


def to_lines(text: str, *, lang: str = "en", split_glue: bool = True) -> list[Line]:
    """The logical lines of a text dump, in order, with markup removed and links kept."""
    doc, refs = split_references(normalise(text))
    phys = list(map(str.rstrip, doc.split("\n")))
    md_refs = md_definitions(doc)
    # (markdown's reference definitions, indented by three spaces, do not make a dump lynx-like)
    indented = _lynx_indented([ln for ln in phys if not MD_DEFINITION.match(ln)] if md_refs else phys)
    items, pending = _plain_lines(phys, wrap_width(phys), indented)
    if not pending:  # the common case: no line to clean of markup
        return items
    # whether the dump reads as markdown, once a line holds markup
    markdown = bool(md_refs) or _looks_like_markdown(doc[:20000])
    # whether a markdown link's target may be broken at a hyphen (else lines join with a space: sooner)
    broken_targets = "]" in doc and "](" in doc  # (a character's search first: a memchr, thirty times sooner)
    out: list[Line] = []
    done = 0  # items up to here are in out
    for at in pending:
        out += items[done:at]  # Lines, each already compared with the Line before it
        first, last, blank = items[at]
        flush_left = _flush_left(phys, first, indented)
        raw = _joined(phys, first, last) if broken_targets else " ".join(p.strip() for p in phys[first:last + 1])
        c = clean_line(raw, refs=refs, lang=lang, split_glue=split_glue, markdown=markdown, md_refs=md_refs)
        if c.text:
            duplicate = bool(out) and out[-1].text == c.text
            out.append(Line(c.text, first + 1, last + 1, tuple(c.links), c.anchor_chars,
                            c.heading or (flush_left and not c.list_item), c.list_item, blank, duplicate))
        done = at + 1
        if done < len(items) and type(items[done]) is Line:  # the Line after: compared with what now precedes it
            items[done].duplicate = bool(out) and out[-1].text == items[done].text
    out += items[done:]
    return out


def cut_run_on(lines: list[Line], min_chars: int = RUN_ON_MIN_CHARS, share: float = RUN_ON_SHARE) -> list[Line]:
    """``lines`` with a run-on line (of ``min_chars`` and ``share`` of the text or more) cut into its
    sentences; each part keeps the links whose anchor text it holds.

    Applied where documents are cleaned, not yet to the training renders: the shipped model was
    fitted on uncut lines (a run-on line was one example there), and scores the parts as the
    sentences and menus they are (measured: no set or style lower, l3s-gn1's inscriptis dumps
    0.861 -> 0.871). A model refitted on cut lines moved by its refit's noise (a few thousandths
    either way), so the shipped one stays until a refit for other reasons."""
    texts = texts_of(lines)
    longest = max(map(len, texts), default=0)
    if not texts or longest < min_chars:  # (most pages: no line that long, the total not needed)
        return lines
    run_on = max(min_chars, share * sum(map(len, texts)))
    if longest < run_on:
        return lines
    out: list[Line] = []
    for ln in lines:
        if len(ln.text) < run_on:
            out.append(ln)
            continue
        parts = [p for p in _RUN_ON_CUT.split(ln.text) if p]
        links = list(ln.links)
        for k, part in enumerate(parts):
            mine = []
            while links and links[0].text and links[0].text in part:
                mine.append(links.pop(0))
            if k == len(parts) - 1:
                mine += links  # (anchors not found as they are, such as lynx's, stay on the last part)
            chars = min(len(part), sum(len(link.text) for link in mine))
            duplicate = bool(out) and out[-1].text == part  # (as to_lines marks a paragraph printed twice)
            out.append(Line(part, ln.first, ln.last, tuple(mine), chars, ln.heading and k == 0,
                            ln.list_item and k == 0, ln.blank_before and k == 0, duplicate))
    return out
