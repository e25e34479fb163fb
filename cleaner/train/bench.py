"""The public benchmark on text dumps: F1 per style for cleaner, C4-on-blocks and keep-all.

Renders the 181 benchmark pages with the shared renderers (cached), cleans each dump, and scores
everything with the shared scorer in the same run. The benchmark is measured here, never trained on.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..model import Model
from ..options import Options
from ..pipeline import Cleaner
from .augment import scoring, translated_labelled
from .dataset import html_key, load_dumps_module


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_records(folder: Path) -> list[dict]:
    """The records of an evaluation set's gold.jsonl that have an article to score."""
    records = (json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    return [r for r in records if r.get("body") and not r.get("small_fixture") and not r.get("no_article")]


def labelled_gold(shared: Path, data_set: str = "scrapinghub") -> dict[str, dict]:
    """id -> gold record with ``articleBody`` and ``url``, of the public benchmark or of an
    evaluation-only set of the shared data."""
    if data_set == "scrapinghub":
        return json.loads((shared / "data" / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    return {str(r["id"]): {"articleBody": r["body"], "url": r.get("url")}
            for r in gold_records(shared / "data" / data_set)}


def labelled_dumps(shared: Path, cache: Path, style: str, data_set: str) -> tuple[dict[str, str], dict[str, dict]]:
    """(id -> dump in ``style``, id -> gold record with ``articleBody`` and ``url``) of a labelled
    folder of the shared data: the public benchmark, or an evaluation-only set (gold.jsonl + pages)."""
    gold = labelled_gold(shared, data_set)
    if data_set == "scrapinghub":
        return benchmark_dumps(shared, cache, style), gold
    from ..io.decode import decode

    folder = shared / "data" / data_set
    dumps, renderer = {}, None
    out = cache / data_set / style
    out.mkdir(parents=True, exist_ok=True)
    for doc_id, rec in gold.items():
        html = decode(gzip.decompress((folder / "pages" / f"{doc_id}.html.gz").read_bytes()))
        path = out / f"{doc_id}-{html_key(html)}.txt"
        if not path.exists():
            renderer = renderer or load_dumps_module(shared)
            try:
                text = render(renderer, html, style, rec.get("url"))
            except Exception:  # a renderer failing on one odd page: score it as an empty dump
                text = ""
            path.write_text(text, encoding="utf-8")
        dumps[doc_id] = path.read_text(encoding="utf-8")
    return dumps, gold


# Dump styles rendered here, beside the benchmark tools' five, from the tools' markdown settings:
# html2text's reference-link mode ("[anchor][3]" in the text, "[3]: url" lines at the end), and its
# default width (lines wrapped at 78 columns, URLs broken at their hyphens). Never trained on: they
# measure how the markup handling generalises to styles the model never saw.
LOCAL_STYLES = ("markdown-reference", "markdown-wrapped")


def render(renderer, html: str, style: str, base_url: str | None) -> str:
    """``html`` as a dump in ``style``: one of the benchmark tools' (``renderer``) or of LOCAL_STYLES."""
    if style not in LOCAL_STYLES:
        return renderer.render(html, style, base_url=base_url)
    import html2text

    h = html2text.HTML2Text(baseurl=base_url or "")
    h.ignore_links, h.ignore_images, h.unicode_snob = False, False, True
    h.inline_links = style != "markdown-reference"
    h.body_width = 78 if style == "markdown-wrapped" else 0
    return h.handle(html)


def benchmark_dumps(shared: Path, cache: Path, style: str) -> dict[str, str]:
    """id -> dump of every benchmark page in ``style`` (rendered once, then cached)."""
    folder = cache / style
    gold = labelled_gold(shared)
    if not folder.exists() or len(list(folder.glob("*.txt"))) < len(gold):
        dumps = load_dumps_module(shared)
        folder.mkdir(parents=True, exist_ok=True)
        for doc_id, rec in gold.items():
            html = gzip.decompress((shared / "data" / "scrapinghub" / "html" / f"{doc_id}.html.gz").read_bytes())
            text = render(dumps, html.decode("utf-8"), style, rec.get("url"))
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return {doc_id: (folder / f"{doc_id}.txt").read_text(encoding="utf-8") for doc_id in sorted(gold)}


@dataclass(frozen=True)
class StyleScore:
    """F1 of cleaner, the C4 line rules on blocks and keep-all on one style's dumps, same run."""

    style: str
    cleaner: float
    c4_blocks: float
    keep_all: float
    mb_per_s: float


def measure(shared: Path, cache: Path, cleaner: Cleaner, styles: tuple[str, ...],
            data_set: str = "scrapinghub", translate: str | None = None) -> tuple[int, list[StyleScore]]:
    """(pages, one StyleScore per style) with the benchmark's scorer and baselines; with
    ``translate``, on the dumps and gold pseudo-translated into that language (augment.py)."""
    score = _load(shared / "tools" / "score.py", "cleaner_shared_score")
    base = _load(shared / "tools" / "baselines.py", "cleaner_shared_baselines")
    scored = scoring(translate)
    rows, pages = [], 0
    for style in styles:
        dumps, gold = labelled_dumps(shared, cache, style, data_set)
        if translate:
            both = translated_labelled({i: (dumps[i], gold[i]) for i in dumps}, translate, html=False)
            dumps, gold = {i: d for i, (d, _) in both.items()}, {i: g for i, (_, g) in both.items()}
        t0 = time.perf_counter()
        texts = {i: cleaner.clean(text, url=gold[i].get("url")).text for i, text in dumps.items()}
        secs = time.perf_counter() - t0
        ours = {i: {"articleBody": scored(text)} for i, text in texts.items()}
        c4 = {i: {"articleBody": scored(base.c4_blocks(text))} for i, text in dumps.items()}
        keep = {i: {"articleBody": scored(base.keep_all(text))} for i, text in dumps.items()}
        mb = sum(len(t.encode()) for t in dumps.values()) / 1e6
        rows.append(StyleScore(style, *(score.score(gold, p)["f1"] for p in (ours, c4, keep)), mb / secs))
        pages = len(gold)
    return pages, rows


def run_bench(shared: Path, cache: Path, model_path: Path | None, styles: tuple[str, ...],
              smoothing: float | None = None, data_set: str = "scrapinghub", translate: str | None = None) -> int:
    options = Options(kind="text") if smoothing is None else Options(kind="text", smoothing=smoothing)
    cleaner = Cleaner(options, Model.from_path(model_path) if model_path else None)
    pages, rows = measure(shared, cache, cleaner, styles, data_set, translate)
    print(f"{data_set}: {pages} pages" + (f", pseudo-translated into {translate}" if translate else ""))
    w = max([11, *(len(r.style) + 1 for r in rows)])
    print(f"{'style':<{w}} {'cleaner':>8} {'C4-blocks':>10} {'keep-all':>9} {'margin':>7} {'MB/s':>6}")
    for r in rows:
        print(f"{r.style:<{w}} {r.cleaner:>8.3f} {r.c4_blocks:>10.3f} {r.keep_all:>9.3f} "
              f"{r.cleaner - r.c4_blocks:>+7.3f} {r.mb_per_s:>6.2f}")
    return 0
