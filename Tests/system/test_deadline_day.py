"""Deadline day against real servers: a short rush with a kill -9 on SQLite and on
PostgreSQL (nothing acknowledged lost, no answer >= 500, counts equal a recount), and two
app servers sharing one PostgreSQL (migrations once, a session made on one used on the other)."""
import atexit
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("DVK_BIN", os.path.join(ROOT, ".build", "debug", "dvk"))
# The first database when the variable lists several (the Swift tests share them out).
PG = (os.environ.get("DVK_TEST_POSTGRES_URL") or "").split(",")[0].strip() or None

# The databases the system tests made on the test server, dropped when they end.
_scratch = []


def scratch_postgres(prefix):
    """A new database on the test server for one test, dropped when the tests end: its URL."""
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    name = f"{prefix}_{int(time.time() * 1000)}"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    _scratch.append(name)
    return PG.rsplit("/", 1)[0] + "/" + name


@atexit.register
def _drop_scratch():
    for name in _scratch:
        subprocess.run(["psql", PG.rsplit("/", 1)[0] + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rush(*args, env=None):
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "rush"), "--bin", BIN, *args],
                          capture_output=True, text=True, env=env, timeout=600)


def test_a_short_rush_on_sqlite_loses_nothing_across_a_kill():
    result = rush("--db", "sqlite", "--units", "20", "--seconds", "4", "--connections", "8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing: 0" in result.stdout and "maintained counts equal a recount: yes" in result.stdout


@pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL")
def test_a_short_rush_on_two_postgres_servers_loses_nothing_across_a_kill():
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    result = rush("--db", "postgres", "--servers", "2", "--units", "20", "--seconds", "4", "--connections", "8",
                  env=dict(os.environ, DVK_RUSH_POSTGRES=admin))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing: 0" in result.stdout and "maintained counts equal a recount: yes" in result.stdout


def start(env, port):
    # Tests sign in many people from one address and run several servers on one host: no
    # per-address allowance and no metrics listener unless a test asks for them.
    env = {"DVK_LOGIN_RATE_LIMIT": "0", "DVK_LIBRARY_RATE_LIMIT": "0", "DVK_METRICS_ADDRESS": "off", **env}
    return subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_healthy(port, proc):
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError("server exited: " + proc.stderr.read())
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL")
def test_two_servers_migrate_once_and_share_sessions():
    env = dict(os.environ, DATABASE_URL=scratch_postgres("dvk_two"), LOG_LEVEL="error")
    ports = [free_port(), free_port()]
    # Both start on the empty database at the same moment.
    procs = [start(env, p) for p in ports]
    try:
        for port, proc in zip(ports, procs):
            wait_healthy(port, proc)
        applied = subprocess.run(["psql", env["DATABASE_URL"], "-tAc", "SELECT COUNT(*), COUNT(DISTINCT name) FROM _fluent_migrations"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        count, distinct = applied.split("|")
        assert count == distinct, "a migration ran twice"
        subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
        # Sign in on the first server.
        opener = urllib.request.build_opener(NoRedirect)
        body = urllib.parse.urlencode({"username": "longbien", "password": "dvk-demo-2024", "next": "/", "_csrf": "t"}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{ports[0]}/login", data=body,
                                     headers={"Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"})
        try:
            opener.open(req)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 303
            cookie = [v for k, v in e.headers.items() if k.lower() == "set-cookie" and v.startswith("dvk_session=")][0].split(";")[0]
        # The session works on the second.
        page = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{ports[1]}/campaigns/DVK-2024",
                                                             headers={"Cookie": cookie}), timeout=10)
        assert page.status == 200
        assert "Hàng chờ duyệt" in page.read().decode()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
