"""The benchmark's metric: 4-gram shingle precision, recall and F1 per document and overall.

Tokens are ``\\w+`` runs; each document's (tp, fp, fn) over shingle multisets is normalised so
documents weigh the same; precision and recall are means over documents and F1 is their harmonic
mean (the ScrapingHub article-extraction benchmark's definition).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"\w+")
NGRAM = 4


def shingles(text: str) -> Counter:
    toks = WORD.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < NGRAM:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + NGRAM]) for i in range(len(toks) - NGRAM + 1))


@dataclass(frozen=True)
class DocScore:
    id: str
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None
        return 1.0 if self.fp == 0 and self.fn == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None
        return 1.0 if self.fp == 0 and self.fn == 0 else self.tp / (self.tp + self.fn)


def score_doc(doc_id: str, gold: str, pred: str) -> DocScore:
    g, p = shingles(gold), shingles(pred)
    tp = sum(min(c, p[k]) for k, c in g.items())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return DocScore(doc_id, 0.0, 0.0, 0.0)
    return DocScore(doc_id, tp / total, fp / total, fn / total)


def overall(scores: list[DocScore]) -> dict[str, float]:
    precs = [s.precision for s in scores if s.precision is not None]
    recs = [s.recall for s in scores if s.recall is not None]
    p = sum(precs) / len(precs) if precs else 0.0
    r = sum(recs) / len(recs) if recs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "documents": len(scores)}


def load_texts(path: Path) -> dict[str, str]:
    """id -> text from a JSON map (id -> text or {"articleBody"|"body"|"text": ...}), a JSONL file
    of records with id and body/text, or a folder of <id>.txt files.
    Raises ValueError naming the file (and line) where it holds something else."""
    if path.is_dir():
        return {p.stem: _read(p) for p in sorted(path.glob("*.txt"))}
    raw = _read(path)
    if path.suffix == ".jsonl":
        texts = {}
        for n, ln in enumerate(raw.splitlines(), 1):
            if ln.strip():
                rec = _json(ln, f"{path}:{n}")
                if not isinstance(rec, Mapping) or "id" not in rec:
                    raise ValueError(f"{path}:{n}: a record with an id was expected")
                texts[str(rec["id"])] = _text(rec)
        return texts
    data = _json(raw, str(path))
    if isinstance(data, Mapping) and set(data) == {"version", "output"}:
        data = data["output"]
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: a JSON object of id -> text was expected, not a {type(data).__name__}")
    for k, v in data.items():
        if not isinstance(v, (str, Mapping)):
            raise ValueError(f"{path}: the text of {k!r} is a {type(v).__name__}, not a string or a record")
    return {str(k): v if isinstance(v, str) else _text(v) for k, v in data.items()}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None


def _json(text: str, where: str) -> object:
    try:
        return json.loads(text)
    except ValueError as e:
        raise ValueError(f"{where}: not JSON ({e})") from None


def _text(rec: Mapping) -> str:
    for key in ("articleBody", "body", "text"):
        if isinstance(rec.get(key), str):
            return rec[key]
    return ""
