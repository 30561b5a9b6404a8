"""The API fuzzed from its OpenAPI document (scripts/fuzz-api: schemathesis as an officer, a
federation's staff, an administrator and a viewer of the demo): no answer >= 500, no response
that contradicts the document, the server still running and no crash in its log; on SQLite,
and with a shorter run on PostgreSQL when DVK_TEST_POSTGRES_URL names a server."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

from test_deadline_day import BIN, PG, ROOT


def fuzz(*args, env=None):
    """Starts scripts/fuzz-api in a process group of its own (its server and schemathesis
    with it), its output in files (two runs at once never wait on a full pipe)."""
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts", "fuzz-api"), "--bin", BIN, *args],
                            stdout=out, stderr=err, text=True, env=env, start_new_session=True)
    return proc, out, err


def finish(started, deadline):
    """Waits for a run until `deadline` (time.monotonic()), then stops its whole group."""
    proc, out, err = started
    try:
        proc.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        pass
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    out.seek(0)
    err.seek(0)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())


def test_the_api_fuzzed_answers_no_5xx_and_keeps_running():
    # The two runs side by side (each its own server and database): one after the other
    # they were a third of the browser and system tests' time. Both within one deadline.
    deadline = time.monotonic() + 600
    started = {}
    try:
        started["sqlite"] = fuzz("--db", "sqlite", "--cases", "1500")
        if PG:
            # A database of its own on the same server, made and dropped by the script.
            parts = urllib.parse.urlsplit(PG)
            url = urllib.parse.urlunsplit(parts._replace(path=f"/dvk_fuzz_{int(time.time() * 1000)}"))
            started["postgres"] = fuzz("--db", "postgres", "--cases", "300", "--roles", "ngoclam,longbien",
                                       env=dict(os.environ, DVK_FUZZ_POSTGRES=url))
    finally:
        runs = {db: finish(run, deadline) for db, run in started.items()}
    failed = {db: result for db, result in runs.items()
              if result.returncode != 0 or "no answer >= 500, no failed check, no crash" not in result.stdout}
    assert not failed, "\n".join(f"{db}:\n{r.stdout}{r.stderr}" for db, r in failed.items())
