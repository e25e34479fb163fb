import re

import pytest

import cleaner
from cleaner import lang

GERMAN = ("Die Stadt hat am Montag beschlossen, dass die neue Brücke über den Fluss erst im nächsten Jahr "
          "gebaut wird, weil die Kosten nach den Angaben der Verwaltung deutlich höher sind als geplant. "
          "Der Bürgermeister sagte, man werde die Bürger noch in diesem Monat über die Pläne informieren "
          "und alle Fragen beantworten, die sich aus dem Bericht ergeben.")
ENGLISH = ("The council decided on Monday that the new bridge over the river will not be built until next "
           "year, because the costs are much higher than planned according to the administration. The mayor "
           "said that residents would be told about the plans later this month and that all of their "
           "questions about the report would be answered.")


@pytest.fixture
def no_identifier(monkeypatch):
    """Fails the test if language identification runs."""
    def refuse():
        raise AssertionError("the identifier ran")
    monkeypatch.setattr(lang, "_identifier", refuse)


def test_a_declared_language_the_text_is_written_in_is_taken_without_identification(no_identifier):
    assert lang.detect_language([GERMAN], declared="de") == "de"
    assert lang.detect_language([ENGLISH], declared="en") == "en"


@pytest.mark.parametrize("text, declared, found", [
    (GERMAN, "en", "de"),    # a template's stale declaration
    (ENGLISH, "de", "en"),
    (ENGLISH, "xx", "en"),   # a language without a stop-word list says nothing
    (ENGLISH, "ja", "en"),   # nor one written without spaces: its words are not tokens
])
def test_a_declaration_the_text_does_not_bear_out_is_identified(text, declared, found):
    assert lang.detect_language([text], declared=declared) == found


SPANISH = ("El ayuntamiento decidió el lunes que el nuevo puente sobre el río no se construirá hasta el año que "
           "viene, porque los costes son mucho más altos de lo previsto según la administración. El alcalde dijo "
           "que los vecinos serán informados de los planes a finales de este mes y que todas sus preguntas sobre "
           "el informe serán respondidas.")


def test_english_prose_is_taken_for_english_without_identification(no_identifier):
    assert lang.detect_language([ENGLISH]) == "en"


@pytest.mark.parametrize("text, found", [(GERMAN, "de"), (SPANISH, "es"), (re.sub("(?i)the ", "a ", ENGLISH), "en")])
def test_other_text_is_identified(text, found, monkeypatch):
    ran = []
    identifier = lang._identifier
    monkeypatch.setattr(lang, "_identifier", lambda: ran.append(1) or identifier())
    assert lang.detect_language([text]) == found
    assert ran


@pytest.mark.shared
def test_text_taken_for_english_is_english_to_the_identifier_too():
    """The shortcut changes no language: on the gold text of every labelled page, in some twenty
    languages, what it takes for English py3langid names English too (and it takes most English)."""
    import json

    from tests.conftest import SHARED

    taken = english = 0
    for gold in sorted((SHARED / "data").glob("*/gold.jsonl")):
        for record in map(json.loads, gold.read_text(encoding="utf-8").splitlines()):
            text = " ".join(lang._taken(sorted(lang.sample_lines(record.get("body") or ""), key=len, reverse=True)))
            if not text.strip():
                continue
            found = lang._identifier().classify(text)
            english += found == "en"
            if lang._reads_as_english(text):
                taken += 1
                assert found == "en", (gold.parent.name, record["id"], found)
    assert taken >= 0.6 * english


def test_too_few_words_confirm_nothing():
    short = " ".join(ENGLISH.split()[: lang.DECLARED_MIN_WORDS - 1])
    assert not lang.confirms("en", short)
    assert lang.confirms("en", ENGLISH)


def test_an_html_page_is_scored_with_the_language_its_text_is_in_whatever_it_declares(monkeypatch):
    seen = []
    extract = cleaner.pipeline.extract
    monkeypatch.setattr(cleaner.pipeline, "extract", lambda lines, lang, **kw: seen.append(lang) or extract(lines, lang, **kw))
    page = '<html lang="{}"><head><title>Brücke</title></head><body><article><p>{}</p></article></body></html>'
    cleaner.clean(page.format("de", GERMAN))
    cleaner.clean(page.format("en", GERMAN))
    cleaner.clean(page.format("de", ENGLISH))
    assert seen == ["de", "de", "en"]


def test_link_targets_are_left_out_of_the_language_sample():
    """A wrapped or lynx dump's longest lines are often its link targets, which read as no language
    or a wrong one: the sample is the text around them."""
    russian = ("Правительство объявило во вторник о новых мерах поддержки малого бизнеса в регионах, "
               "которые вступят в силу с начала следующего года.")
    targets = [f"<https://www.example.com/news/2019/11/{k}/pravitelstvo-obyavilo-o-novyh-merah-podderzhki-"
               f"malogo-biznesa-v-regionah-kotorye-vstupyat-v-silu-s-nachala-sleduyushchego-goda>" for k in range(12)]
    dump = "\n".join([*targets, "   12. https://www.example.com/category/economics/regions/small-business/support/",
                      "See also (https://www.example.com/tag/business) and www.example.com/about-the-project/team",
                      russian])
    lines = lang.sample_lines(dump)
    assert all("http" not in ln and "www." not in ln for ln in lines)
    assert lang.detect_language(lines) == "ru"
    assert lang.detect_language([ln for ln in dump.split("\n") if ln.strip()]) != "ru"  # what the URLs made of it


def test_the_sample_looks_for_link_targets_only_in_lines_that_can_be_taken():
    """sample_lines gives the lines detect_language would take from all the lines with their link
    targets taken out, in the same order (it strips only the lines that can be among them)."""
    import random

    rng = random.Random(9)
    pieces = ["http://a.b/c", "<https://x.y/z>", "www.foo.com", "WWW.Bar.org/x", "mailto:a@b", "x:/y", "word ",
              "Word ", "  ", "12:30", "a/b", "\n", "\n", "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "]

    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        every = [s for s in (lang._URL.sub(" ", ln) for ln in text[:lang.SAMPLE_SCAN_CHARS].split("\n")) if s.strip()]
        assert lang.sample_lines(text) == lang._taken(sorted(every, key=len, reverse=True)), text


def test_the_sample_is_the_one_every_line_sorted_by_length_gives():
    import random

    rng = random.Random(4)
    parts = ["word ", "http://x.example/abc ", "   ", "www.ex.com ", "<https://a.b/c> ", "longer phrase here ", "\n",
             "\n", "\t", "x"]
    short_start = 0
    for _ in range(20000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 80)))
        every_line = lang._taken(lang._longest_without_links(list(filter(str.strip, text.split("\n")))))
        assert lang.sample_lines(text) == every_line, text
        short_start += bool(every_line) and len(every_line[0]) < lang.LANG_MIN_LINE_CHARS
    assert short_start > 1000, "few samples started short: the test says little"


def test_a_line_the_url_test_passes_over_holds_no_link_target():
    """_may_hold_url is false only where _URL finds nothing, whatever the case and the characters
    re.I folds onto letters."""
    import random

    rng = random.Random(12)
    pieces = ["www.", "WWW.", "mailto:", "MAILTO:", "maİlto:", "maılto:", "whatsapp:", "WhatsApp:", "whatſapp:", "http",
              "HTTPS", ":", "/", "//", ":/", "<", "(", "a", "x1", ".", " ", "\n", "Kelvin\u212a", "to", "app", "w"]
    for _ in range(30000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        if not lang._may_hold_url(line):
            assert lang._URL.search(line) is None, line


def test_words_are_what_the_token_break_and_letter_patterns_leave():
    """lang.split_words (the language tests', on lower-cased text) and rules._lower_words (the
    repeated-text rule's) split as the patterns they stand for; stop_counts counts those words."""
    import random
    import string

    from cleaner.rules import _lower_words

    rng = random.Random(8)
    alphabet = string.printable + "İıſKéü²½ⅫÅ_–—“”’'-\u2028\x85\xa0\u3000日本語\ud800"
    texts = ["L’homme a dit: «co-op» x_y 12ab ²3 déjà—vu.", "ÉCOLE İstanbul ſtraße", ""]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    for text in texts:
        words = lang._TOKEN_BREAK.sub(" ", text.lower()).split()
        assert lang.split_words(lang.lowered(text)) == words, text
        assert _lower_words(text) == lang.LETTER_RUN.findall(text.lower()), text
        assert lang.stop_counts(text.lower(), "en", "the") == (
            len(words), sum(w in lang.stopwords("en") for w in words), words.count("the")), text
