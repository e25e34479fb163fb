"""Split words that a dump glued together at a link edge (``annualOfsted``, ``departments,Ofsted``).

The test for a glue point is general: the whole token is not a word of the language while the
parts are, judged by the word-frequency lexicon of the maintained ``wordfreq`` package.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

# Zipf frequency (log10 per billion words) from which a form counts as a word: 3 is about one
# occurrence per million words, which admits ordinary vocabulary and rejects glued forms.
KNOWN_ZIPF = 3.0
# A whole token at or below this is unknown, so splitting it cannot break a real word.
UNKNOWN_ZIPF = 1.0
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_PUNCT = re.compile(r"(?<=[^\W\d_][,;])(?=[^\W\d_])")
# Scripts written without spaces have no glued words to split.
_NO_SPACES = frozenset({"ja", "zh", "ko", "th", "lo", "km", "my"})
_EDGE_PUNCT = "\"'“”‘’()[]{}«»"


class _QuietNearestMatch(logging.Filter):
    """wordfreq logs a warning whenever it answers for a neighbouring language ('oc' -> 'fr'); that
    is the behaviour we want, and a warning per document would flood a batch run's stderr."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "nearest match" not in record.getMessage()


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Frequency of ``word`` in ``lang`` (English when wordfreq lacks the language)."""
    import wordfreq  # lazy: only documents with link markup pay for the lexicon

    try:
        lexicon = _lexicon(lang)
        plain = plain_zipf(word, lexicon)
        return wordfreq.zipf_frequency(word, lexicon) if plain is None else plain
    except (LookupError, ImportError):  # no word list, or a tokenizer extra (MeCab, jieba) missing
        return wordfreq.zipf_frequency(word, "en")


def plain_zipf(word: str, lang: str) -> float | None:
    """``wordfreq.zipf_frequency(word, lang)`` for a word of lower-case ASCII letters, with or
    without punctuation after it, in a language its regex tokenizer reads (None for any other):
    the tokenizer leaves the letters as they are, one token, and drops the punctuation, so the
    letters' frequency is looked up without its normalisation and regex, which cost most of a
    lookup (8 us; a wrapped dump looks up some seventy new words). wordfreq's rounding of a token's
    frequency to three significant digits changes no Zipf value at two decimals. A test compares
    the two functions on every such word of the English list."""
    letters = word.rstrip(_DROPPED_AFTER)
    if not (letters.isascii() and letters.isalpha() and letters.islower() and _plain_tokens(lang)):
        return None
    import wordfreq

    freq = wordfreq.get_frequency_dict(lang).get(letters, _MIN_FREQ)
    return round(wordfreq.freq_to_zipf(max(freq, _MIN_FREQ)), 2)


# Punctuation the tokenizer drops after a word (",", "." and the rest end no token of letters).
_DROPPED_AFTER = ",.;:!?)"
_MIN_FREQ = 1e-9  # wordfreq.zipf_to_freq(0.0): zipf_frequency's minimum


@lru_cache(maxsize=256)
def _plain_tokens(lang: str) -> bool:
    """Whether wordfreq tokenizes ``lang`` by its regex (not MeCab or jieba)."""
    from wordfreq.language_info import get_language_info

    return get_language_info(lang)["tokenizer"] == "regex"


@lru_cache(maxsize=256)
def _lexicon(lang: str) -> str:
    """``lang`` where wordfreq has a word list for it (or for a neighbour it answers for), else
    English: found once, as wordfreq's search for a list it does not have takes half a millisecond
    a word and is not cached."""
    import wordfreq

    _quiet_wordfreq()
    try:
        wordfreq.zipf_frequency("a", lang)
    except LookupError:
        return "en"
    except ImportError:  # a tokenizer extra missing: each word looks again (zipf falls back then)
        pass
    return lang


@lru_cache(maxsize=1)
def _quiet_wordfreq() -> None:
    logging.getLogger("wordfreq").addFilter(_QuietNearestMatch())


@lru_cache(maxsize=16384)  # (the words before links recur: "Read", "more", a site's section names)
def split_glued(token: str, lang: str = "en") -> tuple[str, str] | None:
    """(left, right) when ``token`` is two words glued together, else None.

    Punctuation glue (``departments,Ofsted``) splits after the mark; case glue (``annualOfsted``)
    and plain concatenation (``whosechildren’s``) split only when the token is no word itself.
    """
    core = token.strip(_EDGE_PUNCT)
    if len(core) < 4 or lang in _NO_SPACES:
        return None
    lead = token[: token.index(core)] if core else ""
    m = _PUNCT.search(core)
    if m:
        return lead + core[: m.start()], core[m.start():] + token[len(lead) + len(core):]
    if zipf(core.lower(), lang) > UNKNOWN_ZIPF:
        return None
    m = _CAMEL.search(core)
    if m and zipf(core[: m.start()].lower(), lang) >= KNOWN_ZIPF:
        i = len(lead) + m.start()
        return token[:i], token[i:]
    if not core.islower():
        return None
    best, best_i = KNOWN_ZIPF, None
    for i in range(2, len(core) - 1):
        score = min(zipf(core[:i], lang), zipf(core[i:], lang))
        if score >= best:
            best, best_i = score, i
    if best_i is None:
        return None
    i = len(lead) + best_i
    return token[:i], token[i:]


def segment(word: str, lang: str = "en") -> list[str]:
    """``word`` cut into the likeliest run of words (``theguardian`` -> the, guardian).

    Unigram segmentation by dynamic programming: a part's log-probability is its Zipf frequency
    minus 9 (per billion words); unknown parts cost one more order of magnitude per letter.
    """
    n = len(word)
    best = [0.0] + [float("-inf")] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(max(0, i - 20), i):
            z = zipf(word[j:i], lang)
            score = best[j] + (z - 9.0 if z > 0 else -9.0 - (i - j))
            if score > best[i]:
                best[i], back[i] = score, j
    parts = []
    i = n
    while i > 0:
        parts.append(word[back[i]:i])
        i = back[i]
    return parts[::-1]
