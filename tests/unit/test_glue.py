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
