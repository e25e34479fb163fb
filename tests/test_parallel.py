"""-j N gives the same output, in the same order, as one process (site memory included)."""
import json

from cleaner.cli import cli
from tests.conftest import SEEDS
from tests.test_site_memory import page


def test_jobs_do_not_change_the_output(runner, tmp_path):
    docs = tmp_path / "docs.jsonl"
    recs = [{"id": f"p{n}", "url": f"https://www.example.org/story/{n}", "text": page(n)} for n in range(7)]
    recs.insert(3, {"id": "bad"})
    recs += [{"id": p.name, "text": p.read_text()} for p in sorted(SEEDS.iterdir())]
    docs.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    outs = []
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--quiet", "-j", jobs])
        assert r.exit_code == 1  # the record without text
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    lines = [json.loads(ln) for ln in outs[0].splitlines()]
    assert [ln["id"] for ln in lines] == [r["id"] for r in recs]
    footers = ["Our journalism" in ln.get("text", "") for ln in lines[:8] if "error" not in ln]
    assert footers == [True, True, True, False, False, False, False]  # site memory took it from page 4
