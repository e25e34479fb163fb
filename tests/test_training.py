"""Training reproduces the shipped model byte for byte (needs ../shared/data; a few minutes)."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED


@pytest.mark.shared
@pytest.mark.slow
def test_fit_rebuilds_the_shipped_model_byte_for_byte(tmp_path):
    shipped = ROOT / "cleaner" / "data" / "model.json"
    commit = json.loads(shipped.read_text())["trained"]["commit"]
    out = tmp_path / "model.json"
    subprocess.run([sys.executable, "-m", "cleaner", "train", str(SHARED / "data"), "--commit", commit,
                    "-o", str(out)], check=True, cwd=ROOT)
    assert out.read_bytes() == shipped.read_bytes()


@pytest.mark.shared
def test_alignment_labels_gold_lines_as_body():
    from cleaner.lines.text import to_lines
    from cleaner.train.align import label_lines

    gold = "The council said the report was late.\n\nImportance of leadership\n\nIt added more detail here."
    dump = ("Home\n\nNews\n\nThe council said the report was late.\n\nImportance of leadership\n\n"
            "It added more detail here.\n\nRelated stories\n\nShare this")
    lines = to_lines(dump)
    assert label_lines(lines, gold) == [0, 0, 1, 1, 1, 0, 0]


@pytest.mark.shared
@pytest.mark.slow
def test_pages_prepared_by_two_processes_are_the_ones_one_process_prepares(tmp_path):
    import numpy as np

    from cleaner.train.examples import iter_docs

    styles = ("html", "plain-translated", "html-dom")
    one = list(iter_docs(SHARED / "data", tmp_path, ("mozilla-readability",), styles, jobs=1))
    two = list(iter_docs(SHARED / "data", tmp_path, ("mozilla-readability",), styles, jobs=2))
    assert len(one) > 200 and [(d.id, d.style) for d in one] == [(d.id, d.style) for d in two]
    assert {d.style for d in one} == set(styles)
    for a, b in zip(one, two):
        assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y) and np.array_equal(a.w, b.w)
