"""Metadata from HTML on mozilla-readability (gold title, byline, date, site name): share of fields
right for cleaner and trafilatura, run in the same process.

    python benchmarks/html_metadata.py

A field counts when the page has a gold value; right means equal after case and whitespace folding
(dates: the same calendar day).
"""
from __future__ import annotations

import gzip
import json
import re

import cleaner
from cleaner.train.dataset import shared_dir

FIELDS = {"title": "title", "byline": "author", "date": "date", "site_name": "site_name"}


def fold(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def same(field: str, gold: str, got: str | None) -> bool:
    if field == "date":
        return bool(got) and str(got)[:10] == str(gold)[:10]
    return fold(gold) == fold(got)


def trafilatura_meta(html: str, url: str | None) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return {}
    get = doc.as_dict() if hasattr(doc, "as_dict") else doc
    return {"title": get.get("title"), "author": get.get("author"), "date": get.get("date"),
            "site_name": get.get("sitename")}


def main() -> int:
    folder = shared_dir() / "data" / "mozilla-readability"
    right = {"cleaner": dict.fromkeys(FIELDS, 0), "trafilatura": dict.fromkeys(FIELDS, 0)}
    total = dict.fromkeys(FIELDS, 0)
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        html = gzip.decompress((folder / "pages" / f"{rec['id']}.html.gz").read_bytes())
        art = cleaner.clean(html, url=rec.get("url"), options=cleaner.Options(kind="html"))
        ours = {"title": art.title, "author": art.author, "date": art.date, "site_name": art.site_name}
        theirs = trafilatura_meta(html.decode("utf-8", "replace"), rec.get("url"))
        for gold_key, key in FIELDS.items():
            if not rec.get(gold_key):
                continue
            total[gold_key] += 1
            right["cleaner"][gold_key] += same(gold_key, rec[gold_key], ours[key])
            right["trafilatura"][gold_key] += same(gold_key, rec[gold_key], theirs.get(key))
    print(f"{'':<12}" + "".join(f"{f:>12}" for f in FIELDS) + f"{'total':>12}")
    for name, counts in right.items():
        cells = "".join(f"{counts[f]:>6}/{total[f]:<5}" for f in FIELDS)
        print(f"{name:<12}{cells}{sum(counts.values()):>6}/{sum(total.values()):<5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
