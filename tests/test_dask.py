"""Dask: a LocalCluster with 2 workers gives the same output as a single-process run."""
import json

import pytest

from cleaner.cli import cli
from tests.test_safe_output import _corpus

distributed = pytest.importorskip("distributed", reason="needs the dask extra: pip install 'cleaner[dask]'")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as c:
        yield c


def test_cli_on_a_dask_cluster_equals_the_single_process_run(cluster, tmp_path, runner):
    docs = tmp_path / "docs.jsonl"
    total = _corpus(docs, copies=2)
    local = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "-j", "1", "--quiet"])
    on_dask = runner.invoke(cli, ["clean", str(docs), "--format", "jsonl", "--dask", cluster.scheduler_address,
                                  "--quiet"])
    assert on_dask.exit_code == local.exit_code == 1  # the record without text
    assert on_dask.stdout == local.stdout and len(on_dask.stdout.splitlines()) == total
    footers = ["Our journalism" in json.loads(ln).get("text", "") for ln in local.stdout.splitlines()]
    assert footers.count(False) > footers.count(True)  # site memory was at work in both


def test_clean_bag_of_read_docs_equals_iter_clean_per_file(cluster, tmp_path):
    import cleaner
    from cleaner.dask import clean_bag, read_docs
    from cleaner.io.readers import iter_docs

    paths = []
    for n in range(2):
        path = tmp_path / f"part{n}.jsonl"
        _corpus(path, copies=1)
        paths.append(str(path))
    with distributed.Client(cluster):
        records = clean_bag(read_docs(paths)).compute()
    expected = []
    for path in paths:  # one partition per file, each with its own site memory
        c = cleaner.Cleaner()
        for doc in c.iter_clean(d for d in iter_docs([path]) if isinstance(d, cleaner.RawDoc)):
            expected.append(doc.to_dict(with_lines=False))
    assert [r for r in records if "error" not in r] == expected
    assert sum("error" in r for r in records) == 2 and len(records) == len(expected) + 2


def test_unreachable_scheduler_is_a_usage_error(runner, tmp_path):
    (tmp_path / "a.txt").write_text("A story about the council.\n")
    r = runner.invoke(cli, ["clean", str(tmp_path / "a.txt"), "--dask", "tcp://127.0.0.1:9", "--quiet"])
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.output
