"""The public benchmark on HTML: cleaner beside trafilatura (default, favor_precision) and, when
installed, readability-lxml; interleaved page by page in one process, F1 and median time ratio."""
from __future__ import annotations

import gzip
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ..model import Model
from ..pipeline import Cleaner
from .augment import scoring, translated_labelled
from .bench import _load, labelled_gold


def _extractors(cleaner: Cleaner) -> dict[str, Callable[[str, str | None], str]]:
    out: dict[str, Callable[[str, str | None], str]] = {"cleaner": lambda html, url: cleaner.clean(html, url=url).text}
    try:
        import trafilatura

        out["trafilatura"] = lambda html, url: trafilatura.extract(html, url=url) or ""
        out["trafilatura precision"] = lambda html, url: trafilatura.extract(html, url=url, favor_precision=True) or ""
    except ImportError:
        pass
    try:
        import lxml.html
        from readability import Document

        out["readability-lxml"] = lambda html, url: lxml.html.fromstring(Document(html).summary()).text_content()
    except ImportError:
        pass
    return out


def labelled_pages(shared: Path, data_set: str = "scrapinghub") -> dict[str, tuple[str, dict]]:
    """id -> (page HTML, gold record with ``articleBody`` and ``url``) of the public benchmark or of
    an evaluation-only set (gold.jsonl + pages/<id>.html.gz)."""
    from ..io.decode import decode

    gold = labelled_gold(shared, data_set)
    folder = shared / "data" / data_set / ("html" if data_set == "scrapinghub" else "pages")
    return {i: (decode(gzip.decompress((folder / f"{i}.html.gz").read_bytes())), gold[i]) for i in sorted(gold)}


def cleaner_f1(shared: Path, cleaner: Cleaner, pages: dict[str, tuple[str, dict]],
               translate: str | None = None) -> float:
    """The benchmark scorer's F1 of ``cleaner`` on labelled ``pages`` (id -> (HTML, gold record)),
    pseudo-translated first into ``translate`` when given."""
    score = _load(shared / "tools" / "score.py", "cleaner_shared_score")
    scored = scoring(translate)
    if translate:
        pages = translated_labelled(pages, translate, html=True)
    pred = {i: {"articleBody": scored(cleaner.clean(html, url=rec.get("url")).text)} for i, (html, rec) in pages.items()}
    return score.score({i: rec for i, (_, rec) in pages.items()}, pred)["f1"]


def run_bench_html(shared: Path, model_path: Path | None = None, data_set: str = "scrapinghub",
                   translate: str | None = None) -> int:
    score = _load(shared / "tools" / "score.py", "cleaner_shared_score")
    pages = labelled_pages(shared, data_set)
    scored = scoring(translate)
    if translate:
        pages = translated_labelled(pages, translate, html=True)
    gold = {i: rec for i, (_, rec) in pages.items()}
    extractors = _extractors(Cleaner(model=Model.from_path(model_path) if model_path else None))
    preds: dict[str, dict] = {name: {} for name in extractors}
    times: dict[str, list[float]] = {name: [] for name in extractors}
    for doc_id, (html, rec) in pages.items():
        url = rec.get("url")
        for name, extract in extractors.items():  # interleaved: every extractor sees the same cache state
            t0 = time.perf_counter()
            text = extract(html, url)
            times[name].append(time.perf_counter() - t0)
            preds[name][doc_id] = {"articleBody": scored(text)}
    print(f"{data_set}: {len(gold)} pages" + (f", pseudo-translated into {translate}" if translate else ""))
    base = times.get("trafilatura")
    print(f"{'extractor':<24} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8} {'median time / trafilatura':>26}")
    for name in extractors:
        m = score.score(gold, preds[name])
        ratio = statistics.median(a / b for a, b in zip(times[name], base)) if base else float("nan")
        print(f"{name:<24} {m['f1']:>6.3f} {m['precision']:>6.3f} {m['recall']:>6.3f} "
              f"{len(gold) / sum(times[name]):>8.1f} {ratio:>26.2f}")
    return 0
