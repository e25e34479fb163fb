"""Wires the stages: decode -> lines -> features -> model -> sequence -> metadata -> assemble."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from .assemble import assemble, decide, labels_of
from .deadline import Deadline, time_limit
from .errors import CleanerError, InputError
from .features import extract
from .io.decode import decode
from .io.sniff import sniff
from .lang import detect_language, sample_lines, stopwords
from .lines.columns import CELL_RUN_ON_CHARS, read_columns, renumber
from .lines.text import cut_run_on, normalise, to_lines
from .metadata import extract_metadata, merge_metadata
from .model import Model
from .options import Options
from .rules import apply_rules, apply_tree_rules, drop_comments, drop_link_text, keep_best_run
from .sequence import smooth
from .site_memory import SiteMemory, line_keys, site_of
from .types import Article, Kind, Metadata, RawDoc, texts_of

_ACCEPTED = "str, bytes or cleaner.RawDoc"


class Cleaner:
    """A configured cleaner holding its model; reuse one for many documents."""

    def __init__(self, options: Options | None = None, model: Model | None = None, *, preload: bool = True):
        """``preload``: load the language data now (``load_resources``), not with the first document
        that needs it (a parallel run's parent, which cleans a document only where site memory
        changes it, leaves it to then)."""
        self.options = options or Options()
        if model is None:
            model = Model.from_path(self.options.model_path) if self.options.model_path else Model.load()
        self.model = model
        if preload:
            load_resources()

    def clean(self, doc: str | bytes | RawDoc, *, url: str | None = None,
              memory: SiteMemory | None = None, _trace: list | None = None) -> Article:
        """Clean one document (a text dump or HTML; bytes are decoded).

        ``memory``, when given, supplies lines seen on earlier pages of the same site and learns
        this page's lines (``iter_clean`` passes one per run). Past ``Options.time_limit`` the
        document raises TimeLimitError.
        """
        raw = _as_raw(doc, url)
        with time_limit(self.options.time_limit, raw.source) as deadline:
            page = self._prepare(raw, deadline)
            return self._classify(page, memory, deadline, _trace)

    def learn(self, doc: RawDoc, memory: SiteMemory) -> None:
        """Teach ``memory`` a document's lines without classifying it (resuming a run: the
        documents already written still count as earlier pages of their site)."""
        site = site_of(doc.url)
        if not site:
            return
        try:
            page = self._prepare(doc, Deadline(None, doc.source))
        except Exception:  # a document that failed taught the memory nothing the first time either
            return
        memory.add(site, texts_of(page.lines))

    def _prepare(self, raw: RawDoc, deadline: Deadline) -> _Page:
        """Decode, parse HTML, detect the language and split into logical lines."""
        self._check_size(raw)
        text = raw.content if isinstance(raw.content, str) else decode(raw.content, source=raw.source, charset=raw.charset)
        kind = Kind(self.options.kind) if self.options.kind else sniff(text)
        head = None
        if kind is Kind.HTML:
            from .lines.head import head_metadata  # lazy: only HTML input loads lxml
            from .lines.html import attach, html_to_blocks, parse

            root = parse(text, source=raw.source)
            head = head_metadata(root)[0] if root is not None else None  # before pruning the tree
            text, blocks, doms = html_to_blocks(text, root) if root is not None else ("", {}, {})
            deadline.check()
        # the lines the classifier reads: of a page, its text, not its source (minified pages and
        # inline data put megabytes on one source line)
        self._check_lines(text, raw.source)
        # a dump's table layout read column by column (its lines keep their input line numbers)
        read, origin = (text, None) if kind is Kind.HTML else read_columns(text)
        lang = detect_language(sample_lines(read), declared=head.language if head else None)
        lines = to_lines(read, lang=lang or "en", split_glue=self.options.split_glued_words)
        all_lines = cut_run_on(lines) if origin is None else cut_run_on(lines, CELL_RUN_ON_CHARS, share=0.0)
        if origin is not None:
            renumber(all_lines, origin)
        if kind is Kind.HTML:
            attach(all_lines, blocks, doms)
        deadline.check()
        return _Page(raw, text, kind, head, lang, all_lines, [ln for ln in all_lines if not ln.duplicate])

    def clean_traced(self, doc: str | bytes | RawDoc) -> tuple[Article, tuple[str, ...], tuple[bool, ...]]:
        """Clean without site memory; also return the logical line texts and their body flags
        before metadata roles, which is what site memory reads (used by the parallel runner)."""
        trace: list = []
        article = self.clean(doc, _trace=trace)
        texts, body = trace or ((), ())
        return article, texts, body

    def _check_size(self, raw: RawDoc) -> None:
        size, limit = len(raw.content), self.options.max_input_bytes
        if isinstance(raw.content, str) and 4 * size > limit:  # else below it: a character is at most 4 bytes
            size = len(raw.content.encode("utf-8", "replace"))
        if size > limit:
            raise InputError(f"input is {size:,} bytes, above the limit of {self.options.max_input_bytes:,} "
                             "(Options.max_input_bytes, --max-bytes)", source=raw.source)

    def _check_lines(self, text: str, source: str) -> None:
        limit = self.options.max_line_chars
        if len(text) <= limit:
            return
        start = 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if end - start > limit:
                raise InputError(f"a line of {end - start:,} characters, above the limit of {limit:,} "
                                 "(Options.max_line_chars, --max-line-chars)", source=source)
            start = end + 1

    def iter_clean(self, docs: Iterable[str | bytes | RawDoc]) -> Iterator[Article]:
        """Clean documents one at a time, in order, with site memory unless the options turn it off."""
        memory = SiteMemory() if self.options.site_memory else None
        for doc in docs:
            yield self.clean(doc, memory=memory)

    def _classify(self, page: _Page, memory: SiteMemory | None, deadline: Deadline,
                  trace: list | None = None) -> Article:
        """Features -> model -> sequence -> rules -> site memory -> metadata -> assembled Article."""
        lines, lang, raw = page.lines, page.lang, page.raw
        model = self.model.for_html() if page.kind is Kind.HTML else self.model
        x = extract(lines, lang, dom=model.reads_dom)
        p = model.score(x)
        s = smooth(p, model.transitions, model.prior_body, self.options.smoothing)
        deadline.check()
        body = (s >= self.options.body_threshold).tolist()
        comments_start, comment_reasons = drop_comments(lines, body)
        # a short article above long comments: its best run is looked for above them
        kept = keep_best_run(p[:comments_start].tolist(), body, lines, self.options.body_threshold)
        # HTML: a second copy of a teaser block goes by where it sits (drop_outside_main), and an
        # article that repeats its own text (the same meals each day of a plan) keeps it
        rule_reasons = apply_rules(lines, body, lang, repeated_text=page.kind is not Kind.HTML)
        rule_reasons.update(apply_tree_rules(lines, body, p) if page.kind is Kind.HTML else drop_link_text(lines, body))
        rule_reasons = {**comment_reasons, **kept, **rule_reasons}
        if trace is not None:
            trace.extend([tuple(texts_of(lines)), tuple(body)])
        if memory is not None:
            _apply_memory(memory, site_of(raw.url), lines, body, rule_reasons)
        head = page.head
        meta, roles = extract_metadata(lines, body, url=raw.url, language=lang,
                                       known_title=head.title if head else None,
                                       known_site=head.site_name if head else None)
        if head is not None:
            meta = merge_metadata(head, meta)
        labels = labels_of(roles, body)
        return assemble(page.all_lines, labels, lambda: decide(lines, p.tolist(), s.tolist(), body, roles, rule_reasons),
                        meta, self.options, physical=lambda: normalise(page.text).split("\n"), source=raw.source,
                        url=raw.url, doc_id=raw.id, kind=page.kind)


@dataclass(slots=True)
class _Page:
    """A document split into lines, ready to classify."""

    raw: RawDoc
    text: str
    kind: Kind
    head: Metadata | None
    lang: str | None
    all_lines: list
    lines: list  # all_lines without the paragraphs printed twice


def error_of(exc: Exception) -> dict[str, str]:
    """{kind, message} for any failure while cleaning a document: typed errors keep their kind,
    anything else is "internal", so no document is lost to an unexpected exception."""
    if isinstance(exc, CleanerError):
        return {"kind": exc.kind, "message": exc.message}
    return {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}


def _apply_memory(memory: SiteMemory, site: str | None, lines: list, body: list[bool],
                  reasons: dict[int, str]) -> None:
    """Body lines already seen on enough pages of this site become chrome; then learn this page."""
    keys = line_keys(texts_of(lines))
    seen = memory.recurring_keys(site, keys)
    for i, key in enumerate(keys):
        if body[i] and key in seen:
            body[i] = False
            reasons[i] = f"site memory: on {seen[key]} earlier pages of {site}"
    memory.add_keys(site, keys)


def _as_raw(doc: object, url: str | None) -> RawDoc:
    if isinstance(doc, RawDoc):
        raw = replace(doc, url=url) if url else doc
    elif isinstance(doc, (str, bytes, bytearray)):
        content = bytes(doc) if isinstance(doc, bytearray) else doc
        raw = RawDoc(content, "<string>" if isinstance(doc, str) else "<bytes>", url)
    else:
        raise TypeError(f"cleaner.clean() takes {_ACCEPTED}, not {type(doc).__name__}")
    if not isinstance(raw.content, (str, bytes)):
        raise TypeError(f"cleaner.clean(): a RawDoc's content must be str or bytes, not {type(raw.content).__name__}")
    if raw.url is not None and not isinstance(raw.url, str):
        raise TypeError(f"cleaner.clean(): url must be a str or None, not {type(raw.url).__name__}")
    return raw


@lru_cache(maxsize=1)
def load_resources() -> None:
    """Load what the first document would otherwise load (the language identifier, the stop words,
    the English word list: about half a second), so that its time limit does not pay for it.
    Word lists of other languages still load with the first document that needs them."""
    from .lines.glue import zipf

    detect_language(["The word lists load once per process."])
    stopwords("en")
    zipf("the", "en")


@lru_cache(maxsize=8)
def default_cleaner(options: Options | None = None) -> Cleaner:
    """A shared Cleaner per Options value (Options is frozen, so hashable)."""
    return Cleaner(options)


def clean(doc: str | bytes | RawDoc, *, url: str | None = None, options: Options | None = None) -> Article:
    """Clean one page: a text dump or HTML, as str or bytes. Returns an Article."""
    return default_cleaner(options).clean(doc, url=url)


def iter_clean(docs: Iterable[str | bytes | RawDoc], *, options: Options | None = None) -> Iterator[Article]:
    """Clean documents one at a time, streaming: one document in memory at a time."""
    return default_cleaner(options).iter_clean(docs)


__all__ = ["Cleaner", "clean", "iter_clean", "default_cleaner"]
