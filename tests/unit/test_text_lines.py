from cleaner.lines.text import normalise, to_lines


def test_no_break_and_invisible_characters():
    assert normalise("a\u00a0b\u200bc\r\nd\te") == "a bc\nd e"


def test_paragraph_printed_twice_is_marked_duplicate():
    text = "Title here\n\nThe standfirst of the story.\n\nThe standfirst of the story.\n\nBody text."
    lines = to_lines(text)
    assert [ln.duplicate for ln in lines] == [False, False, True, False]


def test_physical_line_numbers_span_wrapped_paragraphs(tmp_path):
    text = ("word " * 15).strip() + "\n" + ("next " * 15).strip() + "\n\nHeading\n"
    lines = to_lines(text * 3)
    assert lines[0].first == 1


def test_lynx_headings_are_flush_left():
    text = "Heading\n\n   Indented body text of the page.\n\n   More indented text here.\n\n   And more.\n"
    lines = to_lines(text)
    assert lines[0].heading and not lines[1].heading



def test_a_run_on_line_holding_most_of_a_dump_is_cut_into_its_sentences():
    from cleaner.lines.text import RUN_ON_MIN_CHARS, cut_run_on
    from cleaner.types import Link

    menu = "Home · World · Business · Sport · Opinion · Culture"
    sentences = [f"The council said on day {k} that the new bridge over the river would open next spring, "
                 f"after a delay of several months caused by the weather." for k in range(30)]
    run_on = f"{menu} [More news](https://example.org/news) " + " ".join(sentences)
    lines = to_lines(f"Site title\n\n{run_on}\n\nFooter line")
    assert len(lines[1].text) >= RUN_ON_MIN_CHARS and len(lines) == 3
    cut = cut_run_on(lines)
    texts = [ln.text for ln in cut]
    assert texts[:6] == ["Site title", "Home", "World", "Business", "Sport", "Opinion"]
    assert sentences[1] in texts and texts[-1] == "Footer line"
    # each part keeps the links whose anchor text it holds, and their share of its characters
    holder = next(ln for ln in cut if "More news" in ln.text)
    assert holder.links == (Link("More news", "https://example.org/news"),) and holder.anchor_chars == len("More news")
    assert all(not ln.links for ln in cut if ln is not holder)
    assert {(ln.first, ln.last) for ln in cut[1:-1]} == {(lines[1].first, lines[1].last)}
    assert cut_run_on(lines[:1] + lines[2:]) == lines[:1] + lines[2:]  # nothing run-on: the same lines


def test_the_input_line_of_a_run_on_line_speaks_as_its_kept_parts():
    import random

    import cleaner

    rng = random.Random(4)
    words = ("council bridge river spring delay weather mayor budget road school water power station market "
             "harbour museum library park tram station rail ferry tunnel street square hall court tower").split()
    sentences = [f"The {' '.join(rng.sample(words, 6))} were discussed on day {k}, and the {' '.join(rng.sample(words, 5))} "
                 f"will follow in the {rng.choice(words)} report." for k in range(30)]
    dump = "Home · World · Business · Sport\n\n" + "Latest news · Weather · " + " ".join(sentences) + "\n"
    article = cleaner.clean(dump, options=cleaner.Options(kind="text"))
    assert sentences[3] in article.paragraphs and "Weather" not in article.paragraphs
    run_on_record = [d for d in article.lines if d.first == 3]
    assert len(run_on_record) == 1 and run_on_record[0].label.value == "body"
