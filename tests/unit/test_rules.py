from cleaner.lines.text import to_lines
from cleaner.rules import apply_rules

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
    text = (f"{PROSE}\n\nCHILDREN AND YOUNG PEOPLE\n\n{MORE}\n\nCHILDREN AND YOUNG PEOPLE\n\n"
            "By Ann Example | 05 February 2025\n")
    body, reasons = run(text, [True] * 5)
    assert body == [True, False, True, False, False]
    assert "byline of another story" in reasons[4]


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


def test_best_run_without_prose_is_not_kept():
    from cleaner.rules import keep_best_run

    lines = to_lines("Home\n\nLatest news\n\nContact")
    body = [False] * 3
    assert keep_best_run([0.2, 0.9, 0.1], body, lines, 0.5) == {} and not any(body)


def test_a_second_copy_of_body_text_is_dropped():
    from cleaner.rules import drop_repeated_text

    first = "The council agreed its budget on Tuesday after a long debate about roads and schools."
    second = "Spending on schools rises by four per cent, while road repairs get an extra two million pounds."
    lines = to_lines(f"{first}\n\n{second}\n\n{first} {second}\n\nA new paragraph about the leader and the wards.")
    body = [True] * 4
    reasons = drop_repeated_text(lines, body)
    assert body == [True, True, False, True] and "repeats text" in reasons[2]
