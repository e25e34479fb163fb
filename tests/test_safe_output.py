"""Safe output: a killed run leaves whole records only, --resume finishes it byte for byte, and the
output is identical across runs and -j settings."""
import io
import itertools
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cleaner.cli import cli
from tests.conftest import ROOT, SEEDS
from tests.test_site_memory import page


def _corpus(path, copies: int = 8):
    """Pages of two sites (so site memory matters on resume) between the seeds, one bad record."""
    recs = []
    seeds = [p.read_text() for p in sorted(SEEDS.iterdir())]
    for n in range(copies * len(seeds)):
        site = "example.org" if n % 2 else "example.net"
        recs.append({"id": f"p{n}", "url": f"https://{site}/story/{n}", "text": page(n)})
        recs.append({"id": f"s{n}", "text": seeds[n % len(seeds)]})
    recs.insert(7, {"id": "no-text"})
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    return len(recs)


def _run(*args, check_exit=(0, 1)):
    r = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--quiet", *map(str, args)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode in check_exit, r.stderr
    return r


def test_killed_run_leaves_whole_records_and_resume_completes_it(tmp_path, runner):
    docs = tmp_path / "docs.jsonl"
    total = _corpus(docs, copies=16)  # long enough a run to be killed part-way on a fast machine
    reference = tmp_path / "reference.jsonl"
    _run(docs, "-o", reference, "--format", "jsonl", "-j", "1")
    assert len(reference.read_bytes().splitlines()) == total

    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "--quiet", str(docs), "-o", str(out),
                             "--format", "jsonl", "-j", "1"], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 12:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert not out.exists()  # the final name only ever holds a complete output
    written = partial.read_bytes()
    assert written.endswith(b"\n")
    lines = written.splitlines()
    assert 12 <= len(lines) < total
    assert all(json.loads(ln)["source"] for ln in lines)  # whole records only
    assert written == reference.read_bytes()[: len(written)]

    r = _run(docs, "-o", out, "--format", "jsonl", "-j", "1", "--resume")
    assert out.read_bytes() == reference.read_bytes() and not partial.exists()
    assert r.returncode == 1  # the record without text is still reported
    # Resuming a finished output: everything is already written, nothing changes.
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(out), "--format", "jsonl", "--resume"])
    assert f"{total} already written" in r.stderr and out.read_bytes() == reference.read_bytes()


def test_resume_drops_a_torn_last_record_and_continues(tmp_path, runner):
    docs = tmp_path / "docs.jsonl"
    _corpus(docs, copies=1)
    full = tmp_path / "full.jsonl"
    runner.invoke(cli, ["clean", str(docs), "-o", str(full), "--format", "jsonl", "-j", "1", "--quiet"])
    data = full.read_bytes()
    cut = data.index(b"\n", len(data) // 3) + 1
    partial = tmp_path / "out.jsonl.partial"
    partial.write_bytes(data[:cut] + data[cut:cut + 40])  # four records and a torn fifth
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(tmp_path / "out.jsonl"), "--format", "jsonl",
                            "-j", "2", "--resume"])
    assert (tmp_path / "out.jsonl").read_bytes() == data
    whole = len(data[:cut].splitlines())
    assert f"{whole} already written" in r.stderr


def test_resume_refuses_an_output_of_other_inputs_and_non_resumable_formats(tmp_path, runner):
    docs = tmp_path / "docs.jsonl"
    _corpus(docs, copies=1)
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x", "source": "elsewhere.txt", "text": ""}) + "\n")
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(other), "--format", "jsonl", "--resume"])
    assert r.exit_code == 2 and "does not continue these inputs" in r.output
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(tmp_path / "x.txt"), "--resume"])
    assert r.exit_code == 2 and "--resume continues" in r.output
    r = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--resume"])
    assert r.exit_code == 2 and "needs an output file" in r.output


def test_resume_of_a_folder_output_writes_only_the_missing_files(tmp_path, runner):
    out = tmp_path / "out"
    runner.invoke(cli, ["clean", str(SEEDS), "-o", str(out) + "/", "--quiet"])
    files = sorted(out.iterdir())
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    files[2].unlink()
    os.utime(files[0], ns=(1, 1))  # an untouched file keeps its time
    r = runner.invoke(cli, ["clean", str(SEEDS), "-o", str(out) + "/", "--resume"])
    assert r.exit_code == 0 and "4 already written" in r.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == {k: v[0] for k, v in before.items()}
    assert files[0].stat().st_mtime_ns == 1 and not list(out.glob("*.partial"))


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_output_is_byte_identical_across_runs_and_jobs(tmp_path, fmt):
    docs = tmp_path / "docs.jsonl"
    _corpus(docs, copies=2)
    outs = []
    for n, jobs in enumerate(("1", "2", "2")):
        path = tmp_path / f"out{n}.{fmt}"
        _run(docs, "-o", path, "--format", fmt, "-j", jobs)
        outs.append(path.read_bytes())
    assert outs[0] == outs[1] == outs[2] and len(outs[0]) > 1000


def test_a_folder_output_has_a_file_for_every_document(tmp_path, runner):
    # each record of a JSONL input gets its own file (all of them wrote one "docs.txt" before, the
    # last one kept), and so does a second input of the same name in another folder; a resumed run
    # finds them all under the same names
    story = "The council agreed its budget on Tuesday after a long debate about roads and new homes {}."
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "docs.jsonl").write_text("".join(json.dumps({"id": str(n), "text": story.format(n)}) + "\n"
                                                      for n in range(3)))
    (tmp_path / "a" / "x.txt").write_text(story.format("in a"))
    (tmp_path / "b" / "x.txt").write_text(story.format("in b"))
    out = tmp_path / "out"
    r = runner.invoke(cli, ["clean", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out) + "/", "--quiet"])
    assert r.exit_code == 0, r.output
    texts = {p.name: p.read_text() for p in out.iterdir()}
    assert len(texts) == 5 and {"docs-1.txt", "docs-2.txt", "docs-3.txt", "x.txt"} <= set(texts)
    assert sorted(t.strip()[-5:] for t in texts.values()) == sorted(["es 0.", "es 1.", "es 2.", "in a.", "in b."])
    r = runner.invoke(cli, ["clean", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out) + "/", "--resume"])
    assert r.exit_code == 0 and "5 already written" in r.stderr
    assert {p.name: p.read_text() for p in out.iterdir()} == texts


def test_an_output_that_cannot_be_written_is_a_clear_error_and_a_missing_folder_is_made(tmp_path, runner, monkeypatch):
    import errno

    docs = tmp_path / "docs.jsonl"
    _corpus(docs, copies=1)
    nested = tmp_path / "new" / "deeper" / "out.jsonl"
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(nested), "--format", "jsonl", "--quiet"])
    assert r.exit_code == 1 and nested.exists()  # (1: the corpus holds a record without text)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(blocker / "out.jsonl"), "--quiet"])
    assert r.exit_code == 2 and f"cannot write {blocker / 'out.jsonl'}" in r.output

    real_open = open

    class Full:  # a disk that fills up after three records
        def __init__(self, f):
            self.f, self.writes = f, 0

        def write(self, data):
            self.writes += 1
            if self.writes > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr("cleaner.writers.open", lambda *a, **k: Full(real_open(*a, **k)), raising=False)
    out = tmp_path / "full.jsonl"
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(out), "--format", "jsonl", "--quiet"])
    assert r.exit_code == 1 and "No space left on device" in r.output and "--resume" in r.output
    partial = tmp_path / "full.jsonl.partial"
    assert not out.exists() and [json.loads(ln)["id"] for ln in partial.read_text().splitlines()] == ["p0", "s0", "p1"]


def _decompressed(path) -> bytes:
    from cleaner.io.readers import open_decompressed

    with open(path, "rb") as f:
        return open_decompressed(f).read()


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst"])
def test_an_output_named_compressed_is_written_compressed_a_stream_per_chunk_and_resumes(tmp_path, runner,
                                                                                         monkeypatch, suffix):
    if suffix == ".zst":
        pytest.importorskip("zstandard")
    from cleaner import writers
    from cleaner.io.compression import MAGIC, SUFFIXES, whole_streams

    docs = tmp_path / "docs.jsonl"
    total = _corpus(docs, copies=2)
    plain = tmp_path / "plain.jsonl"
    runner.invoke(cli, ["clean", str(docs), "-o", str(plain), "--format", "jsonl", "-j", "1", "--quiet"])
    monkeypatch.setattr(writers, "COMPRESSED_CHUNK_BYTES", 20_000)  # several streams
    out = tmp_path / f"out.jsonl{suffix}"
    runner.invoke(cli, ["clean", str(docs), "-o", str(out), "--format", "jsonl", "-j", "1", "--quiet"])
    data = out.read_bytes()
    assert MAGIC[next(m for m in MAGIC if data.startswith(m))] == SUFFIXES[suffix]
    assert _decompressed(out) == plain.read_bytes()  # every stream, read as one
    with open(out, "rb") as f:
        ends = [end for end, _ in whole_streams(f, SUFFIXES[suffix])]
    assert len(ends) >= 3 and ends[-1] == len(data)

    # killed mid-stream: the whole streams are kept, the torn one's records cleaned again
    partial = tmp_path / f"out.jsonl{suffix}.partial"
    partial.write_bytes(data[:ends[1] + 30])
    out.unlink()
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(out), "--format", "jsonl", "-j", "2", "--resume"])
    kept = sum(b"".join(p).count(b"\n") for _, p in itertools.islice(whole_streams(io.BytesIO(data), SUFFIXES[suffix]), 2))
    assert f"{kept} already written" in r.stderr and 0 < kept < total
    assert _decompressed(out) == plain.read_bytes() and not partial.exists()

    # an output of another compression under this name is refused, and left as it is
    partial.write_bytes(plain.read_bytes())
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(out), "--format", "jsonl", "--resume"])
    assert r.exit_code == 2 and f"is not {SUFFIXES[suffix]}-compressed" in r.output
    assert partial.read_bytes() == plain.read_bytes()


def test_resume_reads_the_records_as_it_skips_and_names_one_that_is_not_a_record(tmp_path, runner):
    docs = tmp_path / "docs.jsonl"
    _corpus(docs, copies=1)
    full = tmp_path / "full.jsonl"
    runner.invoke(cli, ["clean", str(docs), "-o", str(full), "--format", "jsonl", "-j", "1", "--quiet"])
    lines = full.read_bytes().splitlines(keepends=True)
    lines[2] = b"{not json}\n"
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines))
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(tmp_path / "out.jsonl"), "--format", "jsonl", "--resume"])
    assert r.exit_code == 2 and "record 3 is not one written by cleaner" in r.output
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:2]) + b"plain text\n")
    r = runner.invoke(cli, ["clean", str(docs), "-o", str(tmp_path / "out.jsonl"), "--format", "jsonl", "--resume"])
    assert r.exit_code == 2 and "line 3 is not a record written by cleaner" in r.output
