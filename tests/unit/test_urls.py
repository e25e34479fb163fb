import random
from urllib.parse import urlsplit

from cleaner.urls import hostname


def _reference(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def test_host_names_are_urlsplits_and_a_malformed_url_has_none():
    assert hostname("https://User:pw@WWW.Example.COM:8080/a?b#c") == "www.example.com"
    assert hostname("//cdn.example.org/x.js") == "cdn.example.org"
    assert hostname("http://[abc/x") is None and hostname("mailto:a@b.c") is None
    rng = random.Random(1)
    pieces = ["http", "https", ":", "//", "/", "?", "#", "@", "[", "]", "::1", "Host.COM", "www.", "a", "8080",
              " ", "\t", "\n", "\x01", "%2F", "user:pw@", "ftp"]
    for _ in range(50000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 10)))
        assert hostname(url) == _reference(url), repr(url)
