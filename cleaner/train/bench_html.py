"""The public benchmark on HTML: cleaner beside trafilatura (default, favor_precision) and, when
installed, readability-lxml; interleaved page by page in one process, F1 and median time ratio."""
from __future__ import annotations

import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ..model import Model
from ..pipeline import Cleaner
from .bench import _load


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


def run_bench_html(shared: Path, model_path: Path | None = None) -> int:
    score = _load(shared / "tools" / "score.py", "cleaner_shared_score")
    data = shared / "data" / "scrapinghub"
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    extractors = _extractors(Cleaner(model=Model.from_path(model_path) if model_path else None))
    preds: dict[str, dict] = {name: {} for name in extractors}
    times: dict[str, list[float]] = {name: [] for name in extractors}
    for doc_id in sorted(gold):
        html = gzip.decompress((data / "html" / f"{doc_id}.html.gz").read_bytes()).decode("utf-8")
        url = gold[doc_id].get("url")
        for name, extract in extractors.items():  # interleaved: every extractor sees the same cache state
            t0 = time.perf_counter()
            text = extract(html, url)
            times[name].append(time.perf_counter() - t0)
            preds[name][doc_id] = {"articleBody": text}
    base = times.get("trafilatura")
    print(f"{'extractor':<24} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8} {'median time / trafilatura':>26}")
    for name in extractors:
        m = score.score(gold, preds[name])
        ratio = statistics.median(a / b for a, b in zip(times[name], base)) if base else float("nan")
        print(f"{name:<24} {m['f1']:>6.3f} {m['precision']:>6.3f} {m['recall']:>6.3f} "
              f"{len(gold) / sum(times[name]):>8.1f} {ratio:>26.2f}")
    return 0
