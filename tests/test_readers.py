import bz2
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
