from cleaner.lines.text import to_lines
from cleaner.rules import apply_rules, comment_section_start, drop_comments

PROSE = "The council agreed its budget on Tuesday after a long debate about roads and schools."
MORE = "Spending on schools rises by four per cent, while road repairs get an extra two million pounds."


def run(text: str, body: list[bool]):
    lines = to_lines(text)
    assert len(lines) == len(body)
    reasons = apply_rules(lines, body, "en")
    return body, reasons


def test_call_to_action_lines_and_their_teaser_headline():
    text = f"{PROSE}\n\nLabour fears cuts to services\n\nRead more\n\n{MORE}"
    body, reasons = run(text, [True, True, True, True])
    assert body == [True, False, False, True]
    assert reasons[2] == "rule: call-to-action words only"
    assert reasons[1] == "rule: headline of a teaser link"


def test_repeated_label_and_byline_of_another_story():
    text = (f"CHILDREN AND YOUNG PEOPLE\n\n{PROSE}\n\nCHILDREN AND YOUNG PEOPLE\n\n{MORE}\n\n"
            "CHILDREN AND YOUNG PEOPLE\n\nBy Ann Example | 05 February 2025\n")
    body, reasons = run(text, [False] + [True] * 5)
    assert body == [False, True, False, True, False, False]
    assert reasons[2] == reasons[4] == "rule: short line repeated in the page"
    assert "byline of another story" in reasons[5]


def test_a_subheading_repeated_only_inside_the_body_is_kept():
    # a plan by days, each under the same headings; none of them beside the article
    text = "Menu\n\n" + "".join(f"Breakfast\n\n{a}\n\nLunch\n\n{b}\n\n" for a, b in (
        (PROSE, MORE), ("Oats with berries and a spoon of yoghurt, eaten an hour before the workout.",
                        "A salad of tomatoes, cucumber and feta with a little olive oil and some bread.")))
    body, reasons = run(text, [False] + [True] * 8)
    assert body == [False] + [True] * 8 and not reasons


def test_prompt_after_furniture_and_click_here():
    text = f"{PROSE}\n\nWould you like to write for us? If so, click here.\n\nThere are no comments. Why not be the first?\n"
    body, reasons = run(text, [True, True, True])
    assert body == [True, False, False]
    assert reasons[2] == "rule: prompt following page furniture"


def test_prose_is_left_alone():
    text = f"{PROSE}\n\nImportance of leadership\n\n{MORE}"
    body, reasons = run(text, [True, True, True])
    assert body == [True, True, True] and reasons == {}


def test_best_run_is_kept_only_when_the_sequence_pass_left_no_body():
    from cleaner.rules import keep_best_run

    text = f"Home\n\nNews\n\n{PROSE}\n\n{MORE}\n\nContact us\n\nTerms"
    lines = to_lines(text)
    scores = [0.1, 0.2, 0.8, 0.6, 0.3, 0.1]
    body = [False] * 6
    reasons = keep_best_run(scores, body, lines, 0.5)
    assert body == [False, False, True, True, False, False] and set(reasons) == {2, 3}
    body = [False, False, False, True, False, False]  # some body left: nothing to rescue
    assert keep_best_run(scores, body, lines, 0.5) == {} and body.count(True) == 1


def test_best_run_replaces_a_body_of_short_labels_only():
    """A one-paragraph post among a sidebar: the sequence pass outvoted the paragraph and let a run
    of the sidebar's short lines through; with no prose in the body, the model's best run holding
    prose is the article."""
    from cleaner.rules import keep_best_run

    lines = to_lines(f"Home\n\n{PROSE}\n\nComments (0)\n\nWebsite\n\nHello stranger, let's connect\n\nFollow me")
    scores = [0.1, 0.76, 0.0, 0.66, 0.8, 0.6]
    body = [False, False, False, True, True, True]
    reasons = keep_best_run(scores, body, lines, 0.5)
    assert body == [False, True, False, False, False, False] and set(reasons) == {1, 3, 4, 5}
    assert reasons[4] == "rule: short line without body prose, the model's best run kept instead"
    body = [False, True, False, True, True, True]  # the paragraph is body: the labels are left to the rules
    assert keep_best_run(scores, body, lines, 0.5) == {} and body.count(True) == 4


def test_best_run_below_the_threshold_is_cut_at_half_the_best_score():
    from cleaner.rules import keep_best_run

    lines = to_lines(f"Home\n\nNews\n\n{PROSE}\n\n{MORE}\n\nContact us\n\nTerms")
    body = [False] * 6
    reasons = keep_best_run([0.02, 0.05, 0.3, 0.2, 0.05, 0.01], body, lines, 0.5)  # unsure everywhere
    assert body == [False, False, True, True, False, False] and set(reasons) == {2, 3}
    body = [False] * 6
    assert keep_best_run([0.02, 0.05, 0.08, 0.06, 0.05, 0.01], body, lines, 0.5) == {}  # nothing article-like


def test_best_run_without_prose_is_not_kept():
    from cleaner.rules import keep_best_run

    lines = to_lines("Home\n\nLatest news\n\nContact")
    body = [False] * 3
    assert keep_best_run([0.2, 0.9, 0.1], body, lines, 0.5) == {} and not any(body)


def test_the_best_run_holding_prose_is_kept_when_a_list_of_headlines_outscores_it():
    from cleaner.rules import keep_best_run

    headlines = "\n\n".join(["Stimulus deal may be possible", "Markets slide at the open", "Oil steadies",
                              "Fed holds rates", "Tech stocks rally"])
    lines = to_lines(f"{headlines}\n\nHome\n\nMenu\n\nSearch\n\n{PROSE}\n\nContact")
    scores = [0.7, 0.7, 0.7, 0.7, 0.7, 0.0, 0.0, 0.0, 0.9, 0.1]  # the headlines' run sums higher, without a sentence
    body = [False] * 10
    reasons = keep_best_run(scores, body, lines, 0.5)
    assert body == [False] * 8 + [True, False] and set(reasons) == {8}


def test_a_second_copy_of_body_text_is_dropped():
    from cleaner.rules import drop_repeated_text

    first = "The council agreed its budget on Tuesday after a long debate about roads and schools."
    second = "Spending on schools rises by four per cent, while road repairs get an extra two million pounds."
    lines = to_lines(f"{first}\n\n{second}\n\n{first} {second}\n\nA new paragraph about the leader and the wards.")
    body = [True] * 4
    reasons = drop_repeated_text(lines, body)
    assert body == [True, True, False, True] and "repeats text" in reasons[2]
    # where HTML's element rules judge copies by where they sit, apply_rules leaves them
    body = [True] * 4
    assert apply_rules(lines, body, "en", repeated_text=False) == {} and all(body)
    assert "repeats text" in apply_rules(lines, [True] * 4, "en")[2]


def test_comment_section_is_dropped_from_its_heading_on():
    text = (f"{PROSE}\n\n{MORE}\n\n10 Comments\n\nGary M on September 17, 2018 at 8:50 pm said:\n\n"
            f"I skimmed your report and did not see any analysis of the roads budget at all.\n\n"
            f"joetoronto says:\n\nIt is time the council came to grips with reality, it is over yet again.")
    lines = to_lines(text)
    body = [True] * len(lines)
    start, reasons = drop_comments(lines, body)
    assert start == 2 and body == [True, True] + [False] * 5
    assert set(reasons) == {2, 3, 4, 5, 6} and all(r == "rule: comment section" for r in reasons.values())


def test_a_quote_lead_in_is_not_a_comment_section():
    one = to_lines(f"{PROSE}\n\nIn a statement, the minister said:\n\n{MORE}")
    assert comment_section_start(one) is None  # one line, and not a name or a time
    two = to_lines(f"In a statement, the council's long-serving finance minister said:\n\n{PROSE}\n\n"
                   f"Her deputy, who chairs the roads committee, said:\n\n{MORE}")
    assert comment_section_start(two) is None


def test_the_call_to_action_test_finds_what_the_pattern_finds():
    import random

    from cleaner.rules import CALL_TO_ACTION, _may_call_to_action

    rng = random.Random(3)
    pieces = ["click", "CLICK", "tap", "here", "HeRe", "sign", "up", "Sign Up", "subscribe", "SUBSCRIBE", "now", "to",
              "for", " ", "  ", "\t", ".", "x", "clickhere", "h\u0130re", "\u017fubscribe", "\u212aick", "é", "there",
              "where", "signup"]
    passed = found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        may, match = _may_call_to_action(text), CALL_TO_ACTION.search(text) is not None
        assert may or not match, text  # (what it rules out, the pattern does not find)
        passed, found = passed + may, found + match
    assert found >= 5 and passed < 15000, (found, passed)


def test_only_four_characters_outside_ascii_fold_onto_the_call_to_action_words():
    import re
    import sys

    from cleaner.rules import _CALL_TO_ACTION_WORDS, _FOLDING_ONTO_ASCII, CALL_TO_ACTION

    letters = set(re.sub(r"[^a-z]", "", CALL_TO_ACTION.pattern.replace("\\b", "")))
    assert set("".join(_CALL_TO_ACTION_WORDS).replace(" ", "")) <= letters
    folds = re.compile("(?i)[" + "".join(sorted(letters)) + "]")
    found = {chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and folds.match(chr(c))}
    assert found == set(_FOLDING_ONTO_ASCII)


def test_a_dump_line_of_link_text_points_elsewhere():
    from cleaner.rules import LINK_TEXT, drop_link_text

    text = (f"{PROSE} It was [reported here](https://example.org/budget) first.\n\n"
            "Read more: [Council tax to rise by four per cent next April](https://example.org/tax)\n\n"
            f"{MORE}")
    lines = to_lines(text)
    assert lines[1].anchor_chars > 0.8 * len(lines[1].text) and 0 < lines[0].anchor_chars < len(lines[0].text) / 2
    body = [True] * 3
    assert drop_link_text(lines, body) == {1: LINK_TEXT} and body == [True, False, True]
