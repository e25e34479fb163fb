"""What an HTML page's tree says about its block elements: the facts the HTML model's DOM features
(``features.dom_features``) are made of.

One pass over the tree down (each element inherits, from its nearest ancestors, how far away the
nearest one of each class-name group lies) and one up (text and anchor-text characters), so a
page costs time linear in its elements.
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
# ("best": readability's top candidate, see DomFacts._best)
DOM_GROUPS = ("article", *CLASS_GROUPS, "hidden", "best")
# Readability's candidate scoring: each paragraph of at least this many characters credits its
# text to its parent, and half to its grandparent; the element with the most credit is "best".
PARAGRAPH_MIN_CHARS = 25
PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote"})
# Elements that start a line of the rendered text: the ones whose lines get DOM facts. These are
# html_text's layout tags (its NEWLINE_TAGS and DOUBLE_NEWLINE_TAGS; an element it prints inline,
# such as <center> or <section>, would claim the text that follows it on its line), plus table
# cells, whose row is one line, and <body>.
BLOCK_TAGS = frozenset({
    "article", "aside", "dd", "details", "div", "dt", "fieldset", "figcaption", "footer", "form", "header",
    "legend", "li", "main", "nav", "table", "tr", "blockquote", "dl", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "ol", "p", "pre", "ul", "td", "th", "body",
})
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
_TAG_GROUPS = {"article": ("article",), "main": ("article",)}


def _own_groups(el) -> tuple[str, ...]:
    attrs = el.attrib
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    groups = _class_groups(names) if len(names) > 1 else ()
    if el.tag in _TAG_GROUPS or attrs.get("role") == "main" or attrs.get("itemprop") == "articleBody":
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
        self.best = self._best()

    def _best(self):
        """Readability's top candidate: paragraphs credit their text to their parent and half to
        their grandparent; the element with the most credit that lies in no comment, chrome or
        related-content element."""
        credit: dict = {}
        for el in self.elements:
            if el.tag in PARAGRAPH_TAGS and self.chars[el] >= PARAGRAPH_MIN_CHARS:
                parent = el.getparent()
                if parent is not None:
                    credit[parent] = credit.get(parent, 0.0) + self.chars[el]
                    grand = parent.getparent()
                    if grand is not None:
                        credit[grand] = credit.get(grand, 0.0) + self.chars[el] / 2
        away = [DOM_GROUPS.index(g) for g in ("chrome", "related", "comment")]
        fine = [el for el in credit if el in self.near and all(self.near[el][k] < 0 for k in away)]
        return max(fine, key=credit.__getitem__) if fine else None

    def _levels_below_best(self, el) -> int:
        up, d = el, 0
        while up is not None and up is not self.best:
            up, d = up.getparent(), d + 1
        return d if up is not None else -1

    def __contains__(self, el) -> bool:
        return el in self.depth

    def info(self, el) -> DomInfo:
        d = self.depth[el]
        near = tuple(d - k if k >= 0 else -1 for k in self.near[el][:-1])
        return DomInfo(el.tag, d, self.chars[el], self.links[el], self.page, near + (self._levels_below_best(el),))
