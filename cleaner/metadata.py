"""Metadata from a dump's lines: headline, byline, date, site name, section, standfirst.

Works on the decoded line sequence: the header (lines before the first body line) holds the
headline, section labels, breadcrumbs and bylines; chrome anywhere may name the site ("From X")
or the author ("Popular articles by X").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, count
from operator import not_

from . import native
from .features import is_prose, word_count
from .types import LINE_SLOTS, Line, Link, Metadata, texts_of
from .urls import hostname

# A headline has at least this many and at most this many words.
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 2, 30
# Body lines this close to the start may still be a byline or dateline printed under the headline.
BYLINE_REACH = 3
# The head's headline is looked for up to this many lines past the first body line.
KNOWN_TITLE_REACH = 5
# A section label or breadcrumb sits at most this many lines above the headline.
SECTION_REACH = 3
# "From <site>" is taken from the last lines even when the classifier kept it as body.
SITE_FOOTER_LINES = 3
BYLINE = re.compile(r"^(?:by|written by|posted by|von|par|por)\s+(?P<name>[^|•·,;\d]+?)\s*(?:[|•·,;]|\d|$)", re.I)
AUTHOR_CHROME = re.compile(r"^(?i:popular|more|latest|other|recent)\s+(?i:articles|stories|posts|news)\s+(?i:by|from)\s+"
                           r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*$")
SITE_FROM = re.compile(r"^(?i:from|©|copyright)\s+(?:\d{4}\s+)?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})\s*\.?$")
# The first two letters, lower-cased, of the words a match of SITE_FROM or AUTHOR_CHROME starts with
# ("©" aside): no character but a letter's other case folds onto them, so a line starting otherwise
# is not tried; its first character alone, in either case, is looked at first.
SITE_OR_AUTHOR_STARTS = frozenset(("fr", "co", "po", "mo", "la", "ot", "re"))
SITE_OR_AUTHOR_FIRST = frozenset({"©", *(c for s in SITE_OR_AUTHOR_STARTS for c in (s[0], s[0].upper()))})
_SITE_OR_AUTHOR_FIRST_CHARS = "".join(sorted(SITE_OR_AUTHOR_FIRST))  # (as the compiled site_lines reads them)
_SITE_OR_AUTHOR_STARTS_SORTED = tuple(sorted(SITE_OR_AUTHOR_STARTS))
BREADCRUMB = re.compile(r"^(?:home|start|accueil|inicio|startseite)\b(?:\s*[>»›/|]\s*|\s+)(?P<rest>.+)$", re.I)
CRUMB_SPLIT = re.compile(r"\s*[>»›/|]\s*")
MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
DATE_DMY_NAME = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+((?:19|20)\d{2})\b", re.I)
DATE_MDY_NAME = re.compile(r"\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b", re.I)
DATE_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b")
# A headline may end in ! or ? but not like a sentence or a clause.
NOT_HEADLINE_END = (".", ";", ":", ",", "...", "…", ">")


@dataclass
class Roles:
    """Roles the metadata gave lines: index -> "title", "metadata" or "chrome" (above the headline)."""

    by_index: dict[int, str] = field(default_factory=dict)




def headline_like(text: str) -> bool:
    n = word_count(text)
    if not TITLE_MIN_WORDS <= n <= TITLE_MAX_WORDS or text.endswith(NOT_HEADLINE_END):
        return False
    return not (text.isupper() or BYLINE.match(text) or parse_date(text) or BREADCRUMB.match(text))


def parse_date(text: str) -> str | None:
    """ISO 8601 date of the first date printed in ``text``, or None."""
    if "19" not in text and "20" not in text:  # (every pattern's year starts so: no search without one)
        return None
    for rx, order in ((DATE_ISO, "ymd"), (DATE_DMY_NAME, "dmy"), (DATE_MDY_NAME, "mdy"), (DATE_NUM, "dmy")):
        m = rx.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = parts["m"]
        month_no = MONTHS.get(month[:3].lower()) if not month.isdigit() else int(month)
        day, year = int(parts["d"]), int(parts["y"])
        if rx is DATE_NUM and month_no and month_no > 12 and day <= 12:
            day, month_no = month_no, day  # month/day/year
        if month_no and 1 <= month_no <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month_no:02d}-{day:02d}"
    return None


_SECOND_LEVEL = frozenset("co com org net ac gov edu gob or ne go".split())
# Host labels longer than this (or with digits) are not cut into words: site names are short, and
# the segmentation's cost grows with the length.
MAX_SEGMENTED_CHARS = 24


@lru_cache(maxsize=4096)  # a crawl meets the same hosts again and again
def site_from_host(host: str) -> str | None:
    """A readable site name from a host name: ``www.theguardian.com`` -> ``The Guardian``."""
    from .lines.glue import segment

    labels = [p for p in host.lower().split(".") if p and p not in {"www", "m", "amp", "news"}]
    if len(labels) < 2:
        return None
    # the registrable label: before the public suffix, which may be two labels (co.uk, com.au)
    two_part_suffix = len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL
    name = labels[-3] if two_part_suffix else labels[-2]
    if "-" in name:
        words = name.split("-")
    else:
        words = segment(name) if name.isalpha() and len(name) <= MAX_SEGMENTED_CHARS else [name]
    if len(words) == 1 and len(name) <= 4:
        return name.upper()  # bbc, cnn, npr: initialisms
    return " ".join(w.capitalize() for w in words)


# An acronym: a whole word of two to five ASCII capitals, \b[A-Z]{2,5}\b written to start with a
# capital (re scans quickly for a pattern that starts with a class, and tries one that starts with
# \b at every position): a capital not after a word character, one to four more, no word character.
_ACRONYM = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{1,4}(?!\w)")


def _site_from_acronym(lines: Sequence[Line], body: Sequence[bool]) -> str | None:
    """A site naming itself by an acronym ("a PSE columnist") spelled out in its chrome
    ("public sector executive tv"): the spelled-out words, capitalised."""
    texts = texts_of(lines)
    if native.AVAILABLE:  # (the same in C: recurring_acronyms, spelled_acronym)
        acronyms = native.compiled.recurring_acronyms(texts)
    else:
        acronyms = [a for a, c in Counter(_ACRONYM.findall("\n".join(texts))).most_common() if c >= 2]
    if not acronyms:
        return None
    longest = max(map(len, acronyms)) + 2
    shortest = min(map(len, acronyms))  # the initials of fewer words cannot hold an acronym
    spelled = (native.compiled.spelled_acronym if native.AVAILABLE else _spelled_acronym)(
        texts, list(body), acronyms, shortest, longest)
    if spelled is None:
        return None
    i, k, size = spelled
    return " ".join(w.capitalize() for w in texts[i].split(None, longest)[k:k + size])


def _spelled_acronym(texts: list[str], body: list[bool], acronyms: list[str], shortest: int,
                     longest: int) -> tuple[int, int, int] | None:
    """(line, word, size): the first line outside the body whose words spell one of ``acronyms``
    (in their order), from its ``word``-th word on."""
    for i, text in enumerate(texts):
        if body[i]:
            continue
        words = text.split(None, longest)  # (a line of more words is split no further than shows it)
        n = len(words)
        if not shortest <= n <= longest:
            continue
        initials = "".join([w[0] for w in words if w[:1].isalpha()]).upper()  # (upper() maps each character alone)
        if len(initials) != n:  # a word that does not start with a letter
            continue
        for a in acronyms:  # (spelled out by all the line's words but at most two)
            k = initials.find(a) if n - 2 <= len(a) else -1
            if k >= 0:
                return i, k, len(a)
    return None


def _site_from_links(links: Sequence[Link]) -> str | None:
    hosts = Counter(hostname(l.url) for l in links if l.url.startswith("http"))
    hosts.pop(None, None)
    if not hosts:
        return None
    host, count = hosts.most_common(1)[0]
    return site_from_host(host) if count >= 2 else None


def _title_index(lines: Sequence[Line], first_body: int, body: Sequence[bool]) -> int | None:
    """The headline: the nearest headline-like line above the first body prose.

    It may sit in the header or have been taken for an in-article heading by the classifier.
    """
    first_prose = next((i for i in range(first_body, len(lines)) if body[i] and is_prose(lines[i].text)),
                       len(lines))
    above = texts_of(lines[:first_prose])  # (counted only for the few lines that would be the headline)
    for i in range(first_prose - 1, -1, -1):
        text = lines[i].text
        if headline_like(text) and not lines[i].links and above.count(text) == 1:
            return i
        if word_count(text) > TITLE_MAX_WORDS:
            break
    return None


def _section(text: str) -> str | None:
    """The section named by a breadcrumb ("Home > News > UK") or an upper-case label."""
    crumb = BREADCRUMB.match(text)
    if crumb:
        parts = [p for p in CRUMB_SPLIT.split(crumb.group("rest")) if p.strip()]
        if not parts:
            return None
        return parts[-1].split()[-1] if len(parts) == 1 else parts[-1]
    if text.isupper() and word_count(text) <= 6:
        return text
    return None


def merge_metadata(primary: Metadata, fallback: Metadata) -> Metadata:
    """Each field from ``primary`` where it has one, else from ``fallback``."""
    return Metadata(**{f: getattr(primary, f) or getattr(fallback, f) for f in Metadata.__slots__})


def _known_title_index(lines: Sequence[Line], title: str, first_body: int) -> int | None:
    """The line printing the headline already known from the page's head, near the body start."""
    want = " ".join(title.split()).casefold()
    for i in range(0, min(len(lines), first_body + KNOWN_TITLE_REACH)):
        if " ".join(lines[i].text.split()).casefold() == want:
            return i
    return None


def _site_lines(lines: Sequence[Line], body: Sequence[bool]) -> list[int]:
    """The chrome lines and the last SITE_FOOTER_LINES whose start SITE_FROM or AUTHOR_CHROME may match
    (in C where the compiled helper is built: the same lines, without a Python step a line)."""
    footer = max(0, len(lines) - SITE_FOOTER_LINES)
    if native.AVAILABLE:
        return native.compiled.site_lines(list(lines), list(body), footer, _SITE_OR_AUTHOR_FIRST_CHARS,
                                          _SITE_OR_AUTHOR_STARTS_SORTED, Line, LINE_SLOTS)
    return [i for i in chain(compress(range(footer), map(not_, body)), range(footer, len(lines)))
            if lines[i].text[:1] in SITE_OR_AUTHOR_FIRST and (lines[i].text[:2].lower() in SITE_OR_AUTHOR_STARTS
                                                               or lines[i].text[0] == "©")]


def extract_metadata(lines: Sequence[Line], body: Sequence[bool], *, url: str | None = None,
                     language: str | None = None, known_title: str | None = None,
                     known_site: str | None = None) -> tuple[Metadata, Roles]:
    """Metadata of the document and the roles of the lines it came from. ``known_title`` and
    ``known_site`` come from the page's head, when it has them (the guesses from the host name and
    acronyms, which take a word segmentation, are then not needed).

    Roles: "title"; "metadata" (byline, date, section, site name); "chrome" for body-like lines
    above the headline, which belong to the page, not the article.
    """
    meta = Metadata(language=language)
    roles = Roles()
    first_body = next(compress(count(), body), len(lines))
    t = _known_title_index(lines, known_title, first_body) if known_title else None
    if t is None:
        t = _title_index(lines, first_body, body)
    if t is not None:
        meta.title = lines[t].text
        roles.by_index[t] = "title"
        for i in range(t - 1, max(-1, t - 1 - SECTION_REACH), -1):
            section = _section(lines[i].text)
            if section:
                meta.section = section
                roles.by_index[i] = "metadata"
                break
        for i in range(t):
            if body[i] and i not in roles.by_index and not is_prose(lines[i].text):
                roles.by_index[i] = "chrome"  # labels and teasers above the headline
    start = (t + 1) if t is not None else 0
    for i in range(start, min(len(lines), max(first_body, start) + BYLINE_REACH)):
        text = lines[i].text
        m = BYLINE.match(text)
        if m and word_count(text) <= 12:
            meta.author = meta.author or m.group("name").strip()
            meta.date = meta.date or parse_date(text)
            roles.by_index[i] = "metadata"
        elif word_count(text) <= 8 and parse_date(text) and not body[i]:
            meta.date = meta.date or parse_date(text)
            roles.by_index[i] = "metadata"
    for i in _site_lines(lines, body):
        ln = lines[i]
        m = SITE_FROM.match(ln.text)
        if m and meta.site_name is None:
            meta.site_name = m.group("name")
            roles.by_index.setdefault(i, "metadata")
        m = AUTHOR_CHROME.match(ln.text)
        if m and meta.author is None and not body[i]:
            meta.author = m.group("name")
    if meta.site_name is None and known_site:
        meta.site_name = known_site
    if meta.site_name is None:
        meta.site_name = _site_from_acronym(lines, body)
    if meta.site_name is None:
        host = hostname(url) if url else None
        meta.site_name = site_from_host(host) if host else _site_from_links(
            [l for ln in lines for l in ln.links])
    return meta, roles
