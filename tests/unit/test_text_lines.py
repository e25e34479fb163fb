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

