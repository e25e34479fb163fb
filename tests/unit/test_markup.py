from hypothesis import example, given
from hypothesis import strategies as st

from cleaner.lines.markup import clean_line, split_references


def test_angle_link_removed_and_kept():
    c = clean_line("the latest annualOfsted <https://x.org/ofsted> social care report.")
    assert c.text == "the latest annual Ofsted social care report."
    assert [(l.text, l.url) for l in c.links] == [("Ofsted", "https://x.org/ofsted")]


def test_punctuation_glue_split():
    c = clean_line("child protection departments,Ofsted <https://x.org/o> has said.")
    assert c.text == "child protection departments, Ofsted has said."
    assert c.links[0].text == "Ofsted"


def test_lowercase_glue_split_by_lexicon():
    c = clean_line("in Sunderland, whosechildren’s services have been taken over <https://x.org/t> by a team")
    assert "whose children’s services have been taken over by a team" in c.text
    assert c.links[0].text == "children’s services have been taken over"


def test_capitalised_anchor_without_glue():
    c = clean_line("However, the Association of Directors of Children’s Services <http://adcs.org.uk/> criticised")
    assert c.text == "However, the Association of Directors of Children’s Services criticised"
    assert c.links[0].text == "Association of Directors of Children’s Services"


def test_real_words_are_not_split():
    c = clean_line("a JavaScript and YouTube story about annual reports <https://x.org/a>")
    assert c.text == "a JavaScript and YouTube story about annual reports"


def test_markdown_links_images_and_emphasis():
    c = clean_line("See [the report](https://x.org/r) and ![chart](/c.png) **now** _please_ \\- ok",
                   markdown=True)
    assert c.text == "See the report and now please - ok"
    assert [(l.text, l.url) for l in c.links] == [("the report", "https://x.org/r"), ("chart", "/c.png")]


def test_markdown_heading_and_list_marker():
    assert clean_line("## Importance of leadership", markdown=True).heading
    c = clean_line("* an item", markdown=True)
    assert c.list_item and c.text == "an item"


def test_brackets_in_prose_survive():
    c = clean_line("a system “[told] a partial story”")
    assert c.text == "a system “[told] a partial story”"


def test_lynx_references():
    text = "   See [1]the report here.\n\nReferences\n\n   1. https://x.org/r\n"
    body, refs = split_references(text)
    assert refs == {1: "https://x.org/r"} and "References" not in body
    c = clean_line(body.strip(), refs=refs)
    assert c.text == "See the report here."
    assert (c.links[0].text, c.links[0].url) == ("the report here", "https://x.org/r")


def test_lynx_image_alt_text_is_dropped_like_other_styles_drop_images():
    refs = {17: "https://x.org/photo", 18: "https://x.org/story"}
    c = clean_line("[17][In this photo issued by ITV, the two leaders debate. (ITV via AP)] "
                   "The debate [18]began at nine [IMG].", refs=refs)
    assert c.text == "The debate began at nine ."
    assert [l.url for l in c.links] == ["https://x.org/photo", "https://x.org/story"]
    # without a References list the dump is no lynx dump: brackets are text
    assert clean_line("He said [the minister] was wrong.").text == "He said [the minister] was wrong."



def test_angle_links_are_cut_where_the_pattern_with_its_leading_spaces_cuts_them():
    """ANGLE_LINK starts at its "<" (re jumps from one to the next); _angle_links takes the spaces and
    tabs before it, as the pattern written with a leading "[ \\t]*" matched them."""
    import random
    import re

    from cleaner.lines.markup import _anchor_before, _angle_links

    as_written = re.compile(r"[ \t]*<((?:[a-z][a-z0-9+.-]*:|/)[^<>\s]*)>", re.I)

    def reference(text: str) -> tuple[str, list[tuple[str, str]]]:
        out, links, pos = [], [], 0
        for m in as_written.finditer(text):
            fixed, anchor = _anchor_before(text[pos:m.start()], "en", True)
            out.append(fixed)
            links.append((anchor, m.group(1)))
            pos = m.end()
            if pos < len(text) and text[pos].isalnum():
                out.append(" ")
        return "".join(out + [text[pos:]]), links

    rng = random.Random(4)
    pieces = ["<", "<http://a.b/c>", ">", " ", "\t", "  ", "x", "<a:b>", "</p>", "<>", "<1:x>", "\n", "<HTTP:X>",
              "<\u0130:x>", "Read more", "annualOfsted"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 10)))
        links: list = []
        got, _ = _angle_links(text, "en", True, links)
        assert (got, [(link.text, link.url) for link in links]) == reference(text), repr(text)


def test_emphasis_patterns_starting_at_their_marker_remove_what_the_lookbehind_first_ones_removed():
    import random
    import re

    from cleaner.lines.markup import EMPH_STAR, EMPH_UNDER, STRONG

    as_written = [re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"),
                  re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
                  re.compile(r"(?<![\w_])__?(?=[^\s_])(.+?)(?<=[^\s_])__?(?![\w_])")]
    rng = random.Random(6)
    pieces = ["*", "**", "***", "_", "__", "a", "é", " ", "\t", "1", "-", "word", "\n", "ǅ"]
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        for fast, written in zip((STRONG, EMPH_STAR, EMPH_UNDER), as_written):
            assert fast.sub(r"\1", text) == written.sub(r"\1", text), (text, fast.pattern)


def test_markdown_links_are_found_where_the_optional_bang_pattern_found_them():
    import random
    import re

    from cleaner.lines.markup import MD_ANY

    as_written = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
                            r"(?:\s+\"[^\"]*\")?\s*\)")
    rng = random.Random(7)
    pieces = ["!", "[", "]", "(", ")", "![", "](", "a", " ", "\n", "<", ">", '"t"', "x.png", "[b]", "(c)"]
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        got = [(m.span(), m.group(0)[0] == "!", m.group(1), m.group(2)) for m in MD_ANY.finditer(text)]
        assert got == [(m.span(), bool(m.group(1)), m.group(2), m.group(3)) for m in as_written.finditer(text)], text


def test_markdown_links_are_taken_out_as_a_substitution_by_callback_takes_them():
    """_md_links builds its text from the matches; a sub whose callback records each link (the link
    before the images and links in its anchor) gives the same text, links and anchor characters."""
    import random

    from cleaner.lines.markup import MD_ANY, _md_links
    from cleaner.types import Link

    def by_sub(text: str, links: list) -> tuple[str, int]:
        chars = 0

        def repl(m):
            nonlocal chars
            if m.group(0)[0] == "!":
                links.append(Link(m.group(1).strip(), m.group(2)))
                return ""
            at = len(links)
            links.append(None)
            anchor = MD_ANY.sub(repl, m.group(1)).strip()
            links[at] = Link(anchor, m.group(2))
            chars += len(anchor)
            return anchor

        return MD_ANY.sub(repl, text), chars

    rng = random.Random(8)
    pieces = ["[", "]", "(", ")", "!", "a", " ", "<", ">", '"t"', "](", "![", "[x](y)", "![i](s)", "[ [b](c) ](d)", "\n"]
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        a, b = [], []
        assert _md_links(text, a) == by_sub(text, b) and a == b, text


def test_a_references_list_is_found_as_searching_every_line_finds_it():
    """split_references tries only the last line reading "References", and reads the items with a
    pattern starting at their number: the same list as REFERENCES.search and a line-start pattern."""
    import random
    import re

    from cleaner.lines.markup import REFERENCES

    item_as_written = re.compile(r"^\s*(\d+)\.\s+(\S+)", re.M)

    def as_written(text: str) -> tuple[str, dict[int, str]]:
        m = REFERENCES.search(text)
        if not m:
            return text, {}
        return text[: m.start()] + "\n", {int(n): url for n, url in item_as_written.findall(m.group(1))}

    rng = random.Random(9)
    pieces = ["References", "\n", " ", "\t", "1. ", "12.", "3", ". ", "x", "http://a/b", "References\n",
              "\nReferences\n", "\n 2. u\n", "\n\n", "\u0663. v\n", "4.\tw \n", "a.References", "5. References\n"]
    found = 0
    for _ in range(40000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        got = split_references(text)
        assert got == as_written(text), text
        found += bool(got[1])
    assert found > 1000


@given(st.text(alphabet=" \t\u3000\u00a0", max_size=3),
       st.one_of(st.sampled_from("aZ\u00e9\u01c5"), st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo"))),
       st.text(alphabet="#->*_=+\u2022\u00b7\u2023\u25e61. )x\t\n", max_size=10))
@example("", "a", " x")
@example("  ", "B", ". x")
@example(" ", "\u00e9", "## x")
def test_no_markup_marker_starts_with_a_letter(space, letter, rest):
    """clean_line skips the rule, heading, quote and list-marker patterns for a line whose first
    character after white space is a letter (str.isalpha: these categories): none of them matches one."""
    from cleaner.lines.markup import LIST_MARKER, MD_HEADING, QUOTE_MARKER, RULE

    text = space + letter + rest
    assert text.lstrip()[:1].isalpha()
    assert not (RULE.match(text) or MD_HEADING.match(text) or QUOTE_MARKER.match(text) or LIST_MARKER.match(text))


def test_a_dump_in_reference_link_markdown_reads_as_the_same_page_with_inline_links():
    """html2text's reference mode ("[anchor][3]" in the text, "[3]: url" lines at the end): the
    lines, links and anchors of the inline-link rendering of the same page."""
    import html2text

    from cleaner.lines.text import to_lines

    html = """<h1>Budget agreed</h1><p>The <a href="/council">council</a> agreed its budget, said
    <a href="https://example.org/people/jo">Jo Smith</a>. <a href="/more"><img src="/i.png" alt="More"></a></p>
    <ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul>
    <p>Roads and <b>new homes</b> come first. <img src="/chart.png" alt="A chart"></p>"""

    def rendered(inline: bool) -> str:
        h = html2text.HTML2Text(baseurl="https://example.org/story")
        h.body_width, h.unicode_snob, h.inline_links = 0, True, inline
        return h.handle(html)

    reference = rendered(False)
    assert "][" in reference and "]: https://example.org/council" in reference  # (the mode this is about)
    inline = [(ln.text, ln.links, ln.anchor_chars, ln.heading, ln.list_item) for ln in to_lines(rendered(True))]
    assert [(ln.text, ln.links, ln.anchor_chars, ln.heading, ln.list_item) for ln in to_lines(reference)] == inline
    assert ("Roads and new homes come first.", ) == tuple(t for t, *_ in inline if t.startswith("Roads"))


def test_reference_links_need_a_definition_and_definition_lines_are_markup_alone():
    from cleaner.lines.markup import clean_line, md_definitions

    defs = md_definitions("Text\n   [1]: https://a.example/x\n[Two]: /two \"A title\"\n[Note]: not a URL\n")
    assert defs == {"1": "https://a.example/x", "two": "/two"}
    line = clean_line("See [the page][1], [two][ TWO ], [note][Note] and [sic][9].", md_refs=defs, markdown=True)
    assert line.text == "See the page, two, [note][Note] and [sic][9]."
    assert [(link.text, link.url) for link in line.links] == [("the page", "https://a.example/x"), ("two", "/two")]
    assert clean_line("[a][b](https://c.example)", md_refs=defs).text == clean_line("[a][b](https://c.example)").text
    assert clean_line("   [1]: https://a.example/x", md_refs=defs).text == ""
    many = " ".join(["[1]: https://a.example/x"] * 3000)  # a hard-wrapped run of them, joined
    assert clean_line(many, md_refs=defs).text == "" and clean_line(many + " tail", md_refs=defs).text
    assert clean_line("[1]: https://a.example/x", md_refs=None).text  # (a dump without definitions: text)
