from cleaner.lines.glue import split_glued


def test_case_glue():
    assert split_glued("annualOfsted") == ("annual", "Ofsted")


def test_concatenated_lowercase_words():
    assert split_glued("whosechildren’s") == ("whose", "children’s")


def test_comma_glue():
    assert split_glued("departments,Ofsted") == ("departments,", "Ofsted")


def test_words_and_names_untouched():
    for w in ("children", "McDonald", "iPhone", "JavaScript", "YouTube", "reorganisation", "2019,2020"):
        assert split_glued(w) is None, w


def test_no_spaces_scripts_untouched():
    assert split_glued("東京都知事選挙", "ja") is None


def test_segment_prefers_whole_words():
    from cleaner.lines.glue import segment

    assert segment("theguardian") == ["the", "guardian"]
    assert segment("guardian") == ["guardian"]
    assert segment("publicsectorexecutive") == ["public", "sector", "executive"]


def test_a_language_without_a_word_list_reads_english_and_is_looked_up_once():
    from cleaner.lines import glue

    assert glue._lexicon("bcl") == "en" and glue._lexicon("ru") == "ru"
    assert glue.zipf("house", "bcl") == glue.zipf("house", "en") > 4
    glue._lexicon.cache_clear()
    glue.zipf.cache_clear()
    glue.zipf("garden", "zxx")
    glue.zipf("window", "zxx")
    assert glue._lexicon.cache_info().misses == 1  # (wordfreq's own search takes half a millisecond a word)


def test_plain_words_get_wordfreqs_zipf_frequency_to_the_bit():
    """glue.plain_zipf skips wordfreq's tokenizer for words of lower-case ASCII letters (punctuation
    after them dropped): the same numbers as zipf_frequency on every such word of the English list,
    on a sample of four other languages' lists, with punctuation after them, and on strings in no
    list; None for any other word."""
    import random

    import wordfreq

    from cleaner.lines.glue import plain_zipf

    rng = random.Random(3)
    made_up = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(1, 16)))
               for _ in range(3000)]
    for lang, most in (("en", None), ("fr", 5000), ("de", 5000), ("tr", 5000), ("oc", 2000)):
        words = [w for w in wordfreq.iter_wordlist(lang) if w.isascii() and w.isalpha() and w.islower()]
        words = words[:most] + made_up
        words += [w + rng.choice([",", ".", ";", ":", "!", "?", ")", "),", ".)", "?!"]) for w in words[:5000]]
        for w in words:
            assert plain_zipf(w, lang) == wordfreq.zipf_frequency(w, lang), (w, lang)
    for w in ("Today", "today’s", "u.s.", "wsj.com", "café", "covid19", "(today", "", ",", "today-"):
        assert plain_zipf(w, "en") is None, w
    assert plain_zipf("today", "ja") is None  # (MeCab's tokenizer)
