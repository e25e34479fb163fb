"""What an HTML page's tree says about its block elements: the facts the HTML model's DOM features
(``features.dom_features``) are made of.

One pass over the tree up (text and anchor-text characters) and one down (each element inherits,
from its nearest ancestors, how far away the nearest one of each class-name group lies), then
readability's scoring of the paragraphs for its top candidate: a page costs time linear in its
elements (plus a walk up from each block element to the candidate).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..types import DomInfo

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


@lru_cache(maxsize=4096)
def _class_groups(names: str) -> tuple[str, ...]:
    """The groups whose words the lower-cased class and id ``names`` hold (a page repeats a few
    class names many times: cached)."""
    found = {m.lastgroup for m in _GROUP_WORDS.finditer(names)}
    return tuple(g for g in CLASS_GROUPS if g in found)


_HAS_ATTRIBUTES = "descendant-or-self::*[@class or @id or @role or @itemprop or @hidden or @aria-hidden or @style]"
# Tags that say what an element holds whatever its class: a figure's text is its caption and credit,
# an address its author's contact; a header holds the site's masthead or an article's title and
# byline, a form a search box, a sign-up or a comment box.
_TAG_GROUPS = {"article": ("article",), "main": ("article",), "a": ("link",), "figure": ("meta",),
               "figcaption": ("meta",), "address": ("meta",), "header": ("chrome",), "form": ("chrome",)}


def _names(el) -> str:
    """An element's class and id, one string (" " when it has neither)."""
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _own_groups(el) -> tuple[str, ...]:
    attrs = el.attrib
    names = _names(el).lower()
    groups = _class_groups(names) if len(names) > 1 else ()
    groups += _TAG_GROUPS.get(el.tag, ())
    if attrs.get("role") == "main" or attrs.get("itemprop") == "articleBody":
        groups += ("article",)
    style = attrs.get("style")
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or style and _HIDDEN_STYLE.search(style):
        groups += ("hidden",)
    return groups


class DomFacts:
    """DomInfo of the elements under ``body`` (inclusive)."""

    def __init__(self, body):
        from lxml.etree import Element

        elements = list(body.iter(Element))  # elements only, no comments
        # attributes are looked at only where there are some (one XPath query, in C)
        owns = {el: _own_groups(el) for el in body.xpath(_HAS_ATTRIBUTES)}
        chars: dict = {}
        links: dict = {}
        for el in reversed(elements):  # children before their parents
            if el.tag in SILENT_TAGS:
                chars[el] = links[el] = 0
                continue
            n = len((el.text or "").strip())
            a = 0
            for child in el:
                if isinstance(child.tag, str):
                    n += chars[child]
                    a += links[child]
                n += len((child.tail or "").strip())
            chars[el] = n
            links[el] = n if el.tag == "a" else a
        none = (-1,) * len(DOM_GROUPS)
        near: dict = {}   # per group, the depth of the nearest ancestor-or-self in it, -1 for none
        depth: dict = {}
        for el in elements:  # parents before their children
            parent = el.getparent()
            up = near.get(parent, none)
            d = depth[parent] + 1 if parent in depth else 0
            own = owns[el] if el in owns else _TAG_GROUPS.get(el.tag, ())
            near[el] = tuple(d if g in own else k for g, k in zip(DOM_GROUPS, up)) if own else up
            depth[el] = d
        self.elements, self.chars, self.links, self.near, self.depth = elements, chars, links, near, depth
        self.page = max(chars.get(body, 0), 1)
        self._seen_unlikely: dict = {}
        self._best()
        # which side of the top candidate an element lies on in document order: the masthead and
        # headline come before the article, related stories and comments after it
        self.order = {el: i for i, el in enumerate(elements)}
        self.best_span = None
        if self.best is not None:
            first = self.order[self.best]
            self.best_span = (first, first + sum(1 for _ in self.best.iter(Element)) - 1)

    def _readability(self, el) -> float:
        weight = float(_TAG_WEIGHTS.get(el.tag, 0))
        for name in (el.get("class"), el.get("id")):
            if name:
                weight += 25 * (bool(_POSITIVE.search(name)) - bool(_NEGATIVE.search(name)))
        return weight

    def _unlikely(self, el) -> bool:
        """Whether ``el`` or an ancestor is an unlikely candidate (remembered per element: the
        paragraphs of a page share their ancestors)."""
        seen = self._seen_unlikely
        path, up, found = [], el, False
        while up is not None and up.tag not in ("body", "html"):
            if up in seen:
                found = seen[up]
                break
            path.append(up)
            names = _names(up)
            if len(names) > 1 and _UNLIKELY.search(names) and not _MAYBE.search(names):
                found = True
                break
            up = up.getparent()
        for node in path:
            seen[node] = found
        return found

    def _best(self) -> None:
        """Readability's top candidate and the siblings it keeps with it (``self.best``, ``self.kept``)."""
        scores: dict = {}

        def credit(parent, text: str, n: int) -> None:
            score = 1 + text.count(",") + min(n // 100, 3)
            for node, share in ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5)):
                if node is not None and node in self.chars:
                    if node not in scores:
                        scores[node] = self._readability(node)
                    scores[node] += score * share

        for el in self.elements:
            n = self.chars[el]
            if n < PARAGRAPH_MIN_CHARS:
                continue
            if el.tag in PARAGRAPH_TAGS or el.tag == "div" and next(el.iterdescendants(*_DIV_BLOCKS), None) is None:
                if not self._unlikely(el):
                    credit(el.getparent(), el.text_content(), n)
            elif el.tag == "div" and not self._unlikely(el):
                # a div with blocks in it: each run of text straight inside it is a paragraph
                for run in (el.text, *(child.tail for child in el)):
                    run = (run or "").strip()
                    if len(run) >= PARAGRAPH_MIN_CHARS:
                        credit(el, run, len(run))
        for node in scores:
            scores[node] *= 1 - self.links[node] / max(self.chars[node], 1)
        self.best = max(scores, key=scores.__getitem__) if scores else None
        self.kept = set()
        if self.best is None:
            return
        self.kept.add(self.best)
        parent = self.best.getparent()
        threshold = max(10.0, scores[self.best] * 0.2)
        for sibling in parent if parent is not None else ():
            if sibling is self.best or sibling not in self.chars:
                continue
            n, share = self.chars[sibling], self.links[sibling] / max(self.chars[sibling], 1)
            if scores.get(sibling, 0.0) >= threshold or sibling.tag == "p" and (
                    n > 80 and share < 0.25 or 0 < n <= 80 and share == 0 and
                    sibling.text_content().rstrip().endswith(".")):
                self.kept.add(sibling)

    def _levels_below(self, el) -> tuple[int, int]:
        """Levels from ``el`` up to the top candidate, and up to the nearest kept element (-1: none)."""
        up, d, kept = el, 0, -1
        while up is not None and up is not self.best:
            if kept < 0 and up in self.kept:
                kept = d
            up, d = up.getparent(), d + 1
        if up is not None:
            return d, d if kept < 0 else kept
        return -1, kept

    def __contains__(self, el) -> bool:
        return el in self.depth

    def info(self, el) -> DomInfo:
        d = self.depth[el]
        near = tuple(d - k if k >= 0 else -1 for k in self.near[el][:-2])
        side = 0
        if self.best_span is not None:
            at = self.order[el]
            side = -1 if at < self.best_span[0] else 1 if at > self.best_span[1] else 0
        return DomInfo(el.tag, d, self.chars[el], self.links[el], self.page, near + self._levels_below(el), side)
