"""Options for a cleaning run; every default is a named constant with its rationale."""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

# A line whose smoothed body probability reaches this is body. 0.5 is the
# decision boundary of the trained model; the sequence decoder already favours runs.
BODY_THRESHOLD_DEFAULT = 0.5
# Physical lines at least this close to the detected wrap width count as "full"
# when deciding whether a dump is hard-wrapped (textwrap leaves up to one word short).
WRAP_MIN_FULL_SHARE_DEFAULT = 0.3
# How strongly neighbouring decisions pull on each other (HMM transitions raised to this power):
# 1 uses the transitions as trained; the classifier already sees a window of neighbours, so the
# sequence pass only needs to settle ambiguous lines. Calibrated on held-out training pages.
SMOOTHING_DEFAULT = 1.0
# Inputs above this many bytes are refused with an InputError: no article is that long, and a
# crawl's giant blobs (archives, dumps of logs) would hold a worker for minutes.
MAX_INPUT_BYTES_DEFAULT = 64 * 1024 * 1024
# A physical line of text longer than this is not text a person reads (minified data, base64).
# For HTML it is the page's rendered text that is measured: minified source is one long line.
MAX_LINE_CHARS_DEFAULT = 2 * 1024 * 1024
# Seconds one document may take before it becomes an error record: an input at the size limit
# takes about 30 s, so only pathological inputs meet it.
TIME_LIMIT_DEFAULT = 60.0
# Drop paragraphs shorter than this from the body (0 keeps short headings).
MIN_BODY_CHARS_DEFAULT = 0


@dataclass(frozen=True, slots=True)
class Options:
    """How to clean. ``Options()`` is what ``cleaner.clean`` uses by default."""

    body_threshold: float = BODY_THRESHOLD_DEFAULT
    min_body_chars: int = MIN_BODY_CHARS_DEFAULT
    smoothing: float = SMOOTHING_DEFAULT
    split_glued_words: bool = True
    max_input_bytes: int = MAX_INPUT_BYTES_DEFAULT
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT
    time_limit: float | None = TIME_LIMIT_DEFAULT  # seconds per document; None: no limit
    site_memory: bool = True         # iter_clean: lines recurring across a site's pages are chrome
    kind: str | None = None          # "text" or "html"; None sniffs the input
    model_path: str | None = None    # a retrained model.json; None uses the bundled one

    def __post_init__(self) -> None:
        """A value out of range is refused here, naming the option, not deep inside a run."""
        def number(name: str, low: float, high: float | None = None, *, whole: bool = False) -> None:
            value = getattr(self, name)
            kind = Integral if whole else Real
            if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= (
                    float("inf") if high is None else high):
                span = f"from {low} to {high}" if high is not None else f"of {low} or more"
                raise ValueError(f"Options.{name} must be {'a whole ' if whole else 'a '}number {span}, not {value!r}")

        number("body_threshold", 0.0, 1.0)
        number("min_body_chars", 0, whole=True)
        number("smoothing", 0.0)
        number("max_input_bytes", 1, whole=True)
        number("max_line_chars", 1, whole=True)
        if self.time_limit is not None:
            number("time_limit", 0.0)
        for name in ("split_glued_words", "site_memory"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Options.{name} must be True or False, not {getattr(self, name)!r}")
        if self.kind not in (None, "text", "html"):
            raise ValueError(f"Options.kind must be 'text', 'html' or None (sniffed), not {self.kind!r}")
