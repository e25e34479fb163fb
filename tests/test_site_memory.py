import pytest

import cleaner
from cleaner import Options, RawDoc
from cleaner.site_memory import MIN_CHARS, SiteMemory, line_keys, site_of

FOOTER = "Our journalism is funded by readers like you, and we are grateful for every single contribution made."


def page(n: int) -> str:
    body = "\n\n".join(
        f"Paragraph {k} of story {n}: the council met on Tuesday and agreed a budget for the coming year, "
        f"with spending on roads and schools up by {k + n} per cent." for k in range(6))
    return f"Story number {n} about the council\n\n{body}\n\n{FOOTER}\n"


def footer_labels(articles):
    return [next(d.label.value for d in a.lines if d.text == FOOTER) for a in articles]


def test_recurring_line_becomes_chrome_after_enough_pages_of_one_site():
    docs = [RawDoc(page(n), source=f"p{n}", url=f"https://www.example.org/story/{n}") for n in range(5)]
    labels = footer_labels(cleaner.iter_clean(docs))
    assert labels[:3] == ["body"] * 3 and labels[3:] == ["chrome"] * 2


def test_same_line_on_another_site_is_not_held_against_it():
    docs = [RawDoc(page(n), source=f"p{n}", url=f"https://www.example.org/story/{n}") for n in range(4)]
    docs.append(RawDoc(page(9), source="other", url="https://another.example.net/a"))
    assert footer_labels(cleaner.iter_clean(docs))[-1] == "body"


def test_memory_off_and_single_clean_have_none():
    docs = [RawDoc(page(n), source=f"p{n}", url=f"https://example.org/{n}") for n in range(5)]
    assert set(footer_labels(cleaner.iter_clean(docs, options=Options(site_memory=False)))) == {"body"}


def test_memory_is_bounded():
    m = SiteMemory(max_sites=3, max_lines=10)
    for s in range(10):
        m.add(f"site{s}", [f"a line of text number {i}" for i in range(50)])
    assert len(m._sites) == 3 and all(len(c) <= 10 for c in m._sites.values())
    m = SiteMemory(max_total=100)  # a ceiling over all sites, the least recently seen go first
    for s in range(10):
        m.add(f"site{s}", [f"a line of text number {i}" for i in range(30)])
    assert list(m._sites) == ["site7", "site8", "site9"] and m._total == sum(map(len, m._sites.values())) == 90


def test_site_key():
    assert site_of("https://www.example.org/a?b") == "example.org"
    assert site_of(None) is None and site_of("not a url") is None


def test_a_page_learned_by_its_line_keys_is_remembered_as_by_its_lines():
    """A parallel run's workers send the lines' keys, not the lines: the memory is the same."""
    pages = [[FOOTER, "Share", f"Story {n} of the council, one of many", FOOTER] for n in range(4)]
    by_text, by_key = SiteMemory(min_pages=2), SiteMemory(min_pages=2)
    for lines in pages:
        by_text.add("example.org", lines)
        by_key.add_keys("example.org", line_keys(lines))
    assert by_text._sites == by_key._sites and by_text._total == by_key._total
    keys = line_keys(pages[0])
    assert keys[1] is None and len("Share") < MIN_CHARS  # too short to count
    assert by_text.recurring("example.org", pages[0]) == {FOOTER: 4}
    assert by_key.recurring_keys("example.org", keys) == {keys[0]: 4}


def test_a_full_site_keeps_its_commonest_lines_the_first_seen_of_equal_counts():
    m = SiteMemory(min_pages=1, max_lines=6)
    m.add("example.org", [f"a line seen on two pages {i}" for i in range(4)])
    m.add("example.org", [f"a line seen on two pages {i}" for i in (2, 3)] + [f"a line seen once only {i}" for i in range(3)])
    # seven distinct lines: the three of two pages stay, then the first of one page (in the order first seen)
    kept = m.recurring("example.org", [f"a line seen on two pages {i}" for i in range(4)] + ["a line seen once only 0"])
    assert kept == {"a line seen on two pages 2": 2, "a line seen on two pages 3": 2, "a line seen on two pages 0": 1}
    with pytest.raises(ValueError, match="min_pages"):
        SiteMemory(min_pages=0)
