"""Clean on a Dask cluster: a bag of documents -> a bag of records (extra ``cleaner[dask]``).

    import dask.bag as db
    from cleaner.dask import read_docs, clean_bag

    records = clean_bag(read_docs(["crawl-00.warc.gz", "crawl-01.jsonl.gz"]))
    records.map(json.dumps).to_textfiles("clean-*.jsonl")

Each partition is cleaned in order by one worker with its own site memory, so a partition should
hold whole sites (one crawl file per partition does, mostly). For one ordered output identical to a
local run, with one site memory over the whole run, use ``cleaner clean --dask ADDRESS``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import dask.bag as db

from .io.readers import Fields, ReadFailure, iter_docs
from .options import Options
from .outputs import error_record
from .pipeline import error_of
from .site_memory import SiteMemory
from .types import RawDoc


def read_docs(paths: Sequence[str], fields: Fields | None = None) -> db.Bag:
    """A bag with one partition per input file (JSONL, WARC/WET, dumps; compressed or not) of
    RawDoc and ReadFailure items, read lazily on the workers."""
    fields = fields or Fields()
    return db.from_sequence(list(paths), npartitions=max(1, len(paths))).map_partitions(_read, fields)


def _read(paths: Iterable[str], fields: Fields) -> Iterator[RawDoc | ReadFailure]:
    return iter_docs(list(paths), fields)


def clean_bag(docs: db.Bag, options: Options | None = None) -> db.Bag:
    """A bag of JSON-ready records, one per document in partition order: the article
    (``Article.to_dict(with_lines=False)``, as the JSONL output) or an error record."""
    return docs.map_partitions(_clean_partition, options or Options())


def _clean_partition(docs: Iterable[RawDoc | ReadFailure | str | bytes], options: Options) -> list[dict[str, Any]]:
    from .parallel import cleaner_for

    cleaner = cleaner_for(options)
    memory = SiteMemory() if options.site_memory else None
    out = []
    for doc in docs:
        if isinstance(doc, ReadFailure):
            out.append(error_record(doc, doc.error))
            continue
        try:
            out.append(cleaner.clean(doc, memory=memory).to_dict(with_lines=False))
        except Exception as e:  # never lose a document
            out.append(error_record(doc, error_of(e)))
    return out


__all__ = ["read_docs", "clean_bag"]
