"""Text-dump throughput: MB/s of the full cleaner (bundled model, default options) on the public
benchmark's plain dumps, beside the C4 line rules run in the same process on the same bytes.

    python benchmarks/text_throughput.py [--repeat N] [--styles plain,wrapped]

One core (this process); documents are cleaned one by one as `iter_clean` would.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from cleaner import Cleaner, Options
from cleaner.train.bench import _load, benchmark_dumps
from cleaner.train.dataset import shared_dir


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--styles", default="plain,wrapped")
    ap.add_argument("--shared", type=Path, default=shared_dir())
    args = ap.parse_args()
    base = _load(args.shared / "tools" / "baselines.py", "cleaner_shared_baselines")
    cleaner = Cleaner(Options(kind="text", site_memory=False))
    for style in args.styles.split(","):
        docs = list(benchmark_dumps(args.shared, Path("build/bench"), style).values())
        mb = sum(len(d.encode()) for d in docs) / 1e6
        cleaner.clean(docs[0])  # load the language model and word lists once, outside the timing
        best = {"cleaner": float("inf"), "c4_blocks": float("inf")}
        for _ in range(args.repeat):
            for name, fn in (("cleaner", cleaner.clean), ("c4_blocks", base.c4_blocks)):
                t0 = time.perf_counter()
                for d in docs:
                    fn(d)
                best[name] = min(best[name], time.perf_counter() - t0)
        print(f"{style:<10} {mb:6.2f} MB  cleaner {mb / best['cleaner']:6.2f} MB/s  "
              f"C4 blocks {mb / best['c4_blocks']:7.2f} MB/s  ratio {best['c4_blocks'] / best['cleaner']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
