import json
import subprocess
import sys

import pytest

import cleaner
from cleaner.types import Label
from tests.conftest import SEEDS


def test_wrong_type_is_one_clear_type_error():
    with pytest.raises(TypeError, match="str, bytes or cleaner.RawDoc"):
        cleaner.clean(42)


def test_empty_input_gives_empty_article():
    a = cleaner.clean("")
    assert a.paragraphs == () and a.text == "" and not a.is_article


def test_article_to_dict_is_plain_json():
    a = cleaner.clean((SEEDS / "004_382a58e98ad6cf3d.txt").read_text())
    d = json.loads(json.dumps(a.to_dict()))
    assert d["text"] == a.text and d["links"][0]["url"].startswith("https://")
    assert {l["label"] for l in d["lines"]} <= {x.value for x in Label}
    assert all(0.0 <= l["score"] <= 1.0 for l in d["lines"])


@pytest.mark.parametrize("seed", ["002_10c0174398e5838b.txt", "004_382a58e98ad6cf3d.txt"])
def test_one_decision_per_input_line(seed):
    text = (SEEDS / seed).read_text()
    a = cleaner.clean(text)
    nonblank = [i for i, ln in enumerate(text.split("\n"), 1) if ln.strip()]
    assert [d.first for d in a.lines] == nonblank
    assert all(d.first == d.last for d in a.lines)


def test_line_decisions_are_worked_out_when_read_and_behave_as_a_tuple():
    import pickle

    text = (SEEDS / "004_382a58e98ad6cf3d.txt").read_text()
    a, b = cleaner.clean(text), cleaner.clean(text)
    assert a.lines._items is None  # nothing built until read: a run writing the text never pays for them
    as_tuple = tuple(a.lines)
    assert len(a.lines) == len(as_tuple) and a.lines[0] == as_tuple[0] and a.lines[-2:] == as_tuple[-2:]
    assert a.lines == as_tuple and a == b and hash(a.lines) == hash(as_tuple) and repr(a.lines) == repr(as_tuple)
    again = pickle.loads(pickle.dumps(b))  # to and from a worker process: as the tuple it stands for
    assert type(again.lines) is tuple and again == a


def test_iter_clean_streams_in_order():
    docs = [(SEEDS / f).read_text() for f in sorted(p.name for p in SEEDS.iterdir())]
    it = cleaner.iter_clean(iter(docs))
    first = next(it)
    assert first.title.startswith("Majority")
    assert len(list(it)) == 4


def test_import_is_light():
    code = ("import sys, cleaner; bad = [m for m in ('click', 'cleaner.cli', 'cleaner.train', 'lxml', "
            "'trafilatura', 'bs4', 'wordfreq') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("bad", [{"body_threshold": 1.5}, {"body_threshold": "0.5"}, {"min_body_chars": -1},
                                 {"min_body_chars": 2.5}, {"smoothing": -0.1}, {"max_input_bytes": 0},
                                 {"max_line_chars": True}, {"time_limit": -1}, {"site_memory": "yes"},
                                 {"split_glued_words": None}, {"kind": "pdf"}])
def test_options_out_of_range_are_refused_naming_the_option(bad):
    (name,) = bad
    with pytest.raises(ValueError, match=f"Options.{name} must be"):
        cleaner.Options(**bad)


def test_options_in_range_are_taken():
    import numpy as np

    opts = cleaner.Options(body_threshold=np.float32(0.4), min_body_chars=np.int64(3), time_limit=None, kind="html",
                           smoothing=0)
    assert (opts.min_body_chars, opts.kind) == (3, "html")


@pytest.mark.parametrize("doc,kw,says", [
    ("The council met.", {"url": 123}, "url must be a str or None, not int"),
    ("The council met.", {"url": b"https://example.org/"}, "url must be a str or None, not bytes"),
    (cleaner.RawDoc("The council met.", url=5), {}, "url must be a str or None, not int"),
    (cleaner.RawDoc(123), {}, "content must be str or bytes, not int")])
def test_a_url_or_content_of_the_wrong_type_is_named_at_the_front_door(doc, kw, says):
    with pytest.raises(TypeError, match=says):
        cleaner.clean(doc, **kw)
