from cleaner.lines.unwrap import continues, group_lines, wrap_width

WRAPPED = """Too many vulnerable children face clear and present risk of harm because of
serious failings in council child protection departments, inspectors have said
this week in a report.

Short heading

More than a quarter of councils were judged inadequate by inspectors, with
three-quarters in total rated as less than good, according to the latest
annual report on social care.

The head of the inspectorate described the findings as unacceptable, saying
the child protection system was permeated by widespread levels of mediocre
provision.
""".split("\n")


def test_wrap_width_found_on_wrapped_dump():
    assert wrap_width(WRAPPED) in range(75, 81)


def test_width_is_found_beside_many_links_pushed_onto_their_own_lines():
    teasers = []
    for k in range(30):  # a "most viewed" box: each title, then its link target on the next line
        teasers += [f"Story number {k} in the box", f"<http://example.com/story{k}?source=most_viewed>", ""]
    assert wrap_width(teasers + WRAPPED) in range(75, 81)


def test_unwrapped_dump_has_no_width():
    lines = ["A paragraph that goes on " * 8, "", "Another one " * 20, "", "Home", "News", "x" * 50]
    assert wrap_width(lines) is None


def test_full_line_continues_short_line_does_not():
    assert continues("x " * 39 + "end", "next words here", 80)
    assert not continues("Short heading", "More text follows here", 80)


def test_url_alone_joins_its_anchor_and_lowercase_continues_after_it():
    assert continues("see the Ofsted", "<https://example.org/a>", None)
    assert continues("taken over <https://example.org/" + "x" * 80 + ">", " by a team", 79)
    assert not continues("Read more <https://example.org/" + "x" * 80 + ">", "In poor areas", 79)


def test_groups_keep_headings_and_blank_lines():
    groups = group_lines(WRAPPED, wrap_width(WRAPPED))
    assert [(a, b) for a, b, _ in groups] == [(0, 2), (4, 4), (6, 8), (10, 12)]
    assert [blank for _, _, blank in groups] == [False, True, True, True]


def test_list_items_stay_separate():
    lines = ["* first item that is long enough to reach the wrap width of this dump ok",
             "* second item"] * 3
    assert all(a == b for a, b, _ in group_lines(lines, 76))


def test_number_carried_over_by_the_filler_continues_but_a_numbered_list_does_not():
    full = "   " + "word " * 12 + "on Dec."      # filled to the width (72)
    assert continues(full, "   12. (ITV via AP)]", 72)
    assert not continues("   A short line.", "   12. Twelfth item", 72)           # not filled
    assert not continues(full, "     2. Second item", 72)                       # indented deeper
    assert not continues("   1. " + "word " * 13 + "x", "   2. Second item", 72)  # after an item
    assert not continues(full, "   12. Twelfth item", None)                     # no wrap width
