import bz2
import io
import gzip
import json
import lzma

import pytest

from cleaner.cli import cli
from cleaner.io.readers import Fields, ReadFailure, iter_docs

STORY = "The council agreed its budget on Tuesday after a long debate about roads and schools."
LINES = [json.dumps({"id": "a", "url": "https://example.org/a", "text": f"Headline\n\n{STORY}"}),
         "{not json", json.dumps({"id": "c", "body": STORY}), json.dumps([1, 2])]


@pytest.mark.parametrize("pack", [lambda b: b, gzip.compress, bz2.compress, lzma.compress],
                         ids=["plain", "gzip", "bz2", "xz"])
def test_jsonl_any_compression_by_content(tmp_path, pack):
    path = tmp_path / "docs.bin"  # the name says nothing; the bytes do
    path.write_bytes(pack(("\n".join(LINES) + "\n").encode()))
    out = list(iter_docs([str(path)]))
    assert [type(d).__name__ for d in out] == ["RawDoc", "ReadFailure", "ReadFailure", "ReadFailure"]
    assert (out[0].id, out[0].url) == ("a", "https://example.org/a")
    assert out[1].source.endswith(":2") and "malformed JSON" in out[1].message


def test_configurable_fields(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"uid": 5, "link": "https://x.org/", "body": STORY}) + "\n")
    (doc,) = iter_docs([str(path)], Fields(text="body", url="link", id="uid"))
    assert (doc.id, doc.url, doc.content) == ("5", "https://x.org/", STORY)


def test_truncated_gzip_is_a_failure_record(tmp_path):
    path = tmp_path / "t.gz"
    path.write_bytes(gzip.compress(("\n".join(LINES * 200)).encode())[:200])
    out = list(iter_docs([str(path)]))
    assert isinstance(out[-1], ReadFailure) and "cannot read" in out[-1].message


def test_cli_writes_one_record_per_input_line_in_order(runner, tmp_path):
    path = tmp_path / "d.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(LINES) + "\n").encode()))
    r = runner.invoke(cli, ["clean", str(path), "--format", "jsonl"])
    assert r.exit_code == 1
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert len(recs) == 4 and recs[0]["id"] == "a" and recs[0]["url"] == "https://example.org/a"
    assert [("error" in rec) for rec in recs] == [False, True, True, True]


def _warc(tmp_path, broken: bool = False):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        html = f"<html><body><h1>A headline about councils</h1><p>{STORY}</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.org/a", "response", payload=BytesIO(html),
                                            http_headers=headers))
        w.write_record(w.create_warc_record("https://example.org/b", "conversion",
                                            payload=BytesIO(f"A headline about councils\n\n{STORY}\n".encode())))
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://example.org/c.png", "response", payload=BytesIO(b"\x89PNG"),
                                            http_headers=img))
    if broken:
        path.write_bytes(path.read_bytes() + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nshort")
    return path


def test_warc_and_wet_records(tmp_path):
    docs = list(iter_docs([str(_warc(tmp_path))]))
    assert [d.url for d in docs] == ["https://example.org/a", "https://example.org/b"]
    import cleaner

    assert [cleaner.clean(d).text for d in docs] == [STORY, STORY]


def test_broken_warc_record_is_a_failure_after_the_good_ones(tmp_path):
    docs = list(iter_docs([str(_warc(tmp_path, broken=True))]))
    assert [type(d).__name__ for d in docs[:2]] == ["RawDoc", "RawDoc"]
    assert isinstance(docs[-1], ReadFailure)


def test_wet_and_gzipped_jsonl_from_stdin_to_stdout(runner, tmp_path):
    """The README's one-liners: `cleaner clean - < crawl.warc.wet.gz` and `zcat x.jsonl.gz | cleaner clean -`
    (here the gzip itself on stdin: compression is recognised by content)."""
    wet = _warc(tmp_path).read_bytes()
    r = runner.invoke(cli, ["clean", "-", "--format", "jsonl", "--quiet"], input=wet)
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert r.exit_code == 0 and [rec["url"] for rec in recs] == ["https://example.org/a", "https://example.org/b"]
    assert all(rec["text"] == STORY for rec in recs)
    packed = gzip.compress(("\n".join(LINES[:1] + LINES[2:3]) + "\n").encode())
    r = runner.invoke(cli, ["clean", "-", "--format", "jsonl", "--quiet"], input=packed)
    recs = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [rec.get("id") for rec in recs] == ["a", "c"] and STORY in recs[0]["text"] and "error" in recs[1]


def test_deferred_json_lines_parse_to_the_same_documents_and_failures(tmp_path):
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(LINES) + "\n\n").encode()))
    deferred = list(iter_docs([str(path)], defer_json=True))
    assert [type(d).__name__ for d in deferred] == ["JsonLine"] * 4
    assert [d.parse() for d in deferred] == list(iter_docs([str(path)]))
    assert [d.source for d in deferred] == [d.source for d in iter_docs([str(path)])]


def test_jsonl_behind_a_byte_order_mark_is_read_as_jsonl_whatever_its_name(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join([LINES[0], LINES[0]]) + "\n").encode())
    out = list(iter_docs([str(path)]))
    assert [(d.id, d.url) for d in out] == [("a", "https://example.org/a")] * 2


def test_input_progress_counts_the_bytes_read_up_to_the_inputs_total(tmp_path):
    from cleaner.io.readers import InputProgress

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl.gz").write_bytes(gzip.compress(("\n".join([LINES[0]] * 50) + "\n").encode()))
    (tmp_path / "b.jsonl").write_text("\n".join([LINES[0]] * 30) + "\n")
    inputs = (str(tmp_path / "in"), str(tmp_path / "b.jsonl"))
    progress = InputProgress(inputs)
    assert progress.total == sum(p.stat().st_size for p in (tmp_path / "in" / "a.jsonl.gz", tmp_path / "b.jsonl"))
    seen = [progress.done for _ in iter_docs(inputs, progress=progress)]
    assert len(seen) == 80 and seen == sorted(seen) and 0 < seen[0] and seen[-1] <= progress.total
    assert progress.done == progress.total
    assert InputProgress(["-", str(tmp_path / "b.jsonl")]).total is None  # stdin's size is unknown


def test_the_progress_bar_shows_the_time_left_when_the_size_is_known(tmp_path, monkeypatch):
    import io

    from cleaner.cli import _Progress, _Tally
    from cleaner.io.readers import InputProgress

    path = tmp_path / "b.jsonl"
    path.write_text("\n".join([LINES[0]] * 400) + "\n")
    for inputs, shows in (([str(path)], "<"), (["-"], " doc")):
        err = io.StringIO()
        monkeypatch.setattr("sys.stderr", err)
        reading = InputProgress(inputs)
        bar, tally = _Progress(reading), _Tally()
        docs = iter_docs([str(path)], progress=reading) if inputs != ["-"] else iter(LINES[:1] * 3)
        for _ in docs:
            tally.add(10, {})
            bar.update(tally)
        bar.close()
        assert shows in err.getvalue() and "failed" in err.getvalue(), err.getvalue()


def test_a_quoted_glob_pattern_reads_the_files_it_matches_in_order(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.jsonl", "a.jsonl", "sub/c.jsonl", "skip.txt"):
        (tmp_path / name).write_text(json.dumps({"id": name, "text": STORY}) + "\n")
    ids = [d.id for d in iter_docs([str(tmp_path / "*.jsonl")])]
    assert ids == ["a.jsonl", "b.jsonl"]
    assert [d.id for d in iter_docs([str(tmp_path / "**" / "*.jsonl")])] == ["a.jsonl", "b.jsonl", "sub/c.jsonl"]
    (missing,) = iter_docs([str(tmp_path / "*.warc")])
    assert isinstance(missing, ReadFailure) and "no file matches" in missing.message


def test_a_record_far_past_the_size_limit_is_refused_unread_and_the_next_one_read(tmp_path):
    from warcio.warcwriter import WARCWriter

    story = json.dumps({"id": "ok", "text": STORY})
    jsonl = tmp_path / "docs.jsonl.gz"
    jsonl.write_bytes(gzip.compress(("\n".join([json.dumps({"id": "huge", "text": "x" * 700_000}), story]) + "\n").encode()))
    (tmp_path / "big.txt").write_bytes(b"y" * 250_000)
    (tmp_path / "near.txt").write_bytes(b"z" * 150_000)  # past the limit, within twice it: read, the guard names it
    warc = tmp_path / "crawl.warc"
    with open(warc, "wb") as f:
        w = WARCWriter(f, gzip=False)
        for body in (b"w" * 250_000, STORY.encode()):
            w.write_record(w.create_warc_record("https://example.org/a", "conversion", payload=io.BytesIO(body)))
    got = list(iter_docs([str(jsonl), str(tmp_path / "big.txt"), str(tmp_path / "near.txt"), str(warc)],
                         max_bytes=100_000))
    assert [type(d).__name__ for d in got] == ["ReadFailure", "RawDoc", "ReadFailure", "RawDoc", "ReadFailure", "RawDoc"]
    assert "a JSON line of more than 665,536 bytes, not read" in got[0].message and got[1].id == "ok"
    assert "an input of more than 200,000 bytes" in got[2].message and len(got[3].content) == 150_000
    assert "a record of more than 200,000 bytes" in got[4].message and got[5].content == STORY.encode()
    assert all("--max-bytes" in d.message for d in got if isinstance(d, ReadFailure))
    assert [d.id for d in iter_docs([str(jsonl)])] == ["huge", "ok"]  # no limit given: any size


def test_a_warc_responses_header_charset_decodes_a_page_detection_would_misread(tmp_path):
    # a short KOI8-R page declaring its charset only in the HTTP header: detection reads it as
    # something else; the header's charset (before the page's meta, after valid UTF-8) reads it right
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    import cleaner

    page = "<html><body><h1>Новости</h1><p>Городской совет утвердил бюджет на год.</p></body></html>"
    warc = tmp_path / "crawl.warc"
    with open(warc, "wb") as f:
        w = WARCWriter(f, gzip=False)
        for ctype, body in (("text/html; charset=KOI8-R", page.encode("koi8-r")),
                            ('text/html; Charset="koi8-r"', page.encode("utf-8"))):  # valid UTF-8 outranks it
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record("https://example.ru/a", "response", payload=io.BytesIO(body),
                                                http_headers=headers))
    docs = list(iter_docs([str(warc)]))
    assert [d.charset for d in docs] == ["KOI8-R", "koi8-r"]
    assert all("Городской совет" in cleaner.clean(d).text for d in docs)
