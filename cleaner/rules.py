"""Rules applied after sequence decoding: page furniture the classifier scores as body.

Each rule looks at the decoded sequence, not at one line alone, and names itself in the line's
reason, the way datatrove's filters return ``(False, "reason")``. They are deliberately few and
general: repeated labels, calls to action, bylines of other stories, headings left without body,
lines of link text; and for HTML, what the page's tree tells: figures' captions, and body lines
outside the element that holds the article.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, compress
from operator import not_

from . import native
from .features import cue_book, is_prose
from .lang import LETTER_RUN, count_words, lowered, split_words, stopwords
from .types import LINE_SLOTS, Line, texts_of
from .vocab import COMMENT, CTA, CTA_BIT, SAYING, STOP_BIT

# A line of at most this many words that recurs in the page, a copy of it outside the body, is a
# label (section tag, "Share").
REPEATED_MAX_WORDS = 8
# A line of at most this many words made only of call-to-action words is a link or button.
CTA_MAX_WORDS = 6
# A short line of call-to-action words right after page furniture is furniture too.
PROMPT_MAX_WORDS = 12
# A short paragraph with a click-through in it is an invitation, not reporting.
CTA_SENTENCE_MAX_WORDS = 30
# Sentences ending in a click-through ("..., click here.") invite, they do not report.
CALL_TO_ACTION = re.compile(r"\b(?:click|tap) here\b|\bsign up (?:here|now|for)\b|\bsubscribe (?:here|now|to)\b", re.I)
# What every match of CALL_TO_ACTION holds, spaces included: a line without one of them (lower-cased)
# cannot match unless it holds one of the four characters re.I folds onto the pattern's ASCII letters
# (İ ı ſ K), and is not searched ("here" alone would let every "there" and "where" through).
_CALL_TO_ACTION_WORDS = ("click here", "tap here", "sign up ", "subscribe ")
_FOLDING_ONTO_ASCII = "\u0130\u0131\u017f\u212a"
_BYLINE_WORDS = ("by", "von", "par", "por")
BYLINE_DATED = re.compile(rf"^(?:{'|'.join(_BYLINE_WORDS)})\s+[^|]{{2,60}}\s*[|•·]\s*\S", re.I)
# The characters a BYLINE_DATED match starts with (no letter outside ASCII folds onto b, v or p).
_BYLINE_OPENINGS = "".join(sorted({w[0] for w in _BYLINE_WORDS} | {w[0].upper() for w in _BYLINE_WORDS}))
CTA_ONLY = "rule: call-to-action words only"


def _lower_words(text: str) -> list[str]:
    """The words (LETTER_RUN) of ``text`` lower-cased."""
    return split_words(text.lower(), letters_only=True)


def _may_call_to_action(text: str) -> bool:
    """False where CALL_TO_ACTION cannot match ``text`` (a test far cheaper than its search)."""
    return any(map(lowered(text).__contains__, _CALL_TO_ACTION_WORDS)) or (
        not text.isascii() and any(map(text.__contains__, _FOLDING_ONTO_ASCII)))


def _has_cta(text: str) -> bool:
    return any(w.lower() in CTA for w in LETTER_RUN.findall(text))


def _cta_only(text: str, stop: frozenset[str]) -> bool:
    """Whether ``text`` (of at most CTA_MAX_WORDS words) is call-to-action and stop words only."""
    words = [w.lower() for w in LETTER_RUN.findall(text)]
    if not words:
        return False
    return any(w in CTA for w in words) and all(w in CTA or w in stop for w in words)



# A comment's author line: "joetoronto says:", "Gary M on September 17, 2018 at 8:50 pm said:".
# A name of a few words, or any line with a clock time, ending in a verb of saying and a colon;
# "In a statement, the minister said:" before a quoted paragraph is neither.
COMMENT_AUTHOR = re.compile(
    r"^[\W_]*(?:(?:\S+\s+){1,4}|.*\b\d{1,2}:\d{2}\b.*\s)"
    rf"(?:{'|'.join(map(re.escape, SAYING))})\s?:\s*$", re.I)
# Author lines are short; longer lines are not tried (which also keeps the pattern linear on
# long runs of punctuation, where its optional prefixes would backtrack).
COMMENT_AUTHOR_MAX_CHARS = 120
# So many author lines make a comment section; one could be a quote's lead-in.
COMMENT_MIN_AUTHORS = 2
# Words of a comment section's heading ("34 responses to ...", "Leave a Reply") above the first author.
COMMENT_HEAD_LOOKBACK = 3


def _colon_lines(lines: Sequence[Line]) -> list[int]:
    """The lines that may be author lines: short, ending in a colon (in C where the compiled helper is
    built: the same lines, each text read from its Line's slot)."""
    if native.AVAILABLE:
        return native.compiled.colon_lines(list(lines), COMMENT_AUTHOR_MAX_CHARS, Line, LINE_SLOTS)
    return [i for i, ln in enumerate(lines)  # (the colon test first: it rules out nearly every line)
            if ":" in ln.text and len(ln.text) <= COMMENT_AUTHOR_MAX_CHARS and ln.text.rstrip().endswith(":")]


def comment_section_start(lines: Sequence[Line]) -> int | None:
    """Index where the page's comment section starts (its heading, else its first author line)."""
    authors = [i for i in _colon_lines(lines) if COMMENT_AUTHOR.match(lines[i].text)]
    if len(authors) < COMMENT_MIN_AUTHORS:
        return None
    start = authors[0]
    for i in range(start - 1, max(start - 1 - COMMENT_HEAD_LOOKBACK, -1), -1):
        words = {w.lower() for w in LETTER_RUN.findall(lines[i].text)}
        if words & COMMENT and not is_prose(lines[i].text):
            start = i
    return start


def drop_comments(lines: Sequence[Line], body: list[bool]) -> tuple[int, dict[int, str]]:
    """Turn body lines of the comment section into chrome, in place.

    Returns where the section starts (``len(lines)`` when there is none) and the reasons.
    """
    start = comment_section_start(lines)
    if start is None:
        return len(lines), {}
    reasons = {}
    for i in range(start, len(lines)):
        if body[i]:
            body[i] = False
            reasons[i] = "rule: comment section"
    return start, reasons


# A page whose best line scores below this holds nothing the model would call an article.
BEST_RUN_MIN_SCORE = 0.1
# Below the threshold, the best run is cut at this share of the page's best score.
BEST_RUN_RELATIVE_CUT = 0.5


def keep_best_run(scores: Sequence[float], body: list[bool], lines: Sequence[Line],
                  threshold: float) -> dict[int, str]:
    """When the sequence pass left no body prose (no body at all, or only short lines such as a
    sidebar's labels), keep instead the run of lines the model itself scored highest (maximum sum
    of score - cut) among those that hold prose: a short article among long chrome is outvoted by
    its neighbours, yet a page seldom has no article at all (and a list of teaser headlines can
    outscore it without holding a sentence). The cut is the threshold, or half the page's best
    score when even that stays below it (the model unsure everywhere)."""
    if not scores or any(is_prose(lines[i].text) for i in compress(range(len(body)), body)):
        return {}
    top = max(scores)
    if top < BEST_RUN_MIN_SCORE:
        return {}
    cut = min(threshold, BEST_RUN_RELATIVE_CUT * top)
    runs: list[tuple[float, int, int]] = []  # (sum, start, end) of the best stretch of each positive run
    best, span, run, start = 0.0, None, 0.0, 0
    for i, p in enumerate(scores):
        if run <= 0:
            if span is not None:
                runs.append((best, *span))
            best, span, run, start = 0.0, None, 0.0, i
        run += p - cut
        if run > best:
            best, span = run, (start, i + 1)
    if span is not None:
        runs.append((best, *span))
    runs.sort(key=lambda r: -r[0])  # (stable: of equal sums, the first)
    found = next(((a, b) for _, a, b in runs if any(is_prose(lines[i].text) for i in range(a, b))), None)
    if found is None:
        return {}
    reasons = {}
    for i, b in enumerate(body):
        if b:
            body[i] = False
            reasons[i] = "rule: short line without body prose, the model's best run kept instead"
    for i in range(*found):
        body[i] = True
        reasons[i] = "rule: the model's best run, kept as the sequence pass left no body prose"
    return reasons


# A body line most of whose word 4-grams the body already printed is a second copy (an article
# printed twice, a teaser block repeated): lines of at least this many 4-grams, this share seen.
REPEAT_MIN_SHINGLES = 8
REPEAT_SHARE = 0.8
REPEATS = "rule: repeats text printed earlier in the body"


def drop_repeated_text(lines: Sequence[Line], body: list[bool]) -> dict[int, str]:
    """Turn body lines whose text the body already holds into chrome, in place (in C where the
    compiled helper is built: _native.repeated_lines, the same lines)."""
    reasons: dict[int, str] = {}
    if native.AVAILABLE:
        kept = list(compress(range(len(body)), body))
        for k in native.compiled.repeated_lines([lines[i].text for i in kept], REPEAT_MIN_SHINGLES, REPEAT_SHARE):
            body[kept[k]] = False
            reasons[kept[k]] = REPEATS
        return reasons
    seen: set[tuple[str, ...]] = set()
    for i, ln in enumerate(lines):
        if not body[i]:
            continue
        words = _lower_words(ln.text)
        grams = set(zip(words, words[1:], words[2:], words[3:]))
        if len(grams) >= REPEAT_MIN_SHINGLES and len(grams & seen) >= REPEAT_SHARE * len(grams):
            body[i] = False
            reasons[i] = REPEATS
        else:
            seen |= grams
    return reasons


# What apply_rules' first pass needs to know of a body line (rule_cues' codes): a short line that recurs
# outside the body; one of call-to-action and stop words only (or, from the compiled pass, one that
# may be, a word of it lowering as only str.lower lowers it); one CALL_TO_ACTION may match; one
# BYLINE_DATED may match, after the first prose.
CUE_REPEATED, CUE_CTA_ONLY, CUE_CTA_ONLY_UNSURE, CUE_MAY_CALL, CUE_MAY_BYLINE = 1, 2, 4, 8, 16
_CUE_BITS = (STOP_BIT, CTA_BIT)
_CUE_LIMITS = (REPEATED_MAX_WORDS, CTA_MAX_WORDS, CTA_SENTENCE_MAX_WORDS)


def _rule_cues(texts: list[str], kept: list[int], repeated: set[str], stop: frozenset[str],
               first_prose: int) -> list[tuple[int, int]]:
    """(line, cues) of the body lines ``kept`` with any (the compiled rule_cues' twin); ``repeated``:
    the texts that recur outside the body."""
    cues = []
    for i in kept:
        text = texts[i]
        n_words = count_words(text, CTA_SENTENCE_MAX_WORDS)  # (counted as far as the tests read)
        if n_words <= REPEATED_MAX_WORDS and text in repeated:
            cue = CUE_REPEATED
        elif n_words <= CTA_MAX_WORDS and _cta_only(text, stop):
            cue = CUE_CTA_ONLY
        else:
            cue = (CUE_MAY_CALL if n_words <= CTA_SENTENCE_MAX_WORDS and _may_call_to_action(text) else 0) | (
                CUE_MAY_BYLINE if i > first_prose and text and text[0] in _BYLINE_OPENINGS else 0)
        if cue:
            cues.append((i, cue))
    return cues


def _recurring_outside(texts: list[str], body: list[bool]) -> set[str]:
    """The texts that occur more than once on the page, once at least outside the body (in C where
    the compiled helper is built: the same texts, grouped without a Counter)."""
    if native.AVAILABLE:
        return native.compiled.recurring_outside(texts, body)
    outside = set(compress(texts, map(not_, body)))
    return {text for text, n in Counter(filter(outside.__contains__, texts)).items() if n > 1}


def apply_rules(lines: Sequence[Line], body: list[bool], lang: str | None, *,
                repeated_text: bool = True) -> dict[int, str]:
    """Turn body lines that are furniture into chrome, in place; return index -> rule reason.
    ``repeated_text``: whether text the body already printed goes (``drop_repeated_text``)."""
    stop = stopwords(lang)
    texts = texts_of(lines)
    kept = list(compress(range(len(body)), body))  # (the loops below visit body lines only)
    # a label recurs beside the article too ("Share" above it and in the footer); a subheading that
    # recurs only inside the body ("Pre-Workout Meal" on each day of a plan) is the article's
    repeated = _recurring_outside(texts, body)
    first_prose = next((i for i in kept if is_prose(texts[i])), len(lines))
    if native.AVAILABLE:
        cues = native.compiled.rule_cues(texts, kept, repeated, cue_book(lang), _CUE_BITS, _CUE_LIMITS, first_prose,
                                         _CALL_TO_ACTION_WORDS, _FOLDING_ONTO_ASCII, _BYLINE_OPENINGS)
    else:
        cues = _rule_cues(texts, kept, repeated, stop, first_prose)
    reasons: dict[int, str] = {}
    for i, cue in cues:
        text = texts[i]
        if cue & CUE_REPEATED:
            reasons[i] = "rule: short line repeated in the page"
        elif cue & CUE_CTA_ONLY or cue & CUE_CTA_ONLY_UNSURE and _cta_only(text, stop):
            reasons[i] = CTA_ONLY
        elif cue & CUE_MAY_CALL and CALL_TO_ACTION.search(text):
            reasons[i] = "rule: call to action"
        elif cue & CUE_MAY_BYLINE and BYLINE_DATED.match(text):
            reasons[i] = "rule: byline of another story"
    for i in reasons:
        body[i] = False
    if repeated_text:
        reasons.update(drop_repeated_text(lines, body))
    kept = [i for i in kept if body[i]]
    for i in kept:  # "There are no comments. Why not be the first?" after furniture
        if i - 1 in reasons and count_words(texts[i], PROMPT_MAX_WORDS) <= PROMPT_MAX_WORDS and _has_cta(texts[i]):
            body[i] = False
            reasons[i] = "rule: prompt following page furniture"
    cta = {i for i, r in reasons.items() if r == CTA_ONLY}
    for i in kept:  # (in order: a line turned chrome here counts as furniture for the next)
        if not body[i]:
            continue
        if i + 1 in cta:  # "Headline / Read more": the teaser of another story
            reason = "rule: headline of a teaser link"
        elif 0 < i < len(lines) - 1 and not body[i - 1] and not body[i + 1] and (i - 1 in reasons or i + 1 in reasons):
            reason = "rule: heading without body around it"  # a heading stranded between furniture goes with it
        else:
            continue
        if not is_prose(texts[i]):  # (looked at last: it is the costliest test)
            body[i] = False
            reasons[i] = reason
    return reasons


# HTML: a figure's text is its caption and credit, not the article's (as trafilatura removes
# figures), unless the figure holds a table: then it is the table's caption.
FIGURE = "rule: caption of a figure"


def drop_figures(lines: Sequence[Line], body: list[bool]) -> dict[int, str]:
    """Turn body lines inside a <figure> without a table into chrome, in place."""
    reasons: dict[int, str] = {}
    nearest: dict[int, int] = {}  # element -> its nearest figure, itself included (0: none)
    figures: dict[int, bool] = {}  # figure element -> whether its text is dropped
    for i, ln in enumerate(lines):
        if not body[i] or ln.dom is None:
            continue
        tree, e = ln.dom.facts.tree, ln.dom.index
        path = []  # (each element is walked up from once: a page costs its size, whatever its depth)
        while e > 0 and e not in nearest and tree.tags[e] != "figure":
            path.append(e)
            e = tree.parent[e]
        figure = nearest.get(e, max(e, 0))
        for up in path:
            nearest[up] = figure
        if not figure:
            continue
        if figure not in figures:
            figures[figure] = "table" not in tree.tags[figure + 1:tree.end[figure] + 1]
        if figures[figure]:
            body[i] = False
            reasons[i] = FIGURE
    return reasons


# A body line at least this share of link text points to other pages: a teaser, a "Read more: ..."
# line, a list of related stories. In a dump, the line's own link markup; in HTML, its element's.
LINK_TEXT_SHARE = 0.8
LINK_TEXT = "rule: link text to other pages"


def drop_link_text(lines: Sequence[Line], body: list[bool]) -> dict[int, str]:
    """Turn body lines that are mostly link text into chrome, in place."""
    reasons: dict[int, str] = {}
    for i in compress(range(len(body)), body):
        ln = lines[i]
        if ln.dom is None:
            links, chars = ln.anchor_chars, len(ln.text)
        else:
            tree, e = ln.dom.facts.tree, ln.dom.index  # (the tree's arrays: DomInfo's properties cost more)
            links, chars = tree.links[e], tree.chars[e]
        if chars and links >= LINK_TEXT_SHARE * chars:
            body[i] = False
            reasons[i] = LINK_TEXT
    return reasons


# HTML: an article lies in one element of the page. The main element is the deepest one around the
# middle of the body text (by characters) holding at least this share of it; body lines outside it
# and outside its parent (which keeps a headline or lead in an element beside the text's) are
# teasers, an appeal to readers or another story, unless the model is at least this sure of them.
MAIN_SHARE = 0.5
MAIN_LEVELS_UP = 1
OUTSIDE_MAIN_MAX_SCORE = 0.9
OUTSIDE_MAIN = "rule: outside the element holding the article"


def drop_outside_main(lines: Sequence[Line], body: list[bool], scores: Sequence[float]) -> dict[int, str]:
    """Turn body lines of an HTML page that lie outside its main element into chrome, in place."""
    kept = [i for i, b in enumerate(body) if b and lines[i].dom is not None]
    if not kept:
        return {}
    tree = lines[kept[0]].dom.facts.tree
    elements = [lines[i].dom.index for i in kept]
    sizes = [len(lines[i].text) for i in kept]
    total = sum(sizes)
    seen = 0
    for main, size in zip(elements, sizes):
        seen += size
        if 2 * seen >= total:
            break
    # the body text inside an element: the lines' elements sorted, their sizes summed in that order
    # (a walk up costs log n a level, whatever the page's size and depth)
    by_element = sorted(zip(elements, sizes))
    starts = [e for e, _ in by_element]
    held = list(accumulate((s for _, s in by_element), initial=0))
    while main > 0 and MAIN_SHARE * total > held[bisect_right(starts, tree.end[main])] - held[bisect_left(starts, main)]:
        main = tree.parent[main]
    for _ in range(MAIN_LEVELS_UP):
        main = max(tree.parent[main], 0)
    reasons = {}
    for i, e in zip(kept, elements):
        if not main <= e <= tree.end[main] and scores[i] < OUTSIDE_MAIN_MAX_SCORE:
            body[i] = False
            reasons[i] = OUTSIDE_MAIN
    return reasons


def apply_tree_rules(lines: Sequence[Line], body: list[bool], scores: Sequence[float]) -> dict[int, str]:
    """The rules of an HTML page's lines, in place: figures' captions, link text, then what lies
    outside the main element (found once the others have taken their lines out)."""
    reasons = drop_figures(lines, body)
    reasons.update(drop_link_text(lines, body))
    reasons.update(drop_outside_main(lines, body, scores))
    return reasons
