"""Training examples: labelled pages rendered to dumps in every style, as line features and labels.

The same ``features.extract`` as at runtime turns each dump's lines into features; ``align`` labels
them against the page's gold text. Features are cached on disk per version of the code that makes them.
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..features import FEATURE_NAMES, extract
from ..errors import InputError
from ..lang import detect_language
from ..lines.html import attach, html_to_blocks
from ..lines.text import to_lines
from .align import label_lines
from .augment import language_for, pseudo_translate, pseudo_translate_html
from .dataset import STYLES, TRAIN_PAGE_TYPES, Page, iter_pages, load_dumps_module, page_type, render_cached

# A style name ending so is a copy of the page re-worded into another language (augment.py): the
# pages are nearly all English, and without such copies the model leaned on English cue words and
# lost 0.05-0.18 F1 on pages pseudo-translated into other languages and scripts.
TRANSLATED = "-translated"
# Training styles: the five renderers, plain without blank lines between paragraphs, "html": the
# page as cleaner's HTML path renders it (furniture pruned by markup, then html_text), so the model
# knows the lines HTML input gives it, such as an article's last paragraph ending the page; and the
# plain dump translated.
TRAIN_STYLES = STYLES + ("plain-nb", "html", "plain" + TRANSLATED)
# The HTML model's style: the same lines with the DOM facts of the elements they come from.
HTML_STYLE = "html-dom"
HTML_STYLES = (HTML_STYLE, HTML_STYLE + TRANSLATED)


@dataclass
class DocData:
    set: str
    id: str
    style: str
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


def doc_data(page: Page, style: str, text: str, doms: dict | None = None) -> DocData | None:
    """Features and labels of one rendered dump (None when it has no lines); with ``doms`` (the
    HTML path's DOM facts by text line), the HTML model's features."""
    if style == "plain-nb":
        text = "\n".join(ln for ln in text.split("\n") if ln.strip())
    all_lines = to_lines(text)
    if doms is not None:
        attach(all_lines, {}, doms)
    lines = [ln for ln in all_lines if not ln.duplicate]
    if not lines:
        return None
    lang = detect_language([ln.text for ln in lines])
    x = extract(lines, lang, dom=doms is not None)
    y = np.asarray(label_lines(lines, page.gold), dtype=float)
    # each document weighs the same; within it, lines weigh by their words (capped), as the metric does
    words = np.minimum(np.expm1(x[:, FEATURE_NAMES.index("log_words")]), 200.0) + 1.0
    w = words / words.sum()
    return DocData(page.set, page.id, style, x, y, w)


def _code_key(styles: tuple[str, ...]) -> str:
    """Hash of the code that turns dumps in ``styles`` into features and labels: a cache key."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha1()
    extra = ("lines/dom.py", "lines/tree.py") if HTML_STYLE in styles else ()
    extra += ("train/augment.py",) if any(s.endswith(TRANSLATED) for s in styles) else ()
    for rel in ("features.py", "vocab.py", "lang.py", "lines/text.py", "lines/markup.py", "lines/unwrap.py",
                "lines/glue.py", "lines/html.py", "lines/render.py", *extra, "train/align.py", "train/examples.py"):
        h.update((root / rel).read_bytes())
    return h.hexdigest()[:12]


def load_docs(data_dir: Path, cache: Path, sets: tuple[str, ...],
              styles: tuple[str, ...] = TRAIN_STYLES, jobs: int = 1) -> list[DocData]:
    """All training dumps in ``styles`` as features and labels, cached in one .npz per code version."""
    named = "" if styles == TRAIN_STYLES else "-" + "_".join(styles)
    path = cache / f"features-{'_'.join(sets)}{named}-{_code_key(styles)}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:  # each z[key] reads the array anew: once only
            x, y, w, sizes = z["x"], z["y"], z["w"], z["sizes"]
            meta = list(zip(z["sets"], z["ids"], z["styles"]))
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        return [DocData(str(s), str(i), str(st), x[a:b], y[a:b], w[a:b])
                for (s, i, st), a, b in zip(meta, bounds[:-1], bounds[1:])]
    docs = list(iter_docs(data_dir, cache, sets, styles, jobs))
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=np.vstack([d.x for d in docs]), y=np.concatenate([d.y for d in docs]),
             w=np.concatenate([d.w for d in docs]), sizes=np.array([len(d.y) for d in docs]),
             sets=np.array([d.set for d in docs]), ids=np.array([d.id for d in docs]),
             styles=np.array([d.style for d in docs]))
    return docs


def iter_docs(data_dir: Path, cache: Path, sets: tuple[str, ...],
              styles: tuple[str, ...] = TRAIN_STYLES, jobs: int = 1) -> Iterator[DocData]:
    """Each page's dumps in ``styles`` as features and labels, in page order; ``jobs`` forked
    processes prepare pages at once (the same documents, in the same order)."""
    global _PAGE_JOB
    _PAGE_JOB = (cache, styles, load_dumps_module(data_dir.parent))
    pages = iter_pages(data_dir, sets)
    try:
        if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for page in pages:
                yield from _page_docs(page)
            return
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for docs in pool.imap(_page_docs, pages, chunksize=4):
                yield from docs
    finally:
        _PAGE_JOB = ()


# (cache, styles, renderers) of the pages being prepared: set before workers fork, so the
# renderer module (loaded from the shared tools folder) reaches them without pickling.
_PAGE_JOB: tuple = ()


def _page_docs(page: Page) -> list[DocData]:
    cache, styles, dumps = _PAGE_JOB
    out = []
    for style in styles:
        doms, source = None, page
        if style.endswith(TRANSLATED):
            # only pages the model learns from (translating costs time, and is the same each run)
            translated = _translated(page, style.removesuffix(TRANSLATED), cache, dumps) \
                if page_type(page.meta) in TRAIN_PAGE_TYPES else None
            if translated is None:
                continue
            source, text, doms = translated
        elif style == "html":
            text = _html_path(page)[0]
        elif style == HTML_STYLE:
            text, doms = _html_path(page, dom=True)
        else:
            text = render_cached(page, "plain" if style == "plain-nb" else style, cache, dumps)
        d = doc_data(source, style, text, doms)
        if d is not None:
            out.append(d)
    return out


def _translated(page: Page, style: str, cache: Path, dumps) -> tuple[Page, str, dict | None] | None:
    """The page, its text in ``style`` and its DOM facts (HTML style), re-worded into the page's
    language of translation; the gold text the same way. None when the page's HTML cannot be read."""
    lang = language_for(page.id)
    gold = pseudo_translate(page.gold, lang)
    if style == HTML_STYLE:
        html = pseudo_translate_html(page.html, lang)
        if html is None:
            return None
        translated = replace(page, html=html, gold=gold)
        return (translated, *_html_path(translated, dom=True))
    text = pseudo_translate(render_cached(page, style, cache, dumps), lang)
    return replace(page, gold=gold), text, None


def _html_path(page: Page, dom: bool = False) -> tuple[str, dict]:
    """The page's text as ``clean()`` renders HTML, and with ``dom`` the DOM facts of its lines
    (not cached: it follows the code, and is fast)."""
    try:
        text, _, doms = html_to_blocks(page.html, structure=dom)
    except InputError:
        return "", {}
    return text, doms


def is_held_out(doc_id: str) -> bool:
    """A fixed tenth of the pages, chosen by hash, for validation."""
    return hashlib.sha1(doc_id.encode()).digest()[0] % 10 == 0
