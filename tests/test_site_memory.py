import cleaner
from cleaner import Options, RawDoc
from cleaner.site_memory import SiteMemory, site_of

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
