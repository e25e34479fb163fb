"""HangWatch ends a process held by one document far past its limit, and only then.

Each case runs in a process of its own (the watch ends the process it runs in), with SIGALRM
blocked so that no alarm could stop the "document" either: what stops it is the watch alone.
"""
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGALRM and its mask are POSIX")


def _run(body: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent("""
        import signal, time
        from cleaner.hang_watch import HangWatch
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    """) + textwrap.dedent(body) + "\nprint('finished')\n"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_a_document_held_past_its_limit_ends_the_process():
    r = _run("""
        with HangWatch(0.2) as watch:
            watch.document()
            time.sleep(30)
    """)
    assert r.returncode == 1 and "finished" not in r.stdout


def test_a_batch_of_documents_each_within_its_limit_runs_past_the_timeout():
    # 12 x 0.15 s = 1.8 s, beyond the 1.4 s the watch is first set to: set again as it goes
    r = _run("""
        with HangWatch(0.2) as watch:
            for _ in range(12):
                watch.document()
                time.sleep(0.15)
        time.sleep(2)  # after the batch: idle, not hung
    """)
    assert r.returncode == 0 and "finished" in r.stdout, r.stderr
