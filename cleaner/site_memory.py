"""Site memory: lines that recur across many pages of one site within a run are chrome.

Menus, footers and "Have you got a story to tell?" boxes read like prose on one page but repeat on
every page of the site. Memory is keyed by the site (host of the document URL), so the same quote
printed by two different sites is never held against either. Bounded and deterministic: counts per
site are capped in size, the least-used sites and lines are forgotten first, ties in input order.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import urlsplit

# A line is chrome once it has appeared on this many earlier pages of the same site.
MIN_PAGES_DEFAULT = 3
# Sites remembered at once (least recently seen forgotten first).
MAX_SITES_DEFAULT = 2000
# Distinct lines remembered per site; beyond it, the rarest are forgotten.
MAX_LINES_PER_SITE_DEFAULT = 5000
# Distinct lines remembered over all sites (about 100 bytes each, as 64-bit digests): the memory's
# ceiling whatever the crawl's size; past it the least recently seen sites are forgotten.
MAX_LINES_TOTAL_DEFAULT = 100_000
# Lines shorter than this carry too little to call chrome by repetition alone ("Share").
MIN_CHARS = 12


def _digest(text: str) -> int:
    """A stable 64-bit digest of a line: a quarter of the string's memory, the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


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
                 max_lines: int = MAX_LINES_PER_SITE_DEFAULT, max_total: int = MAX_LINES_TOTAL_DEFAULT):
        self.min_pages = min_pages
        self.max_sites = max_sites
        self.max_lines = max_lines
        self.max_total = max_total
        self._sites: OrderedDict[str, dict[int, int]] = OrderedDict()  # site -> line digest -> pages
        self._total = 0  # distinct lines held over all sites

    def recurring(self, site: str | None, texts: Iterable[str]) -> dict[str, int]:
        """Lines of this page already seen on at least ``min_pages`` earlier pages: text -> pages."""
        counts = self._sites.get(site) if site else None
        if not counts:
            return {}
        seen = ((t, counts.get(_digest(t), 0)) for t in texts if len(t) >= MIN_CHARS)
        return {t: n for t, n in seen if n >= self.min_pages}

    def add(self, site: str | None, texts: Iterable[str]) -> None:
        """Record one page's lines (each distinct line counts once per page)."""
        if not site:
            return
        counts = self._sites.pop(site, None) or {}
        self._sites[site] = counts  # most recently seen last
        before = len(counts)
        for t in dict.fromkeys(texts):  # distinct, in page order (a set's order varies by process)
            if len(t) >= MIN_CHARS:
                k = _digest(t)
                counts[k] = counts.get(k, 0) + 1
        if len(counts) > self.max_lines:
            keep = sorted(counts.items(), key=lambda kv: -kv[1])[: self.max_lines // 2]
            counts.clear()
            counts.update(keep)
        self._total += len(counts) - before
        while len(self._sites) > 1 and (len(self._sites) > self.max_sites or self._total > self.max_total):
            self._total -= len(self._sites.popitem(last=False)[1])
