"""Pseudo-translation (cleaner/train/augment.py): what the translated training copies look like."""
from __future__ import annotations

import re

from cleaner.lines.text import to_lines
from cleaner.train.align import label_lines
from cleaner.train.augment import (LANGUAGES, for_scoring, language_for, pseudo_translate,
                                   pseudo_translate_html)

DUMP = ("Latest Public Sector News\n\n"
        "The council said on Tuesday that the new homes would be built by 2027. It will cost more.\n\n"
        "Read more annualOfsted <https://example.com/ofsted-report> and [the plan](https://example.org/plan)\n\n"
        "By John Smith | 12 March 2019 | NEWS\n")


def test_every_english_word_is_replaced_and_links_numbers_and_layout_stay():
    for lang in ("ru", "ar", "zh", "hi", "ko", "el"):
        out = pseudo_translate(DUMP, lang)
        assert not re.search(r"\b(?:council|homes|Tuesday|Latest|March)\b", out), (lang, out)
        assert "<https://example.com/ofsted-report>" in out and "](https://example.org/plan)" in out
        assert "2027" in out and "12" in out and "2019" in out
        assert out.count("\n") == DUMP.count("\n")  # the same lines, so the same line structure


def test_the_same_word_gives_the_same_word_and_case_follows_where_the_script_has_it():
    out = pseudo_translate("news News NEWS news", "ru").split()
    assert out[0] == out[3] and out[1] == out[0][0].upper() + out[0][1:] and out[2] == out[0].upper()
    assert pseudo_translate(DUMP, "tr") == pseudo_translate(DUMP, "tr")  # deterministic


def test_chinese_is_written_without_spaces_with_its_own_full_stop():
    out = pseudo_translate("The council said on Tuesday that the homes were built.", "zh")
    assert " " not in out and out.endswith("。")
    assert re.fullmatch(r"[\u4e00-\u9fff。]+", out)


def test_translated_dump_and_gold_label_the_same_lines_as_body():
    gold = ("The council said on Tuesday that the new homes would be built by 2027. It will cost more.")
    english = label_lines(to_lines(DUMP), gold)
    assert english == [0, 1, 0, 0]
    for lang in LANGUAGES:
        lines = to_lines(pseudo_translate(DUMP, lang))
        assert label_lines(lines, pseudo_translate(gold, lang)) == english, lang


def test_html_text_and_titles_are_translated_but_not_scripts_classes_or_urls():
    html = ('<html><head><title>Council news</title><script>var news = "council";</script></head>'
            '<body><div class="related-news"><a href="/council/news" title="More news">Read more</a></div>'
            '<p>The council said <b>homes</b> would be built.</p><!-- council --> tail words</body></html>')
    out = pseudo_translate_html(html, "ar")
    assert 'var news = "council";' in out and 'class="related-news"' in out and 'href="/council/news"' in out
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", out)
    assert not re.search(r"\b(?:council|homes|Read|tail)\b", visible), visible


def test_languages_are_spread_over_pages_and_cjk_is_set_apart_for_the_scorer():
    assert {language_for(str(i)) for i in range(200)} == set(LANGUAGES)
    assert for_scoring("新的住宅 abc").split() == ["新", "的", "住", "宅", "abc"]
