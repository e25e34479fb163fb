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
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass

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
    single_threaded_blas()
    _cleaners[options] = cleaner
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
    out = []
    for item in docs:
        doc = parsed(item)
        if isinstance(doc, ReadFailure):
            out.append(_Done(None, error=doc.error, doc=doc))
            continue
        head = RawDoc("", doc.source, doc.url, doc.id) if doc is not item else None
        size = content_size(doc)
        try:
            article, texts, body = cleaner.clean_traced(doc)
        except Exception as e:  # never lose a document
            out.append(_Done(None, error=error_of(e), size=size, doc=head))
            continue
        result = _rendered(article, fmt)
        keep = options.site_memory and site_of(doc.url) is not None
        out.append(_Done(result, line_keys(texts) if keep else (), body if keep else (), size=size, doc=head))
    return out


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
    (without its content) or the ReadFailure it was."""
    if executor is None:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_adopt, initargs=(options, cleaner)) as pool:
            yield from clean_parallel(docs, options, jobs, cleaner, memory, fmt, pool)
        return
    pending: deque[tuple[list, Future | None]] = deque()
    batches = _batches(docs)
    while True:
        while len(pending) < jobs * IN_FLIGHT_PER_WORKER:
            batch = next(batches, None)
            if batch is None:
                break
            sent = [d for d in batch if not isinstance(d, ReadFailure)]
            pending.append((batch, executor.submit(clean_batch, options, fmt, sent) if sent else None))
        if not pending:
            return
        batch, fut = pending.popleft()
        done = iter(fut.result() if fut is not None else ())
        for doc in batch:
            if isinstance(doc, ReadFailure):
                yield doc, doc.error, 0
                continue
            d = next(done)
            known = d.doc or doc
            yield known, d.error if d.error is not None else _settle(doc, known.url, d, memory, cleaner, fmt), d.size


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
