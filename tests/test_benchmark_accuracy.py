"""The text-accuracy acceptance on the public benchmark, measured as `python -m cleaner.train bench` does.

The 181 pages rendered in the five dump styles (cached under build/bench), cleaned by the bundled
model, scored with the benchmark's own scorer beside the C4 line rules on blocks in the same run.
The model never saw these pages.
"""
import pytest

from cleaner import Cleaner, Options
from cleaner.train.bench import measure
from tests.conftest import ROOT, SHARED

# the benchmark tools' five styles, and html2text's reference-link markdown and its default 78-column
# wrapping (rendered by cleaner.train.bench; no model saw them: measured 0.935 and 0.929, 0.877 and
# 0.864 before reference links and URLs broken at a hyphen were read)
STYLES = ("plain", "inscriptis", "markdown", "wrapped", "lynx", "markdown-reference", "markdown-wrapped")
FLOOR = {"plain": 0.92, "inscriptis": 0.92, "markdown": 0.90, "wrapped": 0.92, "lynx": 0.92, "markdown-reference": 0.92,
         "markdown-wrapped": 0.91}
MARGIN_OVER_C4 = 0.07


@pytest.fixture(scope="module")
def scores():
    pages, rows = measure(SHARED, ROOT / "build" / "bench", Cleaner(Options(kind="text")), STYLES)
    assert pages == 181
    return {r.style: r for r in rows}


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
def test_f1_per_style_and_margin_over_c4_on_the_public_benchmark(scores, style):
    r = scores[style]
    assert r.cleaner >= FLOOR[style], f"{style}: F1 {r.cleaner:.4f} < {FLOOR[style]}"
    assert r.cleaner - r.c4_blocks >= MARGIN_OVER_C4, \
        f"{style}: F1 {r.cleaner:.4f} only {r.cleaner - r.c4_blocks:+.4f} above C4 ({r.c4_blocks:.4f})"
    assert r.keep_all < r.c4_blocks < r.cleaner  # the baselines ran on the same dumps


@pytest.mark.shared
def test_html_benchmark_reads_the_same_pages_as_the_text_benchmark():
    from cleaner.train.bench import gold_records
    from cleaner.train.bench_html import labelled_pages

    assert len(labelled_pages(SHARED)) == 181
    pages = labelled_pages(SHARED, "utomo-big9-chaos")
    assert set(pages) == {str(r["id"]) for r in gold_records(SHARED / "data" / "utomo-big9-chaos")}
    html, gold = next(iter(pages.values()))
    assert "<" in html and gold["articleBody"]


# HTML input, with the bundled HTML model (issue 4): on the public benchmark, issue 4's acceptance
# line (measured 0.9681); elsewhere floors a little under the figures measured (0.9570, 0.9008,
# 0.9448), so a retrain or a rule that loses accuracy on HTML fails here.
HTML_FLOOR = {"scrapinghub": 0.965, "l3s-gn1": 0.95, "dragnet": 0.895, "utomo-big9-chaos": 0.94}


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("data_set", HTML_FLOOR)
def test_html_f1_on_the_public_benchmark_and_the_evaluation_only_sets(data_set):
    from cleaner.train.bench_html import cleaner_f1, labelled_pages

    f1 = cleaner_f1(SHARED, Cleaner(), labelled_pages(SHARED, data_set))
    assert f1 >= HTML_FLOOR[data_set], f"{data_set}: HTML F1 {f1:.4f} < {HTML_FLOOR[data_set]}"


# Pages in other languages (cleaner/train/augment.py): the benchmark's pages and gold pseudo-
# translated, as `python -m cleaner.train bench --translate LANG` and `bench-html --translate LANG`
# measure them. Two languages the training copies are written in and one they never are (Hebrew).
# Floors a little under the figures measured (text 0.891, 0.900, 0.901; HTML 0.965); the model
# trained without translated copies scored 0.845, 0.831, 0.834 and 0.952.
TRANSLATED_TEXT_FLOOR = {"zh": 0.88, "ru": 0.88, "he": 0.89}
TRANSLATED_HTML_FLOOR = {"zh": 0.96}


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("lang", TRANSLATED_TEXT_FLOOR)
def test_f1_on_pseudo_translated_dumps(lang):
    pages, rows = measure(SHARED, ROOT / "build" / "bench", Cleaner(Options(kind="text")), ("plain",), translate=lang)
    assert pages >= 180
    r = rows[0]
    assert r.cleaner >= TRANSLATED_TEXT_FLOOR[lang], f"{lang}: F1 {r.cleaner:.4f} < {TRANSLATED_TEXT_FLOOR[lang]}"
    assert r.cleaner > r.keep_all + 0.1  # (C4's rules want a "." at the end: on Chinese they keep nothing)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("lang", TRANSLATED_HTML_FLOOR)
def test_html_f1_on_pseudo_translated_pages(lang):
    from cleaner.train.bench_html import cleaner_f1, labelled_pages

    f1 = cleaner_f1(SHARED, Cleaner(), labelled_pages(SHARED), translate=lang)
    assert f1 >= TRANSLATED_HTML_FLOOR[lang], f"{lang}: HTML F1 {f1:.4f} < {TRANSLATED_HTML_FLOOR[lang]}"
