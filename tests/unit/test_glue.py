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
