"""Line features: the one home of every signal the classifier sees, shared by training and runtime.

Features are computed in whole-document passes: character classes over the document's code points
with numpy and summed per line with ``np.add.reduceat``; patterns run once over the joined
document with their matches binned to lines. Only the stop-word count walks tokens in Python.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from . import native
from .lang import count_words, is_cjk, is_unspaced, stopword_pattern, stopwords
from .vocab import BITS, SAYING, codebook
from .lines.dom import DOM_GROUPS
from .types import LINE_SLOTS, Line, texts_of

# Any line of this many words reads as prose, terminal punctuation or not.
PROSE_LONG_WORDS = 16
# Neighbour window (lines each side) for the smoothed context means.
CONTEXT_WINDOW = 3
# Window (lines) over which prose density is summed to find the main text region.
DENSITY_WINDOW = 11
# Share of the peak density from which a line lies inside the main text region.
MAIN_REGION_SHARE = 0.25
# A "prose" line for the density signal: at least this many words and terminal punctuation.
PROSE_MIN_WORDS = 8

# Words that open a byline at the start of a line ("By Jane Doe", "Von ...", "Autora: ..."), before
# white space and more text. One list for the pattern and the compiled counter (features.line_stats).
BYLINE_OPENERS = ("BY", *(case + word[1:] for word in (
    "by", "von", "par", "por", "di", "door", "av", "przez", *(f"autor{e}{c}" for e in ("", "a", "e") for c in ("", ":")),
    "written by", "posted by") for case in (word[0].upper(), word[0])))
# The parts of a date in digits: 12/03, 2019-03-12, 8:50; and in Chinese, Japanese and Korean
# (2019年3月12日, 2019년 3월).
DATE_SEPARATORS, YEAR_MARKS, MONTH_MARKS, DAY_MARKS = "/.:-", "年년", "月월", "日일"
# "..." or "…" ending a line, or before a last "more" (any case) and an arrow: a teaser's cut.
MORE_WORD, MORE_ARROWS = "more", ">»›"
# Marks that end a sentence, before white space or the end of the line.
SENTENCE_MARKS = ".!?。！？"
PATTERNS: dict[str, re.Pattern] = {
    # each starts with a literal or a character class, which re scans for quickly
    "byline": re.compile(rf"^(?:{'|'.join(map(re.escape, BYLINE_OPENERS))})\s+\S", re.M),
    "numdate": re.compile(rf"[0-9]{{1,4}}(?:[{re.escape(DATE_SEPARATORS)}][0-9]{{1,2}}|\s?[{YEAR_MARKS}]\s?[0-9]{{1,2}}"
                          rf"\s?[{MONTH_MARKS}]|\s?[{MONTH_MARKS}]\s?[0-9]{{1,2}}\s?[{DAY_MARKS}])"),
    "counter": re.compile(r"^\(?[0-9][0-9,.]*[kKmM]?\)?$", re.M),
    "ellipsis": re.compile(rf"(?:\.\.\.|…)\s*(?:{MORE_WORD}\s*[{MORE_ARROWS}]?)?\s*$", re.I | re.M),
    "sentence": re.compile(rf"[{re.escape(SENTENCE_MARKS)}](?=\s|$)", re.M),
}
# What the compiled counter reads of them (it follows each pattern's structure).
_PATTERN_PARTS = (BYLINE_OPENERS, DATE_SEPARATORS, YEAR_MARKS, MONTH_MARKS, DAY_MARKS, MORE_WORD, MORE_ARROWS)
# A comment's author line ends in a verb of saying and a colon: "Gary M on September 17, 2018 at
# 8:50 pm said:", "joetoronto says:". Lines ending in a colon are found first (a literal is fast to
# scan for); the verb is then looked for just before the colon.
_COLON_END = re.compile(r":[ \t]*$", re.M)
_SAYING = re.compile(rf"\b(?:{'|'.join(map(re.escape, SAYING))})\s?\Z", re.I)
_SAYING_SPAN = max(map(len, SAYING)) + 1  # characters before the colon: the longest verb and a space
BASE_NAMES = (
    "log_chars", "log_words", "stop_ratio", "end_terminal", "end_ellipsis", "end_colon",
    "punct_ratio", "digit_ratio", "upper_ratio", "title_ratio", "all_caps", "link_share",
    "has_link", "heading", "list_item", "blank_before", "log_sentences", "comma_ratio",
    "avg_word_len", "short", "repeated", "rel_pos",
) + (
    "pat_byline", "pat_date", "pat_counter", "pat_cta", "pat_social", "pat_url", "pat_legal",
    "pat_separator", "pat_quote", "end_arrow", "lead_caps", "comment_head", "related_head", "pat_said", "camel_joins")
NEIGHBOUR_NAMES = ("log_chars", "stop_ratio", "end_terminal", "link_share", "pat_byline", "pat_date",
                   "end_ellipsis", "title_ratio", "heading", "pat_cta", "repeated", "short", "all_caps",
                   "blank_before")
FAR_NAMES = ("log_chars", "stop_ratio", "end_terminal")
WINDOW_NAMES = ("log_chars", "stop_ratio", "end_terminal", "link_share", "pat_cta", "repeated",
                "pat_byline", "pat_date", "short", "end_ellipsis")
REGION_NAMES = ("density_rel", "before_main", "after_main", "dist_main", "log_lines", "doc_prose_share",
                "mass_before", "mass_after", "run_rel", "run_rel@win", "before_core", "after_core", "after_legal",
                "comment_above", "comment_below", "related_above", "periodic")
# A heading over a list of other stories: a line of at most this many words.
SECTION_HEAD_MAX_WORDS = 6
# A heading over a comment section may quote the article's title ("34 responses to “...”").
COMMENT_HEAD_MAX_WORDS = 12
# Periods (in lines) of the repeating patterns of a list of teasers (headline / author / lead).
PERIODS = (2, 3, 4)
# Half-width (lines) of the window over which a repeating pattern is measured.
PERIODIC_HALF = 4
# Lower-to-upper case changes inside words are counted up to this many.
CAMEL_MAX = 3
# Leading capitalised words are counted up to this many (a headline glued to its teaser's lead).
LEAD_CAPS_MAX = 12


def _feature_names() -> tuple[str, ...]:
    names = list(BASE_NAMES)
    for off in (-1, 1):
        names += [f"{n}@{off:+d}" for n in NEIGHBOUR_NAMES]
    for off in (-2, 2):
        names += [f"{n}@{off:+d}" for n in FAR_NAMES]
    names += [f"{n}@win" for n in WINDOW_NAMES]
    names += list(REGION_NAMES)
    return tuple(names)


FEATURE_NAMES = _feature_names()
_COL = {name: i for i, name in enumerate(BASE_NAMES)}
# Punctuation that separates tokens (re.sub beats str.translate several times over on this job)
_PUNCT_CHARS = "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~“”‘’«»„—–…·•。、，：；！？（）【】「」『』《》〈〉・،؛؟"
_PUNCT = re.compile(f"[{re.escape(_PUNCT_CHARS)}]")


# Han and kana: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Japanese and Chinese words average about two characters.
CJK_CHARS_PER_WORD = 2
# Thai, Lao, Khmer and Burmese: runs of letters and marks without spaces, about four characters a
# word, three of them letters (their vowel signs are marks).
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
UNSPACED_CHARS_PER_WORD = 4
# The first character of the scripts counted by letters above (Thai, U+0E00).
_FIRST_COUNTED_BY_LETTERS = "\u0e00"
UNSPACED_LETTERS_PER_WORD = 3.0
_SENTENCE_END = (".", "!", "?", ":", "。", "！", "？", "．", "：")


@lru_cache(maxsize=4096)  # (the rules and the metadata ask again for the lines they look at)
def word_count(text: str) -> int:
    """Words of a line: space-separated tokens, with runs of Han and kana counted by length."""
    n = count_words(text)
    if text.isascii() or max(text) < _FIRST_COUNTED_BY_LETTERS:  # (no character of the scripts below)
        return n
    cjk = len(_CJK.findall(text))
    n = n + cjk // CJK_CHARS_PER_WORD if cjk else n
    unspaced = len(_UNSPACED.findall(text))
    return n + unspaced // UNSPACED_CHARS_PER_WORD if unspaced else n


@lru_cache(maxsize=4096)
def is_prose(text: str) -> bool:
    """A sentence-bearing line: long, or of several words ending in terminal punctuation.

    The same test serves the rules and the metadata (where the headline ends and the body begins).
    """
    # a line of PROSE_LONG_WORDS space-separated words is long enough (word_count(text) is at least
    # that: its Han, kana and Thai letters only add words), and it is split no further than shows it
    n = count_words(text, PROSE_LONG_WORDS - 1)
    if n < PROSE_LONG_WORDS:
        n = word_count(text)
    return n >= PROSE_LONG_WORDS or (n >= PROSE_MIN_WORDS and text.rstrip("\"'”’)»」』").endswith(_SENTENCE_END))


def _count_per_line(pattern: re.Pattern, doc: str, starts: np.ndarray, n: int) -> np.ndarray:
    return _per_line([m.start() for m in pattern.finditer(doc)], starts, n)


def _per_line(pos: list[int], starts: np.ndarray, n: int) -> np.ndarray:
    """How many of the document offsets ``pos`` fall on each of the ``n`` lines."""
    if not pos:
        return np.zeros(n)
    idx = np.searchsorted(starts, np.asarray(pos), side="right") - 1
    return np.bincount(idx, minlength=n).astype(float)


def _said_per_line(doc: str, lengths: np.ndarray) -> np.ndarray:
    """Per line (of ``lengths``), the comment author verbs ("says:") that end it (see ``_SAYING``)."""
    pos = []
    for m in _COLON_END.finditer(doc):
        said = _SAYING.search(doc, max(0, m.start() - _SAYING_SPAN), m.start())
        if said:
            pos.append(said.start())
    return _per_line(pos, _starts(lengths), lengths.size) if pos else np.zeros(lengths.size)


def _starts(lengths: np.ndarray) -> np.ndarray:
    """Where each line starts in the lines of ``lengths`` joined by newlines."""
    starts = np.zeros(lengths.size, dtype=np.int64)
    starts[1:] = np.cumsum(lengths[:-1] + 1)
    return starts


# Character classes, one bit each, tabulated once over the Basic Multilingual Plane (code points
# above it are letters of other scripts): the Python path and the compiled one read this one table.
(_UPPER, _LOWER, _OTHER_LETTER, _DIGIT, _SPACE, _COMMA, _SEPARATOR, _QUOTE, _AT, _TERMINAL_MARK, _CLOSER,
 _ARROW, _COLON, _TOKEN_BREAK, _ASCII_LOWER, _ASCII_UPPER) = (1 << k for k in range(16))
# Per-line counts of the character pass, then of each pattern's matches (by the line a match starts
# on), then the token count and the count of each cue list's tokens.
LINE_STATS = ("upper", "letter", "digit", "space", "punct", "comma", "cap_start", "separator", "quote", "at",
              "camel", "terminal", "colon", "arrow", "lead_caps", *PATTERNS, "tokens", *BITS)


def _class_table() -> np.ndarray:
    cp = np.arange(0x10000, dtype=np.uint32)
    classes = (
        (_UPPER, ((cp >= 65) & (cp <= 90)) | ((cp >= 0xC0) & (cp <= 0xDE))),
        (_LOWER, ((cp >= 97) & (cp <= 122)) | ((cp >= 0xDF) & (cp <= 0x24F))),
        (_OTHER_LETTER, (cp >= 0x370) & ~((cp >= 0x2000) & (cp <= 0x2BFF)) & ~((cp >= 0x3000) & (cp <= 0x303F))),
        (_DIGIT, (cp >= 48) & (cp <= 57)),
        (_SPACE, cp == 32),
        (_COMMA, np.isin(cp, _codes(",、，"))),
        (_SEPARATOR, np.isin(cp, _codes("|»›·•/"))),
        (_QUOTE, np.isin(cp, _codes("\"“”«»„"))),
        (_AT, np.isin(cp, _codes("@©"))),
        (_TERMINAL_MARK, np.isin(cp, _codes(SENTENCE_MARKS))),
        (_CLOSER, np.isin(cp, _codes("\"'”’»)]"))),
        (_ARROW, np.isin(cp, _codes(">»›→"))),
        (_COLON, np.isin(cp, _codes(":："))),
        (_TOKEN_BREAK, np.isin(cp, _codes(_PUNCT_CHARS))),
        (_ASCII_LOWER, (cp >= 97) & (cp <= 122)),
        (_ASCII_UPPER, (cp >= 65) & (cp <= 90)),
    )
    table = np.zeros(cp.size, dtype=np.uint16)
    for bit, mask in classes:
        table[mask] |= bit
    return table


def _codes(chars: str) -> np.ndarray:
    return np.array([ord(c) for c in chars], dtype=np.uint32)


_CLASSES = _class_table()
_CLASSES_BYTES = _CLASSES.tobytes()


def line_stats(doc: str, lengths: np.ndarray, lang: str | None) -> np.ndarray:
    """Per-line counts (n lines x ``LINE_STATS``) of ``doc``, lines of ``lengths`` joined by newlines:
    one pass over the characters, the pattern matches and one pass over the lower-cased tokens, in C
    where the compiled helper is built (same numbers), else with numpy and re."""
    if native.AVAILABLE:
        out = np.zeros((lengths.size, len(LINE_STATS)))
        native.compiled.line_stats(doc, cue_book(lang), tuple(BITS.values()), _CLASSES_BYTES,
                                   _PATTERN_PARTS, out)
        return out
    starts = _starts(lengths)
    stats = _line_stats_numpy(doc, starts, starts + lengths, lang)
    return np.column_stack([stats[name] for name in LINE_STATS])


def _line_stats_numpy(doc: str, starts: np.ndarray, ends: np.ndarray, lang: str | None) -> dict[str, np.ndarray]:
    n = starts.size
    low_lines = _PUNCT.sub(" ", doc.lower()).split("\n")
    patterns = {name: _count_per_line(pattern, doc, starts, n) for name, pattern in PATTERNS.items()}
    return {**_char_stats(doc, starts, ends), **patterns, **_token_cues(low_lines, lang, n)}


def _char_stats(doc: str, starts: np.ndarray, ends: np.ndarray) -> dict[str, np.ndarray]:
    cp = np.frombuffer(doc.encode("utf-32-le"), dtype=np.uint32)
    flags = np.where(cp < 0x10000, _CLASSES[np.minimum(cp, 0xFFFF)], _OTHER_LETTER)
    upper, lower, other_letter = (flags & _UPPER) > 0, (flags & _LOWER) > 0, (flags & _OTHER_LETTER) > 0
    digit, space = (flags & _DIGIT) > 0, (flags & _SPACE) > 0
    letter = upper | lower | other_letter
    punct = ~(letter | digit | space) & (cp != 10)
    # a capitalised word starts with an upper-case letter after a space or at the line start
    prev_space = np.empty_like(space)
    prev_space[0] = True
    prev_space[1:] = space[:-1] | (cp[:-1] == 10)
    cap_start = upper & prev_space
    idx = starts.astype(np.int64)
    # leading run of capitalised words: cap-initial words before the first word that starts with
    # a lower-case or uncased letter ("Customers Leave Without Paying $690 Bill At Troy Steakhouse
    # A party of six ...": a teaser's headline glued to its lead)
    breaker = (lower | other_letter) & prev_space
    pos = np.arange(cp.size)
    first_break = np.minimum(np.minimum.reduceat(np.where(breaker, pos, cp.size), idx), ends)
    caps_before = np.concatenate([[0], np.cumsum(cap_start)])
    # "RenovationMichigan", "HomeNewsSports": words glued where the page had separate elements
    camel = np.zeros_like(space)
    camel[1:] = ((flags[:-1] & _ASCII_LOWER) > 0) & ((flags[1:] & _ASCII_UPPER) > 0)
    out = {}
    for name, mask in (("upper", upper), ("letter", letter), ("digit", digit), ("space", space),
                       ("punct", punct), ("comma", (flags & _COMMA) > 0), ("cap_start", cap_start),
                       ("separator", (flags & _SEPARATOR) > 0), ("quote", (flags & _QUOTE) > 0),
                       ("at", (flags & _AT) > 0), ("camel", camel)):
        out[name] = np.add.reduceat(mask.astype(np.int32), idx).astype(float)
    last = flags[ends - 1]
    before = flags[np.maximum(ends - 2, starts)]
    terminal = (last & _TERMINAL_MARK) > 0
    out["terminal"] = (terminal | ((last & _CLOSER) > 0) & ((before & _TERMINAL_MARK) > 0)).astype(float)
    out["colon"] = ((last & _COLON) > 0).astype(float)
    out["arrow"] = ((last & _ARROW) > 0).astype(float)
    out["lead_caps"] = (caps_before[first_break] - caps_before[idx]).astype(float)
    return out


@lru_cache(maxsize=64)
def _codebook(lang: str | None) -> dict[str, int]:
    return codebook(stopwords(lang))


@lru_cache(maxsize=64)
def cue_book(lang: str | None):
    """The codebook of ``lang`` as the compiled helpers read it (line_stats, rules' rule_cues): a table
    they look words up in by their characters, without a string made of each."""
    return native.compiled.word_book(_codebook(lang))


def _token_cues(low_lines: list[str], lang: str | None, n: int) -> dict[str, np.ndarray]:
    """Per-line token count and count of tokens in each cue list, from one pass over tokens."""
    book = _codebook(lang)
    toks = [t.split() for t in low_lines]
    counts = np.fromiter(map(len, toks), dtype=np.int64, count=n)
    get = book.get
    codes = np.fromiter((get(w, 0) for line in toks for w in line), dtype=np.int64, count=int(counts.sum()))
    line_of = np.repeat(np.arange(n), counts)
    out = {"tokens": counts.astype(float)}
    for name, bit in BITS.items():
        out[name] = np.bincount(line_of, weights=(codes & bit) > 0, minlength=n)
    return out


class _ColumnsByName:
    """The columns of the line statistics by name (``LINE_STATS``), a view made when asked for."""

    __slots__ = ("stats",)

    def __init__(self, stats: np.ndarray):
        self.stats = stats

    def __getitem__(self, name: str) -> np.ndarray:
        return self.stats[:, _STAT_COL[name]]


_STAT_COL = {name: k for k, name in enumerate(LINE_STATS)}


def base_features(lines: Sequence[Line], lang: str | None) -> np.ndarray:
    """Per-line features of the line alone (n x len(BASE_NAMES))."""
    n = len(lines)
    texts = texts_of(lines)
    doc = "\n".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    stats = line_stats(doc, lengths, lang)
    cs = _ColumnsByName(stats)
    if is_cjk(lang):
        low_lines = _PUNCT.sub(" ", doc.lower()).split("\n")
        single = frozenset(w for w in stopwords(lang) if len(w) == 1)
        stops = np.fromiter((sum(map(single.__contains__, t)) for t in low_lines), dtype=float, count=n)
        words = np.maximum(cs["letter"] / 2.0 + cs["space"], 1.0)
    elif is_unspaced(lang):
        pattern = stopword_pattern(lang)
        stops = np.fromiter((len(pattern.findall(t)) for t in doc.lower().split("\n")), dtype=float, count=n)
        words = np.maximum(cs["letter"] / UNSPACED_LETTERS_PER_WORD + cs["space"], 1.0)
    else:
        stops = np.ascontiguousarray(cs["stop"])
        words = np.maximum(cs["tokens"], 1.0)
    repeated = _recurring(texts)
    said = (_said_per_line(doc, lengths) > 0).astype(float)
    chars = lengths.astype(float)
    if _BASE_COMPILED:
        f = np.empty((n, len(BASE_NAMES)))
        native.compiled.base_columns(stats, _CUE_COLUMNS, list(lines), stops, words, chars, repeated, said, _BASE_LIMITS, f,
                                     Line, LINE_SLOTS)
        f[:, _LOGGED_BASE] = np.log1p(f[:, _LOGGED_BASE])  # (counts there: numpy's log1p, as below)
        return f
    return _base_numpy(lines, cs, stops, words, chars, repeated, said)


def _recurring(texts: list[str]) -> np.ndarray:
    """1.0 for each text that occurs more than once among ``texts``, else 0.0 (in C where the compiled
    helper is built: the same, without a Counter's dict and a lookup a line)."""
    out = np.zeros(len(texts))
    if native.AVAILABLE:
        native.compiled.recurring(texts, out)
        return out
    counts = Counter(texts)
    if len(counts) < len(texts):
        out[:] = np.fromiter(map(counts.__getitem__, texts), dtype=np.int64, count=len(texts)) > 1
    return out


def _base_numpy(lines: Sequence[Line], cs: _ColumnsByName, stops: np.ndarray, words: np.ndarray,
                chars: np.ndarray, repeated: np.ndarray, said: np.ndarray) -> np.ndarray:
    """base_features from the line statistics: numpy's twin of the compiled base_columns."""
    n = len(lines)
    letters = np.maximum(cs["letter"], 1.0)
    f = np.zeros((n, len(BASE_NAMES)))
    f[:, _COL["log_chars"]] = np.log1p(chars)
    f[:, _COL["log_words"]] = np.log1p(words)
    f[:, _COL["stop_ratio"]] = np.minimum(stops / words, 1.0)
    f[:, _COL["end_terminal"]] = cs["terminal"]
    f[:, _COL["end_ellipsis"]] = cs["ellipsis"] > 0
    f[:, _COL["end_colon"]] = cs["colon"]
    f[:, _COL["punct_ratio"]] = cs["punct"] / chars
    f[:, _COL["digit_ratio"]] = cs["digit"] / chars
    f[:, _COL["upper_ratio"]] = cs["upper"] / letters
    f[:, _COL["title_ratio"]] = np.minimum(cs["cap_start"] / words, 1.0)
    f[:, _COL["all_caps"]] = (cs["upper"] >= 2) & (cs["upper"] == cs["letter"])
    f[:, _COL["link_share"]] = np.minimum(np.fromiter((ln.anchor_chars for ln in lines), float, n) / chars, 1.0)
    f[:, _COL["has_link"]] = np.fromiter((bool(ln.links) for ln in lines), float, n)
    f[:, _COL["heading"]] = np.fromiter((ln.heading for ln in lines), float, n)
    f[:, _COL["list_item"]] = np.fromiter((ln.list_item for ln in lines), float, n)
    f[:, _COL["blank_before"]] = np.fromiter((ln.blank_before for ln in lines), float, n)
    f[:, _COL["log_sentences"]] = np.log1p(cs["sentence"])
    f[:, _COL["comma_ratio"]] = cs["comma"] / words
    f[:, _COL["avg_word_len"]] = np.minimum(letters / words, 20.0) / 10.0
    f[:, _COL["short"]] = words <= 3
    f[:, _COL["repeated"]] = repeated
    f[:, _COL["rel_pos"]] = np.arange(n) / max(n - 1, 1)
    f[:, _COL["pat_byline"]] = cs["byline"]
    f[:, _COL["pat_date"]] = np.minimum(cs["numdate"] + cs["month"], 3.0)
    f[:, _COL["pat_counter"]] = cs["counter"]
    f[:, _COL["pat_cta"]] = np.minimum(cs["cta"], 3.0)
    f[:, _COL["pat_social"]] = np.minimum(cs["social"], 3.0)
    f[:, _COL["pat_url"]] = np.minimum(cs["url"] + cs["at"], 3.0)
    f[:, _COL["pat_legal"]] = np.minimum(cs["legal"], 3.0)
    f[:, _COL["pat_separator"]] = np.minimum(cs["separator"], 5.0)
    f[:, _COL["pat_quote"]] = np.minimum(cs["quote"], 3.0)
    f[:, _COL["end_arrow"]] = cs["arrow"]
    f[:, _COL["lead_caps"]] = np.minimum(cs["lead_caps"], LEAD_CAPS_MAX)
    unterminated = cs["terminal"] == 0
    f[:, _COL["comment_head"]] = (words <= COMMENT_HEAD_MAX_WORDS) & unterminated & (cs["comment"] > 0)
    f[:, _COL["related_head"]] = (words <= SECTION_HEAD_MAX_WORDS) & unterminated & (cs["related"] > 0)
    f[:, _COL["pat_said"]] = said
    f[:, _COL["camel_joins"]] = np.minimum(cs["camel"], CAMEL_MAX)
    return f


# What the compiled twin of _base_numpy reads: the line statistics' cue-list columns, the word and
# count limits; it leaves counts in the columns numpy's log1p is then applied to. It writes the
# columns in the order of its own BASE_NAMES, used only where that is this module's.
_CUE_COLUMNS = tuple(LINE_STATS.index(k) for k in ("month", "cta", "social", "url", "legal", "comment", "related"))
_BASE_LIMITS = (SECTION_HEAD_MAX_WORDS, COMMENT_HEAD_MAX_WORDS, CAMEL_MAX, LEAD_CAPS_MAX)
_LOGGED_BASE = [_COL[k] for k in ("log_chars", "log_words", "log_sentences")]
_BASE_COMPILED = native.AVAILABLE and tuple(getattr(native.compiled, "BASE_NAMES", ())) == BASE_NAMES


def _shift(col: np.ndarray, off: int) -> np.ndarray:
    """``col`` (a column, or columns side by side) moved so row i holds row i+off's value; zeros
    past the ends."""
    out = np.zeros_like(col)
    if off > 0:
        out[:-off] = col[off:]
    else:
        out[-off:] = col[:off]
    return out


def _window_mean(col: np.ndarray, half: int) -> np.ndarray:
    """Mean of ``col`` (a column, or columns side by side) over rows i-half..i+half, counting rows
    past the ends as zeros."""
    rest = col.shape[1:]
    padded = np.concatenate([np.zeros((half + 1, *rest)), col, np.zeros((half, *rest))])
    c = np.cumsum(padded, axis=0)
    return (c[2 * half + 1:] - c[: -2 * half - 1]) / (2 * half + 1)


def _region(base: np.ndarray, words_min: int = PROSE_MIN_WORDS) -> np.ndarray:
    n = base.shape[0]
    words = np.expm1(base[:, _COL["log_words"]])
    prose = (words >= words_min) & (base[:, _COL["end_terminal"]] > 0)
    mass = np.expm1(base[:, _COL["log_chars"]]) * prose
    dens = _window_mean(mass, DENSITY_WINDOW // 2)
    peak = dens.max()
    rel = dens / peak if peak > 0 else np.zeros(n)
    inside = np.flatnonzero(rel >= MAIN_REGION_SHARE)
    idx = np.arange(n)
    if inside.size:
        lo, hi = inside[0], inside[-1]
    else:
        lo, hi = 0, n - 1
    dist = np.where(idx < lo, lo - idx, np.where(idx > hi, idx - hi, 0))
    total = max(mass.sum(), 1.0)
    before = (np.cumsum(mass) - mass) / total
    run_rel, before_core, after_core = _core_run(base, words)
    legal = base[:, _COL["pat_legal"]] > 0
    after_legal = (np.cumsum(legal) - legal) > 0
    comment = (base[:, _COL["comment_head"]] > 0) | (base[:, _COL["pat_said"]] > 0)
    comment_above = (np.cumsum(comment) - comment) > 0
    comment_below = (np.cumsum(comment[::-1])[::-1] - comment) > 0
    return np.column_stack([
        rel, idx < lo, idx > hi, np.log1p(dist), np.full(n, np.log1p(n)), np.full(n, prose.mean()),
        before, 1.0 - before - mass / total, run_rel, _window_mean(run_rel, CONTEXT_WINDOW),
        before_core, after_core, after_legal, comment_above, comment_below,
        np.log1p(_lines_since(base[:, _COL["related_head"]] > 0)),
        _periodic(base, words),
    ])


def _periodic(base: np.ndarray, words: np.ndarray) -> np.ndarray:
    """How much the lines around each line repeat a pattern of mixed line shapes.

    A list of teasers repeats headline / author / lead, a comment thread name / date / text, every
    two to four lines; an article's paragraphs repeat one shape, which does not count here. Only
    lines that are part of the pattern score, so the paragraph next to a teaser list does not.
    """
    n = base.shape[0]
    size = np.digitize(words, (4, 10, 20))
    titled = (base[:, _COL["title_ratio"]] >= 0.6) & (words < 10)
    shape = size * 4 + base[:, _COL["end_terminal"]].astype(int) * 2 + titled
    best = np.zeros(n)
    for k in PERIODS:
        if n <= k:
            break
        hit = np.zeros(n, dtype=bool)  # line i has the shape of line i+k, and another than line i+1
        hit[:-k] = (shape[:-k] == shape[k:]) & (shape[:-k] != shape[1:n - k + 1])
        part = hit.copy()  # ... and line i is part of such a pair (not a paragraph next to the list)
        part[k:] |= hit[:-k]
        best = np.maximum(best, part * _window_mean(hit.astype(float), PERIODIC_HALF))
    return best


def _lines_since(mark: np.ndarray) -> np.ndarray:
    """Lines since the nearest marked line above (the line count plus one when there is none)."""
    n = mark.shape[0]
    idx = np.arange(n)
    last = np.maximum.accumulate(np.where(mark, idx, -1))
    prev = np.concatenate([[-1], last[:-1]])  # strictly above
    return np.where(prev >= 0, idx - prev, n + 1).astype(float)


def _core_run(base: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The article's core is the longest run of consecutive prose-length lines (by characters).

    Returns each line's run size relative to the core, and log line distances before/after the core.
    Teaser lists alternate headline, snippet and time stamp, so their runs stay short.
    """
    n = base.shape[0]
    prose = words >= PROSE_MIN_WORDS
    chars = np.expm1(base[:, _COL["log_chars"]]) * prose
    run_id = np.cumsum(~prose)  # consecutive prose lines share an id
    run_chars = np.bincount(run_id, weights=chars)
    per_line = run_chars[run_id] * prose
    peak = per_line.max()
    if peak <= 0:
        return np.zeros(n), np.zeros(n), np.zeros(n)
    core = np.flatnonzero(per_line == peak)
    idx = np.arange(n)
    return (per_line / peak, np.log1p(np.maximum(core[0] - idx, 0)),
            np.log1p(np.maximum(idx - core[-1], 0)))


def extract(lines: Sequence[Line], lang: str | None, *, dom: bool = False) -> np.ndarray:
    """Feature matrix (n lines x len(FEATURE_NAMES)) of ``lines``, a document's non-duplicate lines;
    with ``dom``, the DOM features follow (n x len(HTML_FEATURE_NAMES)), for the HTML model."""
    if not lines:
        return np.zeros((0, len(HTML_FEATURE_NAMES if dom else FEATURE_NAMES)))
    x = _text_features(lines, lang)
    return np.hstack([x, dom_features(lines)]) if dom else x


def _text_features(lines: Sequence[Line], lang: str | None) -> np.ndarray:
    base = base_features(lines, lang)
    return _context_compiled(base) if native.AVAILABLE else _context(base)


def _context(base: np.ndarray) -> np.ndarray:
    """The features of each line (``base``) beside those of its neighbours and windows around it,
    and where it lies relative to the main text (FEATURE_NAMES)."""
    near, far = base[:, _NEIGHBOUR_COLS], base[:, _FAR_COLS]
    return np.hstack([base, _shift(near, -1), _shift(near, 1), _shift(far, -2), _shift(far, 2),
                      _window_mean(base[:, _WINDOW_COLS], CONTEXT_WINDOW), _region(base)]).astype(np.float64)


_NEIGHBOUR_COLS = [_COL[k] for k in NEIGHBOUR_NAMES]
_FAR_COLS = [_COL[k] for k in FAR_NAMES]
_WINDOW_COLS = [_COL[k] for k in WINDOW_NAMES]
# What the compiled twin of _context reads: the columns and window sizes above, and the region
# columns it leaves as counts for numpy's log1p (libm's may differ from numpy's in the last bit).
_CONTEXT_COLUMNS = (tuple(_NEIGHBOUR_COLS), tuple(_FAR_COLS), tuple(_WINDOW_COLS), tuple(_COL[k] for k in (
    "end_terminal", "title_ratio", "pat_legal", "comment_head", "pat_said", "related_head")))
_CONTEXT_SIZES = (CONTEXT_WINDOW, DENSITY_WINDOW // 2, MAIN_REGION_SHARE, float(PROSE_MIN_WORDS), PERIODIC_HALF, PERIODS)
_LOGGED_REGION = [len(FEATURE_NAMES) - len(REGION_NAMES) + REGION_NAMES.index(k) for k in (
    "dist_main", "log_lines", "before_core", "after_core", "related_above")]


def _context_compiled(base: np.ndarray) -> np.ndarray:
    """``_context`` by the compiled helper (the same numbers)."""
    out = np.empty((base.shape[0], len(FEATURE_NAMES)))
    words, chars = np.expm1(base[:, _COL["log_words"]]), np.expm1(base[:, _COL["log_chars"]])
    native.compiled.context_features(base, words, chars, _CONTEXT_COLUMNS, _CONTEXT_SIZES, out)
    out[:, _LOGGED_REGION] = np.log1p(out[:, _LOGGED_REGION])
    return out


# The HTML model's own features: what the element each line's text comes from is (``lines.dom``):
# its kind of tag, how near it sits to an article, content, chrome, related, comment, meta or
# hidden element, its link density and size; and the same around it.
_TAG_KINDS = ("p", "heading", "item", "cell", "quote", "other")
_TAG_KIND = {"p": 1, **{f"h{k}": 2 for k in range(1, 7)}, "li": 3, "dt": 3, "dd": 3, "td": 4, "th": 4, "tr": 4,
             "table": 4, "pre": 5, "blockquote": 5}
DOM_BASE_NAMES = ("dom_missing", *(f"tag_{k}" for k in _TAG_KINDS), *(f"near_{g}" for g in DOM_GROUPS),
                  "link_density", "log_el_chars", "el_page_share", "log_depth", "same_element@-1",
                  "same_element@+1", "before_best", "after_best")
DOM_WINDOW_NAMES = ("link_density", *(f"near_{g}" for g in DOM_GROUPS))
DOM_FEATURE_NAMES = DOM_BASE_NAMES + tuple(f"{n}@win" for n in DOM_WINDOW_NAMES)
HTML_FEATURE_NAMES = FEATURE_NAMES + DOM_FEATURE_NAMES
_DOM_COL = {name: i for i, name in enumerate(DOM_BASE_NAMES)}
_NEAR = _DOM_COL[f"near_{DOM_GROUPS[0]}"]
_IN_LINK = DOM_GROUPS.index("link")  # text inside an anchor is all link text, whatever its element
_LINK_DENSITY, _LOG_CHARS, _PAGE_SHARE, _LOG_DEPTH, _BEFORE_BEST, _AFTER_BEST = (
    _DOM_COL[k] for k in ("link_density", "log_el_chars", "el_page_share", "log_depth", "before_best", "after_best"))


def dom_features(lines: Sequence[Line]) -> np.ndarray:
    """DOM feature matrix (n lines x len(DOM_FEATURE_NAMES)) from each line's ``dom`` facts (the
    lines of one page: their elements' facts are read at once, ``DomFacts.columns``)."""
    n = len(lines)
    base = np.zeros((n, len(DOM_BASE_NAMES)))
    doms = [ln.dom for ln in lines]
    at = [i for i, dom in enumerate(doms) if dom is not None]
    base[:, 0] = 1.0
    element = np.full(n, -1)
    if at:  # column-wise over the lines that have an element
        facts = doms[at[0]].facts
        if any(doms[i].facts is not facts for i in at):
            raise ValueError("dom_features reads the lines of one page")
        rows = np.array(at)
        element[rows] = [doms[i].index for i in at]
        c = facts.columns(element[rows])
        base[rows, 0] = 0.0
        base[rows, [_TAG_KIND.get(tag, 6) for tag in c.tags]] = 1.0
        near = c.near.astype(float)
        base[rows, _NEAR:_NEAR + near.shape[1]] = np.where(near >= 0, 1.0 / (1.0 + np.maximum(near, 0.0)), 0.0)
        chars, links = c.chars.astype(float), c.link_chars.astype(float)
        base[rows, _LINK_DENSITY] = np.where(near[:, _IN_LINK] >= 0, 1.0, links / np.maximum(chars, 1.0))
        base[rows, _LOG_CHARS] = np.log1p(chars)
        base[rows, _PAGE_SHARE] = chars / max(float(c.page_chars), 1.0)
        base[rows, _LOG_DEPTH] = np.log1p(c.depth.astype(float))
        base[rows, _BEFORE_BEST] = c.side < 0
        base[rows, _AFTER_BEST] = c.side > 0
    same = ((element[1:] == element[:-1]) & (element[1:] >= 0)).astype(float)
    base[1:, _DOM_COL["same_element@-1"]] = same
    base[:-1, _DOM_COL["same_element@+1"]] = same
    windows = _window_mean(base[:, [_DOM_COL[k] for k in DOM_WINDOW_NAMES]], CONTEXT_WINDOW)
    return np.column_stack([base, windows]) if n else np.zeros((0, len(DOM_FEATURE_NAMES)))


# The lines around a line whose earlier scores a later stage reads, the half-widths of the windows
# it reads their mean over, and the score from which a line counts as body there.
_SCORE_OFFSETS, _SCORE_WINDOWS, _SCORE_BODY = (-3, -2, -1, 1, 2, 3), (2, 5, 10), 0.5
SCORE_CONTEXT_NAMES = (
    tuple(f"score@{off:+d}" for off in _SCORE_OFFSETS) + tuple(f"score@win{h}" for h in _SCORE_WINDOWS)
    + ("score_max_before", "score_max_after", "body_share_before", "body_share_after", "body_run")
)


def score_context(p: np.ndarray) -> np.ndarray:
    """How the neighbours of each line were scored by an earlier stage (n x SCORE_CONTEXT_NAMES).

    Lets a later stage see runs: a prose-like teaser far from any confident body line, or a
    heading between two confident paragraphs.
    """
    if native.AVAILABLE and p.shape[0]:
        out = np.empty((p.shape[0], len(SCORE_CONTEXT_NAMES)))
        native.compiled.score_context(np.ascontiguousarray(p, dtype=np.float64), _SCORE_OFFSETS, _SCORE_WINDOWS,
                                      _SCORE_BODY, out)
        run = out[:, -1]  # the run's length, signed: numpy's log1p of it (as below)
        out[:, -1] = np.copysign(np.log1p(np.abs(run)), run)
        return out
    n = p.shape[0]
    cols = [_shift(p, off) for off in _SCORE_OFFSETS]
    cols += [_window_mean(p, h) for h in _SCORE_WINDOWS]
    before = np.maximum.accumulate(np.concatenate([[0.0], p[:-1]]))
    after = np.concatenate([np.maximum.accumulate(p[::-1])[:-1][::-1], [0.0]])
    body = p >= _SCORE_BODY
    seen = np.cumsum(body) - body
    cols += [before, after, seen / max(n, 1), (body.sum() - seen - body) / max(n, 1)]
    run_id = np.cumsum(np.concatenate([[0], body[1:] != body[:-1]]))
    run_len = np.bincount(run_id)[run_id]
    cols.append(np.where(body, np.log1p(run_len), -np.log1p(run_len)))
    return np.column_stack(cols)
