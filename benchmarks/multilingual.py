"""F1 on labelled pages pseudo-translated into other languages (cleaner/train/augment.py), per
language, plain dumps and HTML, beside English: how much cleaner leans on English.

    python benchmarks/multilingual.py [--data l3s-gn1,dragnet] [--langs ru,zh,ko,de,ja,he,vi] [--model M]

The same measurement as `python -m cleaner.train bench --styles plain --translate LANG` and
`bench-html --translate LANG`, in one table. Languages the training copies are written in are in
`cleaner.train.augment.LANGUAGES`; the others (de, ja, he, vi here) were never translated into.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from cleaner import Cleaner, Options
from cleaner.model import Model
from cleaner.train.augment import LANGUAGES
from cleaner.train.bench import measure
from cleaner.train.bench_html import cleaner_f1, labelled_pages
from cleaner.train.dataset import shared_dir


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="l3s-gn1,dragnet")
    ap.add_argument("--langs", default="ru,zh,ko,de,ja,he,vi")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--shared", type=Path, default=shared_dir())
    args = ap.parse_args()
    model = Model.from_path(args.model) if args.model else None
    text_cleaner, html_cleaner = Cleaner(Options(kind="text"), model), Cleaner(Options(), model)
    langs = ["en", *args.langs.split(",")]
    print(f"{'set':<18} {'input':<6} " + " ".join(f"{l + ('*' if l in LANGUAGES else ''):>6}" for l in langs))
    for data_set in args.data.split(","):
        text_row, html_row = [], []
        pages = labelled_pages(args.shared, data_set)
        for lang in langs:
            translate = None if lang == "en" else lang
            _, rows = measure(args.shared, Path("build/bench"), text_cleaner, ("plain",), data_set, translate)
            text_row.append(rows[0].cleaner)
            html_row.append(cleaner_f1(args.shared, html_cleaner, pages, translate))
        print(f"{data_set:<18} {'plain':<6} " + " ".join(f"{f:>6.3f}" for f in text_row))
        print(f"{data_set:<18} {'html':<6} " + " ".join(f"{f:>6.3f}" for f in html_row), flush=True)
    print("* a language the training copies are written in")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
