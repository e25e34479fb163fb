"""The streaming core at scale: throughput, worker speed-up and peak memory on big inputs.

    python benchmarks/scale.py                      # everything (about 25-35 minutes on 2 cores)
    python benchmarks/scale.py --only throughput    # or: speedup, rss
    python benchmarks/scale.py --text-mb 200 --rss-mb 1000 --speedup-mb 200

- throughput: the public benchmark's plain dumps concatenated (repeated) to --text-mb MB, cleaned
  one document at a time on one core with the full classifier, beside the C4 line rules
  (`../shared/tools/baselines.py`) on the same documents in the same process.
- speedup: `cleaner clean` on a JSONL of --speedup-mb MB with -j 1 and -j 2; wall-clock ratio, and
  whether the outputs are byte-identical. 200 MB, as the throughput's: each process's start (the
  imports, the model, the language data and word lists: some 0.7 s, in each worker as in the single
  process) is a twelfth of a 62 MB run and a fortieth of this one, and a longer run averages this
  machine's drifting speed over more of it (rounds 1.62x-1.82x on 62 MB, 1.80x-1.81x on 241 MB).
- rss: `cleaner clean -j 2` on a JSONL and on a WET file of --rss-mb MB each (generated once under
  build/scale/); peak resident memory of the whole process tree and of its largest process,
  sampled from /proc every 0.1 s; and of `--resume` on the JSONL's finished output.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner, Options  # noqa: E402
from cleaner.parallel import single_threaded_blas  # noqa: E402
from cleaner.train.bench import _load, benchmark_dumps  # noqa: E402
from cleaner.train.dataset import shared_dir  # noqa: E402

BUILD = ROOT / "build" / "scale"
MB = 1_000_000


def plain_docs(shared: Path) -> list[str]:
    return list(benchmark_dumps(shared, ROOT / "build" / "bench", "plain").values())


def throughput(shared: Path, target_mb: float) -> None:
    base = _load(shared / "tools" / "baselines.py", "cleaner_shared_baselines")
    docs = plain_docs(shared)
    one_pass = sum(len(d.encode()) for d in docs) / MB
    repeats = max(1, int(target_mb / one_pass + 0.999))
    single_threaded_blas()
    cleaner = Cleaner(Options(kind="text", site_memory=False))
    cleaner.clean(docs[0])  # load the model, language data and word lists outside the timing
    spent = {"cleaner": 0.0, "C4 rules": 0.0}
    for _ in range(repeats):  # interleaved, so both see the same machine state
        for name, fn in (("cleaner", cleaner.clean), ("C4 rules", base.c4_blocks)):
            t0 = time.perf_counter()
            for d in docs:
                fn(d)
            spent[name] += time.perf_counter() - t0
    total = one_pass * repeats
    print(f"throughput on {total:.0f} MB of plain dumps ({len(docs) * repeats} documents, one core):")
    for name, secs in spent.items():
        print(f"  {name:<9} {total / secs:7.2f} MB/s")
    print(f"  cleaner / C4 rules: {spent['C4 rules'] / spent['cleaner']:.3f} of the rules' speed")


def _copies(shared: Path, size_mb: float):
    """(url, text) of the plain dumps, repeated until ``size_mb`` MB of text: a host per copy keeps
    site memory busy, and bounded."""
    docs, written, n = plain_docs(shared), 0, 0
    while written < size_mb * MB:
        for k, d in enumerate(docs):
            yield f"https://copy{n}.example.org/story/{k}", d
            written += len(d.encode("utf-8"))
        n += 1


def _generated(name: str, write) -> Path:
    """build/scale/<name>, written once by ``write(binary file)``."""
    path = BUILD / name
    if not path.exists():
        BUILD.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            write(f)
        tmp.rename(path)
    return path


def _jsonl(shared: Path, size_mb: float) -> Path:
    def write(f) -> None:
        for n, (url, text) in enumerate(_copies(shared, size_mb)):
            f.write((json.dumps({"id": str(n), "url": url, "text": text}) + "\n").encode("utf-8"))

    return _generated(f"plain-{size_mb:g}MB.jsonl", write)


def _wet(shared: Path, size_mb: float) -> Path:
    from io import BytesIO

    from warcio.warcwriter import WARCWriter

    def write(f) -> None:
        w = WARCWriter(f, gzip=True)
        for url, text in _copies(shared, size_mb):
            w.write_record(w.create_warc_record(url, "conversion", payload=BytesIO(text.encode("utf-8"))))

    return _generated(f"plain-{size_mb:g}MB.warc.wet.gz", write)


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum of RSS over the process and its descendants, largest single RSS), in bytes."""
    total = largest = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                rss = next((int(ln.split()[1]) * 1024 for ln in f if ln.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run_cleaner(args: list[str], out: Path) -> tuple[float, int, int]:
    """(seconds, peak tree RSS, peak single-process RSS) of one `cleaner clean` run."""
    cmd = [sys.executable, "-m", "cleaner", "clean", "--quiet", "--format", "jsonl", "-o", str(out), *args]
    peak = [0, 0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total, largest = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    secs = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cleaner failed ({proc.returncode}): {' '.join(cmd)}")
    return secs, peak[0], peak[1]


def speedup(shared: Path, size_mb: float, rounds: int) -> None:
    """-j 1 and -j 2 run in turn ``rounds`` times (this machine's speed drifts by half within
    minutes: alternated, both see the same drift); the best time of each and every round's ratio."""
    src = _jsonl(shared, size_mb)
    outs = {jobs: BUILD / f"speedup-j{jobs}.jsonl" for jobs in (1, 2)}
    secs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(rounds):
        for jobs in (1, 2):
            secs[jobs].append(run_cleaner([str(src), "-j", str(jobs)], outs[jobs])[0])
    same = outs[1].read_bytes() == outs[2].read_bytes()
    mb = src.stat().st_size / MB
    one, two = min(secs[1]), min(secs[2])
    rounds_text = ", ".join(f"{a / b:.2f}x" for a, b in zip(secs[1], secs[2]))
    print(f"-j speed-up on {mb:.0f} MB of JSONL, best of {rounds} alternated runs: -j 1 {one:.1f} s "
          f"({mb / one:.2f} MB/s), -j 2 {two:.1f} s ({mb / two:.2f} MB/s): {one / two:.2f}x "
          f"(rounds: {rounds_text}); identical output: {same}")


def rss(shared: Path, size_mb: float) -> None:
    for name, path in (("JSONL", _jsonl(shared, size_mb)), ("WET", _wet(shared, size_mb))):
        out = BUILD / f"rss-{name}.jsonl"
        secs, total, largest = run_cleaner([str(path), "-j", "2"], out)
        lines = sum(1 for _ in open(out, "rb"))
        print(f"peak RSS on {size_mb:g} MB of {name} (-j 2, {lines} documents, {secs:.0f} s): "
              f"whole run {total / MB:.0f} MB, largest process {largest / MB:.0f} MB")
        if name == "JSONL":  # --resume reads the records written as it skips their inputs
            secs, total, largest = run_cleaner([str(path), "-j", "2", "--resume"], out)
            print(f"  --resume of that output ({out.stat().st_size / MB:.0f} MB, every document already written, "
                  f"{secs:.0f} s): whole run {total / MB:.0f} MB, largest process {largest / MB:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["throughput", "speedup", "rss"], default=None)
    ap.add_argument("--text-mb", type=float, default=200)
    ap.add_argument("--speedup-mb", type=float, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="alternated -j 1 / -j 2 runs of the speed-up")
    ap.add_argument("--rss-mb", type=float, default=1000)
    ap.add_argument("--shared", type=Path, default=shared_dir())
    args = ap.parse_args()
    if args.only in (None, "throughput"):
        throughput(args.shared, args.text_mb)
    if args.only in (None, "speedup"):
        speedup(args.shared, args.speedup_mb, args.rounds)
    if args.only in (None, "rss"):
        rss(args.shared, args.rss_mb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
