import json

from cleaner.cli import cli
from tests.conftest import SEEDS

SEED = str(SEEDS / "000_07011d713e85e03d.txt")


def test_clean_file_prints_title_and_body(runner):
    r = runner.invoke(cli, ["clean", SEED])
    assert r.exit_code == 0, r.output
    first = r.stdout.split("\n\n")
    assert first[0] == "Majority of children services in need of improvement, Ofsted warns"
    assert "Read more" not in r.stdout


def test_stdin_to_jsonl(runner):
    r = runner.invoke(cli, ["clean", "-", "--format", "jsonl"], input=(SEEDS / "003_d520fb0fac2a931b.txt").read_bytes())
    assert r.exit_code == 0
    rec = json.loads(r.stdout.strip())
    assert rec["title"] == "Ofsted warning about child services" and rec["source"] == "<stdin>"


def test_folder_to_folder(runner, tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(cli, ["clean", str(SEEDS), "-o", str(out) + "/", "--format", "json"])
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 5 and all(f.endswith(".json") for f in files)
    rec = json.loads((out / files[0]).read_text())
    assert rec["lines"] and {"label", "score", "reason"} <= set(rec["lines"][0])


def test_json_of_several_is_an_array(runner, tmp_path):
    out = tmp_path / "all.json"
    r = runner.invoke(cli, ["clean", SEED, str(SEEDS / "001_351ea213607c53b1.txt"), "-o", str(out), "--format", "json"])
    assert r.exit_code == 0
    assert len(json.loads(out.read_text())) == 2


def test_explain_lists_every_line(runner):
    r = runner.invoke(cli, ["clean", "--explain", SEED])
    assert r.exit_code == 0
    assert "chrome" in r.stdout and "Read more" in r.stdout and "title" in r.stdout


def test_missing_input_fails_with_code_1_but_others_written(runner):
    r = runner.invoke(cli, ["clean", "nope.txt", SEED])
    assert r.exit_code == 1
    assert "Majority of children" in r.stdout
    assert "nope.txt" in r.stderr and '"kind": "input"' in r.stderr


def test_usage_error_code_2(runner):
    assert runner.invoke(cli, ["clean", "--format", "xml", SEED]).exit_code == 2
    assert runner.invoke(cli, ["clean", "--model", "/no/such/model.json", SEED]).exit_code == 2


def test_summary_line_and_quiet(runner):
    r = runner.invoke(cli, ["clean", SEED, "nope.txt"])
    assert "cleaner: 1 cleaned, 0 empty, 1 failed" in r.stderr
    r = runner.invoke(cli, ["clean", "--quiet", SEED])
    assert r.stderr == ""


def test_markdown_marks_title_and_subheadings(runner):
    r = runner.invoke(cli, ["clean", "--quiet", "--format", "markdown", str(SEEDS / "002_10c0174398e5838b.txt")])
    lines = r.stdout.split("\n\n")
    assert lines[0].startswith("# Nearly a quarter")
    assert "## Importance of leadership" in lines and "## Under growing pressure" in lines
