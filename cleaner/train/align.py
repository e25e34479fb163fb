"""Line labels from gold text: a line is body when its word 4-grams are mostly in the gold.

The gold was often rewritten (whitespace, entities, dropped captions), so matching is by token
shingles, not strings. Lines too short for a 4-gram are body when their words occur in the gold in
that order and a neighbouring line is body (a heading inside the article, not a menu word that
happens to occur in it).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Line

TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W_]+")
NGRAM = 4
# Share of a line's 4-grams found in the gold from which it is body.
MIN_COVER = 0.5
# How many lines away a body line may be to vouch for a short line.
SHORT_REACH = 2


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


class Gold:
    """Shingle sets of a gold text for fast coverage queries."""

    def __init__(self, text: str):
        toks = tokens(text)
        self.shingles = {tuple(toks[i:i + NGRAM]) for i in range(len(toks) - NGRAM + 1)}
        self.short = {tuple(toks[i:i + k]) for k in range(1, NGRAM) for i in range(len(toks) - k + 1)}

    def cover(self, toks: list[str]) -> float:
        grams = [tuple(toks[i:i + NGRAM]) for i in range(len(toks) - NGRAM + 1)]
        return sum(g in self.shingles for g in grams) / len(grams) if grams else 0.0


def label_lines(lines: Sequence[Line], gold_text: str) -> list[int]:
    """1 for body, 0 for the rest, per line."""
    gold = Gold(gold_text)
    toks = [tokens(ln.text) for ln in lines]
    labels = [0] * len(lines)
    short = []
    for i, t in enumerate(toks):
        if len(t) >= NGRAM:
            labels[i] = int(gold.cover(t) >= MIN_COVER)
        elif t and tuple(t) in gold.short:
            short.append(i)
    long_body = [i for i, t in enumerate(toks) if len(t) >= NGRAM and labels[i]]
    body_set = set(long_body)
    for i in short:
        if any(j in body_set for j in range(i - SHORT_REACH, i + SHORT_REACH + 1)):
            labels[i] = 1
    return labels
