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
