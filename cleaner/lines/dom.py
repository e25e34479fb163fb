"""What an HTML page's tree says about its block elements: the facts the HTML model's DOM features
(``features.dom_features``) are made of.

One pass over the tree up (text and anchor-text characters) and one down (each element inherits,
from its nearest ancestors, how far away the nearest one of each class-name group lies), then
readability's scoring of the paragraphs for its top candidate: a page costs time linear in its
elements (plus a walk up from each block element to the candidate).
"""
from __future__ import annotations

import re
from array import array
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from . import tree

# Groups of class/id words, as the best extractors read them (readability's "unlikely candidates",
# trafilatura's and jusText's boilerplate classes). Words of four letters or more match inside a
# token ("relatedPosts", "sidebar-widget"); shorter ones only as a whole token ("ad", "nav").
CLASS_GROUPS: dict[str, tuple[str, ...]] = {
    "content": ("article", "content", "post", "entry", "story", "body", "text", "main", "prose", "blog"),
    "chrome": ("nav", "menu", "footer", "header", "masthead", "sidebar", "widget", "breadcrumb", "banner",
               "cookie", "popup", "modal", "toolbar", "skip", "login", "search", "pagination", "pager"),
    "related": ("related", "recommend", "promo", "teaser", "trending", "popular", "more", "newsletter",
                "subscribe", "signup", "ad", "ads", "advert", "sponsor", "share", "social", "outbrain",
                "taboola", "card", "slider", "carousel", "ticker", "marquee", "swiper", "slick"),
    "comment": ("comment", "reply", "respond", "disqus", "discussion", "forum"),
    "meta": ("byline", "author", "date", "time", "meta", "caption", "credit", "tag", "tags", "category",
             "label", "kicker", "dateline"),
}
# Groups an element belongs to by its tag or attributes rather than its class names.
# ("link": an anchor, so its descendants are link text, such as a teaser card wrapped in one;
# "best": readability's top candidate; "kept": it and the siblings readability keeps with it)
DOM_GROUPS = ("article", *CLASS_GROUPS, "hidden", "link", "best", "kept")
# Readability's scoring (readability-lxml, after Arc90's): each paragraph of at least 25 characters
# scores 1 + its commas + a point per 100 characters (at most 3), credited to its parent and half
# to its grandparent; a candidate starts from its tag's and class names' weights and ends scaled by
# its share of text outside links. Siblings of the top candidate join it when they score at least
# a fifth of it, or are paragraphs that read as text.
PARAGRAPH_MIN_CHARS = 25
PARAGRAPH_TAGS = frozenset({"p", "pre", "td"})
# A div holding none of these is scored as a paragraph (readability's "misused divs": old pages
# put their text straight into divs); in a div holding some, each run of text straight inside it is.
_DIV_BLOCKS = ("a", "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul")
# Paragraphs inside elements whose class or id reads like this, and not like _MAYBE, are not
# scored (readability's "unlikely candidates").
_UNLIKELY = re.compile(r"combx|comment|community|disqus|extra|foot|header|menu|remark|rss|shoutbox|sidebar|"
                       r"sponsor|ad-break|agegate|pagination|pager|popup|tweet|twitter", re.I)
_MAYBE = re.compile(r"and|article|body|column|main|shadow", re.I)
_POSITIVE = re.compile(r"article|body|content|entry|hentry|main|page|pagination|post|text|blog|story", re.I)
_NEGATIVE = re.compile(r"combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|"
                       r"related|scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget", re.I)
# each of the four, as a table for the compiled word scan (as _class_bits uses it) of a name case-folded
# as re.IGNORECASE folds it to ASCII (_ascii_fold)
_READABILITY = (_UNLIKELY, _MAYBE, _POSITIVE, _NEGATIVE)
_UNLIKELY_BIT, _MAYBE_BIT, _POSITIVE_BIT, _NEGATIVE_BIT = 1, 2, 4, 8
_READABILITY_TABLES = tuple(b"".join(bytes([len(w), 0, 0]) + w.encode() for w in p.pattern.split("|"))
                            for p in _READABILITY)
_TAG_WEIGHTS = {"div": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3,
                "dd": -3, "dt": -3, "li": -3, "form": -3, "th": -5, **{f"h{k}": -5 for k in range(1, 7)}}
# Elements whose text html_text does not print.
SILENT_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def _group_pattern(group: str, words: tuple[str, ...]) -> str:
    long = [w for w in words if len(w) >= 4]
    short = [rf"(?<![a-z0-9]){w}(?![a-z0-9])" for w in words if len(w) < 4]
    return f"(?P<{group}>{'|'.join(long + short)})"


# one scan for every group: a group is present when one of its words matched
_GROUP_WORDS = re.compile("|".join(_group_pattern(g, words) for g, words in CLASS_GROUPS.items()))


def _class_groups(names: str) -> tuple[str, ...]:
    """The groups whose words the lower-cased class and id ``names`` hold."""
    found = {m.lastgroup for m in _GROUP_WORDS.finditer(names)}
    return tuple(g for g in CLASS_GROUPS if g in found)


# the same alternation for the compiled scan (_class_bits): length, whole-token flag,
# bit of the group (in DOM_GROUPS), word; in the regex's order
_WORD_TABLE = b"".join(bytes([len(w), len(w) < 4, DOM_GROUPS.index(g)]) + w.encode()
                       for g, words in CLASS_GROUPS.items()
                       for w in [w for w in words if len(w) >= 4] + [w for w in words if len(w) < 4])


# Tags that say what an element holds whatever its class: a figure's text is its caption and credit,
# an address its author's contact; a header holds the site's masthead or an article's title and
# byline, a form a search box, a sign-up or a comment box.
_TAG_GROUPS = {"article": ("article",), "main": ("article",), "a": ("link",), "figure": ("meta",),
               "figcaption": ("meta",), "address": ("meta",), "header": ("chrome",), "form": ("chrome",)}
_BIT = {g: 1 << k for k, g in enumerate(DOM_GROUPS)}
_TAG_BITS = {tag: sum(_BIT[g] for g in groups) for tag, groups in _TAG_GROUPS.items()}
# what the walk in lines.tree needs to know of a tag
_TAG_FLAGS: dict[str, int] = {}
for _tags, _flag in ((SILENT_TAGS, tree.SILENT), (_DIV_BLOCKS, tree.DIV_BLOCK), (("div",), tree.DIV), (("a",), tree.ANCHOR)):
    for _tag in _tags:
        _TAG_FLAGS[_tag] = _TAG_FLAGS.get(_tag, 0) | _flag


def _names(attrs: tuple | None) -> str:
    """An element's class and id (from its Tree.attrs), one string (" " when it has neither)."""
    return f"{attrs[0] or ''} {attrs[1] or ''}" if attrs else " "


def _attribute_bits(attrs: tuple) -> int:
    """The groups an element with Tree.attrs ``attrs`` belongs to by its attributes, as bits (its
    tag may add more: _TAG_BITS)."""
    _, _, role, itemprop, hidden, aria_hidden, style = attrs
    names = _names(attrs).lower()
    bits = _class_bits(names) if len(names) > 1 else 0
    if role == "main" or itemprop == "articleBody":
        bits |= _BIT["article"]
    if hidden or aria_hidden == "true" or style and _HIDDEN_STYLE.search(style):
        bits |= _BIT["hidden"]
    return bits


def _class_bits(names: str) -> int:
    """The groups whose words the lower-cased class and id ``names`` hold, as bits: the compiled
    scan of _WORD_TABLE, else its twin, the regex."""
    walk = tree.compiled()
    if walk is not None:
        return walk.word_bits(names, _WORD_TABLE)
    bits = 0
    for g in _class_groups(names):
        bits |= _BIT[g]
    return bits


def _ascii_fold(name: str) -> str:
    """``name`` lower-cased so that it holds an ASCII letter where re.IGNORECASE would match one:
    str.lower() but for the dotted capital I (one "i", not "i" and a combining dot) and the dotless
    i and the long s, which re.IGNORECASE also matches as "i" and "s"."""
    if name.isascii():
        return name.lower()
    return name.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


@lru_cache(maxsize=4096)
def _readability_bits(name: str) -> int:
    """Which of readability's four patterns (_READABILITY) ``name`` holds, as bits."""
    walk = tree.compiled()
    bits = 0
    if walk is not None:
        folded = _ascii_fold(name)
        for k, table in enumerate(_READABILITY_TABLES):
            bits |= (walk.word_bits(folded, table) > 0) << k
    else:
        for k, pattern in enumerate(_READABILITY):
            bits |= (pattern.search(name) is not None) << k
    return bits


class DomFacts:
    """DomInfo of the elements under ``body`` (inclusive), by their index in document order
    (``lines.tree.Tree``)."""

    def __init__(self, body, flatten=tree.flatten):
        self.body = body
        self.tree = t = flatten(body, _TAG_FLAGS, PARAGRAPH_MIN_CHARS)
        own = array("i", [_TAG_BITS.get(tag, 0) for tag in t.tags])
        by_attrs = {attrs: _attribute_bits(attrs) for attrs in set(t.attrs.values())}  # (pages repeat a few)
        for i, attrs in t.attrs.items():
            own[i] |= by_attrs[attrs]
        self.near = tree.near(t, own, len(DOM_GROUPS))
        self.page = max(t.chars[0], 1)  # (element 0 is body)
        self._seen_unlikely: dict[int, bool] = {}
        self._best()
        # which side of the top candidate an element lies on in document order: the masthead and
        # headline come before the article, related stories and comments after it
        self.best_span = None if self.best is None else (self.best, t.end[self.best])

    def release(self) -> None:
        """Keep only what ``columns`` reads once the page's lines are rendered: the lines' DomInfo
        views keep these facts alive (until an Article's decisions are read), and must not keep the
        page's tree nor what only the readability pass read (the parents stay: the rule that keeps
        an article to one element, ``rules.drop_outside_main``, walks up from its lines)."""
        self.body = None
        self.tree = self.tree._replace(nodes=None, commas=None, bits=None, runs={}, attrs={})
        self._seen_unlikely = {}

    def element(self, i: int):
        """The lxml element of index ``i`` (for tests and debugging: a walk from body)."""
        from itertools import islice

        from lxml.etree import Element

        return next(islice(self.body.iter(Element), i, None))

    def _readability(self, i: int) -> float:
        weight = float(_TAG_WEIGHTS.get(self.tree.tags[i], 0))
        for name in self.tree.attrs.get(i, (None, None))[:2]:
            if name:
                bits = _readability_bits(name)
                weight += 25 * (bool(bits & _POSITIVE_BIT) - bool(bits & _NEGATIVE_BIT))
        return weight

    def _unlikely(self, i: int) -> bool:
        """Whether element ``i`` or an ancestor is an unlikely candidate (remembered per element:
        the paragraphs of a page share their ancestors)."""
        seen, tags, parent, attrs = self._seen_unlikely, self.tree.tags, self.tree.parent, self.tree.attrs
        path, up, found = [], i, False
        while up >= 0 and tags[up] not in ("body", "html"):
            if up in seen:
                found = seen[up]
                break
            path.append(up)
            names = _names(attrs.get(up))
            if len(names) > 1 and _readability_bits(names) & (_UNLIKELY_BIT | _MAYBE_BIT) == _UNLIKELY_BIT:
                found = True
                break
            up = parent[up]
        for node in path:
            seen[node] = found
        return found

    def _best(self) -> None:
        """Readability's top candidate and the siblings it keeps with it (``self.best``, ``self.kept``:
        indexes)."""
        t = self.tree
        scores: dict[int, float] = {}

        def credit(parent: int, commas: int, n: int) -> None:
            score = 1 + commas + min(n // 100, 3)
            for node, share in ((parent, 1.0), (t.parent[parent] if parent >= 0 else -1, 0.5)):
                if node >= 0:
                    if node not in scores:
                        scores[node] = self._readability(node)
                    scores[node] += score * share

        for i, (tag, n) in enumerate(zip(t.tags, t.chars)):
            if n < PARAGRAPH_MIN_CHARS:
                continue
            if tag in PARAGRAPH_TAGS or tag == "div" and not t.bits[i] & tree.HAS_DIV_BLOCK:
                if not self._unlikely(i):
                    credit(t.parent[i], t.commas[i], n)
            elif tag == "div" and i in t.runs and not self._unlikely(i):
                # a div with blocks in it: each run of text straight inside it is a paragraph
                for length, commas in t.runs[i]:
                    credit(i, commas, length)
        for node in scores:
            scores[node] *= 1 - t.links[node] / max(t.chars[node], 1)
        self.best = max(scores, key=scores.__getitem__) if scores else None
        self.kept = set()
        if self.best is None:
            return
        self.kept.add(self.best)
        parent = t.parent[self.best]
        threshold = max(10.0, scores[self.best] * 0.2)
        sibling = parent + 1 if parent >= 0 else len(t.tags)
        while parent >= 0 and sibling <= t.end[parent]:  # the children of parent
            n, share = t.chars[sibling], t.links[sibling] / max(t.chars[sibling], 1)
            if sibling != self.best and (scores.get(sibling, 0.0) >= threshold or t.tags[sibling] == "p" and (
                    n > 80 and share < 0.25 or 0 < n <= 80 and share == 0 and t.bits[sibling] & tree.PERIOD)):
                self.kept.add(sibling)
            sibling = t.end[sibling] + 1

    def columns(self, index) -> DomColumns:
        """The facts of the elements ``index`` (a sequence of element indexes), an array each: what
        ``features.dom_features`` computes a page's DOM features from, all lines at once."""
        t, groups = self.tree, len(DOM_GROUPS)
        index = np.asarray(index, dtype=np.int64)
        depth = np.frombuffer(t.depth, dtype=np.int32)[index].astype(np.int64)
        # levels up to the nearest element of each group (self.near holds its depth, -1 for none) ...
        nearest = np.frombuffer(self.near, dtype=np.int32).reshape(-1, groups)[index]
        near = np.where(nearest >= 0, depth[:, None] - nearest, -1)
        # ... and, for the last two, to the top candidate and to the kept element an element is in
        # (the candidate itself inside it; the kept elements are siblings, so at most one holds it)
        near[:, -2:] = -1
        for kept in self.kept:
            inside = (index >= kept) & (index <= t.end[kept])
            levels = depth[inside] - t.depth[kept]
            near[inside, -1] = levels
            if kept == self.best:
                near[inside, -2] = levels
        side = np.zeros(index.size, dtype=np.int64)
        if self.best_span is not None:
            side[index < self.best_span[0]] = -1
            side[index > self.best_span[1]] = 1
        return DomColumns([t.tags[i] for i in index.tolist()], depth, np.frombuffer(t.chars, dtype=np.int32)[index],
                          np.frombuffer(t.links, dtype=np.int32)[index], self.page, near, side)


class DomColumns(NamedTuple):
    """DomFacts.columns: per element asked for, as the fields of ``types.DomInfo`` say."""

    tags: list[str]
    depth: np.ndarray
    chars: np.ndarray
    link_chars: np.ndarray
    page_chars: int
    near: np.ndarray    # elements x DOM_GROUPS
    side: np.ndarray
