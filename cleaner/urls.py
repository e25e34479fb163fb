"""Host names of URLs, as ``urllib.parse.urlsplit`` reads them, without raising on a malformed one."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


def hostname(url: str) -> str | None:
    """``urlsplit(url).hostname``, or None where urlsplit refuses the URL (an unclosed "[" of an
    IPv6 address: a page's link target can be anything).

    Looked up by the URL's start up to the first "/" after its scheme's (a link's "https://host"):
    the host name lies in the network location, which ends at the first "/", "?" or "#" after the
    "//", so that start has the same one, and the links of a page share a few of them.
    """
    slashes = url.find("//")
    end = url.find("/", slashes + 2) if slashes >= 0 else -1
    return _hostname(url if end < 0 else url[:end])


@lru_cache(maxsize=4096)
def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
