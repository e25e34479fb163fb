"""Site memory: lines that recur across many pages of one site within a run are chrome.

Menus, footers and "Have you got a story to tell?" boxes read like prose on one page but repeat on
every page of the site. Memory is keyed by the site (host of the document URL), so the same quote
printed by two different sites is never held against either. Bounded and deterministic: counts per
site are capped in size, the least-used sites and lines are forgotten first, ties in input order.
"""
from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import itemgetter

from . import native
from .urls import hostname

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


def line_keys(texts: Iterable[str]) -> tuple[int | None, ...]:
    """What the memory knows a page's lines by: each line's digest, None for a line too short to
    count. Worked out once per page (by the worker that cleaned it, in a parallel run: the parent
    that keeps the memory is the run's busiest process); in C where the compiled helper is built
    (the same digests, BLAKE2b's, without a bytes and a hash object a line: 0.09 -> 0.04 ms a page)."""
    if native.AVAILABLE:
        return native.compiled.line_keys(texts, MIN_CHARS)
    return tuple(_digest(t) if len(t) >= MIN_CHARS else None for t in texts)


def commonest(counts: dict[int, int], keep: int) -> dict[int, int]:
    """The ``keep`` entries of ``counts`` with the highest counts, of equal counts the first in its
    order, in that order (the pruning of a site's lines; in C where built: a millisecond a prune less
    in the parent process of a parallel run, that every page passes through)."""
    if native.AVAILABLE:
        return native.compiled.commonest(counts, keep)
    return dict(sorted(counts.items(), key=itemgetter(1), reverse=True)[:max(keep, 0)])


def site_of(url: str | None) -> str | None:
    """The site key of a document: its host without a leading www."""
    if not url:
        return None
    host = hostname(url)
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


class SiteMemory:
    """Counts, per site, on how many pages each line appeared."""

    def __init__(self, min_pages: int = MIN_PAGES_DEFAULT, max_sites: int = MAX_SITES_DEFAULT,
                 max_lines: int = MAX_LINES_PER_SITE_DEFAULT, max_total: int = MAX_LINES_TOTAL_DEFAULT):
        if min_pages < 1:
            raise ValueError(f"min_pages must be at least 1, not {min_pages}")
        self.min_pages = min_pages
        self.max_sites = max_sites
        self.max_lines = max_lines
        self.max_total = max_total
        self._sites: OrderedDict[str, Counter[int]] = OrderedDict()  # site -> line digest -> pages
        self._total = 0  # distinct lines held over all sites

    def recurring(self, site: str | None, texts: Iterable[str]) -> dict[str, int]:
        """Lines of this page already seen on at least ``min_pages`` earlier pages: text -> pages."""
        texts = list(texts)
        keys = line_keys(texts)
        seen = self.recurring_keys(site, keys)
        return {t: seen[k] for t, k in zip(texts, keys) if k in seen}

    def recurring_keys(self, site: str | None, keys: Iterable[int | None]) -> dict[int, int]:
        """``recurring`` for a page's ``line_keys``: key -> pages."""
        counts = self._sites.get(site) if site else None
        if not counts:
            return {}
        known = counts.keys() & keys  # (a set operation in C; the page's keys are mostly known or new)
        known.discard(None)
        return {k: counts[k] for k in known if counts[k] >= self.min_pages}

    def add(self, site: str | None, texts: Iterable[str]) -> None:
        """Record one page's lines (each distinct line counts once per page)."""
        if site:
            self.add_keys(site, line_keys(texts))

    def add_keys(self, site: str | None, keys: Iterable[int | None]) -> None:
        """``add`` for a page's ``line_keys``."""
        if not site:
            return
        counts = self._sites.get(site) or Counter()
        self._seen_now(site, counts)
        before = len(counts)
        distinct = dict.fromkeys(keys)  # in page order (a set's order varies by process)
        distinct.pop(None, None)
        counts.update(distinct.keys())  # (one more page for each: Counter counts in C)
        self._bound(counts, before)

    def learn_unless_recurring(self, site: str | None, keys: Sequence[int | None], body: Sequence[bool]) -> bool:
        """``add_keys`` for a page cleaned without the memory (by a parallel run's worker), unless a
        line of its body (``body``: a flag a key) already recurs on ``min_pages`` earlier pages of
        the site: then nothing is learnt, and True (the page is to be cleaned with the memory, which
        learns it then). In C where built: the same counts in the same order, in one pass over the
        page's keys (the parent of a parallel run does this for every page: 30 -> 8 us)."""
        if not site:
            return False
        if not native.AVAILABLE:
            seen = self.recurring_keys(site, keys)
            if seen and not seen.keys().isdisjoint(compress(keys, body)):
                return True
            self.add_keys(site, keys)
            return False
        counts = self._sites.get(site) or Counter()
        before = len(counts)
        if native.compiled.count_page(counts, keys, body, self.min_pages):
            return True
        self._seen_now(site, counts)
        self._bound(counts, before)
        return False

    def _seen_now(self, site: str, counts: Counter[int]) -> None:
        """``counts`` held for ``site``, the site now the most recently seen (last)."""
        self._sites.pop(site, None)
        self._sites[site] = counts

    def _bound(self, counts: Counter[int], before: int) -> None:
        """After a page was counted into ``counts`` (of ``before`` lines): the site's and the memory's
        bounds kept."""
        if len(counts) > self.max_lines:  # the commonest kept, of equal counts the first seen
            keep = commonest(counts, self.max_lines // 2)
            counts.clear()
            counts.update(keep)
        self._total += len(counts) - before
        while len(self._sites) > 1 and (len(self._sites) > self.max_sites or self._total > self.max_total):
            self._total -= len(self._sites.popitem(last=False)[1])
