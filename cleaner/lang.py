"""Language of a document and its stop words, for features that must not assume English."""
from __future__ import annotations

import re
from functools import lru_cache

# Characters of text sampled for identification: enough for a stable guess (py3langid's
# accuracy plateaus well below this), and its per-byte Python loop stays cheap.
LANG_SAMPLE_CHARS = 1000
# Lines shorter than this are mostly navigation and say little about the language.
LANG_MIN_LINE_CHARS = 40
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_LANGS = frozenset({"ja", "zh", "ko"})


def detect_language(texts: list[str]) -> str | None:
    """ISO 639-1 code of the dominant language of ``texts`` (lines), or None for no text."""
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
    import py3langid  # lazy: loading its model costs a fraction of a second, once

    return py3langid.classify(text)[0]


@lru_cache(maxsize=64)
def stopwords(lang: str | None) -> frozenset[str]:
    """Stop words of ``lang`` from the maintained stopwords-iso collection (English fallback)."""
    import stopwordsiso

    code = lang if lang and stopwordsiso.has_lang(lang) else "en"
    return frozenset(w.lower() for w in stopwordsiso.stopwords(code))


def is_cjk(lang: str | None) -> bool:
    return lang in CJK_LANGS


def cjk_chars(text: str) -> int:
    """Count of CJK characters: the unit of word counting for scripts written without spaces."""
    return len(_CJK.findall(text))
