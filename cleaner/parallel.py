"""Fan documents out over worker processes with ordered output and bounded memory.

Workers clean documents without site memory and send back, beside the article, the lines site
memory needs. The parent keeps the memory in input order: when a document's body holds a line the
memory already knows, the parent cleans that document again with the memory (rare), so the output is
identical to a single-process run whatever the number of workers.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from .io.readers import ReadFailure
from .options import Options
from .pipeline import Cleaner, error_of
from .site_memory import SiteMemory, site_of
from .types import Article, RawDoc

# Documents in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4

_worker: Cleaner | None = None


def _init(options: Options) -> None:
    global _worker  # one Cleaner (and model) per worker process, built once
    single_threaded_blas()
    _worker = Cleaner(options)


def single_threaded_blas() -> None:
    """One BLAS thread per process: the per-document matrices are small, and threads of several
    workers would only fight over the cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def _clean_in_worker(doc: RawDoc) -> tuple[Article | None, tuple[str, ...], tuple[bool, ...], dict | None]:
    """(article, logical line texts, body flags, error) for one document."""
    assert _worker is not None
    try:
        article, texts, body = _worker.clean_traced(doc)
        return article, texts, body, None
    except Exception as e:  # never lose a document
        return None, (), (), error_of(e)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def clean_parallel(docs: Iterable[RawDoc | ReadFailure], options: Options, jobs: int, cleaner: Cleaner,
                   memory: SiteMemory | None = None) -> Iterator[tuple[RawDoc | ReadFailure, Article | dict]]:
    """(input, article or error record) in input order, cleaned by ``jobs`` worker processes;
    ``memory`` is the run's site memory (None: off)."""
    pending: deque[tuple[RawDoc | ReadFailure, Future | None]] = deque()
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(options,)) as pool:
        it = iter(docs)
        while True:
            while len(pending) < jobs * IN_FLIGHT_PER_WORKER:
                doc = next(it, None)
                if doc is None:
                    break
                pending.append((doc, None if isinstance(doc, ReadFailure) else pool.submit(_clean_in_worker, doc)))
            if not pending:
                return
            doc, fut = pending.popleft()
            yield doc, _settle(doc, fut, memory, cleaner)


def _settle(doc: RawDoc | ReadFailure, fut: Future | None, memory: SiteMemory | None,
            cleaner: Cleaner) -> Article | dict:
    if fut is None:
        return {"kind": doc.kind, "message": doc.message}  # type: ignore[union-attr]
    article, texts, body, error = fut.result()
    if error is not None:
        return error
    if memory is not None:
        site = site_of(doc.url)  # type: ignore[union-attr]
        seen = memory.recurring(site, texts)
        if any(b and t in seen for t, b in zip(texts, body)):
            return cleaner.clean(doc, memory=memory)  # type: ignore[arg-type]  # learns the page itself
        memory.add(site, texts)
    return article
