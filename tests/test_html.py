import pytest

import cleaner
from cleaner.lines import tree
from cleaner.lines.html import prune_chrome
from cleaner.types import Kind
from tests.conftest import SHARED

# DomFacts from the compiled walk (where the install built it) and from its pure-Python twin
FLATTENS = [pytest.param(tree._flatten_python, id="python")] + (
    [pytest.param(tree.flatten, id="compiled")] if tree.compiled() else [])

PAGE = """<!doctype html><html lang="en-GB"><head>
<title>Council budget agreed | Daily Example</title>
<meta property="og:site_name" content="Daily Example">
<meta property="article:published_time" content="2024-03-03T10:00:00Z">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council budget agreed",
 "author": {"@type": "Person", "name": "Jo Bloggs"}}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Council budget agreed</h1>
<p>The council agreed its budget on Tuesday after a long debate about the cost of roads and schools.</p>
<p>Spending on schools rises by four per cent, while road repairs get an extra two million pounds this year.</p>
<p>The leader said the plan was fair to every ward and that the reserves would be rebuilt by next spring.</p>
</article><footer><p>Copyright 2024 Daily Example. All rights reserved.</p></footer>
</body></html>"""


def test_html_is_sniffed_and_cleaned_with_head_metadata():
    a = cleaner.clean(PAGE)
    assert a.kind is Kind.HTML
    assert (a.title, a.author, a.date, a.site_name, a.language) == (
        "Council budget agreed", "Jo Bloggs", "2024-03-03", "Daily Example", "en")
    assert a.paragraphs[0].startswith("The council agreed its budget")
    assert "Council budget agreed" not in a.text and "Sport" not in a.text and "Copyright" not in a.text


def test_entities_are_not_expanded_and_nothing_is_fetched():
    evil = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<html><body><p>Hello &x; and &b; there, this is a paragraph of text.</p></body></html>')
    a = cleaner.clean(evil, options=cleaner.Options(kind="html"))
    assert "root:" not in a.text and "aaaaaaaaaaaaaaaaaaaa" not in a.text


def test_navigation_asides_and_footers_are_pruned_unless_they_hold_the_page():
    from cleaner.lines.html import html_to_text, parse

    story = "The council agreed its budget on Tuesday after a long debate about roads and schools."
    page = (f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><p>{story}</p>"
            "<aside>Most read: ten things</aside><div role='navigation'>Sections</div>"
            "<footer>Terms of use</footer></body></html>")
    text = html_to_text(page, parse(page))
    assert story in text and not any(w in text for w in ("Home", "Most read", "Sections", "Terms"))
    wrapped = f"<html><body><nav class='page'><p>{story}</p><p>{story} Again.</p></nav><p>Footnote.</p></body></html>"
    assert story in html_to_text(wrapped, parse(wrapped))  # a <nav> around the whole page stays


STRUCTURED = PAGE.replace("<p>The leader said", """<h2>What changes</h2>
<ul><li>Spending on schools rises by four per cent in every ward of the city this year.</li>
<li>Road repairs get an extra two million pounds, most of it for the ring road and bridges.</li>
<li><script>track()</script></li></ul>
<p>The leader said""")


def test_html_structure_is_carried_to_the_lines_without_changing_their_text():
    from cleaner.lines.html import html_to_blocks, html_to_text

    text, blocks, _ = html_to_blocks(STRUCTURED)
    assert text == html_to_text(STRUCTURED)  # the model reads exactly what it was trained on
    lines = text.split("\n")
    kinds = {lines[k]: b.kind for k, b in blocks.items()}
    assert kinds["What changes"] == "h2" and kinds["Council budget agreed"] == "h1"
    assert kinds["Road repairs get an extra two million pounds, most of it for the ring road and bridges."] == "li"
    table = "<html><body><table><tr><th>Team</th><th>Domain</th></tr><tr><td>New Zealand</td><td>.nz</td></tr>" \
            "<tr><td>Chad (<b>TD</b>)</td><td></td></tr></table></body></html>"
    text, blocks, _ = html_to_blocks(table)
    assert text == html_to_text(table)  # "New Zealand.nz", "Chad (TD)": html_text's punctuation spacing kept
    assert [b.cells for b in blocks.values()] == [("Team", "Domain"), ("New Zealand", ".nz"), ("Chad (TD)", "")]


def test_private_use_characters_of_the_page_are_kept_beside_its_structure():
    from cleaner.lines.html import html_to_blocks, html_to_text
    from cleaner.types import Block

    icons = STRUCTURED.replace("<h2>What changes</h2>", "<h2>\ue001 What changes</h2>")  # an icon font glyph
    text, blocks, doms = html_to_blocks(icons)
    assert text == html_to_text(icons) and "\ue001 What changes" in text
    heading = text.split("\n").index("\ue001 What changes")
    assert blocks[heading] == Block("h2") and doms[heading].tag == "h2"


def test_markdown_output_of_html_keeps_headings_and_lists(runner, tmp_path):
    from cleaner.cli import cli

    page = tmp_path / "page.html"
    page.write_text(STRUCTURED, encoding="utf-8")
    out = runner.invoke(cli, ["clean", "--format", "markdown", str(page)]).output
    assert out.startswith("# Council budget agreed\n\n")
    assert "## What changes\n\n- Spending on schools rises" in out
    assert "\n- Road repairs get an extra two million pounds" in out  # one list: items on consecutive lines


DOM_PAGE = """<html><body>
<nav class="site-menu"><a href="/">Home</a></nav>
<div class="main-wrap">
 <div class="kicker-box">Local politics</div>
 <div class="post-content">
  <p>The council agreed its budget for next year on Tuesday night after a long debate in the chamber.</p>
  <p>Spending on schools rises by four per cent, and road repairs get an extra <a href="/roads">two
   million pounds</a> for the ring road.</p>
  <div>Opening remarks<p>A paragraph inside the remarks, long enough to count as one.</p>and a closing word</div>
  <span class="byline-box"><div class="share-box"><script>share()</script></div>Text after a box with no text of its own.</span>
 </div>
 <div class="related-stories"><ul><li><a href="/a">Another story about the council</a></li></ul></div>
 <div id="comments"><p>I think the budget is too small for our schools, frankly.</p></div>
</div></body></html>"""


def test_each_html_line_knows_the_element_its_text_comes_from():
    from cleaner.lines.dom import DOM_GROUPS
    from cleaner.lines.html import html_to_blocks, html_to_text

    text, _, doms = html_to_blocks(DOM_PAGE)
    assert text == html_to_text(DOM_PAGE)  # the marks leave no trace
    by_text = {line: doms.get(i) for i, line in enumerate(text.split("\n")) if line.strip()}
    near = {line: dict(zip(DOM_GROUPS, dom.near)) for line, dom in by_text.items()}
    first = "The council agreed its budget for next year on Tuesday night after a long debate in the chamber."
    assert by_text[first].tag == "p" and near[first]["content"] == 1 and near[first]["related"] == -1
    linked = next(line for line in by_text if line.startswith("Spending on schools"))
    assert 0 < by_text[linked].link_chars < by_text[linked].chars  # "two million pounds" of the paragraph
    teaser = by_text["Another story about the council"]
    assert teaser.tag == "li" and near["Another story about the council"]["related"] == 2
    assert teaser.link_chars == teaser.chars
    assert near["I think the budget is too small for our schools, frankly."]["comment"] == 1
    # text after a nested block belongs to the element around it, not to the block before it
    assert by_text["and a closing word"] is by_text["Opening remarks"]
    assert by_text["and a closing word"].tag == "div"
    after_box = by_text["Text after a box with no text of its own."]
    assert after_box.tag == "span" and near["Text after a box with no text of its own."]["related"] == -1
    # readability's top candidate is the post's content: its paragraphs are one level below it;
    # neither the related stories nor the comments beside it are kept with it
    assert near[first]["best"] == 1 and near[first]["kept"] == 1
    assert near["Another story about the council"]["best"] == -1
    assert near["Another story about the council"]["kept"] == -1
    assert near["I think the budget is too small for our schools, frankly."]["kept"] == -1
    # and where each lies against it in document order: in it, or after it
    assert by_text[first].side == 0 and after_box.side == 0 and by_text["Local politics"].side == -1
    assert teaser.side == 1 and by_text["I think the budget is too small for our schools, frankly."].side == 1


def test_html_input_is_scored_by_the_html_model_with_dom_features():
    import numpy as np

    from cleaner.features import DOM_FEATURE_NAMES, HTML_FEATURE_NAMES, extract
    from cleaner.model import Model
    from cleaner.pipeline import Cleaner

    model = Model.load()
    assert model.html is not None and model.html.reads_dom and model.for_html() is model.html
    assert model.html.features == HTML_FEATURE_NAMES
    seen = []

    class Spy:
        """The bundled HTML model, recording the width of what it scores."""

        def __getattr__(self, name):
            return getattr(model.html, name)

        def score(self, x):
            seen.append(x.shape[1])
            return model.html.score(x)

    text_model = Model(model.features, model.stages, model.transitions, model.prior_body, model.trained, Spy())
    article = Cleaner(model=text_model).clean(DOM_PAGE)
    assert seen == [len(HTML_FEATURE_NAMES)]
    assert "Spending on schools rises" in article.text and "Home" not in article.text.split("\n")
    lines = [ln for ln in __import__("cleaner.lines.text", fromlist=["to_lines"]).to_lines("a\nb")]
    x = extract(lines, "en", dom=True)
    assert x.shape == (2, len(HTML_FEATURE_NAMES))
    assert np.all(x[:, len(HTML_FEATURE_NAMES) - len(DOM_FEATURE_NAMES)] == 1.0)  # dom_missing: no element


@pytest.mark.parametrize("flatten", FLATTENS)
def test_readability_keeps_the_text_beside_its_top_candidate_but_not_the_sidebar(flatten):
    from cleaner.lines.dom import DomFacts
    from cleaner.lines.html import parse

    para = "<p>The council met on Tuesday, and after a long debate, it agreed the budget for the year.</p>"
    page = ("<html><body><div id='wrap'><div class='story'>" + para * 3 + "</div>"
            "<p>A sibling paragraph long enough to read as text: more than eighty characters, few links.</p>"
            "<div class='sidebar'><p>Sidebar text long enough to count, with a comma in it.</p></div>"
            "</div></body></html>")
    root = parse(page)
    facts = DomFacts(root.find("body"), flatten)
    story, = root.xpath("//div[@class='story']")
    sibling, = root.xpath("//div[@id='wrap']/p")
    sidebar, = root.xpath("//div[@class='sidebar']")
    kept = {facts.element(i) for i in facts.kept}
    assert facts.element(facts.best) is story
    assert sibling in kept and story in kept and sidebar not in kept


@pytest.mark.parametrize("flatten", FLATTENS)
def test_readability_scores_text_put_straight_into_divs_and_skips_unlikely_candidates(flatten):
    from cleaner.lines.dom import DomFacts
    from cleaner.lines.html import parse

    para = "<div>The council met on Tuesday, and after a long debate, it agreed the budget for the year.</div>"
    page = ("<html><body><div id='story'>" + para * 3 + "</div>"
            "<div id='sidebar-menu'>" + para * 4 + "</div></body></html>")
    root = parse(page)
    facts = DomFacts(root.find("body"), flatten)
    story, = root.xpath("//div[@id='story']")
    assert facts.element(facts.best) is story  # its text-only divs scored as paragraphs; the menu's not at all


@pytest.mark.parametrize("flatten", FLATTENS)
def test_readability_scores_runs_of_text_inside_a_div_that_holds_blocks_too(flatten):
    from cleaner.lines.dom import DomFacts
    from cleaner.lines.html import parse

    run = "The council met on Tuesday, and after a long debate, it agreed the budget for the year."
    # a blog post: text runs split by <br>, with a link in it (so not a "misused div" itself)
    post = "<div id='post'>" + "<br>".join([run] * 4) + "<a href='/more'>more</a></div>"
    others = "<div id='teasers'>" + "<p>A short teaser line, with a comma.</p>" * 3 + "</div>"
    root = parse(f"<html><body>{post}{others}</body></html>")
    facts = DomFacts(root.find("body"), flatten)
    assert facts.element(facts.best) is root.xpath("//div[@id='post']")[0]


def test_text_inside_an_anchor_reads_as_link_text():
    from cleaner.features import DOM_FEATURE_NAMES, HTML_FEATURE_NAMES, extract
    from cleaner.lines.dom import DOM_GROUPS

    page = ("<html><body><article><p>The council agreed its budget on Tuesday after a long debate.</p>"
            "<a href='/other'><div class='card'><h4>Another story</h4><p>Its lead, in a card that is one link."
            "</p></div></a></article></body></html>")
    lines, _ = _page_lines(page)
    by_text = {ln.text: ln for ln in lines}
    lead = by_text["Its lead, in a card that is one link."]
    assert dict(zip(DOM_GROUPS, lead.dom.near))["link"] == 2 and lead.dom.link_chars == 0
    assert dict(zip(DOM_GROUPS, by_text["The council agreed its budget on Tuesday after a long debate."].dom.near))["link"] == -1
    x = extract(lines, "en", dom=True)
    density = x[:, len(HTML_FEATURE_NAMES) - len(DOM_FEATURE_NAMES) + DOM_FEATURE_NAMES.index("link_density")]
    assert density[lines.index(lead)] == 1.0
    assert density[lines.index(by_text["The council agreed its budget on Tuesday after a long debate."])] == 0.0



RENDER_CASES = [
    "<p>One<b>bold</b>word, (a <i>note</i>) and <a href='#'>a link</a>.</p><p>Next: <span>x</span>!</p>",
    "<div>Opening<p>inside</p>closing<!-- a comment -->tail</div><script>var x = 1;</script><style>p{}</style>",
    "<ul><li><div>Share</div></li><li><h4>A headline</h4>its lead</li></ul><br>after<hr>rule",
    "<table><tr><td></td><td>New Zealand</td><td>.nz</td></tr><tr><th>Chad</th><td>(TD)</td></tr></table>",
    "<h1>Title</h1><blockquote>quoted <q>text</q></blockquote><pre>  keep   spaces? </pre><dl><dt>t</dt><dd>d</dd></dl>",
    "<body>text straight in body<iframe src='x'>frame</iframe><form><input value='v'>form text</form></body>",
    "<object>obj <param name='p'>in</param> text</object><param>loose</param>after<embed src='e'>em</embed>"
    "<applet>gone</applet><layer>lay</layer><noframes>nf</noframes><image src='i'>img</image><?pi x?>pi tail",
    "<div style='display:none'>styled</div><link rel='x'>linked<meta name='m'>metad<frameset>fs</frameset>end",
]


def test_html_is_cleaned_as_html_texts_cleaner_cleans_it():
    from html_text.html_text import cleaner
    from lxml import etree

    from cleaner.lines.html import parse
    from cleaner.lines.render import clean_in_place

    for case in RENDER_CASES:
        page = f"<html><head><title>A page</title><style>p{{}}</style></head><body>{case}</body></html>"
        ours, theirs = parse(page), parse(page)
        clean_in_place(ours)
        cleaner(theirs)
        assert etree.tostring(ours) == etree.tostring(theirs), case


def test_html_is_rendered_exactly_as_html_text_renders_it():
    import html_text

    from cleaner.lines.html import html_to_text, parse

    for case in RENDER_CASES:
        page = f"<html><head><title>A page</title></head><body>{case}</body></html>"
        assert html_to_text(page, parse(page)) == html_text.extract_text(parse(page), guess_layout=True) + "\n", case


@pytest.mark.shared
def test_the_benchmark_pages_are_rendered_exactly_as_html_text_renders_them():
    import html_text

    from cleaner.lines.html import html_to_text, parse
    from cleaner.train.bench_html import labelled_pages

    for page, _ in labelled_pages(SHARED).values():  # (with the furniture pruned first, as clean() does)
        ours, theirs = parse(page), parse(page)
        prune_chrome(theirs)
        assert html_to_text(page, ours) == html_text.extract_text(theirs, guess_layout=True) + "\n"


def test_head_metadata_reads_titles_and_canonical_links_beside_the_root_element_too():
    from cleaner.lines.head import head_metadata
    from cleaner.lines.html import parse

    # text after </html> makes the parser start a second root element beside the first
    page = ("<html><head><meta name='author' content='Jo Bloggs'></head><body><p>x</p></body></html>"
            "<title>After the root</title><link rel='canonical' href='https://example.com/a'>")
    root = parse(page)
    assert [el.tag for el in root.itersiblings()] == ["html"]
    meta, canonical = head_metadata(root)
    assert (meta.title, meta.author, canonical) == ("After the root", "Jo Bloggs", "https://example.com/a")


@pytest.mark.parametrize("start", [
    "<!--section:sports--->\n<script type='text/javascript'>var a = 1;</script>",   # no <html> at all
    "<style type='text/css'> body { font-family: Verdana } </style>\n<table><tr><td>",
    "<script LANGUAGE='JavaScript'>\n" + "document.write('x');\n" * 200 + "</script>",  # a long script first
    ' <text id="http://example.com/a"> <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">',  # a crawler's wrapper
])
def test_pages_that_start_with_scripts_styles_or_a_wrapper_are_sniffed_as_html(start):
    from cleaner.io.sniff import sniff

    assert sniff(start + "<p>The council agreed its budget on Tuesday.</p></td></tr></table>") is Kind.HTML


@pytest.mark.parametrize("dump", [
    "The council agreed its budget on Tuesday.\n\n<b>Read more</b>",
    "Home | News | <script> tags explained\n\nHow browsers run scripts.",
])
def test_text_dumps_that_mention_tags_stay_text(dump):
    from cleaner.io.sniff import sniff

    assert sniff(dump) is Kind.TEXT


def test_the_lines_dom_facts_do_not_keep_the_page_alive():
    from cleaner.lines.html import html_to_blocks

    page = "<html><body><article><p>" + "The council met on Tuesday and agreed its budget. " * 5 + "</p></article></body></html>"
    _, _, doms = html_to_blocks(page)
    facts = next(iter(doms.values())).facts
    assert facts.body is None and facts.tree.nodes is None and not facts.tree.attrs  # (an Article holds its lines until read)
    assert next(iter(doms.values())).tag == "p"  # the facts themselves stay readable


def _page_lines(page):
    """The lines of an HTML page as clean() makes them (with their elements), and their texts."""
    from cleaner.lines.html import attach, html_to_blocks, parse
    from cleaner.lines.text import to_lines

    text, blocks, doms = html_to_blocks(page, parse(page))
    lines = to_lines(text)
    attach(lines, blocks, doms)
    return lines, [ln.text for ln in lines]


def test_body_lines_outside_the_element_holding_the_article_are_dropped_unless_sure():
    from cleaner.lines.text import to_lines
    from cleaner.rules import OUTSIDE_MAIN, drop_outside_main

    paragraphs = "".join(f"<p>Paragraph {k} of the story tells what the council agreed on Tuesday, at length.</p>"
                         for k in range(4))
    page = ("<html><body><div id='page'><div id='main'><header><h1>Council agrees its budget</h1></header>"
            f"<div class='story'>{paragraphs}</div></div>"
            "<div class='appeal'><p>Support us: we do this work every day at no cost to you, but it is far from free.</p></div>"
            "</div></body></html>")
    lines, texts = _page_lines(page)
    appeal = next(i for i, t in enumerate(texts) if t.startswith("Support us"))
    headline = texts.index("Council agrees its budget")
    body = [True] * len(lines)
    reasons = drop_outside_main(lines, body, [0.6] * len(lines))
    # the story's element holds the body text; its parent keeps the headline beside it
    assert reasons == {appeal: OUTSIDE_MAIN} and body[headline] and not body[appeal]
    body = [True] * len(lines)
    assert drop_outside_main(lines, body, [0.95] * len(lines)) == {} and all(body)  # the model is sure of them
    # text input has no elements: nothing to go by
    plain = to_lines("\n\n".join(texts))
    assert drop_outside_main(plain, [True] * len(plain), [0.1] * len(plain)) == {}


# Pages for the rules that read the tree: each drops exactly the line starting so. A figure's
# caption goes, a table's figure stays; a "Read more" teaser (88% link text) goes, a paragraph with
# a link in it stays.
TREE_RULE_CASES = [
    pytest.param("drop_figures", "FIGURE", "The town hall",
                 "<html><body><article><p>The council agreed its budget on Tuesday after a long debate.</p>"
                 "<figure><img src='hall.jpg'><figcaption>The town hall, where the council met. Credit: Jo Bloggs"
                 "</figcaption></figure><p>Spending on schools rises by four per cent.</p>"
                 "<figure><table><tr><td>Schools</td><td>4%</td></tr></table><figcaption>Spending by service"
                 "</figcaption></figure></article></body></html>", id="figure"),
    pytest.param("drop_link_text", "LINK_TEXT", "READ MORE",
                 "<html><body><article><p>The council agreed its budget on Tuesday after a long debate, "
                 "<a href='/roads'>as reported</a> here.</p>"
                 "<p>READ MORE: <a href='/other'>Council tax to rise by four per cent next April</a></p>"
                 "<p>Spending on schools rises by four per cent.</p></article></body></html>", id="link-text"),
]


@pytest.mark.parametrize("rule,reason,start,page", TREE_RULE_CASES)
def test_rules_that_read_the_tree_drop_exactly_their_lines(rule, reason, start, page):
    import cleaner.rules

    lines, texts = _page_lines(page)
    dropped = next(i for i, t in enumerate(texts) if t.startswith(start))
    body = [True] * len(lines)
    assert getattr(cleaner.rules, rule)(lines, body) == {dropped: getattr(cleaner.rules, reason)}
    assert body.count(False) == 1
