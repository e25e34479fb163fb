"""Metadata from an HTML page's head: JSON-LD, OpenGraph and meta tags, <title>, <html lang>."""
from __future__ import annotations

import json
import re

from ..metadata import parse_date
from ..types import Metadata
from . import tree

_SPACES = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")


_META_KEYS = ("property", "name", "itemprop")


class _Head:
    """What the metadata reads of a page, found in one walk of its tree (lxml's tag filter, in C)
    rather than a query each: the content of its meta tags by (key attribute, its value), in page
    order; the text of its JSON-LD scripts; its first title; its first canonical link. (Scripts,
    titles and links are looked for in the whole document, as "//title" finds them: broken pages
    put elements beside the root element, not only in it.)"""

    def __init__(self, root):
        walk = tree.compiled()
        if walk is not None:  # the same walk over libxml2's nodes (cleaner/_dom.c)
            self.metas, self.json_ld, self.title, self.canonical = walk.head(root)
            return
        self.metas: dict[tuple[str, str], list[str]] = {}
        self.json_ld: list[str] = []
        self.title: str | None = None
        self.canonical: str | None = None
        tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
        for top in tops:
            if isinstance(top.tag, str):  # (not a comment)
                self._read(top, top is root)

    def _read(self, top, in_root: bool) -> None:
        for el in top.iter("meta", "script", "title", "link"):
            tag = el.tag
            if tag == "meta":
                if not in_root:  # (the meta tags are read from the root element only)
                    continue
                content = el.get("content")
                if content is None:
                    continue
                for attr in _META_KEYS:
                    key = el.get(attr)
                    if key is not None:
                        self.metas.setdefault((attr, key), []).append(content)
            elif tag == "script":
                if el.get("type") == "application/ld+json":  # (each text node, as XPath's text() gives them)
                    self.json_ld += [el.text] if len(el) == 0 and el.text is not None else el.xpath("text()")
            elif tag == "title":
                if self.title is None:
                    texts = el.xpath("text()")
                    self.title = texts[0] if texts else None
            elif self.canonical is None and el.get("rel") == "canonical":
                self.canonical = el.get("href")


def _meta(metas: dict[tuple[str, str], list[str]], *keys: str) -> str | None:
    """The first non-blank content of the first of ``keys`` found (as property, name, itemprop)."""
    for key in keys:
        for attr in _META_KEYS:
            for v in metas.get((attr, key), ()):
                v = _SPACES.sub(" ", v).strip()
                if v:
                    return v
    return None


def _json_ld(scripts: list[str]) -> list[dict]:
    out: list[dict] = []
    for script in scripts:
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        out.extend(i for i in items if isinstance(i, dict))
    return out


def _name(value) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return _SPACES.sub(" ", value).strip() or None if isinstance(value, str) else None


def head_metadata(root) -> tuple[Metadata, str | None]:
    """Metadata from the head, and the canonical URL."""
    meta = Metadata()
    head = _Head(root)
    metas = head.metas
    articles = [i for i in _json_ld(head.json_ld) if "Article" in str(i.get("@type", "")) or "Posting" in str(i.get("@type", ""))]
    ld = articles[0] if articles else {}
    meta.title = _meta(metas, "og:title", "twitter:title") or _name(ld.get("headline"))
    if not meta.title:
        meta.title = _TITLE_SUFFIX.sub("", _SPACES.sub(" ", head.title).strip()) if head.title is not None else None
    meta.author = _name(ld.get("author")) or _meta(metas, "author", "article:author", "byl", "parsely-author")
    if meta.author and meta.author.startswith("http"):
        meta.author = None
    date = (ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None) or _meta(
        metas, "article:published_time", "datePublished", "date", "pubdate", "dc.date", "DC.date.issued")
    meta.date = parse_date(date) if date else _htmldate(root)
    meta.site_name = _meta(metas, "og:site_name", "application-name") or _name(ld.get("publisher"))
    meta.description = _meta(metas, "og:description", "description", "twitter:description")
    lang = root.get("lang") or _meta(metas, "og:locale", "language")
    meta.language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    canonical = head.canonical if head.canonical is not None else _meta(metas, "og:url") or ""
    return meta, (canonical.strip() or None)


def _htmldate(root) -> str | None:
    """The publication date found by htmldate (markup, URL and text heuristics), when installed."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        return find_date(root, extensive_search=False, original_date=True)
    except Exception:  # htmldate is a heuristic; a failure means no date, not a failed document
        return None
