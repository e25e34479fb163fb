import pytest

from cleaner.lines.text import to_lines
from cleaner.metadata import extract_metadata, headline_like, parse_date, site_from_host


@pytest.mark.parametrize("host,name", [
    ("www.theguardian.com", "The Guardian"), ("www.belfasttelegraph.co.uk", "Belfast Telegraph"),
    ("www.bbc.co.uk", "BBC"), ("edition.cnn.com", "CNN"), ("www.washingtonpost.com", "Washington Post"),
])
def test_site_name_from_host(host, name):
    assert site_from_host(host) == name


@pytest.mark.parametrize("text,iso", [
    ("By Ann McGauran | 05 February 2025", "2025-02-05"), ("21/06/2019", "2019-06-21"),
    ("Updated on: November 19, 2019 / 10:07 AM", "2019-11-19"), ("2020-04-12", "2020-04-12"),
    ("no date here", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_headline_like():
    assert headline_like("Ofsted warning about child services")
    assert not headline_like("CHILDREN AND YOUNG PEOPLE")
    assert not headline_like("By Ann McGauran | 05 February 2025")
    assert not headline_like("It’s no secret that the public sector ... more >")


def test_header_roles_and_fields():
    text = ("Home > News > UK\n\nA headline about councils\n\nBy Jo Bloggs | 3 March 2024\n\n"
            + "This is the first paragraph of the article, long enough to be prose. " * 2 + "\n\n"
            + "Second paragraph of the story with more words than a heading has.\n\nFrom Daily Example\n")
    lines = to_lines(text)
    body = [False, False, False, True, True, False]
    meta, roles = extract_metadata(lines, body)
    assert (meta.title, meta.section, meta.author, meta.date, meta.site_name) == (
        "A headline about councils", "UK", "Jo Bloggs", "2024-03-03", "Daily Example")
    assert roles.by_index == {0: "metadata", 1: "title", 2: "metadata", 5: "metadata"}


def test_site_name_from_acronym_spelled_out_in_chrome():
    text = ("A headline\n\nThe PSE team found that most councils were late with their reports this year.\n\n"
            "Would you like to write for PSE? Click here.\n\npublic sector executive tv\n\nmore videos >\n")
    lines = to_lines(text)
    meta, _ = extract_metadata(lines, [False, True, False, False, False])
    assert meta.site_name == "Public Sector Executive"


def test_words_of_scripts_without_spaces_are_counted():
    from cleaner.features import is_prose, word_count

    ja = "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。"
    assert word_count(ja) >= 20 and is_prose(ja)
    assert word_count("The council met today.") == 4 and not is_prose("ニュース")


def test_japanese_body_above_a_late_heading_is_not_taken_for_chrome():
    ja = ["先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。",
          "報道によると、今回販売されたのは、いわゆる「脱獄」したiPhoneで、機能制限を解除したものだったそうです。",
          "関連記事", "お問い合わせ"]
    lines = to_lines("\n\n".join(ja))
    meta, roles = extract_metadata(lines, [True, True, False, False], language="ja")
    assert roles.by_index.get(0) is None and roles.by_index.get(1) is None


def test_acronyms_are_the_whole_words_of_two_to_five_capitals_the_word_boundary_pattern_finds():
    import random
    import re

    from cleaner.metadata import _ACRONYM

    pattern = re.compile(r"\b[A-Z]{2,5}\b")
    rng = random.Random(9)
    texts = ["a PSE columnist", "PSE's BBCNEWS NHS_ NHS2 ÀBC (UK)", ""]
    texts += ["".join(rng.choice("ABCXYZ abcé_1À.\n'²ſ") for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    for text in texts:
        assert _ACRONYM.findall(text) == pattern.findall(text), text
    assert _ACRONYM.findall(texts[1]) == ["PSE", "UK"]


def test_site_and_author_patterns_start_only_with_the_characters_the_metadata_tries():
    import re
    import sys

    from cleaner.metadata import AUTHOR_CHROME, SITE_FROM, SITE_OR_AUTHOR_FIRST, SITE_OR_AUTHOR_STARTS

    words = [w for p in (SITE_FROM, AUTHOR_CHROME) for w in re.match(r"\^\(\?i:([^)]*)\)", p.pattern).group(1).split("|")]
    assert "from" in words and "popular" in words
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    first = re.compile("(?i:[" + "".join(re.escape(w[0]) for w in words) + "])")
    assert {c for c in every if first.match(c)} == SITE_OR_AUTHOR_FIRST
    # the second letters: only their own two cases fold onto them, so a lower-cased look decides
    assert {w[:2] for w in words if len(w) > 1} == SITE_OR_AUTHOR_STARTS and {w for w in words if len(w) == 1} == {"©"}
    for second in {w[1] for w in words if len(w) > 1}:
        assert {c for c in every if re.match(f"(?i:{second})", c)} == {second, second.upper()}
        assert {c for c in every if c.lower() == second} == {second, second.upper()}
    meta, _ = extract_metadata(to_lines("Headline of the story here\n\n" + "Body sentence of the article. " * 8
                                        + "\n\n© Example News\n\nMore stories from Jane Doe"), [False, True, False, False])
    assert (meta.site_name, meta.author) == ("Example News", "Jane Doe")
