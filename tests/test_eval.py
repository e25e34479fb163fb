import importlib.util
import json

import pytest

from cleaner.cli import cli
from cleaner.train.evaluate import overall, score_doc
from tests.conftest import SEEDS, SHARED


def test_perfect_and_empty_predictions():
    assert overall([score_doc("a", "one two three four five", "one two three four five")])["f1"] == 1.0
    s = score_doc("b", "one two three four five", "")
    assert s.precision is None and s.recall == 0.0


def test_partial_overlap():
    s = score_doc("c", "a b c d e f", "a b c d e x y")
    # gold shingles: abcd bcde cdef; pred: abcd bcde cdex dexy -> tp 2, fp 2, fn 1
    assert (round(s.precision, 3), round(s.recall, 3)) == (0.5, round(2 / 3, 3))


@pytest.mark.shared
def test_same_figures_as_the_benchmark_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    gold = json.loads((SHARED / "data" / "scrapinghub" / "ground-truth.json").read_text())
    pred = {k: {"articleBody": v["articleBody"][: len(v["articleBody"]) // 2] + " extra words here"}
            for k, v in list(gold.items())[:40]}
    ours = overall([score_doc(k, gold[k]["articleBody"], pred.get(k, {}).get("articleBody", "")) for k in sorted(gold)])
    theirs = ref.score(gold, pred)
    assert ours["f1"] == pytest.approx(theirs["f1"]) and ours["recall"] == pytest.approx(theirs["recall"])


def test_cli_eval_cleans_a_folder_of_inputs(runner, tmp_path):
    spec = json.loads((SEEDS.parent / "fixtures" / "seeds" / "003_d520fb0fac2a931b.expected.json").read_text())
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"003_d520fb0fac2a931b": "\n\n".join(spec["body"])}))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "003_d520fb0fac2a931b.txt").write_bytes((SEEDS / "003_d520fb0fac2a931b.txt").read_bytes())
    r = runner.invoke(cli, ["eval", str(gold), str(inputs), "--per-doc"])
    assert r.exit_code == 0, r.output
    assert "F1 1.000" in r.stdout


@pytest.mark.parametrize("content,says", [
    ('{"a": 1}', "the text of 'a' is a int"), ("[1, 2]", "a JSON object of id -> text was expected, not a list"),
    ("not json", "not JSON"), (b"\xff\xfe{}", "not UTF-8")])
def test_cli_eval_names_a_gold_file_it_cannot_read(runner, tmp_path, content, says):
    gold = tmp_path / "gold.json"
    gold.write_bytes(content if isinstance(content, bytes) else content.encode())
    pred = tmp_path / "pred.json"
    pred.write_text('{"a": "text"}')
    r = runner.invoke(cli, ["eval", str(gold), str(pred)])
    assert r.exit_code == 2 and f"{gold}: {says}" in r.output
    (tmp_path / "pred.jsonl").write_text('{"id": "a", "text": "x"}\n[1]\n')
    r = runner.invoke(cli, ["eval", str(pred), str(tmp_path / "pred.jsonl")])
    assert r.exit_code == 2 and "pred.jsonl:2: a record with an id was expected" in r.output
