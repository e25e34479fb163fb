"""Pseudo-translation: labelled English pages re-worded into other languages and scripts.

The training pages are nearly all English, so the classifier learned to lean on English cue words
("Read more", "Related", "By ...") and on what English text looks like. A page in a language the
cue lists do not cover has none of those, and scripts without spaces or case change what a word
and a capital are. Each word of a page (and of its gold text, the same way) is replaced by the word
of the same frequency rank in another language (wordfreq's lists): function words stay function
words and common words stay common, while cue words lose their meaning, as they do for the cue
lists in a language they do not know. Case follows the English word where the script has case;
Chinese and Japanese words are written without spaces, with their own punctuation. URLs and link
targets are left alone. Deterministic: the same page gives the same text on every machine.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

# Languages of the translated copies: scripts with and without case, with and without spaces.
LANGUAGES = ("ru", "ar", "zh", "hi", "tr", "ko", "pl", "bn", "id", "el")
# Words of each list used (wordfreq's lists are longer; rarer words add nothing here).
VOCABULARY = 40000
# English words outside the list map to a word of at least this rank (rare stays rare).
RARE_RANK = 3000
_NO_SPACE = frozenset({"zh", "ja"})
_LATIN_SCRIPT = frozenset({"tr", "pl", "id", "de", "fr", "es", "it", "nl", "cs", "vi", "sv"})
_PUNCT = {
    "zh": {".": "。", ",": "，", "?": "？", "!": "！", ":": "：", ";": "；"},
    "ja": {".": "。", ",": "、", "?": "？", "!": "！", ":": "：", ";": "；"},
    "hi": {".": "।"},
    "bn": {".": "।"},
    "ar": {",": "،", "?": "؟", ";": "؛"},
    "fa": {",": "،", "?": "؟", ";": "؛"},
}
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")
# Left as they are: link targets of the dump styles, URLs and e-mail addresses.
_PROTECTED = re.compile(r"<[^<>\s]+>|\]\([^)\s]*\)|https?://\S+|www\.\S+|\S+@\S+\.\w+")
_JOIN = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_AFTER_WORD_PUNCT = re.compile(r"(?<=[^\x00-\x7f])([.,?!:;])(?= |$)", re.M)
_AFTER_WORD_PUNCT_NO_SPACE = re.compile(r"(?<=[^\x00-\x7f])([.,?!:;])(?: |$)", re.M)


def language_for(doc_id: str) -> str:
    """The language a page's translated copy is written in (fixed per page)."""
    return LANGUAGES[zlib.crc32(doc_id.encode()) % len(LANGUAGES)]


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> tuple[dict[str, str], tuple[str, ...]]:
    import wordfreq

    def letters(w: str) -> bool:
        return all(unicodedata.category(c)[0] in "LM" for c in w)

    english = [w for w in wordfreq.top_n_list("en", VOCABULARY) if w.isascii() and w.isalpha()]
    latin = lang in _LATIN_SCRIPT  # other scripts' lists also hold English loans: left out
    target = tuple(w for w in wordfreq.top_n_list(lang, 2 * VOCABULARY) if letters(w) and (latin or not w.isascii()))
    if lang == "el":  # wordfreq folds the final sigma
        target = tuple(re.sub("σ$", "ς", w) for w in target)
    return dict(zip(english, target)), target


def _word(word: str, lang: str) -> str:
    by_rank, words = _lexicon(lang)
    low = word.lower()
    out = by_rank.get(low)
    if out is None:
        start = min(RARE_RANK, len(words) - 1)
        out = words[start + zlib.crc32(low.encode()) % (len(words) - start)]
    if out.upper() != out:  # a script with case: follow the English word's
        if len(word) > 1 and word.isupper():
            return out.upper()
        if word[0].isupper():
            return out[0].upper() + out[1:]
    return out


def _translate_plain(text: str, lang: str) -> str:
    out = _ENGLISH_WORD.sub(lambda m: _word(m.group(0), lang), text)
    no_space = lang in _NO_SPACE
    if no_space:
        out = _JOIN.sub("", out)
    punct = _PUNCT.get(lang)
    if punct:
        pattern = _AFTER_WORD_PUNCT_NO_SPACE if no_space else _AFTER_WORD_PUNCT
        out = pattern.sub(lambda m: punct.get(m.group(1), m.group(0)), out)
    return out


def pseudo_translate(text: str | None, lang: str) -> str | None:
    """``text`` with every English word replaced by its counterpart in ``lang``."""
    if not text:
        return text
    parts, last = [], 0
    for m in _PROTECTED.finditer(text):
        parts += [_translate_plain(text[last:m.start()], lang), m.group(0)]
        last = m.end()
    parts.append(_translate_plain(text[last:], lang))
    return "".join(parts)


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def for_scoring(text: str) -> str:
    """``text`` with Han, kana and Hangul characters set apart: the benchmark's scorer counts
    ``\\w+`` tokens, which in Chinese or Japanese would be whole sentences."""
    return _CJK_CHAR.sub(lambda m: f" {m.group(0)} ", text or "")


def scoring(translate: str | None):
    """What an extractor's text goes through before scoring: ``for_scoring`` on translated pages,
    nothing on the pages as they are."""
    return for_scoring if translate else (lambda text: text)


def translated_labelled(pages: dict[str, tuple[str, dict]], lang: str, *, html: bool) -> dict[str, tuple[str, dict]]:
    """Labelled pages (``html``) or dumps, id -> (content, gold record), with content and gold
    translated into ``lang`` and the gold's text set apart for scoring (``for_scoring``)."""
    out = {}
    for doc_id, (content, rec) in pages.items():
        content = pseudo_translate_html(content, lang) if html else pseudo_translate(content, lang)
        if content is not None:  # (a page lxml cannot hold is left out, as training leaves it out)
            out[doc_id] = (content, {**rec, "articleBody": for_scoring(pseudo_translate(rec["articleBody"], lang))})
    return out


_TRANSLATED_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")


def pseudo_translate_html(html: str, lang: str) -> str | None:
    """The page with the text of its elements (not scripts, styles or class names) translated;
    None for a page lxml cannot hold (control characters, nothing to parse)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
        return etree.tostring(_translate_tree(root, lang), encoding="unicode", method="html")
    except (ValueError, etree.ParserError):
        return None


def _translate_tree(root, lang: str):
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions: only their tail is text
            el.tail = pseudo_translate(el.tail, lang)
            continue
        if el.tag not in ("script", "style"):
            el.text = pseudo_translate(el.text, lang)
        el.tail = pseudo_translate(el.tail, lang)
        for name in _TRANSLATED_ATTRIBUTES:
            if el.get(name):
                el.set(name, pseudo_translate(el.get(name), lang))
        if el.tag == "meta" and el.get("content") and (el.get("property") or el.get("name") or "").lower() in (
                "og:title", "og:description", "description", "twitter:title", "twitter:description"):
            el.set("content", pseudo_translate(el.get("content"), lang))
    return root
