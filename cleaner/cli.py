"""Command line: ``cleaner clean [INPUT ...]``. A thin layer over the pipeline and the writers."""
from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__
from .errors import CleanerError, WorkerError
from .io.readers import Fields, InputProgress, JsonLine, ReadFailure, content_size, iter_docs, parsed
from .options import MAX_INPUT_BYTES_DEFAULT, MAX_LINE_CHARS_DEFAULT, TIME_LIMIT_DEFAULT, Options
from .outputs import FORMATS, error_record, explain
from .pipeline import Cleaner, error_of, load_resources
from .site_memory import SiteMemory
from .types import Article, RawDoc, Rendered
from .writers import OutputError, ResumeError, Sink


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli() -> None:
    """Strip boilerplate from scraped articles: text dumps and HTML."""


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", default=None,
              help="Output file, or a folder (existing, or ending in /) for one output per input. Default: stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: title and body; markdown (headings, lists, tables); json (full record, line "
              "decisions included); jsonl.")
@click.option("--explain", "show", is_flag=True, help="Show every line with its label, score and reason.")
@click.option("--input", "kind", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True,
              help="Input kind; auto sniffs each document.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
              help="A retrained model.json instead of the bundled one.")
@click.option("--max-bytes", type=click.IntRange(1), default=MAX_INPUT_BYTES_DEFAULT, show_default=True,
              help="Refuse (as an error record) documents larger than this.")
@click.option("--max-line-chars", type=click.IntRange(1), default=MAX_LINE_CHARS_DEFAULT, show_default=True,
              help="Refuse (as an error record) documents with a longer line of text (of HTML: of its text, not its source).")
@click.option("--time-limit", type=click.FloatRange(0), default=TIME_LIMIT_DEFAULT, show_default=True,
              help="Seconds one document may take before it becomes an error record (0: no limit).")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run: skip the inputs whose records are already in the -o output "
                   "(a JSONL file or a folder).")
@click.option("--text-field", default="text", show_default=True, help="JSONL field holding a text dump.")
@click.option("--html-field", default="html", show_default=True, help="JSONL field holding HTML (preferred when present).")
@click.option("--url-field", default="url", show_default=True, help="JSONL field holding the page URL.")
@click.option("--id-field", default="id", show_default=True, help="JSONL field holding the document id.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Worker processes (default: all cores). Output order and content do not depend on it.")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Clean on a Dask cluster (scheduler address, e.g. tcp://10.0.0.5:8786) instead of local "
                   "processes; needs cleaner[dask] here and on the workers. Same output as a local run.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line on stderr.")
@click.option("--no-site-memory", is_flag=True,
              help="Do not treat lines recurring across pages of one site (by URL) as chrome.")
def clean(inputs: tuple[str, ...], output: str | None, fmt: str, show: bool, kind: str,
          model_path: str | None, max_bytes: int, max_line_chars: int, time_limit: float, resume: bool,
          text_field: str, html_field: str,
          url_field: str, id_field: str, jobs: int | None, dask_address: str | None, quiet: bool,
          no_site_memory: bool) -> None:
    """Clean INPUT files, folders (recursively), glob patterns ('crawl/**/*.gz', quoted) or - for
    stdin (the default).

    A JSONL input holds one document per line; compressed inputs (gzip, bz2, xz, zstd) are
    recognised by content.
    """
    options = Options(kind=None if kind == "auto" else kind, model_path=model_path, max_input_bytes=max_bytes,
                      max_line_chars=max_line_chars, time_limit=time_limit or None,
                      site_memory=not no_site_memory)
    try:
        cleaner = Cleaner(options, preload=False)  # (loaded below where this process cleans)
    except CleanerError as e:
        raise click.UsageError(str(e)) from None
    per_doc = bool(output) and (output.endswith("/") or Path(output).is_dir())
    try:
        sink = Sink(output, fmt, per_doc, resume=resume)
    except (ResumeError, OutputError) as e:
        raise click.UsageError(str(e)) from None
    colour = sys.stdout.isatty()
    memory = SiteMemory() if options.site_memory else None
    tally = _Tally()
    inputs = inputs or ("-",)
    reading = InputProgress(inputs) if not quiet and sys.stderr.isatty() else None  # (for the progress bar)
    docs = iter_docs(inputs, Fields(text_field, html_field, url_field, id_field), defer_json=True, progress=reading,
                     max_bytes=options.max_input_bytes)
    if resume:
        docs = _skip_written(docs, sink, cleaner, memory, tally)
    head = list(itertools.islice(docs, 2))
    docs = itertools.chain(head, docs)
    executor = client = None
    if dask_address:
        client, executor, jobs = _dask_executor(dask_address)
    elif jobs is None:
        from .parallel import default_jobs

        jobs = default_jobs() if len(head) > 1 else 1  # one document: no pool to start
    bar = _Progress(reading) if reading is not None else None
    from .parallel import single_threaded_blas

    single_threaded_blas()
    if jobs > 1 or executor is not None:
        from .parallel import clean_parallel  # lazy: process pools only when asked for

        results = ((doc, _as_record(doc, res), size) for doc, res, size
                   in clean_parallel(docs, options, jobs, cleaner, memory, None if show else fmt, executor))
    else:
        load_resources()
        results = ((doc, _clean_one(cleaner, doc, memory), content_size(doc)) for doc in map(parsed, docs))
    complete = False
    try:
        for doc, article, size in results:
            tally.add(size, article)
            if bar is not None:
                bar.update(tally)
            if isinstance(article, dict):
                sink.write_error(article)
            elif show:
                click.echo(explain(article, colour=colour), nl=False)
            else:
                sink.write(article)
        complete = True
    except KeyboardInterrupt:
        if sink.partial is not None:
            click.echo(f"cleaner: interrupted; {_resume_hint(sink)}", err=True)
        raise
    except (OutputError, WorkerError) as e:  # (no space left, a full pipe's reader gone, workers dying
        # on every document): the records so far stay
        raise click.ClickException(f"{e}; {_resume_hint(sink)}" if sink.partial is not None else str(e)) from None
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
        try:
            sink.close(complete=complete)
        except OutputError as e:
            raise click.ClickException(str(e)) from None
    if not quiet:
        click.echo(tally.summary(), err=True)
    if tally.failed or tally.failed_before:
        sys.exit(1)


def _resume_hint(sink: Sink) -> str:
    return f"{sink.count} records in {sink.partial}, run the same command with --resume to finish"


def _dask_executor(address: str):
    """(a Dask client, an Executor on its cluster, the cluster's number of worker threads)."""
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError("--dask needs the dask extra: pip install 'cleaner[dask]'") from None
    try:
        client = Client(address, timeout="10s")
    except Exception as e:  # unreachable scheduler, bad address
        raise click.UsageError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    return client, client.get_executor(), max(1, sum(client.nthreads().values()))


def _skip_written(docs: Iterator[RawDoc | ReadFailure | JsonLine], sink: Sink, cleaner: Cleaner,
                  memory: SiteMemory | None, tally: _Tally) -> Iterator[RawDoc | ReadFailure | JsonLine]:
    """The inputs whose records are not yet in the output. Skipped documents still teach the site
    memory, so a resumed run writes what an uninterrupted one would have."""
    written = sink.written()
    for n, doc in enumerate(docs):
        if n < sink.resumed:
            try:
                source, failed = next(written)
            except ResumeError as e:
                raise click.UsageError(str(e)) from None
            if doc.source != source:
                raise click.UsageError(f"the output does not continue these inputs: its record {n + 1} is for "
                                       f"{source!r}, input {n + 1} is {doc.source!r}")
            tally.failed_before += failed
        elif not sink.already_written(doc.source):
            yield doc
            continue
        tally.skipped += 1
        if memory is not None and isinstance(doc := parsed(doc), RawDoc):
            cleaner.learn(doc, memory)


class _Progress:
    """A progress bar on stderr (shown when it is a terminal): documents, rate and MB, and where the
    inputs' total size is known (files and folders, not stdin), the share of their bytes read and
    the time left."""

    def __init__(self, inputs: InputProgress):
        from tqdm import tqdm

        self.inputs = inputs
        sized = inputs.total is not None
        self.bar = tqdm(total=inputs.total, unit="B" if sized else " doc", unit_scale=sized, unit_divisor=1000,
                        file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def update(self, tally: _Tally) -> None:
        if self.inputs.total is None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"{tally.bytes / 1e6:.1f} MB, {tally.failed} failed", refresh=False)
        else:
            self.bar.update(self.inputs.done - self.bar.n)
            docs = tally.cleaned + tally.empty + tally.failed
            self.bar.set_postfix_str(f"{docs} docs, {tally.failed} failed", refresh=False)

    def close(self) -> None:
        self.bar.close()


class _Tally:
    """Counts for the end-of-run summary line."""

    def __init__(self) -> None:
        self.cleaned = self.failed = self.empty = 0
        self.skipped = self.failed_before = 0  # resuming: records already written, errors among them
        self.bytes = 0
        self.start = time.perf_counter()

    def add(self, size: int, result: Article | Rendered | dict) -> None:
        """One document's result, and the bytes of its content."""
        self.bytes += size
        if isinstance(result, dict):
            self.failed += 1
        elif result.is_article:
            self.cleaned += 1
        else:
            self.empty += 1

    def summary(self) -> str:
        secs = max(time.perf_counter() - self.start, 1e-9)
        resumed = f", {self.skipped} already written" if self.skipped else ""
        resumed += f" ({self.failed_before} of them errors)" if self.failed_before else ""
        return (f"cleaner: {self.cleaned} cleaned, {self.empty} empty, {self.failed} failed{resumed}; "
                f"{self.bytes / 1e6:.1f} MB in {secs:.1f} s ({self.bytes / 1e6 / secs:.2f} MB/s)")


def _clean_one(cleaner: Cleaner, doc: RawDoc | ReadFailure, memory: SiteMemory | None = None) -> Article | dict:
    """The article, or the error record after reporting it on stderr."""
    if isinstance(doc, ReadFailure):
        return _as_record(doc, doc.error)
    try:
        return cleaner.clean(doc, memory=memory)
    except Exception as e:  # never lose a document: report, count, go on
        return _as_record(doc, error_of(e))


def _as_record(doc: RawDoc | ReadFailure, result: Article | Rendered | dict) -> Article | Rendered | dict:
    """An article as it is; an error ({kind, message}) as a record naming the document, on stderr too."""
    if not isinstance(result, dict):
        return result
    rec = error_record(doc, result)
    click.echo(f"cleaner: {rec['source']}: {rec['error']['message']}", err=True)
    click.echo(json.dumps(rec, ensure_ascii=False), err=True)
    return rec


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True))
@click.argument("pred_or_input", type=click.Path(exists=True))
@click.option("--per-doc", is_flag=True, help="Also print precision, recall and F1 of every document.")
@click.option("--predictions", "as_predictions", is_flag=True,
              help="PRED_OR_INPUT is a folder of <id>.txt predictions, not inputs to clean.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
              help="A retrained model.json, when PRED_OR_INPUT holds inputs to clean.")
def evaluate(gold: str, pred_or_input: str, per_doc: bool, as_predictions: bool, model_path: str | None) -> None:
    """Score predictions against GOLD with the benchmark's metric (4-gram shingle P/R/F1).

    GOLD: a JSON map id -> text (or {"articleBody": ...}), a JSONL file of {id, body}, or a folder
    of <id>.txt. PRED_OR_INPUT: a JSON or JSONL file of predictions, or a folder of input documents
    (<id>.*) that are cleaned first (with --predictions, a folder of <id>.txt predictions).
    """
    from .train.evaluate import load_texts, overall, score_doc

    path = Path(pred_or_input)
    try:
        gold_texts = load_texts(Path(gold))
        preds = load_texts(path) if not path.is_dir() or as_predictions else None
    except ValueError as e:  # (not JSON, not UTF-8, records of another shape)
        raise click.UsageError(str(e)) from None
    if preds is None:
        cleaner = Cleaner(Options(model_path=model_path))
        preds = {}
        for f in sorted(p for p in path.iterdir() if p.is_file()):
            preds[f.name.split(".")[0]] = cleaner.clean(RawDoc(f.read_bytes(), source=str(f))).text
    scores = [score_doc(i, gold_texts[i], preds.get(i, "")) for i in sorted(gold_texts)]
    if per_doc:
        for s in scores:
            p, r = s.precision, s.recall
            f = 2 * p * r / (p + r) if p and r else 0.0
            click.echo(f"{s.id}\t{_fmt(p)}\t{_fmt(r)}\t{f:.3f}")
    m = overall(scores)
    missing = sum(1 for i in gold_texts if i not in preds)
    click.echo(f"documents {m['documents']}  precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
               f"F1 {m['f1']:.3f}" + (f"  (missing {missing}, scored as empty)" if missing else ""))


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@cli.command("train")
@click.argument("data", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="model.json", show_default=True,
              help="Where to write the model.")
@click.option("--sets", default=None, help="Comma-separated data folders inside DATA (default: the permissively "
              "licensed ones the shipped model uses).")
@click.option("--holdout", is_flag=True, help="Train on 90% of the pages and report line F1 on the rest.")
@click.option("--commit", default=None, help="Commit to record in the model (default: git HEAD).")
@click.option("--seed", type=int, default=None, help="Seed of the weights' start and the batch order "
              "(default: the one the shipped model was trained with).")
@click.option("--members", type=click.IntRange(min=1), default=None,
              help="Networks merged into each stage (default: as the shipped model; 1 trains about 3x faster).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes preparing pages and fitting networks (default: all cores; the model is the same).")
def train(data: str, output: str, sets: str | None, holdout: bool, commit: str | None, seed: int | None,
          members: int | None, jobs: int | None) -> None:
    """Train a line model on DATA: folders of pages/<id>.html.gz with a gold.jsonl of {id, body}.

    Pages are rendered to dumps in every style, aligned with their gold text to label lines, and a
    model is fitted; `cleaner clean --model` then uses it. On the shipped training data this
    reproduces cleaner/data/model.json byte for byte. Needs `pip install cleaner[train]`.
    """
    try:
        from .train.__main__ import main as train_main
    except ImportError as e:
        raise click.UsageError(f"training needs the train extra ({e.name} missing): pip install 'cleaner[train]'")
    argv = ["fit", "--data", data, "-o", output] + (["--sets", sets] if sets else []) \
        + (["--holdout"] if holdout else []) + (["--commit", commit] if commit else []) \
        + (["--seed", str(seed)] if seed is not None else []) \
        + (["--members", str(members)] if members is not None else []) \
        + (["--jobs", str(jobs)] if jobs is not None else [])
    sys.exit(train_main(argv))


def main() -> None:
    cli(prog_name="cleaner")
