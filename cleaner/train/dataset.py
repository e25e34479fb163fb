"""Labelled pages -> text dumps in every style, cached on disk.

Pages come from the shared data folders (``<set>/pages/<id>.html.gz`` + ``gold.jsonl``); they are
rendered with the shared ``tools/dumps.py`` renderers, the same ones the benchmark uses.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Sets whose licence allows training the shipped model (Apache-2.0, CC-BY-4.0).
TRAIN_SETS = ("mozilla-readability", "wcxb", "wcxb-dev")
LICENCES = {"mozilla-readability": "Apache-2.0", "wcxb": "CC-BY-4.0", "wcxb-dev": "CC-BY-4.0"}
STYLES = ("plain", "inscriptis", "markdown", "wrapped", "lynx")
# Page types the shipped model learns from: cleaner is for articles; listings, shops and forums
# label whole teaser lists as content, which teaches the model to keep related-story blocks.
TRAIN_PAGE_TYPES = ("article",)
# Pages whose gold text is poorly covered by their own HTML teach noise, not boilerplate.
MIN_QA_COVERAGE = 0.8


@dataclass(frozen=True, slots=True)
class Page:
    set: str
    id: str
    html: str
    gold: str
    meta: dict


def shared_dir() -> Path:
    """The shared folder: $CLEANER_SHARED, else ../shared beside the repository."""
    env = os.environ.get("CLEANER_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared"


class _OwnRenderer:
    """Stand-in for the shared renderers: cleaner's own HTML-to-text bridge for every style."""

    @staticmethod
    def render(html: str, style: str, base_url: str | None = None) -> str:
        from ..lines.html import html_to_text

        return html_to_text(html)


def load_dumps_module(shared: Path | None = None):
    """The shared renderers (tools/dumps.py) as a module, or cleaner's own when they are absent."""
    path = (shared or shared_dir()) / "tools" / "dumps.py"
    if not path.exists():
        path = shared_dir() / "tools" / "dumps.py"
    if not path.exists():
        return _OwnRenderer()
    spec = importlib.util.spec_from_file_location("cleaner_shared_dumps", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def iter_pages(data_dir: Path, sets: tuple[str, ...] = TRAIN_SETS) -> Iterator[Page]:
    """Pages with gold text of the named sets, in a fixed order."""
    for name in sets:
        folder = data_dir / name
        for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if not rec.get("body") or rec.get("small_fixture"):
                continue
            if rec.get("qa_coverage", 1.0) < MIN_QA_COVERAGE:
                continue
            path = folder / "pages" / f"{rec['id']}.html.gz"
            raw = gzip.decompress(path.read_bytes())
            from ..io.decode import decode

            yield Page(name, str(rec["id"]), decode(raw, source=str(path)), rec["body"], rec)


def page_types(data_dir: Path, sets: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(set, id) -> page type ("article" where the set does not say)."""
    out = {}
    for name in sets:
        for line in (data_dir / name / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            out[(name, str(rec["id"]))] = page_type(rec)
    return out


def page_type(rec: dict) -> str:
    """A gold record's page type ("article" where the set does not say)."""
    return rec.get("page_type") or "article"


def html_key(html: str) -> str:
    """A short hash of a decoded page, in the names of its cached renders: a change in the page or
    in its decoding renders it anew."""
    return hashlib.sha1(html.encode("utf-8", "replace")).hexdigest()[:16]


def render_cached(page: Page, style: str, cache: Path, dumps) -> str:
    """The page rendered in ``style``, from ``cache`` when rendered before."""
    path = cache / page.set / style / f"{page.id}-{html_key(page.html)}.txt"
    if path.exists():
        return path.read_text(encoding="utf-8")
    try:
        text = dumps.render(page.html, style, base_url=page.meta.get("url"))
    except Exception:  # a renderer failing on one odd page must not stop training
        text = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text
