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
    ok.write_text("A short story.\n")
    r = runner.invoke(cli, ["clean", "--max-line-chars", "1000", str(big), str(ok)])
    assert r.exit_code == 1 and "A short story." in r.stdout and "max_line_chars" in r.stderr


def test_a_million_short_lines_and_a_long_line_are_cleaned():
    a = cleaner.clean("x\n" * 200_000)
    assert isinstance(a.text, str)
    a = cleaner.clean(("The council met again today and agreed the budget. " * 20000))
    assert a.paragraphs and len(a.paragraphs[0]) > 100_000
