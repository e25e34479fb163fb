"""Records passed between the stages. No logic beyond trivial conversions."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

from . import native


_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle a slotted dataclass as its constructor's arguments. Records crossing between processes
    (a parallel run sends every document and its result) otherwise go through the dataclass's
    Python-level ``__getstate__``/``__setstate__``: 32 -> 10 us to unpickle a worker's result, 8 -> 2
    us to pickle a JSON line, in the parent that every document passes through. ``__reduce_ex__``,
    as pickle asks for it first (a ``__reduce__`` is reached through ``object.__reduce_ex__``, slower)."""
    names = [f.name for f in fields(cls)]
    if len(names) < 2 or not all(f.init for f in fields(cls)):  # (attrgetter of one name gives no tuple)
        raise TypeError(f"{cls.__name__}: pickled_by_fields needs two or more fields, all __init__ arguments")
    values = attrgetter(*names)
    cls.__reduce_ex__ = lambda self, protocol: (cls, values(self))
    return cls


class Label(str, Enum):
    """What a line of the input is."""

    BODY = "body"
    TITLE = "title"
    METADATA = "metadata"
    CHROME = "chrome"


class Kind(str, Enum):
    """What kind of document the input is."""

    TEXT = "text"
    HTML = "html"


@dataclass(slots=True, frozen=True)
class Link:
    """A link whose markup was removed from a line: its anchor text and URL."""

    text: str
    url: str


@pickled_by_fields
@dataclass(slots=True, frozen=True)
class RawDoc:
    """One input document as read: content plus where it came from."""

    content: str | bytes
    source: str = "<string>"
    url: str | None = None
    id: str | None = None
    charset: str | None = None  # the charset its transport declared (a WARC response's Content-Type)


@dataclass(slots=True, frozen=True)
class Block:
    """The structure a line has in the page: a heading ``h1``..``h6``, a list item ``li``, or a
    table row ``tr`` with its ``cells``. Used to render markdown; the classifier never reads it."""

    kind: str
    cells: tuple[str, ...] = ()


def _element_fact(column: str, convert: Callable[[Any], Any], doc: str) -> property:
    """A DomInfo property: its element's entry in a column of ``DomFacts.columns``."""
    return property(lambda self: convert(getattr(self.facts.columns([self.index]), column)[0]), doc=doc)


@dataclass(slots=True, frozen=True)
class DomInfo:
    """The HTML element a line's text comes from: element ``index`` of its page's ``facts``
    (``lines.dom.DomFacts``), which holds what the HTML model's DOM features are made of for all the
    page's elements, so that ``features.dom_features`` reads a page's lines at once. The properties
    read this one element's facts."""

    facts: Any
    index: int

    tag = _element_fact("tags", str, "The element's tag.")
    depth = _element_fact("depth", int, "Levels below <body>.")
    chars = _element_fact("chars", int, "Visible text characters in the element.")
    link_chars = _element_fact("link_chars", int, "Of which inside links.")
    near = _element_fact("near", lambda row: tuple(map(int, row)),
                         "Per ``lines.dom.DOM_GROUPS``: levels up to the nearest such element, -1 for none.")
    side = _element_fact("side", int, "-1 before readability's top candidate in document order, 1 after it, 0 in it.")

    @property
    def page_chars(self) -> int:
        """Visible text characters in the whole <body>."""
        return int(self.facts.columns([self.index]).page_chars)


@dataclass(slots=True)
class Line:
    """A logical line of a dump: hard-wrapped physical lines joined, link markup removed.

    ``first``/``last`` are the 1-based physical line numbers it spans in the input.
    """

    text: str
    first: int
    last: int
    links: tuple[Link, ...] = ()
    anchor_chars: int = 0        # characters of text that sat inside link markup
    heading: bool = False        # marked as a heading by the dump (markdown '#', lynx flush-left)
    list_item: bool = False      # starts with a list marker
    blank_before: bool = False   # a blank line separates it from the previous line
    duplicate: bool = False      # verbatim repeat of the previous line (kept once)
    block: Block | None = None   # heading, list item or table row in the page (HTML input)
    dom: DomInfo | None = None   # the element its text comes from (HTML input)


# The slots of a Line in the order the compiled helpers know them (_native.c's L_* fields): plain_lines
# fills them, base_columns reads them.
LINE_SLOTS = tuple(getattr(Line, name) for name in (
    "text", "first", "last", "links", "anchor_chars", "heading", "list_item", "blank_before", "duplicate", "block", "dom"))
assert len(LINE_SLOTS) == len(Line.__slots__), "the compiled helpers know every slot of a Line"


def texts_of(lines: Sequence[Line]) -> list[str]:
    """Each line's text (in C where the compiled helper is built: read from the Lines' slots, a
    quarter of the comprehension's time; several stages want a page's texts)."""
    if native.AVAILABLE:
        return native.compiled.texts_of(lines, Line, LINE_SLOTS)
    return [ln.text for ln in lines]


@dataclass(slots=True, frozen=True)
class LineDecision:
    """The decision on one logical line: label, probability of body, and why."""

    text: str
    label: Label
    score: float
    reason: str
    first: int
    last: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "label": self.label.value, "score": round(self.score, 4),
                "reason": self.reason, "first": self.first, "last": self.last}


class LazyDecisions(Sequence):
    """An article's line decisions, a tuple of LineDecision worked out when first read: a batch
    run that writes only the text never builds a record (and its reason) per input line."""

    __slots__ = ("_make", "_items")

    def __init__(self, make: Callable[[], Sequence[LineDecision]]):
        self._make: Callable[[], Sequence[LineDecision]] | None = make
        self._items: tuple[LineDecision, ...] | None = None

    def _all(self) -> tuple[LineDecision, ...]:
        if self._items is None:
            self._items = tuple(self._make())
            self._make = None  # let go of the page it was made from
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[LineDecision]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return self._all() == (other._all() if isinstance(other, LazyDecisions) else other)

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self):  # pickled (to another process) as the tuple it stands for
        return tuple, (self._all(),)


@dataclass(slots=True)
class Metadata:
    """Metadata found in the document; None where it is not there."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    section: str | None = None
    description: str | None = None
    language: str | None = None


@dataclass(slots=True, frozen=True)
class Article:
    """The cleaned article: body paragraphs, metadata, links and every line decision."""

    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    section: str | None = None
    description: str | None = None
    language: str | None = None
    links: tuple[Link, ...] = ()
    headings: tuple[int, ...] = ()   # indices of paragraphs that are headings inside the body
    blocks: tuple[Block | None, ...] = ()  # per paragraph: its heading level, list item or table row, if known
    lines: Sequence[LineDecision] = ()  # a tuple, or a LazyDecisions standing for one
    source: str | None = None
    url: str | None = None
    id: str | None = None
    kind: Kind = Kind.TEXT

    @property
    def text(self) -> str:
        """Body paragraphs joined by one blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def is_article(self) -> bool:
        return bool(self.paragraphs)

    def to_dict(self, *, with_lines: bool = True) -> dict[str, Any]:
        """Plain JSON-serialisable dict."""
        out: dict[str, Any] = {
            "id": self.id, "source": self.source, "url": self.url, "kind": self.kind.value,
            "title": self.title, "author": self.author, "date": self.date,
            "site_name": self.site_name, "section": self.section,
            "description": self.description, "language": self.language,
            "is_article": self.is_article, "text": self.text,
            "paragraphs": list(self.paragraphs), "headings": list(self.headings),
            "blocks": [asdict(b) if b else None for b in self.blocks],
            "links": [asdict(link) for link in self.links],
        }
        if with_lines:
            out["lines"] = [d.to_dict() for d in self.lines]
        return out


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Rendered:
    """An article already rendered in the output format (by a worker process): the record in UTF-8
    (encoded by the worker: the parent only writes it, and bytes unpickle without decoding), whether
    it is an article, and its source."""

    text: bytes
    is_article: bool
    source: str | None
