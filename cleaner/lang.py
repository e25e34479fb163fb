"""Language of a document and its stop words, for features that must not assume English."""
from __future__ import annotations

import re
from array import array
from collections import Counter
from functools import lru_cache

from . import native

# Characters of text sampled for identification: enough for a stable guess (py3langid's
# accuracy plateaus well below this), and its per-byte Python loop stays cheap.
LANG_SAMPLE_CHARS = 1000
# Lines shorter than this are mostly navigation and say little about the language.
LANG_MIN_LINE_CHARS = 40
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_LANGS = frozenset({"ja", "zh", "ko"})
# Scripts written without spaces between words (Thai, Lao, Khmer, Burmese): a line of them is one
# "word" to str.split(), so the features count their words by letters, as they do Han and kana.
UNSPACED_LANGS = frozenset({"th", "lo", "km", "my"})
# A page's declared language (``<html lang>``) is taken without identification when its stop words
# make up at least this share of the sample's words: prose in a language reaches 0.4-0.55 under its
# own list, another language's prose mostly stays below 0.25 (wrong declarations fall through to
# identification, whose table walks cost a page more than anything but the parse).
DECLARED_MIN_STOP_SHARE = 0.35
# ... over at least this many words.
DECLARED_MIN_WORDS = 30
_TOKEN_BREAK = re.compile(r"[^\w\s'’-]+")


def detect_language(texts: list[str], declared: str | None = None) -> str | None:
    """ISO 639-1 code of the dominant language of ``texts`` (lines), or None for no text.
    ``declared``, a language the document states for itself, is returned when the text reads as
    written in it (``confirms``)."""
    sample: list[str] = []
    size = 0
    for t in sorted(texts, key=len, reverse=True):
        if len(t) < LANG_MIN_LINE_CHARS and sample:
            break
        sample.append(t)
        size += len(t)
        if size >= LANG_SAMPLE_CHARS:
            break
    text = " ".join(sample)
    if not text.strip():
        return None
    if declared and confirms(declared, text):
        return declared
    return _identifier().classify(text)[0]


def confirms(lang: str, text: str) -> bool:
    """Whether ``text`` reads as written in ``lang``, a language with spaces between words and a
    stop-word list: enough of its words are the language's stop words."""
    if lang in CJK_LANGS or lang in UNSPACED_LANGS or not _has_stopwords(lang):
        return False
    words = _TOKEN_BREAK.sub(" ", text.lower()).split()
    if len(words) < DECLARED_MIN_WORDS:
        return False
    stop = stopwords(lang)
    return sum(map(stop.__contains__, words)) >= DECLARED_MIN_STOP_SHARE * len(words)


@lru_cache(maxsize=256)
def _has_stopwords(lang: str) -> bool:
    import stopwordsiso

    return stopwordsiso.has_lang(lang)


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier, its byte walk done by the compiled helper where there is one.

    py3langid walks a DFA over the sample's bytes in a Python loop (about a microsecond a byte,
    a tenth of a text document's time); ``native.compiled.dfa_visits`` is the same walk in C, with
    the same counts in the same order, so the language found is the same.
    """
    from py3langid import langid  # lazy: loading its model costs a fraction of a second, once

    identifier = langid._get_identifier()
    if native.AVAILABLE and getattr(langid, "visit_counts", None) is not None:
        langid.visit_counts = _CompiledWalk(langid.visit_counts)
    return identifier


class _CompiledWalk:
    """Stands in for ``py3langid.langid.visit_counts(nm, rowbase, out, text)``."""

    def __init__(self, python_walk):
        self.python_walk = python_walk
        self._tables: tuple = ()

    def __call__(self, nm, rowbase, out, text):
        if not isinstance(nm, array):  # tables of a layout the helper was not written for
            return self.python_walk(nm, rowbase, out, text)
        if not self._tables or self._tables[0] is not rowbase or self._tables[1] is not out:
            # the lists as machine integers, once per model (held to keep their ids meaningful)
            self._tables = (rowbase, out, array("q", rowbase), array("q", out), max(out, default=-1) + 1)
        visits = native.compiled.dfa_visits(nm, *self._tables[2:], text)
        return Counter(visits) if visits else None


@lru_cache(maxsize=64)
def stopwords(lang: str | None) -> frozenset[str]:
    """Stop words of ``lang`` from the maintained stopwords-iso collection (English fallback)."""
    import stopwordsiso

    code = lang if lang and stopwordsiso.has_lang(lang) else "en"
    return frozenset(w.lower() for w in stopwordsiso.stopwords(code))


def is_cjk(lang: str | None) -> bool:
    return lang in CJK_LANGS


def is_unspaced(lang: str | None) -> bool:
    return lang in UNSPACED_LANGS


@lru_cache(maxsize=8)
def stopword_pattern(lang: str) -> re.Pattern:
    """The stop words of ``lang`` as one pattern, longest first: in a script without spaces they
    are found inside the runs of letters, not as tokens."""
    words = sorted(stopwords(lang), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def cjk_chars(text: str) -> int:
    """Count of CJK characters: the unit of word counting for scripts written without spaces."""
    return len(_CJK.findall(text))
