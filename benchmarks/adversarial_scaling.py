"""Cleaning time per MB of adversarial input stays flat from 1 MB to 16 MB (no super-linear regex).

    python benchmarks/adversarial_scaling.py [--sizes 1,2,4,8,16] [--cases runs-of-lt,...]

For each case, the input is built at every size and cleaned once (guards raised so the whole input
is processed); the table gives seconds per MB and the ratio of the largest size's s/MB to the
smallest's. A ratio under 2 means cleaning time grows linearly.
"""
from __future__ import annotations

import argparse
import time

import cleaner

MB = 1_000_000
# name -> a function building about n characters of that input.
CASES = {
    "run-of-a": lambda n: "a" * n,
    "run-of-spaces": lambda n: "x" + " " * n + "x",
    "run-of-lt": lambda n: "<" * n,
    "run-of-bracket": lambda n: "[" * n,
    "run-of-punct": lambda n: ".,;:!?-" * (n // 7),
    "run-of-stars": lambda n: "*_" * (n // 2),
    "open-links": lambda n: "word <https://example.org/" * (n // 26),
    "open-markdown": lambda n: "[a](b [c](" * (n // 10),
    "lines-of-lt": lambda n: ("<" * 79 + "\n") * (n // 80),
    "short-lines": lambda n: "ab\n" * (n // 3),
    "prose-one-line": lambda n: ("The council met again today and agreed the budget. " * (n // 51)),
    "html-unclosed": lambda n: "<html><body>" + "<p>text <b>bold " * (n // 16),
}
OPTIONS = cleaner.Options(max_input_bytes=10**9, max_line_chars=10**9, time_limit=None)


def seconds_per_mb(case: str, size_mb: float) -> float:
    text = CASES[case](int(size_mb * MB))
    c = cleaner.Cleaner(OPTIONS)
    start = time.perf_counter()
    try:
        c.clean(text)
    except cleaner.CleanerError:
        pass  # a typed refusal is a result too; its time counts the same
    return (time.perf_counter() - start) / (len(text.encode("utf-8")) / MB)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,2,4,8,16", help="sizes in MB")
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    cleaner.clean("warm up the model and the lexicon.")
    print(f"{'case':<16}" + "".join(f"{s:>8g}MB" for s in sizes) + "   ratio (s/MB largest / smallest)")
    worst = 0.0
    for case in args.cases.split(","):
        row = [seconds_per_mb(case, s) for s in sizes]
        ratio = row[-1] / max(row[0], 1e-9)
        worst = max(worst, ratio)
        print(f"{case:<16}" + "".join(f"{t:>10.3f}" for t in row) + f"   {ratio:.2f}", flush=True)
    print(f"worst ratio {worst:.2f} (s/MB at {sizes[-1]:g} MB over {sizes[0]:g} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
