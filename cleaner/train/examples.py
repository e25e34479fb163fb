"""Training examples: labelled pages rendered to dumps in every style, as line features and labels.

The same ``features.extract`` as at runtime turns each dump's lines into features; ``align`` labels
them against the page's gold text. Features are cached on disk per version of the code that makes them.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..features import FEATURE_NAMES, extract
from ..errors import InputError
from ..lang import detect_language
from ..lines.html import html_to_text
from ..lines.text import to_lines
from .align import label_lines
from .dataset import STYLES, Page, iter_pages, load_dumps_module, render_cached

# Training styles: the five renderers, plain without blank lines between paragraphs, and "html":
# the page as cleaner's HTML path renders it (furniture pruned by markup, then html_text), so the
# model knows the lines HTML input gives it, such as an article's last paragraph ending the page.
TRAIN_STYLES = STYLES + ("plain-nb", "html")


@dataclass
class DocData:
    set: str
    id: str
    style: str
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


def doc_data(page: Page, style: str, text: str) -> DocData | None:
    """Features and labels of one rendered dump (None when it has no lines)."""
    if style == "plain-nb":
        text = "\n".join(ln for ln in text.split("\n") if ln.strip())
    lines = [ln for ln in to_lines(text) if not ln.duplicate]
    if not lines:
        return None
    lang = detect_language([ln.text for ln in lines])
    x = extract(lines, lang)
    y = np.asarray(label_lines(lines, page.gold), dtype=float)
    # each document weighs the same; within it, lines weigh by their words (capped), as the metric does
    words = np.minimum(np.expm1(x[:, FEATURE_NAMES.index("log_words")]), 200.0) + 1.0
    w = words / words.sum()
    return DocData(page.set, page.id, style, x, y, w)


def _code_key() -> str:
    """Hash of the code that turns dumps into features and labels: a cache key."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha1()
    for rel in ("features.py", "vocab.py", "lang.py", "lines/text.py", "lines/markup.py", "lines/unwrap.py",
                "lines/glue.py", "lines/html.py", "train/align.py", "train/examples.py"):
        h.update((root / rel).read_bytes())
    return h.hexdigest()[:12]


def load_docs(data_dir: Path, cache: Path, sets: tuple[str, ...]) -> list[DocData]:
    """All training dumps as features and labels, cached in one .npz per code version."""
    path = cache / f"features-{'_'.join(sets)}-{_code_key()}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:  # each z[key] reads the array anew: once only
            x, y, w, sizes = z["x"], z["y"], z["w"], z["sizes"]
            meta = list(zip(z["sets"], z["ids"], z["styles"]))
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        return [DocData(str(s), str(i), str(st), x[a:b], y[a:b], w[a:b])
                for (s, i, st), a, b in zip(meta, bounds[:-1], bounds[1:])]
    docs = list(iter_docs(data_dir, cache, sets))
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=np.vstack([d.x for d in docs]), y=np.concatenate([d.y for d in docs]),
             w=np.concatenate([d.w for d in docs]), sizes=np.array([len(d.y) for d in docs]),
             sets=np.array([d.set for d in docs]), ids=np.array([d.id for d in docs]),
             styles=np.array([d.style for d in docs]))
    return docs


def iter_docs(data_dir: Path, cache: Path, sets: tuple[str, ...]) -> Iterator[DocData]:
    dumps = load_dumps_module(data_dir.parent)
    for page in iter_pages(data_dir, sets):
        for style in TRAIN_STYLES:
            if style == "html":
                text = _html_path_text(page)
            else:
                text = render_cached(page, "plain" if style == "plain-nb" else style, cache, dumps)
            d = doc_data(page, style, text)
            if d is not None:
                yield d


def _html_path_text(page: Page) -> str:
    """The page's text as ``clean()`` renders HTML (not cached: it follows the code, and is fast)."""
    try:
        return html_to_text(page.html)
    except InputError:
        return ""


def is_held_out(doc_id: str) -> bool:
    """A fixed tenth of the pages, chosen by hash, for validation."""
    return hashlib.sha1(doc_id.encode()).digest()[0] % 10 == 0
