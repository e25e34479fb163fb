"""Language of a document and its stop words, for features that must not assume English."""
from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import numpy as np

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
# Undeclared text is taken for English, the web's commonest language, without identification when
# English stop words make up this share of its sample and "the" this share: English prose reaches
# both in four samples of five; no sample py3langid read as another language reached either
# (Spanish came nearest on the first, 0.35, Italian on the second, 0.006; 9,200 dumps and pages of
# the labelled sets). The identifier's table walks cost a document a fifth of its time, most of it
# waiting on memory, and py3langid names English all the same on every sample that passes.
ENGLISH_MIN_STOP_SHARE = 0.4
ENGLISH_MIN_THE_SHARE = 0.02
_TOKEN_BREAK = re.compile(r"[^\w\s'’-]+")
# Runs of letters (no digits, no underscores).
LETTER_RUN = re.compile(r"[^\W\d_]+")
# A link target in a dump ("<https://...>", "(https://...)", lynx's "12. https://...", "www...."): the
# longest lines of wrapped and lynx dumps are often these, and read as no language or a wrong one
# (an English page's URLs as Bikol, a Russian page's too), so the sample leaves them out.
_URL = re.compile(r"[<(]?\b(?:[a-z][a-z0-9+.-]*:/{1,3}|www\.|mailto:|whatsapp:)[^\s<>()]*[>)]?", re.I)
# What every match of _URL holds: ":/" (a scheme's), or, lower-cased, "www." or the end of "mailto:"
# or "whatsapp:" (letters re.I folds nothing else onto); a line holding none is not searched.
_URL_MARKS = ("www.", "to:", "app:")


def _may_hold_url(line: str) -> bool:
    if ":/" in line:
        return True
    low = lowered(line)
    return any(map(low.__contains__, _URL_MARKS))


# The start of a dump sampled for its language: past this the sample would not reach.
SAMPLE_SCAN_CHARS = 20000


def sample_lines(text: str) -> list[str]:
    """The lines of the start of a document (a dump or a page's rendered text) that its language is
    identified from: the longest, with text once link targets are taken out, longest first, as many
    as ``detect_language`` reads."""
    # the lines long enough to be sampled after the first hold every line that stays that long once
    # its link targets are out: sorted alone, they give the same sample unless it starts short
    sample = _taken(_longest_without_links(_long_lines(text, SAMPLE_SCAN_CHARS, LANG_MIN_LINE_CHARS)))
    if sample and len(sample[0]) >= LANG_MIN_LINE_CHARS:
        return sample
    return _taken(_longest_without_links(list(filter(str.strip, text[:SAMPLE_SCAN_CHARS].split("\n")))))


def _long_lines(text: str, scan: int, shortest: int) -> list[str]:
    """The lines of ``text[:scan]`` of ``shortest`` characters or more, in order (in C where the
    compiled helper is built: the same lines, without a string made for each short one)."""
    if native.AVAILABLE:
        return native.compiled.long_lines(text, scan, shortest)
    return [ln for ln in text[:scan].split("\n") if len(ln) >= shortest]


def _longest_without_links(lines: list[str]) -> Iterator[str]:
    """``lines`` with their link targets taken out, longest first (ties in their order), the targets
    looked for only as the lines are asked for: taking them out only shortens a line, so a line is
    given once no line still to look at can be longer."""
    lengths = list(map(len, lines))
    order = sorted(range(len(lines)), key=lengths.__getitem__, reverse=True)  # (stable: ties keep their order)
    waiting: list[tuple[int, int, str]] = []  # (-length, index, line without link targets)
    k = 0
    while waiting or k < len(order):
        if waiting and (k == len(order) or -waiting[0][0] > lengths[order[k]]):
            yield heapq.heappop(waiting)[2]
            continue
        i = order[k]
        k += 1
        line = _URL.sub(" ", lines[i]) if _may_hold_url(lines[i]) else lines[i]
        if line.strip():
            heapq.heappush(waiting, (-len(line), i, line))


def _taken(longest_first: Iterable[str]) -> list[str]:
    """The lines identification reads of lines given longest first: down to LANG_SAMPLE_CHARS, and
    short ones only when there is nothing longer."""
    sample: list[str] = []
    size = 0
    for t in longest_first:
        if len(t) < LANG_MIN_LINE_CHARS and sample:
            break
        sample.append(t)
        size += len(t)
        if size >= LANG_SAMPLE_CHARS:
            break
    return sample


def detect_language(texts: list[str], declared: str | None = None) -> str | None:
    """ISO 639-1 code of the dominant language of ``texts`` (lines), or None for no text.
    ``declared``, a language the document states for itself, is returned when the text reads as
    written in it (``confirms``)."""
    text = " ".join(_taken(sorted(texts, key=len, reverse=True)))
    if not text.strip():
        return None
    if declared and confirms(declared, text):
        return declared
    if not declared and _reads_as_english(text):
        return "en"
    return _identifier().classify(text)


def confirms(lang: str, text: str) -> bool:
    """Whether ``text`` reads as written in ``lang``, a language with spaces between words and a
    stop-word list: enough of its words are the language's stop words."""
    if lang in CJK_LANGS or lang in UNSPACED_LANGS or not _has_stopwords(lang):
        return False
    words, stops, _ = stop_counts(lowered(text), lang)
    return words >= DECLARED_MIN_WORDS and stops >= DECLARED_MIN_STOP_SHARE * words


def _reads_as_english(text: str) -> bool:
    words, stops, the = stop_counts(lowered(text), "en", "the")
    return the >= ENGLISH_MIN_THE_SHARE * words and words >= DECLARED_MIN_WORDS and stops >= ENGLISH_MIN_STOP_SHARE * words


def stop_counts(text: str, lang: str, word: str = "") -> tuple[int, int, int]:
    """(words, stop words of ``lang``, words that are ``word``) of ``text``'s words (``split_words``).
    In C where the compiled helper is built: the same counts, without a string made of each word
    (two thirds of the English test's time)."""
    if native.AVAILABLE:
        return native.compiled.stop_counts(text, _SEPARATORS[False], _stop_book(lang), word)
    words = split_words(text)
    return len(words), sum(map(stopwords(lang).__contains__, words)), words.count(word)


@lru_cache(maxsize=64)
def _stop_book(lang: str):
    """``lang``'s stop words as the compiled stop_counts looks words up in them."""
    return native.compiled.word_book(dict.fromkeys(stopwords(lang), 1))


# text.lower(); in C where the compiled helper is built (the same string, several times sooner on
# text that is not all ASCII: str.lower looks each character up in the full case tables).
lowered = native.compiled.lower if native.AVAILABLE else str.lower


def _count_words(text: str, most: int = -1) -> int:
    return len(text.split(None, most))


# len(text.split(None, most)): a text's words (runs between white space), counted no further than
# that split would cut them; in C where the compiled helper is built, without a string for each word.
count_words = native.compiled.count_words if native.AVAILABLE else _count_words


def _separating(keep: Callable[[str], bool]) -> bytes:
    """A bytes.translate table turning every ASCII character but those ``keep`` keeps into a space."""
    return bytes(c if c >= 128 or keep(chr(c)) else 32 for c in range(256))


# The ASCII characters that separate words, for each kind of split_words: all but those _TOKEN_BREAK
# keeps, or all but letters.
_SEPARATORS = {False: _separating(lambda c: c.isalnum() or c.isspace() or c in "_'-"),
               True: _separating(str.isalpha)}


def split_words(text: str, letters_only: bool = False) -> list[str]:
    """The words of ``text`` as ``_TOKEN_BREAK.sub(" ", text).split()`` gives them (with ``letters_only``:
    ``LETTER_RUN.findall(text)``). In C where the compiled helper is built (the same words, one
    pass), else a translation of the UTF-8 bytes by ``_SEPARATORS`` and a split, the regex only for
    the tokens holding other characters (several times faster than a regex over a page's text)."""
    separators = _SEPARATORS[letters_only]
    if native.AVAILABLE:
        return native.compiled.split_words(text, separators, letters_only)
    tokens = text.encode("utf-8", "surrogatepass").translate(separators).decode("utf-8", "surrogatepass").split()
    if text.isascii():
        return tokens
    rest = LETTER_RUN.findall if letters_only else (lambda token: _TOKEN_BREAK.sub(" ", token).split())
    words: list[str] = []
    for token in tokens:
        if token.isascii():
            words.append(token)
        else:
            words += rest(token)
    return words


@lru_cache(maxsize=256)
def _has_stopwords(lang: str) -> bool:
    import stopwordsiso

    return stopwordsiso.has_lang(lang)


@lru_cache(maxsize=1)
def _identifier() -> _Identifier:
    from py3langid import langid  # lazy: loading its model costs a fraction of a second, once

    from .langid_cache import load_identifier

    return _Identifier(load_identifier(), langid.visit_counts, langid.RAW_FLOOR)


class _Identifier:
    """py3langid's model (its byte-level DFA of n-grams and naive Bayes tables), scored here.

    py3langid sums the weights of the features found with a BLAS product, whose order of additions
    (so the last bits of the scores, and between two languages that close, the answer) depends on
    the machine's BLAS. Here they are added feature by feature in the order first met, in single
    precision: ``native.compiled.nb_scores`` or numpy, to the same bits (and about 0.2 ms a document
    sooner, compiled). The byte walk is ``native.compiled.dfa_visits`` where there is one (in Python
    it costs a microsecond a byte): py3langid's ``visit_counts`` in C, the same counts in the same order.
    """

    def __init__(self, model, python_walk, floor: float):
        if native.AVAILABLE:
            # The walk's 39 MB transition table as a numpy array: numpy asks the kernel for huge
            # pages for an allocation this size, and the walk's random reads then miss the TLB far
            # less (about a fifth of its time). (The model is this identifier's own, not py3langid's
            # shared one, so the table it held is let go.)
            model.tk_nextmove = np.array(model.tk_nextmove)
        elif isinstance(model.tk_nextmove, np.ndarray):  # (mapped from the cache) Python's walk reads an
            from py3langid.modelio import _to_array  # array's items several times sooner

            model.tk_nextmove = _to_array(model.tk_nextmove)
        self.model = model
        self.python_walk = python_walk
        self.floor = floor
        self.labels = list(model.nb_classes)
        self.aliases = list(model._alias_pairs)
        self.table = np.ascontiguousarray(model.nb_ptc)
        self.prior = np.asarray(model.nb_pc, dtype=np.float32)
        out = model.tk_output
        # the walk's tables as machine integers, for the compiled walk
        self.tables = (model.tk_nextmove, array("q", model._rowbase), array("q", out), max(out, default=-1) + 1)

    def classify(self, text: str) -> str:
        """The language of ``text``, as py3langid's ``classify`` names it."""
        data = self.model._encode(text)
        features, counts = self._visits(data)
        if features.size == 0:  # every language scores the floor
            return self.labels[0]
        weights = np.log1p(counts.astype(np.float32))
        if native.AVAILABLE:
            scores = np.empty(self.table.shape[1], dtype=np.float32)
            native.compiled.nb_scores(features, weights, self.table, scores)
        else:
            scores = np.add.reduce(weights[:, None] * self.table[features].astype(np.float32), axis=0)
        scores += self.prior
        for first, dupe in self.aliases:  # labels with two columns (scripts): the better one counts
            scores[first] = max(scores[first], scores[dupe])
            scores[dupe] = self.floor
        return self.labels[int(scores.argmax())]

    def _visits(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The features the walk over ``data`` meets, first met first, and how often each."""
        if native.AVAILABLE:
            features, counts = native.compiled.dfa_visits(*self.tables, data)
            return np.frombuffer(features, dtype=np.int64), np.frombuffer(counts, dtype=np.int64)
        visits = self.python_walk(self.model.tk_nextmove, self.model._rowbase, self.model.tk_output, data) or {}
        return (np.fromiter(visits.keys(), dtype=np.int64, count=len(visits)),
                np.fromiter(visits.values(), dtype=np.int64, count=len(visits)))


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
