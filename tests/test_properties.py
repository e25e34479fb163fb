"""Property tests: random and adversarial text never crashes the cleaner."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner

ADVERSARIAL = st.sampled_from(["<", "[", "]", "(", ")", "*", "_", "#", ">", " ", "\n", ".", "…", "\u00a0",
                               "<https://x.org/a>", "[1]", "](u)", "**", "By ", "|", "\t", "\r\n", "Ofsted"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_gives_an_article(text):
    a = cleaner.clean(text)
    assert isinstance(a.text, str)
    assert all(0.0 <= d.score <= 1.0 for d in a.lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ADVERSARIAL, max_size=300).map("".join))
def test_markup_soup_gives_an_article(text):
    a = cleaner.clean(text)
    assert "<https://" not in a.text


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_an_article_or_an_input_error(data):
    try:
        cleaner.clean(data)
    except cleaner.InputError as e:
        assert e.source == "<bytes>"


RUN_CHARS = st.sampled_from(["<", "[", "]", " ", ".", "*", "_", "-", "#", "|", ">", "(", "a", "\n", "&", "!"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(RUN_CHARS, st.integers(1, 100_000)), min_size=1, max_size=4),
       st.sampled_from(["", "The council agreed its budget on Tuesday after a long debate about roads.\n\n"]))
def test_long_runs_of_one_character_give_an_article(runs, prose):
    """Long runs of markup characters, spaces or punctuation (the inputs that make a backtracking
    regex explode) clean like any text; benchmarks/adversarial_scaling.py times them."""
    text = prose + "".join(ch * n for ch, n in runs) + "\n\n" + prose
    a = cleaner.clean(text)
    assert isinstance(a.text, str) and all(0.0 <= d.score <= 1.0 for d in a.lines)
