"""Articles -> text, JSON, JSONL, markdown or an annotated line listing. Formats only, no decisions."""
from __future__ import annotations

import json
from typing import Any

from .types import Article, Label

FORMATS = ("text", "json", "jsonl", "markdown")
EXTENSIONS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "markdown": ".md"}
_COLOURS = {Label.BODY: "green", Label.TITLE: "cyan", Label.METADATA: "yellow", Label.CHROME: "red"}


def render(article: Article, fmt: str) -> str:
    """One article in ``fmt``; jsonl gives one line, the others end with a newline."""
    if fmt == "text":
        parts = ([article.title] if article.title else []) + list(article.paragraphs)
        return "\n\n".join(parts) + "\n"
    if fmt == "markdown":
        heads = set(article.headings)
        body = [f"## {p}" if i in heads else p for i, p in enumerate(article.paragraphs)]
        parts = ([f"# {article.title}"] if article.title else []) + body
        return "\n\n".join(parts) + "\n"
    if fmt == "json":
        return json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return json.dumps(article.to_dict(with_lines=False), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def error_record(doc: Any, error: dict[str, str]) -> dict[str, Any]:
    """The record of a document that failed: ``doc`` has a ``source`` and maybe an ``id``
    (a RawDoc or a ReadFailure), ``error`` is {kind, message}."""
    source = getattr(doc, "source", None) or "<string>"
    return {"id": getattr(doc, "id", None) or source, "source": source,
            "error": {"kind": error["kind"], "message": error["message"]}}


def explain(article: Article, colour: bool = False) -> str:
    """Every line with its label, score and reason."""
    import click  # the CLI's dependency; explain is only reached from the CLI or on purpose

    rows = [f"# {article.source or ''}"]
    for d in article.lines:
        label = f"{d.label.value:<8}"
        if colour:
            label = click.style(label, fg=_COLOURS[d.label])
        text = d.text if len(d.text) <= 100 else d.text[:97] + "..."
        rows.append(f"{label} {d.score:4.2f} {d.first:>4}  {text}  [{d.reason}]")
    return "\n".join(rows) + "\n"
