"""Decisions + metadata -> Article."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress

from .lang import count_words
from .metadata import Roles
from .options import Options
from .types import Article, Block, Kind, LazyDecisions, Label, Line, LineDecision, Metadata

_LIST_ITEM = Block("li")  # a dump's own list marker ("* ", "1. ") makes a list item too
# A body line of at most this many words without closing punctuation reads as a subheading.
HEADING_MAX_WORDS = 12


def is_heading(line: Line) -> bool:
    """A heading inside the body: marked as one by the dump, or a short line that is no sentence."""
    if line.heading:
        return True
    words = count_words(line.text, HEADING_MAX_WORDS)  # (counted as far as the test reads)
    return not line.list_item and words <= HEADING_MAX_WORDS and not line.text.rstrip("\"'”’)»").endswith(
        (".", "!", "?", ":", ",", ";"))


def _reason(p: float, s: float, body: bool) -> str:
    if (p >= 0.5) == body:
        return f"model {p:.2f}"
    return f"model {p:.2f}, neighbours {'raise' if body else 'lower'} it to {s:.2f}"


def label_of(role: str | None, body: bool) -> Label:
    """A line's label: its metadata role, where it has one, else body or chrome as decided."""
    if role == "title":
        return Label.TITLE
    if role == "metadata":
        return Label.METADATA
    return Label.BODY if body and role != "chrome" else Label.CHROME


_LABEL_BY_BODY = (Label.CHROME, Label.BODY)


def labels_of(roles: Roles, body: Sequence[bool]) -> list[Label]:
    """``label_of`` each line: body or chrome as decided, then the few lines with a role."""
    labels = list(map(_LABEL_BY_BODY.__getitem__, body))  # (a bool indexes the pair)
    for i, role in roles.by_index.items():
        labels[i] = label_of(role, body[i])
    return labels


def decide(lines: Sequence[Line], raw: Sequence[float], smoothed: Sequence[float],
           body: Sequence[bool], roles: Roles, rule_reasons: dict[int, str]) -> list[LineDecision]:
    """One decision per non-duplicate line, with the metadata roles taking precedence."""
    out = []
    for i, ln in enumerate(lines):
        role = roles.by_index.get(i)
        label = label_of(role, body[i])
        score = smoothed[i]
        if role == "title":
            reason = "headline above the body"
        elif role == "metadata":
            reason = "byline, date, section or site name"
        elif role == "chrome":
            reason = f"above the headline (model {raw[i]:.2f})"
        elif i in rule_reasons:  # rules mostly demote; the one that keeps lines scores them by the model
            reason = f"{rule_reasons[i]} (model {raw[i]:.2f})"
            score = raw[i] if body[i] else score
        else:
            reason = _reason(raw[i], smoothed[i], body[i])
        out.append(LineDecision(ln.text, label, float(score), reason, ln.first, ln.last))
    return out


def with_duplicates(all_lines: Sequence[Line], decisions: Sequence[LineDecision]) -> list[LineDecision]:
    """Decisions for every line, duplicates included (labelled chrome, pointing at their original)."""
    return _with_duplicates(all_lines, decisions, lambda ln, prev: LineDecision(
        ln.text, Label.CHROME, 0.0, f"repeat of line {prev.first}", ln.first, ln.last))


def labels_with_duplicates(all_lines: Sequence[Line], labels: Sequence[Label]) -> list[Label]:
    """``with_duplicates`` for the labels alone."""
    return _with_duplicates(all_lines, labels, lambda ln, prev: Label.CHROME)


def _with_duplicates(all_lines: Sequence[Line], items: Sequence, duplicate: Callable) -> list:
    """``items`` (one per non-duplicate line) spread over all lines, ``duplicate(line, item before)``
    standing for each duplicate."""
    out: list = []
    it = iter(items)
    for ln in all_lines:
        out.append(duplicate(ln, out[-1]) if ln.duplicate and out else next(it))
    return out


def description(all_lines: Sequence[Line], labels: Sequence[Label]) -> str | None:
    """A standfirst printed twice in a row before or at the start of the body."""
    seen_body = 0
    for ln, label in zip(all_lines, labels):
        if ln.duplicate and count_words(ln.text, 8) >= 8:
            return ln.text
        if label is Label.BODY:
            seen_body += 1
            if seen_body > 1:
                break
    return None


def per_input_line(physical: Sequence[str], decisions: Sequence[LineDecision]) -> list[LineDecision]:
    """One decision per non-blank input line: each physical line of a joined (hard-wrapped)
    paragraph carries its paragraph's decision; lines that held only markup (rules, a lynx
    References list) are chrome."""
    # the decisions on each input line: several where a run-on line was cut into sentences or a
    # table's row into its columns' cells, and then a part kept in the body speaks for the line
    on_line: dict[int, LineDecision] = {}
    for d in decisions:
        for no in range(d.first, d.last + 1):
            if no not in on_line or d.label is Label.BODY and on_line[no].label is not Label.BODY:
                on_line[no] = d
    out: list[LineDecision] = []
    for no, raw in enumerate(physical, 1):
        text = raw.strip()
        if not text:
            continue
        d = on_line.get(no)
        if d is not None:
            out.append(LineDecision(text, d.label, d.score, d.reason, no, no))
        else:
            out.append(LineDecision(text, Label.CHROME, 0.0, "markup only (no text once links are removed)", no, no))
    return out


def assemble(all_lines: Sequence[Line], labels: Sequence[Label], decisions: Callable[[], Sequence[LineDecision]],
             meta: Metadata, options: Options, *, physical: Callable[[], Sequence[str]], source: str | None,
             url: str | None, doc_id: str | None, kind: Kind) -> Article:
    """The Article of a page's lines given the ``labels`` of its non-duplicate ones; ``decisions``
    (theirs) and ``physical`` (the input's lines) are called only when the line decisions are read."""
    printed_twice = len(labels) < len(all_lines)  # (else no line is a duplicate)
    full = labels_with_duplicates(all_lines, labels) if printed_twice else labels
    paragraphs, links, headings, blocks = [], [], [], []
    for ln in compress(all_lines, map(Label.BODY.__eq__, full)):
        if len(ln.text) >= options.min_body_chars:
            if is_heading(ln):
                headings.append(len(paragraphs))
            paragraphs.append(ln.text)
            blocks.append(ln.block or (_LIST_ITEM if ln.list_item else None))
            links.extend(ln.links)
    lines = LazyDecisions(lambda: per_input_line(physical(), with_duplicates(all_lines, decisions())))
    return Article(
        paragraphs=tuple(paragraphs), title=meta.title, author=meta.author, date=meta.date,
        site_name=meta.site_name, section=meta.section,
        description=meta.description or (description(all_lines, full) if printed_twice else None),
        language=meta.language,
        links=tuple(links), headings=tuple(headings), blocks=tuple(blocks), lines=lines, source=source, url=url,
        id=doc_id, kind=kind)
