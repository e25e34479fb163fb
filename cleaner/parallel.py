"""Fan documents out over workers (processes, or a Dask cluster) with ordered output and bounded memory.

Documents travel in batches (fewer round trips); workers clean them without site memory and send
back each record, already rendered when the output format is known, plus the lines site memory
needs. The parent keeps the memory in input order: when a document's body holds a line the memory
already knows, the parent cleans that document again with the memory (rare), so the output is
identical to a single-process run whatever the number or kind of workers.
"""
from __future__ import annotations

import os
from collections import deque
from contextlib import nullcontext
from collections.abc import Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass

from .errors import WorkerError
from .hang_watch import HangWatch
from .io.readers import JsonLine, ReadFailure, content_size, parsed
from .options import Options
from .outputs import render, utf8
from .pipeline import Cleaner, error_of, load_resources
from .site_memory import SiteMemory, line_keys, site_of
from .types import Article, RawDoc, Rendered, pickled_by_fields

# A batch closes at this many documents or bytes: big enough that a round trip costs little beside
# the cleaning, small enough to keep every worker busy and memory bounded.
BATCH_DOCS = 32
BATCH_BYTES = 512 * 1024
# Batches in flight per worker.
IN_FLIGHT_PER_WORKER = 3


@pickled_by_fields
@dataclass(slots=True)
class _Done:
    """What a worker sends back for one document."""

    result: Article | Rendered | None
    keys: tuple[int | None, ...] = ()  # logical lines (their line_keys) and body flags, for site memory
    body: tuple[bool, ...] = ()        # (documents with a URL)
    error: dict | None = None
    size: int = 0                      # bytes of its content
    # a JSON line's document as the worker parsed it, without its content (the parent writes its
    # id and source, and keeps site memory by its URL); its ReadFailure when it did not parse
    doc: RawDoc | ReadFailure | None = None


_cleaners: dict[Options, Cleaner] = {}
# Whether this process is a worker of a run's own pool, which a hung document may end (HangWatch):
# not a Dask worker (Dask's retries would only hang again) nor the run's single process.
_in_own_pool = False


def cleaner_for(options: Options) -> Cleaner:
    """One Cleaner (and model) per worker process and Options, built on first use."""
    c = _cleaners.get(options)
    if c is None:
        single_threaded_blas()
        c = _cleaners[options] = Cleaner(options)
    return c


def _adopt(options: Options, cleaner: Cleaner) -> None:
    """A pool worker's start: the parent's Cleaner for ``options`` (a forked worker has it, its model
    parsed, without parsing the model's JSON again: 0.05 s a worker, before any page is cleaned), and
    the language data loaded (``cleaner_for`` would load both with the first batch)."""
    global _in_own_pool
    single_threaded_blas()
    _cleaners[options] = cleaner
    _in_own_pool = True
    load_resources()


def single_threaded_blas() -> None:
    """One BLAS thread per process: the per-document matrices are small, and threads of several
    workers would only fight over the cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def clean_batch(options: Options, fmt: str | None, docs: list[RawDoc | JsonLine]) -> list[_Done]:
    """Clean a batch in a worker, without site memory; records rendered in ``fmt`` when given."""
    cleaner = cleaner_for(options)
    with HangWatch(options.time_limit) if _in_own_pool and options.time_limit else nullcontext() as watch:
        return [_clean_one(cleaner, options, fmt, item, watch) for item in docs]


def _clean_one(cleaner: Cleaner, options: Options, fmt: str | None, item: RawDoc | JsonLine,
               watch: HangWatch | None) -> _Done:
    if watch is not None:
        watch.document()
    doc = parsed(item)
    if isinstance(doc, ReadFailure):
        return _Done(None, error=doc.error, doc=doc)
    head = RawDoc("", doc.source, doc.url, doc.id) if doc is not item else None
    size = content_size(doc)
    try:
        article, texts, body = cleaner.clean_traced(doc)
    except Exception as e:  # never lose a document
        return _Done(None, error=error_of(e), size=size, doc=head)
    keep = options.site_memory and site_of(doc.url) is not None
    return _Done(_rendered(article, fmt), line_keys(texts) if keep else (), body if keep else (), size=size, doc=head)


def _rendered(article: Article, fmt: str | None) -> Article | Rendered:
    """The article rendered in ``fmt`` (so the parent only writes it), or as it is without a format."""
    return Rendered(utf8(render(article, fmt)), article.is_article, article.source) if fmt else article


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def clean_parallel(docs: Iterable[RawDoc | ReadFailure | JsonLine], options: Options, jobs: int, cleaner: Cleaner,
                   memory: SiteMemory | None = None, fmt: str | None = None, executor: Executor | None = None,
                   ) -> Iterator[tuple[RawDoc | ReadFailure, Article | Rendered | dict, int]]:
    """(input, article or rendered record or error, bytes of its content) in input order, cleaned
    by ``jobs`` workers: a process pool, or ``executor`` (e.g. a Dask client's). ``memory``: the
    run's site memory. A JsonLine is parsed by its worker, and comes back as the document it held
    (without its content) or the ReadFailure it was. A document whose worker process dies (killed,
    out of memory, a crash in a library, or held by it far past its time limit: ``HangWatch``)
    comes back as an error record, the others cleaned."""
    workers = _Workers(jobs, options, cleaner, fmt, executor)
    try:
        yield from _in_order(docs, workers, memory, cleaner, fmt)
    finally:
        workers.close()


def _in_order(docs: Iterable[RawDoc | ReadFailure | JsonLine], workers: _Workers, memory: SiteMemory | None,
              cleaner: Cleaner, fmt: str | None) -> Iterator[tuple[RawDoc | ReadFailure, Article | Rendered | dict, int]]:
    pending: deque[list] = deque()  # [batch, the documents sent of it, their future, the pool it went to]
    batches = _batches(docs)
    while True:
        while len(pending) < workers.jobs * IN_FLIGHT_PER_WORKER:
            batch = next(batches, None)
            if batch is None:
                break
            sent = [d for d in batch if not isinstance(d, ReadFailure)]
            pending.append([batch, sent, workers.submit(sent), workers.pools])
        if not pending:
            return
        batch, sent, fut, _ = pending.popleft()
        try:
            results = fut.result() if fut is not None else ()
        except Exception as e:  # (clean_batch reports a document's own errors): a worker stopped
            results = workers.one_at_a_time(sent, e)
            for entry in pending:  # in flight in a pool that broke since: sent again
                if entry[3] != workers.pools:
                    entry[2:] = workers.submit(entry[1]), workers.pools
        done = iter(results)
        for doc in batch:
            if isinstance(doc, ReadFailure):
                yield doc, doc.error, 0
                continue
            d = next(done)
            known = d.doc or doc
            yield known, d.error if d.error is not None else _settle(doc, known.url, d, memory, cleaner, fmt), d.size


# Documents in a row whose worker stopped, cleaned alone, before the run stops: workers that die on
# every document (a broken installation, no memory left) are no document's fault.
MAX_STOPPED_IN_A_ROW = 3


class _Workers:
    """Where batches go: a process pool of this run's own, made again when one of its workers dies,
    or the caller's executor (a Dask client's, which retries a dead worker's tasks itself)."""

    def __init__(self, jobs: int, options: Options, cleaner: Cleaner, fmt: str | None, executor: Executor | None):
        self.jobs, self.options, self.cleaner, self.fmt = jobs, options, cleaner, fmt
        self.own = executor is None
        self.executor = self._pool() if executor is None else executor
        self.pools = 1  # pools made so far (the caller's executor counts as one)

    def _pool(self) -> Executor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.jobs, initializer=_adopt, initargs=(self.options, self.cleaner))

    def submit(self, docs: list) -> Future | None:
        return self.executor.submit(clean_batch, self.options, self.fmt, docs) if docs else None

    def one_at_a_time(self, docs: list, error: Exception) -> list[_Done]:
        """The results of a batch whose future failed with ``error``: its documents cleaned one at a
        time, each alone in the pool (made again first when broken), so that a worker that dies
        again died of that document, which comes back as an error record."""
        self._mend(error)
        out, stopped = [], 0
        for doc in docs:
            try:
                out.append(self.submit([doc]).result()[0])  # type: ignore[union-attr]
                stopped = 0
            except Exception as e:
                stopped += 1
                if stopped >= MAX_STOPPED_IN_A_ROW:
                    raise WorkerError(f"worker processes stopped on {stopped} documents in a row, the last "
                                      f"{doc.source} ({type(e).__name__}: {e})") from e
                self._mend(e)
                out.append(_stopped_on(doc, e))
        return out

    def _mend(self, error: Exception) -> None:
        """A broken pool of the run's own replaced by a new one (a caller's executor left as it is)."""
        if self.own and isinstance(error, BrokenExecutor):
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._pool()
            self.pools += 1

    def close(self) -> None:
        if self.own:
            self.executor.shutdown()


def _stopped_on(item: RawDoc | JsonLine, error: Exception) -> _Done:
    """The error record of a document whose worker process stopped while cleaning it alone."""
    doc = parsed(item)  # (reading a JSON line is safe here; cleaning it was not)
    if isinstance(doc, ReadFailure):
        return _Done(None, error=doc.error, doc=doc)
    message = (f"the worker process cleaning it stopped: killed, out of memory, crashed, or held far past "
               f"the time limit ({type(error).__name__}: {error})")
    return _Done(None, error={"kind": WorkerError.kind, "message": message}, size=content_size(doc),
                 doc=RawDoc("", doc.source, doc.url, doc.id))


def _batches(docs: Iterable[RawDoc | ReadFailure | JsonLine]) -> Iterator[list[RawDoc | ReadFailure | JsonLine]]:
    batch: list[RawDoc | ReadFailure | JsonLine] = []
    size = 0
    for doc in docs:
        batch.append(doc)
        size += len(doc.line) if isinstance(doc, JsonLine) else len(doc.content) if isinstance(doc, RawDoc) else 0
        if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _settle(doc: RawDoc | JsonLine, url: str | None, done: _Done, memory: SiteMemory | None, cleaner: Cleaner,
            fmt: str | None) -> Article | Rendered | dict:
    site = site_of(url) if memory is not None else None
    if site is not None and memory.learn_unless_recurring(site, done.keys, done.body):
        try:  # the memory changes this document: clean it again here, learning the page as it goes
            load_resources()  # (once: the parent's cleaner loads them when first needed)
            article = cleaner.clean(parsed(doc), memory=memory)
        except Exception as e:
            return error_of(e)
        return _rendered(article, fmt)
    return done.result
