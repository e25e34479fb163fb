"""-j N gives the same output, in the same order, as one process (site memory included)."""
import json

from cleaner.cli import cli
from cleaner.parallel import clean_batch
from tests.conftest import SEEDS
from tests.test_site_memory import page


def test_jobs_do_not_change_the_output(runner, tmp_path):
    docs = tmp_path / "docs.jsonl"
    recs = [{"id": f"p{n}", "url": f"https://www.example.org/story/{n}", "text": page(n)} for n in range(7)]
    recs.insert(3, {"id": "bad"})
    recs += [{"id": p.name, "text": p.read_text()} for p in sorted(SEEDS.iterdir())]
    docs.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    outs = []
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--quiet", "-j", jobs])
        assert r.exit_code == 1  # the record without text
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    lines = [json.loads(ln) for ln in outs[0].splitlines()]
    assert [ln["id"] for ln in lines] == [r["id"] for r in recs]
    footers = ["Our journalism" in ln.get("text", "") for ln in lines[:8] if "error" not in ln]
    assert footers == [True, True, True, False, False, False, False]  # site memory took it from page 4


def test_the_workers_parse_the_json_lines_not_the_parent(tmp_path, monkeypatch):
    """A parallel run hands JSONL records to its workers unparsed; each comes back as the document
    it held (id, source, url) or as its read failure, in input order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from cleaner import Cleaner, Options
    from cleaner.io import readers
    from cleaner.parallel import clean_parallel
    from cleaner.site_memory import SiteMemory
    from tests.test_readers import LINES

    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(LINES * 3) + "\n")
    expected = list(readers.iter_docs([str(path)]))
    on_main = []
    parse = readers.JsonLine.parse
    monkeypatch.setattr(readers.JsonLine, "parse",
                        lambda self: on_main.append(threading.current_thread() is threading.main_thread()) or parse(self))
    docs = readers.iter_docs([str(path)], defer_json=True)
    options = Options()
    with ThreadPoolExecutor(2) as pool:
        got = list(clean_parallel(docs, options, 2, Cleaner(options, preload=False), SiteMemory(), "jsonl", pool))
    assert len(on_main) == len(expected) and not any(on_main)
    assert [(type(d), d.source, d.id) for d, _, _ in got] == [(type(d), d.source, d.id) for d in expected]
    assert [d.url for d, _, _ in got if isinstance(d, readers.RawDoc)] == ["https://example.org/a"] * 3
    assert [r for d, r, _ in got if isinstance(d, readers.ReadFailure)] == [
        d.error for d in expected if isinstance(d, readers.ReadFailure)]
    assert [size for _, _, size in got] == [len(expected[0].content.encode()), 0, 0, 0] * 3


def test_what_crosses_between_processes_pickles_as_its_fields():
    """The records a parallel run sends (documents, JSON lines, results) pickle as their constructor's
    arguments, and come back equal, default fields and all."""
    import pickle
    from dataclasses import dataclass

    import pytest

    from cleaner.io.readers import Fields, JsonLine
    from cleaner.parallel import _Done
    from cleaner.types import RawDoc, Rendered, pickled_by_fields

    doc = RawDoc("text", "a.jsonl:3", "https://example.org/x", "x", "koi8-r")
    sent = [doc, RawDoc(b"\xff"), JsonLine(b'{"text": "t"}', "a.jsonl:4", Fields(text="body")),
            _Done(Rendered("caf\u00e9\n".encode(), True, "a.jsonl:3"), (7, None), (True,), size=5, doc=doc),
            _Done(None, error={"kind": "input", "message": "m"})]
    for obj in sent:
        reduced = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        assert reduced[0] is type(obj) and type(obj)(*reduced[1]) == obj
        assert pickle.loads(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)) == obj

    @dataclass
    class One:
        only: int

    with pytest.raises(TypeError, match="two or more fields"):  # (attrgetter would give it no tuple)
        pickled_by_fields(One)


def test_the_pool_workers_clean_with_the_callers_cleaner():
    """A process pool's workers start from the Cleaner the run was given (a forked worker inherits
    it, its model parsed), not from one rebuilt from the options: a model of the caller's own is the
    one that scores the pages."""
    import json as json_

    from cleaner import Cleaner, Options
    from cleaner.model import Model
    from cleaner.parallel import clean_parallel
    from cleaner.types import RawDoc

    doc = json_.loads(Model.load().to_json())
    for stage in doc["stages"]:
        stage["layers"][-1]["bias"] = [-60.0]  # every line chrome
    options = Options(site_memory=False)
    nothing = Cleaner(options, model=Model.from_json(json_.dumps(doc)), preload=False)
    docs = [RawDoc(p.read_text(), p.name) for p in sorted(SEEDS.iterdir())]
    got = [r for _, r, _ in clean_parallel(iter(docs), options, 2, nothing, None, "jsonl")]
    assert len(got) == len(docs) and not any(r.is_article for r in got)
    default = [r for _, r, _ in clean_parallel(iter(docs), options, 2, Cleaner(options, preload=False), None, "jsonl")]
    assert all(r.is_article for r in default)


POISON = "KILL-THE-WORKER"
# (taken when this module is imported, before a test patches it: a worker started by spawn or
# forkserver imports this module afresh and finds the real one here too)
_real_clean_batch = clean_batch


def _dies_on_poison(options, fmt, docs):
    """clean_batch, but the worker process dies (as one killed or crashed would) on a poisoned document."""
    import os

    from cleaner.io.readers import JsonLine

    if any(POISON.encode() in (d.line if isinstance(d, JsonLine) else d.content.encode()) for d in docs):
        os._exit(3)
    return _real_clean_batch(options, fmt, docs)


def _poisoned_run(runner, tmp_path, monkeypatch, poisoned):
    from cleaner import parallel

    monkeypatch.setattr(parallel, "clean_batch", _dies_on_poison)
    recs = [{"id": f"p{n}", "url": f"https://example.org/{n}", "text": (POISON if n in poisoned else "") + page(n)}
            for n in range(40)]
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    return recs, runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--quiet", "-j", "2"])


def test_a_document_that_kills_its_worker_is_an_error_record_and_the_others_are_cleaned(runner, tmp_path,
                                                                                       monkeypatch):
    recs, r = _poisoned_run(runner, tmp_path, monkeypatch, poisoned={5, 6, 33})
    assert r.exit_code == 1  # (some documents failed)
    lines = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [ln["id"] for ln in lines] == [rec["id"] for rec in recs]  # every input, in order
    failed = {ln["id"]: ln["error"] for ln in lines if "error" in ln}
    assert set(failed) == {"p5", "p6", "p33"}
    assert all(e["kind"] == "worker" and "stopped" in e["message"] for e in failed.values())
    single = runner.invoke(cli, ["clean", str(tmp_path / "docs.jsonl"), "--format", "jsonl", "--quiet", "-j", "1",
                                 "--no-site-memory"])
    alone = {json.loads(ln)["id"]: ln for ln in single.stdout.splitlines()}
    again = runner.invoke(cli, ["clean", str(tmp_path / "docs.jsonl"), "--format", "jsonl", "--quiet", "-j", "2",
                                "--no-site-memory"])
    for ln in again.stdout.splitlines():  # the others as one process cleans them
        rec = json.loads(ln)
        assert "error" in rec or ln == alone[rec["id"]]


def _hangs_on_poison(options, fmt, docs):
    """clean_batch, but a poisoned document holds its worker in a sleep no alarm interrupts (as
    compiled code that never returns would)."""
    import signal
    import time

    from cleaner import parallel

    real = parallel._clean_one

    def one(cleaner, options, fmt, item, watch):
        if POISON.encode() in item.line:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(120)
        return real(cleaner, options, fmt, item, watch)

    parallel._clean_one = one  # (in this worker process only)
    try:
        return _real_clean_batch(options, fmt, docs)
    finally:
        parallel._clean_one = real


def test_a_document_that_hangs_its_worker_is_an_error_record_and_the_run_goes_on(runner, tmp_path, monkeypatch):
    from cleaner import parallel

    monkeypatch.setattr(parallel, "clean_batch", _hangs_on_poison)
    recs = [{"id": f"h{n}", "text": (POISON if n == 3 else "") + page(n)} for n in range(8)]
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    r = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--quiet", "-j", "2", "--time-limit", "0.3"])
    lines = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [ln["id"] for ln in lines] == [rec["id"] for rec in recs]
    assert [ln["id"] for ln in lines if "error" in ln] == ["h3"]
    assert lines[3]["error"]["kind"] == "worker" and "time limit" in lines[3]["error"]["message"]


def test_workers_dying_on_every_document_stop_the_run_with_a_clear_error(runner, tmp_path, monkeypatch):
    from cleaner.parallel import MAX_STOPPED_IN_A_ROW

    _, r = _poisoned_run(runner, tmp_path, monkeypatch, poisoned=set(range(40)))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"worker processes stopped on {MAX_STOPPED_IN_A_ROW} documents in a row" in r.output


def test_a_callers_executor_that_fails_a_batch_gets_its_documents_one_at_a_time(tmp_path, monkeypatch):
    """An executor not of the run's own (Dask's, raising KilledWorker after its retries) fails a
    batch: its documents are sent again one by one through it, the failing one an error record."""
    from concurrent.futures import ThreadPoolExecutor

    from cleaner import Cleaner, Options, parallel
    from cleaner.io.readers import iter_docs

    real = parallel.clean_batch

    def lost_on_poison(options, fmt, docs):
        if any(POISON.encode() in d.line for d in docs):
            raise RuntimeError("worker lost")
        return real(options, fmt, docs)

    monkeypatch.setattr(parallel, "clean_batch", lost_on_poison)
    recs = [{"id": f"p{n}", "text": (POISON if n == 4 else "") + page(n)} for n in range(9)]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    options = Options(site_memory=False)
    with ThreadPoolExecutor(2) as pool:
        got = list(parallel.clean_parallel(iter_docs([str(path)], defer_json=True), options, 2,
                                           Cleaner(options, preload=False), None, "jsonl", pool))
    assert [d.id for d, _, _ in got] == [r["id"] for r in recs]
    assert [isinstance(r, dict) for _, r, _ in got] == [n == 4 for n in range(9)]
    assert got[4][1]["kind"] == "worker" and "RuntimeError: worker lost" in got[4][1]["message"]
