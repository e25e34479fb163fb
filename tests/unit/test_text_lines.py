import re

from hypothesis import example, given
from hypothesis import strategies as st

from cleaner.lines.text import _INVISIBLE, _MARKDOWN_HINTS, _SPACE_LIKE, normalise, to_lines, unify_newlines


def test_no_break_and_invisible_characters():
    assert normalise("a\u00a0b\u200bc\r\nd\te") == "a bc\nd e"
    assert normalise("a\x00b\x0bc\x0cd\r") == "ab c d\n"  # ASCII text, looked at character by character


@given(st.text(alphabet="ab \t\x0b\x0c\x00\r\n\u00a0\u2009\u200b\ufeff\u00ad", max_size=30))
def test_ascii_and_other_text_are_normalised_alike(text):
    assert normalise(text) == _INVISIBLE.sub("", _SPACE_LIKE.sub(" ", unify_newlines(text)))


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


def _table_layout():
    """A page laid out in a table as inscriptis prints it: menu, article and sidebar side by side,
    every line padded to the table's width."""
    menu = ["Home page", "News", "Sport", "Weather"]
    story = ["Derby manager Paul Jewell has revealed he has almost completed a deal to sign a striker.",
             "", "The 25-year-old plays in Mexico, where he is the club's top scorer this season.", ""]
    side = ["Jobs in Scotland:", "Location", "Industry", "Keywords"]
    rows = [f"  {m:<20}  {s:<90}  {d:<20}" for m, s, d in zip(menu, story, side)]
    return "Site title\n\n" + "\n".join(rows) + "\n\nFooter text", story


def test_a_table_layout_is_read_column_by_column():
    from cleaner.lines.columns import read_columns

    text, story = _table_layout()
    read, origin = read_columns(text)
    lines = read.split("\n")
    # the article's paragraphs follow one another, each still known by the input line it sat on
    first = lines.index(story[0])
    assert lines[first + 2] == story[2] and lines[first - 5:first - 1] == ["Home page", "News", "Sport", "Weather"]
    assert origin[first] == 3 and origin[first + 2] == 5 and origin[lines.index("Footer text")] == 8
    assert len(origin) == len(lines)
    assert read_columns("An ordinary dump.\n\nIts lines  are  not padded.") == (
        "An ordinary dump.\n\nIts lines  are  not padded.", None)


def test_a_table_layout_dump_is_cleaned_by_its_columns_and_reports_every_input_line():
    import cleaner

    text, story = _table_layout()
    a = cleaner.clean(text, options=cleaner.Options(kind="text"))
    # each paragraph on its own, not in a line with the menu and the sidebar beside it
    assert story[0] in a.paragraphs and story[2] in a.paragraphs
    # one decision per non-blank input line, a row's the article's where it holds some
    assert [d.first for d in a.lines] == [1, 3, 4, 5, 6, 8]
    assert [d.label.value for d in a.lines][1:4] == ["body", "chrome", "body"]
    crlf = cleaner.clean(text.replace("\n", "\r\n"), options=cleaner.Options(kind="text"))  # (counted the same)
    assert crlf.paragraphs == a.paragraphs and [d.first for d in crlf.lines] == [1, 3, 4, 5, 6, 8]


def test_a_long_cell_of_a_table_layout_is_cut_into_its_sentences():
    import cleaner
    from cleaner.lines.columns import CELL_RUN_ON_CHARS

    sentences = [f"Paragraph {k} of the story says what the council agreed on Tuesday after a long debate."
                 for k in range(14)]
    cell = " ".join(sentences)
    assert len(cell) >= CELL_RUN_ON_CHARS
    rows = [f"  {m:<12}  {s:<{len(cell)}}  {d:<12}" for m, s, d in
            zip(["Home page", "News", "Sport"], [cell, "", ""], ["Jobs", "Location", "Keywords"])]
    a = cleaner.clean("Site title\n\n" + "\n".join(rows) + "\n\nFooter text", options=cleaner.Options(kind="text"))
    # the cell's sentences read one by one (before: one line of 1,200 characters, never a paragraph)
    assert sentences[0] in a.paragraphs and cell not in a.paragraphs



_EMPHASIS_AS_WRITTEN = re.compile(r"(?<!\w)_\S.*?\S_(?!\w)")


@given(st.text(alphabet="_aé \n1-*ǅ\u0301", max_size=16))
def test_the_emphasis_hint_finds_what_the_lookbehind_first_pattern_finds(text):
    a, b = _EMPHASIS_AS_WRITTEN.search(text), dict(_MARKDOWN_HINTS)["_"].search(text)
    assert (a and a.span()) == (b and b.span())


_HEADING_AS_WRITTEN = re.compile(r"^\s{0,3}#{1,6}\s", re.M)


@given(st.text(alphabet="# \n\ta\x0b\x1c\x85\u2028\u2003", max_size=16))
@example("x\n###### six")
@example("x\n####### seven")
@example("x\n   #### indented")
@example("    # four")
def test_the_heading_hint_finds_what_the_line_start_first_pattern_finds(text):
    a, b = _HEADING_AS_WRITTEN.search(text), dict(_MARKDOWN_HINTS)["#"].search(text)
    assert (a and a.end()) == (b and b.end())  # (it starts at the "#", the other at the line's start)


def test_a_block_is_looked_for_as_the_grouping_finds_one():
    import random
    from itertools import groupby

    from cleaner.lines.columns import BLOCK_MIN_CHARS, BLOCK_MIN_LINES, _has_block

    rng = random.Random(2)
    for _ in range(20000):
        lengths = [rng.choice([0, 5, BLOCK_MIN_CHARS - 1, BLOCK_MIN_CHARS, BLOCK_MIN_CHARS + 7])
                   for _ in range(rng.randrange(0, 9))]
        grouped = any(width >= BLOCK_MIN_CHARS and len(list(run)) >= BLOCK_MIN_LINES for width, run in groupby(lengths))
        assert _has_block(lengths) == grouped, lengths


def test_a_url_the_wrapper_broke_at_its_hyphens_is_joined_whole_and_prose_hyphens_keep_their_space():
    """html2text's default: lines wrapped at 78 columns by textwrap, which breaks after hyphens, inside
    URLs too. The link is read whole; a hyphen ending a line of prose is not taken for such a break."""
    import html2text

    prose = ("The council agreed its budget after a long debate about the roads and the new homes, and the "
             "members voted on every item of the plan in turn. ")
    jo = "https://example.org/people/jo-smith-junior-the-second-of-that-name-of-the-county-of-the-north/"
    plan = "/news/2019/road-plan-for-the-whole-of-the-town-centre-and-the-villages-around-it-at-last" * 3
    # (longer than 78: broken; the plan's twice, a line of it holding no more than URL)
    html = (f"<p>{prose * 2}It said <a href='{jo}'>Jo Smith</a> on Tuesday, and <a href='{plan}'>the plan</a> "
            f"is for the town, with pre- and post-war housing. {prose * 2}</p>")
    dump = html2text.html2text(html)
    assert "-\n" in dump  # (broken at hyphens: the case this is about)
    line, = [ln for ln in to_lines(dump) if ln.text.startswith("The council")]
    assert [(link.text, link.url) for link in line.links] == [("Jo Smith", jo), ("the plan", plan)]
    assert "with pre- and post-war housing" in line.text
