"""Where a text dump's time goes: the compiled helpers, the network, and the Python between them.

    python benchmarks/breakdown.py [--style plain] [--rounds 3]

Cleans the public benchmark's dumps of one style on one core (as ``scale.py --only throughput``)
with each compiled helper of ``cleaner._native`` and each network stage (``model.Stage.score``:
numpy, BLAS and its few Python lines) timed, and prints their time a document, the rest (Python),
and the throughput the compiled work and the network alone would allow: the ceiling of any speed-up
of the Python. The timers add some 0.3 us a call, counted in the total and the rest.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import native  # noqa: E402  (first: the timers go in before any module binds a helper)

SPENT: defaultdict[str, float] = defaultdict(float)
NETWORK = "network (model.Stage.score)"


def _timed(name: str, fn):
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - t0
    return timed


def _time_the_compiled_helpers() -> None:
    for name in dir(native.compiled):
        fn = getattr(native.compiled, name)
        if not name.startswith("_") and callable(fn) and not isinstance(fn, type):
            setattr(native.compiled, name, _timed(name, fn))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--style", default="plain")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not native.AVAILABLE:
        print("the compiled helpers are not built: nothing to break down (pip install -e . with a C compiler)")
        return 1
    _time_the_compiled_helpers()
    from cleaner import Cleaner, Options, model
    from cleaner.train.bench import benchmark_dumps
    from cleaner.train.dataset import shared_dir

    model.Stage.score = _timed(NETWORK, model.Stage.score)
    docs = list(benchmark_dumps(shared_dir(), ROOT / "build" / "bench", args.style).values())
    size = sum(len(d.encode()) for d in docs) / len(docs)
    cleaner = Cleaner(Options(kind="text", site_memory=False))
    for d in docs:  # warm: language data, word lists, caches
        cleaner.clean(d)
    SPENT.clear()
    total = 0.0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for d in docs:
            cleaner.clean(d)
        total += time.perf_counter() - t0
    per_doc = {name: secs / args.rounds / len(docs) for name, secs in SPENT.items()}
    per_doc.pop("standardize", None)  # (called inside the network: counted there)
    doc_time = total / args.rounds / len(docs)
    compiled = sum(per_doc.values())
    print(f"{args.style} dumps: {len(docs)}, {size / 1000:.1f} KB each; {doc_time * 1e3:.3f} ms a document "
          f"({size / doc_time / 1e6:.2f} MB/s, with the timers)")
    for name, secs in sorted(per_doc.items(), key=lambda kv: -kv[1]):
        if secs * 1e6 >= 1:
            print(f"  {name:<30} {secs * 1e6:7.1f} us")
    print(f"  {'compiled helpers + network':<30} {compiled * 1e6:7.1f} us")
    print(f"  {'the rest (Python)':<30} {(doc_time - compiled) * 1e6:7.1f} us")
    print(f"ceiling with no Python at all: {size / compiled / 1e6:.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
