"""python -m cleaner.train fit|bench ...: rebuild the shipped model, measure it."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ..parallel import default_jobs
from .dataset import TRAIN_SETS, shared_dir
from .fit import EPOCHS, HIDDEN, MEMBERS, SEED, run_fit


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cleaner.train")
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit", help="train the line model on labelled pages rendered to dumps")
    f.add_argument("--data", type=Path, default=shared_dir() / "data")
    f.add_argument("--sets", default=",".join(TRAIN_SETS))
    f.add_argument("--cache", type=Path, default=Path("build/dumps"))
    f.add_argument("--hidden", type=int, default=HIDDEN, help="hidden units (0: logistic regression)")
    f.add_argument("--epochs", type=int, default=EPOCHS)
    f.add_argument("--seed", type=int, default=SEED, help="seed of the weights' start and the batch order")
    f.add_argument("--members", type=int, default=MEMBERS,
                   help="networks merged into each stage (1: a quicker, more seed-dependent model)")
    f.add_argument("-j", "--jobs", type=int, default=None,
                   help="processes preparing pages and fitting networks (default: all cores); the model is the "
                        "same whatever the number")
    f.add_argument("--holdout", action="store_true", help="train on 90%% of pages, report the rest")
    f.add_argument("--commit", default=None, help="commit to record (default: git HEAD)")
    f.add_argument("-o", "--output", type=Path, default=Path("cleaner/data/model.json"))
    b = sub.add_parser("bench", help="F1 per dump style on the public benchmark, beside C4 and keep-all")
    b.add_argument("--shared", type=Path, default=shared_dir())
    b.add_argument("--cache", type=Path, default=Path("build/bench"))
    b.add_argument("--model", type=Path, default=None)
    b.add_argument("--styles", default="plain,inscriptis,markdown,wrapped,lynx")
    b.add_argument("--smoothing", type=float, default=None, help="override Options.smoothing")
    b.add_argument("--data", default="scrapinghub",
                   help="labelled folder of the shared data to measure on (default: the public benchmark; "
                        "evaluation-only sets such as l3s-gn1, dragnet, utomo-big9-chaos check that a change generalises)")
    b.add_argument("--translate", default=None, metavar="LANG",
                   help="pseudo-translate dumps and gold into LANG first (cleaner/train/augment.py): how much "
                        "the model leans on English; any wordfreq language, e.g. zh, ru, he")
    h = sub.add_parser("bench-html", help="F1 and time on the benchmark's HTML beside trafilatura")
    h.add_argument("--shared", type=Path, default=shared_dir())
    h.add_argument("--model", type=Path, default=None)
    h.add_argument("--data", default="scrapinghub", help="labelled folder of the shared data (default: the public "
                   "benchmark; or an evaluation-only set such as l3s-gn1, dragnet, utomo-big9-chaos)")
    h.add_argument("--translate", default=None, metavar="LANG", help="pseudo-translate pages and gold into LANG first")
    args = ap.parse_args(argv)
    if args.cmd == "bench-html":
        from .bench_html import run_bench_html

        return run_bench_html(args.shared, args.model, args.data, args.translate)
    if args.cmd == "fit":
        return run_fit(args.data, tuple(args.sets.split(",")), args.cache, args.hidden, args.epochs,
                       args.holdout, args.commit or _git_commit(), args.output, args.seed, args.members,
                       args.jobs or default_jobs())
    from .bench import run_bench

    return run_bench(args.shared, args.cache, args.model, tuple(args.styles.split(",")), args.smoothing, args.data,
                     args.translate)


if __name__ == "__main__":
    sys.exit(main())
