"""Site memory: lines that recur across many pages of one site within a run are chrome.

Menus, footers and "Have you got a story to tell?" boxes read like prose on one page but repeat on
every page of the site. Memory is keyed by the site (host of the document URL), so the same quote
printed by two different sites is never held against either. Bounded and deterministic: counts per
site are capped in size, the least-used sites and lines are forgotten first, ties in input order.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import urlsplit

# A line is chrome once it has appeared on this many earlier pages of the same site.
MIN_PAGES_DEFAULT = 3
# Sites remembered at once (least recently seen forgotten first).
MAX_SITES_DEFAULT = 2000
# Distinct lines remembered per site; beyond it, the rarest are forgotten.
MAX_LINES_PER_SITE_DEFAULT = 5000
# Lines shorter than this carry too little to call chrome by repetition alone ("Share").
MIN_CHARS = 12


def site_of(url: str | None) -> str | None:
    """The site key of a document: its host without a leading www."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


class SiteMemory:
    """Counts, per site, on how many pages each line appeared."""

    def __init__(self, min_pages: int = MIN_PAGES_DEFAULT, max_sites: int = MAX_SITES_DEFAULT,
                 max_lines: int = MAX_LINES_PER_SITE_DEFAULT):
        self.min_pages = min_pages
        self.max_sites = max_sites
        self.max_lines = max_lines
        self._sites: OrderedDict[str, dict[str, int]] = OrderedDict()

    def recurring(self, site: str | None, texts: Iterable[str]) -> dict[str, int]:
        """Lines of this page already seen on at least ``min_pages`` earlier pages: text -> pages."""
        counts = self._sites.get(site) if site else None
        if not counts:
            return {}
        return {t: counts[t] for t in texts if counts.get(t, 0) >= self.min_pages}

    def add(self, site: str | None, texts: Iterable[str]) -> None:
        """Record one page's lines (each distinct line counts once per page)."""
        if not site:
            return
        counts = self._sites.pop(site, None) or {}
        self._sites[site] = counts  # most recently seen last
        for t in set(texts):
            if len(t) >= MIN_CHARS:
                counts[t] = counts.get(t, 0) + 1
        if len(counts) > self.max_lines:
            keep = sorted(counts.items(), key=lambda kv: -kv[1])[: self.max_lines // 2]
            counts.clear()
            counts.update(keep)
        while len(self._sites) > self.max_sites:
            self._sites.popitem(last=False)
