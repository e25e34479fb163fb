"""Remove link and emphasis markup from a logical line, keeping each link's anchor and URL.

Styles handled: ``anchor <https://...>`` (text exports), markdown ``[anchor](url)`` and
``![alt](src)``, markdown reference links ``[anchor][id]`` and ``![alt][id]`` with the URL from the
page's ``[id]: url`` definitions (html2text's reference-link mode), emphasis ``_x_``/``**x**``,
html2text escapes, and lynx ``[12]anchor`` with the URL from the trailing References list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Link
from .glue import split_glued

# A link target in angle brackets; _angle_links takes the spaces and tabs before it too (the pattern
# starts with its "<", so re jumps from one to the next instead of trying every place). One group:
# its split gives the target between the texts around it.
ANGLE_LINK = re.compile(r"<((?:[a-z][a-z0-9+.-]*:|/)[^<>\s]*)>", re.I)
# A markdown link "[anchor](url)" or image "![alt](src)" (an image when the match starts with "!").
# Written "(?:!\[|\[)", not "(!?)\[": alternatives that each start with a character let re jump
# from "!" or "[" to the next instead of trying every place (the same matches).
_BRACKETED = r"(?:!\[|\[)((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # "[anchor]" or "![alt]", one level of brackets inside
MD_ANY = re.compile(_BRACKETED + r"\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
# The same, or a reference link "[anchor][id]" / image "![alt][id]" (groups 3 and 4; "[anchor][]"
# refers by its anchor): used on a dump that defines references, so that elsewhere "[a][b](url)"
# still finds its inline link "[b](url)".
MD_ANY_OR_REF = re.compile(MD_ANY.pattern + "|" + _BRACKETED + r"\[([^\[\]\n]*)\]")
# A markdown reference definition, "[id]: url" with an optional title, as html2text's reference mode
# writes them (up to three spaces before it); the URL has a scheme or starts with "/" or "#", so
# that a line of prose such as "[Note]: read this" defines nothing.
_DEFINITION = r"\[([^\[\]\n]+)\]:[ \t]*<?((?:[a-z][a-z0-9+.-]*:|[/#])[^\s<>]*)>?" \
              r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?"
MD_DEFINITION = re.compile(rf"^[ \t]{{0,3}}{_DEFINITION}[ \t]*$", re.M | re.I)
# One anywhere in a logical line (a hard-wrapped dump may join several lines of them): a line that
# holds nothing else is markup alone. (Taken out by a sub and the rest looked at: a pattern for "one
# or more of them" backtracks exponentially on a long line of near misses.)
MD_DEFINITION_IN_LINE = re.compile(_DEFINITION, re.I)
LYNX_REF = re.compile(r"\[(\d{1,5})\]")
# Where a lynx link's anchor ends: at punctuation or a gap of white space.
_ANCHOR_END = re.compile(r"[,.;:!?()]|\s{2,}")
LYNX_IMG = re.compile(r"\[(?:IMG|INLINE|LINK)\]")
# What lynx shows of an image with alt text: the text in brackets (a bracketed number is a link).
# Dropped like the "[IMG]" placeholders: no other style shows it, and it is no text of the page.
LYNX_ALT = re.compile(r"\[(?!\d{1,5}\])[^\[\]\n]+\]")
# Emphasis: "**x**", "*x*", "_x_" or "__x__" not inside a word. Each pattern starts with its marker and
# looks behind it for the character before ("(?<![\w*])\*\*" written "\*\*(?<![\w*]\*\*)", the same
# matches): re then jumps from marker to marker instead of trying every place of a line.
STRONG = re.compile(r"\*\*(?<![\w*]\*\*)(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")
EMPH_STAR = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
EMPH_UNDER = re.compile(r"_(?<![\w_]_)_?(?=[^\s_])(.+?)(?<=[^\s_])__?(?![\w_])")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_MARKER = re.compile(r"^\s*(?:[*+•·‣◦-]|\d{1,3}[.)])\s+(?=\S)")
QUOTE_MARKER = re.compile(r"^(?:\s*>)+\s?")
RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
REFERENCES = re.compile(r"\n[ \t]*References[ \t]*\n(?:[ \t]*\n)*((?:[ \t]*\d+\.[ \t]+\S+[ \t]*(?:\n|\Z))+)\s*\Z")
# An item of the list REFERENCES found (each of its lines one): "^\s*(\d+)\.\s+(\S+)" (re.M) finds the
# same, but its "^" is tried at every place of the list; this starts at a digit, and a line's URL
# holds no white space for a number inside it to match.
REF_ITEM = re.compile(r"(\d+)\.[ \t]+(\S+)")
# The line REFERENCES' list starts under, looked for from the end (see split_references).
_REFERENCES_LINE = re.compile(r"[ \t]*References[ \t]*\n")
SENTENCE_END = ".!?:"
# How far back from a link target to look for the word glued to the anchor's start.
GLUE_LOOKBACK = 12
# Small words a capitalised anchor ("Association of Directors of ...") may contain.
# A line this short before its link target is taken whole as the anchor ("Read more").
SHORT_ANCHOR_WORDS = 3
_JOINERS = frozenset("of the and for in on at to de la le der die des du von y".split())
_MARKUP_CHARS = "<[*_\\#>"  # what any markup of the dumps holds


@dataclass(slots=True)
class Cleaned:
    text: str
    links: list[Link]
    anchor_chars: int
    heading: bool
    list_item: bool


def split_references(text: str) -> tuple[str, dict[int, str]]:
    """Remove a lynx-style trailing References list; return the text and number -> URL.

    Only the last line reading "References" can start the list (one before it would have that line
    inside its list, which holds numbered items to the end), so it alone is tried, not every line
    (REFERENCES.search's answer, sooner)."""
    at = text.rfind("References")
    while at >= 0:
        start = text.rfind("\n", 0, at)
        if start >= 0 and _REFERENCES_LINE.match(text, start + 1):
            break  # the last line of "References" alone
        at = text.rfind("References", 0, at)
    m = REFERENCES.match(text, start) if at >= 0 else None
    if not m:
        return text, {}
    refs = {int(n): url for n, url in REF_ITEM.findall(m.group(1))}
    return text[: m.start()] + "\n", refs


def _capitalised_run(words: list[str]) -> int:
    """Index where a trailing run of capitalised words (with joiners inside) starts."""
    start = len(words)
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if i != len(words) - 1 and w[-1:] in ",;" + SENTENCE_END:
            break
        core = w.strip("\"'“”‘’(")
        if core[:1].isupper():
            start = i
        elif core.lower() not in _JOINERS:
            break
    return start


def _anchor_before(prefix: str, lang: str, split_glue: bool) -> tuple[str, str]:
    """(text before the link with any glue repaired, anchor text) for an ``anchor <url>`` link."""
    words = prefix.split(" ")
    if not prefix.strip():
        return prefix, ""
    if split_glue:
        lo = max(0, len(words) - GLUE_LOOKBACK)
        for i in range(len(words) - 1, lo - 1, -1):
            w = words[i]
            if i < len(words) - 1 and w[-1:] in SENTENCE_END:
                break
            parts = split_glued(w, lang) if w else None
            if parts:
                left, right = parts
                anchor = " ".join([right] + words[i + 1:])
                return " ".join(words[:i] + [left, right] + words[i + 1:]), anchor.strip()
    if len(words) <= SHORT_ANCHOR_WORDS:
        return prefix, prefix.strip()  # a short line before a link is the anchor itself
    start = _capitalised_run(words)
    if start == len(words):
        start = len(words) - 1
    return prefix, " ".join(words[start:]).strip()


def _angle_links(text: str, lang: str, split_glue: bool, links: list[Link]) -> tuple[str, int]:
    # the pattern's split: [text before, target, text before, target, ..., rest], no match objects
    pieces = ANGLE_LINK.split(text)
    out: list[str] = []
    anchor_chars = 0
    for k in range(1, len(pieces), 2):
        fixed, anchor = _anchor_before(pieces[k - 1].rstrip(" \t"), lang, split_glue)  # (spaces before "<" go)
        out.append(fixed)
        links.append(Link(anchor, pieces[k]))
        anchor_chars += len(anchor)
        if pieces[k + 1][:1].isalnum():
            out.append(" ")
    out.append(pieces[-1])
    return "".join(out), anchor_chars


def _md_links(text: str, links: list[Link], defs: dict[str, str] | None = None) -> tuple[str, int]:
    """Markdown links and images in order of appearance; an image inside a link keeps both (the
    link first). With ``defs`` (a page's reference definitions, ``md_definitions``), reference links
    too; one whose id the page does not define is left as it is. Built from the matches, not by a
    sub with a Python callback (a third sooner)."""
    chars = 0
    out: list[str] = []
    pos = search_from = 0
    pattern = MD_ANY_OR_REF if defs else MD_ANY
    while (m := pattern.search(text, search_from)) is not None:
        start = m.start()
        if m.group(1) is not None:
            inner, url = m.group(1, 2)
        else:  # a reference link
            inner, label = m.group(3, 4)
            url = defs.get(_reference_key(label or inner))  # type: ignore[union-attr]
            if url is None:  # no such reference: its brackets are text, and a link may start inside
                search_from = start + 1
                continue
        out.append(text[pos:start])
        pos = search_from = m.end()
        if text[start] == "!":
            links.append(Link(inner.strip(), url))
            continue
        at = len(links)
        links.append(None)  # type: ignore[arg-type]  # (its place, before the links inside its anchor)
        if "](" in inner or defs and "][" in inner:
            inner, inside = _md_links(inner, links, defs)
            chars += inside
        anchor = inner.strip()
        links[at] = Link(anchor, url)
        chars += len(anchor)
        out.append(anchor)
    if not out:
        return text, 0
    out.append(text[pos:])
    return "".join(out), chars


def md_definitions(text: str) -> dict[str, str]:
    """A dump's markdown reference definitions: id (as ``_reference_key`` reads it) -> URL, the
    first of an id's definitions counting (as CommonMark reads them)."""
    if "]" not in text or "]:" not in text:  # (the one character looked for first: a memchr)
        return {}
    defs: dict[str, str] = {}
    for label, url in MD_DEFINITION.findall(text):
        defs.setdefault(_reference_key(label), url)
    return defs


def _reference_key(label: str) -> str:
    """A reference's id as CommonMark matches it: case and runs of white space do not count."""
    return " ".join(label.split()).casefold()


def _lynx_links(text: str, refs: dict[int, str], links: list[Link]) -> tuple[str, int]:
    chars = 0
    pieces = LYNX_REF.split(text)
    out = [pieces[0]]
    for num, after in zip(pieces[1::2], pieces[2::2]):
        url = refs.get(int(num))
        if url is None:
            out.append(f"[{num}]{after}")
            continue
        anchor = _ANCHOR_END.split(after.strip(), maxsplit=1)[0]
        anchor = " ".join(anchor.split()[:8])
        links.append(Link(anchor, url))
        chars += len(anchor)
        out.append(after)
    return "".join(out), chars


def without_markup(text: str) -> str | None:
    """``text`` with its white space collapsed when it holds no markup at all (most lines of
    most dumps: one test and one split), else None."""
    for c in _MARKUP_CHARS:  # (a substring test each: several times faster than a set's isdisjoint)
        if c in text:
            return None
    if LIST_MARKER.match(text):
        return None
    return " ".join(text.split())  # what re.sub(r"\s+", " ", text).strip() gives


def clean_line(text: str, *, refs: dict[int, str] | None = None, lang: str = "en",
               split_glue: bool = True, markdown: bool = False, md_refs: dict[str, str] | None = None) -> Cleaned:
    """Strip markup from one logical line; ``markdown`` enables emphasis and escape handling.
    ``refs``: a lynx dump's References (number -> URL); ``md_refs``: a markdown dump's reference
    definitions (``md_definitions``), whose own lines are markup alone."""
    links: list[Link] = []
    heading = list_item = False
    chars = 0
    plain = without_markup(text)
    if plain is not None:
        return Cleaned(plain, links, 0, False, False)
    if not text.lstrip()[:1].isalpha():  # (a rule, heading, quote or list marker starts with no letter)
        if RULE.match(text):
            return Cleaned("", links, 0, False, False)
        m = MD_HEADING.match(text) if "#" in text[:4] else None  # (its "#" comes after at most three spaces)
        if m:
            text, heading = m.group(2), True
        m = QUOTE_MARKER.match(text)  # (anchored at the start: a sub would try every place)
        if m:
            text = text[m.end():]
        m = LIST_MARKER.match(text)
        if m:
            text, list_item = text[m.end():], True
    if "<" in text:
        text, n = _angle_links(text, lang, split_glue, links)
        chars += n
    if md_refs and "]:" in text and not MD_DEFINITION_IN_LINE.sub("", text).strip():
        return Cleaned("", links, 0, False, False)
    if "](" in text or md_refs and "][" in text:
        text, n = _md_links(text, links, md_refs)
        chars += n
    if refs and "[" in text:
        text, n = _lynx_links(text, refs, links)
        chars += n
    if "[" in text:
        text = LYNX_IMG.sub("", text)
        if refs:
            text = LYNX_ALT.sub("", text)
    if markdown:
        if "*" in text:
            text = EMPH_STAR.sub(r"\1", STRONG.sub(r"\1", text))
        if "_" in text:
            text = EMPH_UNDER.sub(r"\1", text)
        if "\\" in text:
            text = MD_ESCAPE.sub(r"\1", text)
    return Cleaned(" ".join(text.split()), links, chars, heading, list_item)
