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
        return markdown(article)
    if fmt == "json":
        return json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return json.dumps(article.to_dict(with_lines=False), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def utf8(text: str) -> bytes:
    """``text`` in UTF-8, a lone surrogate (JSON input may spell half a UTF-16 pair alone, and a
    caller's str may hold one) written as U+FFFD: no UTF-8 holds it, and the record must go out."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # (pairs are joined: a str from json.loads holds them as one character)
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode("utf-8")


def markdown(article: Article) -> str:
    """The title as "# ", headings inside the body as "## " (or their page level), list items as
    "- ", table rows as a pipe table; consecutive items and rows stay together."""
    heads = set(article.headings)
    out: list[str] = [f"# {article.title}"] if article.title else []
    prev, width = "", 0
    for i, text in enumerate(article.paragraphs):
        block = article.blocks[i] if i < len(article.blocks) else None
        kind = block.kind if block else ("h2" if i in heads else "")
        if kind == "tr":
            cells = [c.replace("|", "\\|") for c in block.cells] or [text]
            if prev != "tr":  # a table's first row is its header
                width = len(cells)
                row = "| " + " | ".join(cells) + " |\n|" + " --- |" * width
            else:
                row = "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"
            _add(out, row, tight=prev == "tr")
        elif kind == "li":
            _add(out, f"- {text}", tight=prev == "li")
        elif kind.startswith("h"):
            _add(out, "#" * max(2, int(kind[1:])) + f" {text}", tight=False)
        else:
            _add(out, text, tight=False)
        prev = kind
    return "\n\n".join(out) + "\n"


def _add(out: list[str], piece: str, *, tight: bool) -> None:
    if tight and out:
        out[-1] += "\n" + piece
    else:
        out.append(piece)


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
