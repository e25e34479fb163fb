"""The compiled walks over lxml trees (cleaner/_dom.c) give what their pure-Python twins give:
the furniture pruned, the flat tree, readability's candidate, the rendered text and its DOM facts."""
from __future__ import annotations

import random

import pytest

from cleaner.lines import dom, html, render, tree
from tests.conftest import SHARED

needs_walk = pytest.mark.skipif(tree.compiled() is None, reason="cleaner._dom not built (no C compiler?)")

PAGES = [
    "<html><body></body></html>",
    "<html><body>just text</body></html>",
    # comments, processing instructions, entities, the tail of a comment (never printed)
    "<html><body><div class='story main'>One, <!-- c --> two<?pi x?> &amp; three<p>Para (\n</p>"
    "<p>, after</p>tail</div></body></html>",
    # Unicode whitespace of every kind between words, at the ends, alone
    "<html><body><p>\u00a0lead\u2003mid\u3000end\u202f</p><p>\x1c\x1f</p><p>a\u2028b\u2029c\u0085d</p>"
    "<div> \t\n </div><p>x\u200by</p></body></html>",
    # structure: headings, nested lists, a table with cells, markdown-ish bits
    "<html><head><title>T</title></head><body><h1>Title</h1><ul><li>one<ul><li>inner</li></ul></li>"
    "<li>two</li></ul><table><tr><th>h1</th><th>h2</th></tr><tr><td>a, b</td><td>c.</td></tr></table>"
    "<dl><dt>term</dt><dd>def</dd></dl><pre>  code\n  more</pre></body></html>",
    # attributes: empty, entity-bearing, hidden, aria, style, role, itemprop, namespaced tags
    "<html><body><div class='' id=''>e</div><div class='a&amp;b related-posts' id='x'>r</div>"
    "<div hidden>h</div><div aria-hidden='true' style='display: none'>s</div>"
    "<div role='main' itemprop='articleBody'>m</div><svg:rect class='nav'>v</svg:rect>"
    "<nav><p>menu, items.</p></nav><aside role='complementary'>side</aside><footer>f</footer>"
    "<div role='navigation'><p>more menu</p></div></body></html>",
    # scripts and styles (silent), iframes and objects (the cleaner removes them), links
    "<html><body><script>var a = 'x, y.';</script><style>p {}</style><p>Text with a "
    "<a href='/x'>link, here</a>.</p><iframe>frame text</iframe><object>obj</object>"
    "<noscript>ns</noscript></body></html>",
    # readability: misused divs, divs with runs of text and blocks, unlikely candidates
    "<html><body><div id='post'>" + "<br>".join(["The council met on Tuesday, and it agreed the budget."] * 4)
    + "<a href='/more'>more</a></div><div class='sidebar'><p>" + "Side text, long enough to count. " * 3
    + "</p></div><div id='wrap'><div>" + "A div of text, with commas, long enough to score. " * 3
    + "</div><p>Short sibling ending in a period.</p></div></body></html>",
    # a nav holding most of the page is kept; body with a role
    "<html><body role='navigation'><nav class='main-nav-wrapper'><article><p>"
    + "The whole article sits inside a navigation wrapper. " * 10 + "</p></article></nav></body></html>",
    # more distinct tag names than the compiled walk's table caches
    "<html><body>" + "".join(f"<x{k}>w{k}</x{k}>" for k in range(700)) + "</body></html>",
    # head metadata: repeated and valueless meta keys, JSON-LD in pieces, titles without text, links
    # without href, and elements beside the root element
    "<title>Before</title><html lang='en'><head><meta property='og:title' name='title' content='A &amp; B'>"
    "<meta name='title' content=''><meta name='description'><meta content='no key'><meta itemprop content='x'>"
    "<title></title><title>Second<b>bold</b>tail</title><link rel='canonical'><link rel='canonical' href='/c'>"
    "<link rel='canonical' href='/d'><script type='application/ld+json'>{\"@type\": \"NewsArticle\"}</script>"
    "<script type='application/ld+json'><!-- c -->[1]</script><script type='text/json'>{}</script></head>"
    "<body><p>Text.</p><meta name='author' content='in body'><svg:title>svg</svg:title></body></html>"
    "<script type='application/ld+json'>{\"after\": 1}</script><meta name='outside' content='o'>",
]

TAGS = ["div", "p", "span", "a", "li", "ul", "h2", "td", "tr", "table", "section", "nav", "aside", "footer",
        "script", "article", "br", "em", "figure", "figcaption", "header", "form", "blockquote", "pre"]
ATTRS = ["", " class='content'", " class='related share'", " id='comments'", " role='navigation'",
         " hidden", " style='visibility:hidden'", " class='ad'", " itemprop='articleBody'", " class='menu foot'"]
WORDS = ["The", "council,", "said", "(", ")", ".", "on", "Tuesday", "\u00a0", " ", "\n", "é", "中文", "&amp;",
         "<!-- x -->", "and", "it", "would", "build", "homes", "by", "2027."]


def _random_page(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randrange(1, 5)):
        if depth < 6 and rng.random() < 0.6:
            tag = rng.choice(TAGS)
            parts.append(f"<{tag}{rng.choice(ATTRS)}>{_random_page(rng, depth + 1)}</{tag}>")
        else:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 30))))
    return "".join(parts)


def _outputs(page: str):
    """What the HTML path makes of ``page``: the tree after pruning, the DOM facts, the render."""
    from lxml import etree

    from cleaner.lines.head import _Head

    root = html.parse(page)
    if root is None:
        return None
    h = _Head(root)
    head = (h.metas, list(h.metas), h.json_ld, h.title, h.canonical)
    html.prune_chrome(root)
    pruned = etree.tostring(root, encoding="unicode")
    body = root.find("body")
    facts = dom.DomFacts(body) if body is not None else None
    summary = None if facts is None else (facts.tree._replace(nodes=None), facts.best, sorted(facts.kept),
                                          list(facts.near), facts.page)
    render.clean_in_place(root)
    text, blocks, doms = render.render(root, facts)
    facts_of_lines = {i: (d.index, d.tag, d.depth, d.chars, d.link_chars, d.page_chars, d.near, d.side)
                      for i, d in doms.items()}
    return head, pruned, summary, (text, blocks, facts_of_lines), render.render(root, None, structure=False)


def _assert_same(page: str, monkeypatch) -> None:
    compiled = _outputs(page)
    with monkeypatch.context() as m:
        m.setattr(tree, "compiled", lambda: None)
        python = _outputs(page)
    assert compiled == python, page[:200]


@needs_walk
@pytest.mark.parametrize("page", PAGES)
def test_compiled_walks_match_the_python_twins_on_crafted_pages(page, monkeypatch):
    _assert_same(page, monkeypatch)


@needs_walk
def test_compiled_walks_match_the_python_twins_on_random_pages(monkeypatch):
    rng = random.Random(11)
    for _ in range(300):
        _assert_same(f"<html><body>{_random_page(rng)}</body></html>", monkeypatch)


@needs_walk
def test_compiled_word_scan_finds_what_the_regex_finds():
    words = [w for group in dom.CLASS_GROUPS.values() for w in group]
    rng = random.Random(3)
    for _ in range(20000):
        names = "".join(rng.choice(words + list("abcxyz019 -_é")) for _ in range(rng.randrange(1, 8)))
        expected = 0
        for g in dom._class_groups(names):
            expected |= 1 << dom.DOM_GROUPS.index(g)
        assert tree.compiled().word_bits(names, dom._WORD_TABLE) == expected, names


@needs_walk
def test_readabilitys_patterns_are_found_by_the_compiled_scan_as_by_its_regexes():
    words = [w for pattern in dom._READABILITY for w in pattern.pattern.split("|")]
    # case: re.IGNORECASE also reads the dotless i and the long s as ASCII, the dotted capital I as "i"
    odd = ["ı", "ſ", "İ", "\u212a", "é", "ß", "COMMENT", "Main", "\ufb06", "-", " ", "_"]
    rng = random.Random(5)
    for _ in range(20000):
        name = "".join(rng.choice(words + odd) for _ in range(rng.randrange(1, 6)))
        name = name.upper() if rng.random() < 0.3 else name
        expected = sum((p.search(name) is not None) << k for k, p in enumerate(dom._READABILITY))
        assert dom._readability_bits.__wrapped__(name) == expected, name


@needs_walk
def test_compiled_walks_refuse_what_is_not_an_lxml_element():
    with pytest.raises(TypeError, match="an lxml element"):
        tree.compiled().tree(object(), {}, 25)


@pytest.mark.shared
@needs_walk
def test_compiled_walks_match_the_python_twins_on_benchmark_pages(monkeypatch):
    from cleaner.train.bench_html import labelled_pages

    pages = labelled_pages(SHARED)
    for page, _ in list(pages.values())[:60]:
        _assert_same(page, monkeypatch)
