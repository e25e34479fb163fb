"""Bad input yields a clean result or a typed error naming the document, never a traceback."""
import json

import pytest

import cleaner
from cleaner.cli import cli
from cleaner.errors import InputError
from tests.conftest import ROOT

BAD = ROOT / "fixtures" / "bad"


@pytest.mark.parametrize("name,what", [("image.png", "PNG image"), ("document.pdf", "PDF document")])
def test_binary_input_is_a_typed_error_naming_the_document(name, what):
    doc = cleaner.RawDoc((BAD / name).read_bytes(), source=name)
    with pytest.raises(InputError, match=what) as e:
        cleaner.clean(doc)
    assert e.value.source == name


@pytest.mark.parametrize("name", ["empty.txt", "whitespace.txt"])
def test_empty_input_gives_an_empty_article(name):
    a = cleaner.clean((BAD / name).read_bytes())
    assert a.paragraphs == () and not a.is_article


@pytest.mark.parametrize("name,needle", [
    ("utf16-bom.txt", "The council said the report was late."),
    ("utf16-nobom.txt", "The council said the report was late."),
    ("invalid-utf8.txt", "Café story"),
    ("latin1-declared-utf8.html", "Le café de la république"),
    ("nul-bytes.txt", "Some text with a stray NUL byte"),
])
def test_awkward_encodings_decode_to_clean_text(name, needle):
    a = cleaner.clean((BAD / name).read_bytes())
    assert "\x00" not in a.text
    assert any(needle in d.text for d in a.lines)


def test_cli_keeps_going_after_a_bad_document(runner):
    r = runner.invoke(cli, ["clean", "--format", "jsonl", str(BAD / "image.png"), str(BAD / "utf16-bom.txt")])
    assert r.exit_code == 1
    out = [json.loads(ln) for ln in r.stdout.strip().splitlines()]
    assert len(out) == 2 and "error" in out[0] and "error" not in out[1]  # one record per input, in order
    err = [json.loads(ln) for ln in r.stderr.splitlines() if ln.startswith("{")]
    assert err[0]["source"].endswith("image.png") and err[0]["error"]["kind"] == "input"


def test_guards_turn_oversized_documents_into_input_errors(runner, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 5000)
    with pytest.raises(InputError, match="max_input_bytes"):
        cleaner.clean(cleaner.RawDoc(big.read_bytes(), source="big.txt"), options=cleaner.Options(max_input_bytes=1000))
    with pytest.raises(InputError, match="max_line_chars"):
        cleaner.clean(big.read_text(), options=cleaner.Options(max_line_chars=1000))
    ok = tmp_path / "ok.txt"
    ok.write_text("The council agreed its budget on Tuesday after a long debate.\n")
    r = runner.invoke(cli, ["clean", "--max-line-chars", "1000", str(big), str(ok)])
    assert r.exit_code == 1 and "agreed its budget" in r.stdout and "max_line_chars" in r.stderr


def test_a_million_short_lines_and_a_long_line_are_cleaned():
    a = cleaner.clean("x\n" * 1_000_000)
    assert isinstance(a.text, str)
    a = cleaner.clean(("The council met again today and agreed the budget. " * 20000))
    # a run-on line: cut into its sentences, the same sentence printed again and again kept once
    assert a.paragraphs == ("The council met again today and agreed the budget.",)


# Every file of the bad-input corpus through the CLI: what each one yields, record by record.
# "article": an article with text; "empty": an article with is_article false;
# (kind, needle): an error record of that kind whose message contains the needle.
ARTICLE, EMPTY = "article", "empty"
CORPUS = {
    "empty.txt": [EMPTY],
    "whitespace.txt": [EMPTY],
    "image.png": [("input", "PNG image")],
    "document.pdf": [("input", "PDF document")],
    "invalid-utf8.txt": [ARTICLE],
    "utf16-bom.txt": [ARTICLE],
    "utf16-nobom.txt": [ARTICLE],
    "latin1-declared-utf8.html": [ARTICLE],
    "nul-bytes.txt": [ARTICLE],
    "billion-laughs.html": [ARTICLE],
    "external-entity.html": [ARTICLE],
    "deep-nesting.html.gz": [("input", "nested too deeply")],
    "not-an-article.html": [EMPTY],
    "malformed.jsonl": [ARTICLE, ("input", "malformed JSON"), ("input", "not an object"),
                        ("input", "no string field"), ARTICLE],
    "broken-record.warc.gz": [ARTICLE, ("input", "")],
}


def _matches(rec: dict, want) -> bool:
    if isinstance(want, tuple):
        return "error" in rec and rec["error"]["kind"] == want[0] and want[1] in rec["error"]["message"]
    return "error" not in rec and rec["is_article"] == (want == ARTICLE)


def test_the_corpus_has_a_case_for_every_file():
    assert sorted([*CORPUS, "truncated.jsonl.gz"]) == sorted(p.name for p in BAD.iterdir() if p.name != "README.md")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_input_corpus_yields_one_clear_record_per_document(runner, name):
    r = runner.invoke(cli, ["clean", "--format", "jsonl", "--quiet", str(BAD / name)])
    assert "Traceback" not in r.output and (r.exception is None or isinstance(r.exception, SystemExit))
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert len(recs) == len(CORPUS[name])
    for rec, want in zip(recs, CORPUS[name]):
        assert _matches(rec, want), (rec.get("error"), want)
    assert r.exit_code == (1 if any(isinstance(w, tuple) for w in CORPUS[name]) else 0)
    for rec in recs:
        assert rec["source"].startswith(str(BAD / name))  # every record names its document


def test_truncated_gzip_keeps_the_documents_before_the_cut(runner):
    r = runner.invoke(cli, ["clean", "--format", "jsonl", "--quiet", str(BAD / "truncated.jsonl.gz")])
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert len(recs) > 100 and all("error" not in rec for rec in recs[:-1])
    assert recs[-1]["error"]["kind"] == "input" and "cannot read" in recs[-1]["error"]["message"]
    assert r.exit_code == 1


def test_entities_stay_unexpanded_in_the_corpus_files():
    laughs = cleaner.clean((BAD / "billion-laughs.html").read_bytes())
    assert "lollol" not in laughs.text and "council agreed its budget" in laughs.text and "]>" not in laughs.text
    xxe = cleaner.clean((BAD / "external-entity.html").read_bytes())
    assert "root:" not in xxe.text and "council agreed its budget" in xxe.text


def test_html_nested_100000_deep_is_an_input_error_naming_the_document():
    import gzip

    html = gzip.decompress((BAD / "deep-nesting.html.gz").read_bytes())
    with pytest.raises(InputError, match="nested too deeply") as e:
        cleaner.clean(cleaner.RawDoc(html, source="deep.html"))
    assert e.value.source == "deep.html"
    # Nesting below the parser's limit is walked without recursion: the text survives.
    deep = "<html><body>" + "<div>" * 1500 + "<p>The deep paragraph of the article.</p>" + "</div>" * 1500
    assert "The deep paragraph of the article." in [d.text for d in cleaner.clean(deep).lines]


def test_a_50_mb_line_is_refused_by_the_guard_and_the_run_goes_on(runner, tmp_path):
    big = tmp_path / "one-line.txt"
    big.write_bytes(b"a" * 50_000_000)
    ok = tmp_path / "ok.txt"
    ok.write_text("A short story about the council budget.\n")
    r = runner.invoke(cli, ["clean", "--format", "jsonl", "--quiet", str(big), str(ok)])
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert recs[0]["error"]["kind"] == "input" and "50,000,000 characters" in recs[0]["error"]["message"]
    assert recs[0]["source"] == str(big) and "error" not in recs[1] and r.exit_code == 1


def test_time_limit_turns_a_slow_document_into_an_error_record(runner, tmp_path):
    # about 0.6 s of work on this machine against a limit of 0.1 s; the short one takes a few ms (the
    # word lists the first document would load are loaded with the Cleaner, outside its limit)
    slow = "The council met again today and agreed the budget for next year.\n\n" * 150000
    with pytest.raises(cleaner.TimeLimitError, match="time_limit") as e:
        cleaner.clean(cleaner.RawDoc(slow, source="slow.txt"), options=cleaner.Options(time_limit=0.1))
    assert e.value.source == "slow.txt" and e.value.kind == "time_limit"
    (tmp_path / "slow.txt").write_text(slow)
    (tmp_path / "ok.txt").write_text("A short story about the council budget.\n")
    r = runner.invoke(cli, ["clean", "--format", "jsonl", "--quiet", "--time-limit", "0.1",
                            str(tmp_path / "slow.txt"), str(tmp_path / "ok.txt")])
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert recs[0]["error"]["kind"] == "time_limit" and "error" not in recs[1] and r.exit_code == 1


def test_a_callers_alarm_handler_is_back_after_each_document():
    import signal

    def callers(signum, frame):
        raise AssertionError("not expected to run")

    for before in (callers, signal.SIG_IGN, signal.SIG_DFL):
        signal.signal(signal.SIGALRM, before)
        try:
            cleaner.clean("The council agreed its budget on Tuesday.", options=cleaner.Options(time_limit=5))
            assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        finally:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_the_time_limit_holds_in_a_thread_too():
    """Off the main thread no alarm can be set; the deadline is checked between stages."""
    from concurrent.futures import ThreadPoolExecutor

    slow = "The council met again today and agreed the budget for next year.\n\n" * 60000
    with ThreadPoolExecutor(1) as pool:
        fut = pool.submit(cleaner.clean, slow, options=cleaner.Options(time_limit=0.05))
        with pytest.raises(cleaner.TimeLimitError):
            fut.result()


def test_the_first_document_of_a_process_does_not_pay_for_loading_the_word_lists():
    """The language identifier and word lists (about half a second) load with the Cleaner, not
    inside the first document's time limit (a fresh process: this one has them loaded)."""
    import subprocess
    import sys

    text = "\n\n".join(["The council met again on Tuesday and agreed the budget for next year after a long debate.",
                        "Members said the plan would protect libraries, parks and the bus routes that residents use."])
    code = f"import cleaner; print(cleaner.clean({text!r}, options=cleaner.Options(time_limit=0.1)).text)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "agreed the budget" in r.stdout


def test_the_line_guard_reads_a_pages_text_not_its_source():
    options = cleaner.Options(max_line_chars=1000)
    minified = ("<html><body><script>var data = '" + "x" * 5000 + "';</script>"
                "<p>The council agreed its budget on Tuesday after a long debate about roads.</p></body></html>")
    assert "agreed its budget" in cleaner.clean(minified, options=options).text  # one long source line
    with pytest.raises(InputError, match="max_line_chars"):
        cleaner.clean("<html><body><p>" + "word " * 500 + "</p></body></html>", options=options)


def test_control_characters_beside_pruned_or_cleaned_elements_do_not_fail_the_page():
    # lxml refuses to join text holding C0 controls, as pruning a nav or dropping a script does
    page = ("<html><body><nav>Home</nav>\x1c tail\x01 <script>x()</script>\x07after"
            "<p>The council agreed its budget on Tuesday after a long debate about roads.</p></body></html>")
    a = cleaner.clean(page)
    assert "agreed its budget" in a.text and not any(c in a.text for c in "\x01\x07\x1c")


def test_malformed_link_targets_and_urls_do_not_fail_the_document():
    # urlsplit refuses an unclosed IPv6 bracket: the host names read for the site name are none there
    dump = ("Council budget agreed\n\nThe council agreed its budget on Tuesday after a long debate about roads "
            "and the new homes to be built by 2027.\n\nHome <http://[abc/x> | News <http://[abc/y>\n")
    for url in (None, "http://[bad/page", "https://news.example.org/a"):
        a = cleaner.clean(dump, url=url)
        assert "agreed its budget" in a.text
    html = ("<html><body><a href='http://[abc/x'>Home</a><a href='http://[abc/y'>News</a>"
            "<p>The council agreed its budget on Tuesday after a long debate about roads.</p></body></html>")
    assert "agreed its budget" in cleaner.clean(html, url="http://[bad/page").text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogates_in_a_json_line_become_replacement_characters(runner, tmp_path, jobs):
    # JSON may escape half a UTF-16 pair alone ("\ud800"), which no UTF-8 output can hold: writing
    # such a record failed the run; now the half becomes U+FFFD, a whole pair stays a character
    story = "The council agreed its budget on Tuesday after a long debate about roads and new homes."
    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "a\\udc80", "url": "https://example.org/\\ud800", "text": "Budget \\ud83d\\ude00 day\\n\\n'
        + story + ' \\ud800 More."}\n' + json.dumps({"id": "b", "text": story}) + "\n")
    r = runner.invoke(cli, ["clean", "--format", "jsonl", "--quiet", "-j", jobs, str(path)])
    assert r.exit_code == 0, r.output
    first, second = (json.loads(ln) for ln in r.stdout.splitlines())
    assert (first["id"], first["url"]) == ("a\ufffd", "https://example.org/\ufffd")
    assert "\U0001f600" in first["title"] and "\ufffd More." in first["text"]
    assert second["id"] == "b" and story in second["text"]
    out = str(tmp_path / "out") + "/"
    r = runner.invoke(cli, ["clean", "--format", "text", "--quiet", "-j", jobs, str(path), "-o", out])
    assert r.exit_code == 0, r.output
    assert "\ufffd More." in (tmp_path / "out" / "docs-1.txt").read_text(encoding="utf-8")
