"""Running DVK for real: backups that restore (taken under a write load, and across the two
databases), nginx in front of two app servers that restart one after the other with no
failed request, and /metrics read by Prometheus' own parser."""
import concurrent.futures
import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from test_deadline_day import BIN, PG, ROOT, NoRedirect, free_port, scratch_postgres, start, wait_healthy


def dvk(env, *args, check=True):
    result = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"dvk {' '.join(args)}: {result.stderr}")
    return result


def new_postgres():
    return scratch_postgres("dvk_ops")


def rows_of(path):
    """A backup's lines without the header (its time and source) and the trailer."""
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[1:-2]


def split_trail(path):
    """A backup's rows outside the audit trail, and the trail's events (its chains' heads and
    row counts move with every backup and restore, which are events themselves)."""
    data, events, table = [], [], None
    for line in rows_of(path):
        if line.startswith('{"columns"'):
            table = json.loads(line)["table"]
        if table == "audit_events" and line.startswith("["):
            events.append(line)
        elif not table or not table.startswith("audit_"):
            data.append(line)
    return data, events


def post_json(base, path, token, body=None):
    req = urllib.request.Request(base + path, data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


def test_a_backup_taken_while_units_write_restores_to_a_consistent_state():
    workdir = tempfile.mkdtemp(prefix="dvk-ops-")
    env = dict(os.environ, DATABASE_URL="sqlite:" + os.path.join(workdir, "dvk.sqlite"), LOG_LEVEL="error")
    dvk(env, "generate", "--units", "300", "--initiatives", "900", "--seed", "7")
    tokens_file = os.path.join(workdir, "tokens")
    dvk(env, "bench", "officers", "--campaign", "GEN", "--count", "300", "--output", tokens_file)
    tokens = dict(line.split() for line in open(tokens_file) if line.strip())
    db = sqlite3.connect(os.path.join(workdir, "dvk.sqlite"))
    pending = [r[0] for r in db.execute("""
        SELECT cu.code FROM campaign_units cu LEFT JOIN submissions s ON s.unit_id = cu.unit_id AND s.campaign_id = cu.campaign_id
        WHERE cu.is_target AND s.id IS NULL""") if r[0] in tokens]
    db.close()
    assert len(pending) >= 15
    port = free_port()
    server = start(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(port, server)

        def work(code):
            unit = f"/api/v1/campaigns/GEN/units/{code}"
            created = post_json(base, unit + "/initiatives", tokens[code],
                                {"kind": "collective", "registrantName": "Tổ công đoàn " + code, "sector": "kinh-te", "title": "Mô hình " + code})
            return created, post_json(base, unit + "/submit", tokens[code])

        backups = []
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(work, code) for code in pending]
            while not all(f.done() for f in futures) or len(backups) < 2:
                path = os.path.join(workdir, f"b{len(backups)}.dvkbackup")
                dvk(env, "backup", "--output", path)
                backups.append(path)
            results = [f.result() for f in futures]
        assert all(r == (201, 200) for r in results), results
        for path in backups + [None]:
            if path is None:
                path = os.path.join(workdir, "final.dvkbackup")
                dvk(env, "backup", "--output", path)
            target = dict(env, DATABASE_URL="sqlite:" + path + ".sqlite")
            dvk(target, "restore", path)
            verify = dvk(target, "bench", "verify", "--campaign", "GEN", check=False)
            assert "maintained counts equal a recount: yes" in verify.stdout, verify.stdout + verify.stderr
        final = sqlite3.connect(path + ".sqlite")
        submitted = final.execute("SELECT COUNT(*) FROM submissions WHERE status = 'submitted'").fetchone()[0]
        assert submitted >= len(pending)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL")
def test_sqlite_to_postgres_and_back_keeps_every_row_and_people_work_again():
    workdir = tempfile.mkdtemp(prefix="dvk-ops-")
    sqlite_env = dict(os.environ, DATABASE_URL="sqlite:" + os.path.join(workdir, "a.sqlite"), LOG_LEVEL="error")
    dvk(sqlite_env, "demo")
    token = dvk(sqlite_env, "user", "token", "longbien", "--name", "before the move").stdout.strip()
    first = os.path.join(workdir, "a.dvkbackup")
    dvk(sqlite_env, "backup", "--output", first)
    pg_env = dict(sqlite_env, DATABASE_URL=new_postgres())
    out = dvk(pg_env, "restore", first).stdout
    assert "units: 47 rows" in out
    second = os.path.join(workdir, "b.dvkbackup")
    dvk(pg_env, "backup", "--output", second)
    back_env = dict(sqlite_env, DATABASE_URL="sqlite:" + os.path.join(workdir, "c.sqlite"))
    dvk(back_env, "restore", second)
    third = os.path.join(workdir, "c.dvkbackup")
    dvk(back_env, "backup", "--output", third)
    (a, ea), (b, eb), (c, ec) = split_trail(first), split_trail(second), split_trail(third)
    assert a == b == c
    # The trail moves on: each later backup holds every event of the one before, plus the
    # restores' own events; and it verifies on both databases.
    assert set(ea) < set(eb) < set(ec)
    assert sum("backup.restored" in e for e in ec) == 2
    for env in (pg_env, back_env):
        assert "the audit trail verifies" in dvk(env, "audit", "verify").stdout
    for env in (pg_env, back_env):
        assert "maintained counts equal a recount: yes" in dvk(env, "bench", "verify", "--campaign", "DVK-2024").stdout
    # On PostgreSQL now: the demo's staff signs in with the same password, and the token made before works.
    port = free_port()
    server = start(pg_env, port)
    try:
        wait_healthy(port, server)
        base = f"http://127.0.0.1:{port}"
        assert login(base, "longbien")
        req = urllib.request.Request(base + "/api/v1/campaigns/DVK-2024/summary?unit=LB", headers={"Authorization": "Bearer " + token})
        try:
            status = urllib.request.urlopen(req, timeout=10).status
        except urllib.error.HTTPError as e:
            status = e.code
        assert status != 401
        # A non-empty database is refused, and says so.
        again = dvk(pg_env, "restore", first, check=False)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def login(base, username):
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"username": username, "password": "dvk-demo-2024", "next": "/", "_csrf": "t"}).encode()
    req = urllib.request.Request(base + "/login", data=body,
                                 headers={"Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        opener.open(req, timeout=10)
    except urllib.error.HTTPError as e:
        if e.code != 303:
            return None
        return [v for k, v in e.headers.items() if k.lower() == "set-cookie" and v.startswith("dvk_session=")][0].split(";")[0]
    return None


NGINX = """
worker_processes 1;
error_log {prefix}/error.log;
pid {prefix}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    upstream dvk {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=2s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {root}/deploy/nginx/dvk-locations.conf;
    }}
}}
"""


def start_nginx(a, b):
    prefix = tempfile.mkdtemp(prefix="dvk-nginx-")
    os.chmod(prefix, 0o755)
    os.makedirs(os.path.join(prefix, "tmp"))
    os.chmod(os.path.join(prefix, "tmp"), 0o777)
    port = free_port()
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX.format(prefix=prefix, a=a, b=b, port=port, root=ROOT))
    proc = subprocess.Popen(["nginx", "-p", prefix, "-c", conf, "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc, port, prefix
        except OSError:
            if proc.poll() is not None:
                raise AssertionError("nginx did not start: " + proc.stderr.read())
            time.sleep(0.1)
    raise AssertionError("nginx did not start")


@pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL")
def test_nginx_in_front_of_two_servers_that_restart_one_by_one_fails_no_request():
    env = dict(os.environ, DATABASE_URL=new_postgres(), LOG_LEVEL="error", DVK_TRUSTED_PROXIES="127.0.0.1")
    dvk(env, "demo")
    ports = [free_port(), free_port()]
    servers = [start(env, p) for p in ports]
    nginx = None
    try:
        for p, s in zip(ports, servers):
            wait_healthy(p, s)
        nginx, port, prefix = start_nginx(*ports)
        base = f"http://127.0.0.1:{port}"
        cookie = login(base, "longbien")
        assert cookie, "signed in through nginx"
        page = urllib.request.urlopen(urllib.request.Request(base + "/campaigns/DVK-2024", headers={"Cookie": cookie}), timeout=10)
        assert page.status == 200 and "Hàng chờ duyệt" in page.read().decode()

        statuses = []
        stop = threading.Event()

        def read_load():
            while not stop.is_set():
                try:
                    r = urllib.request.urlopen(urllib.request.Request(base + "/campaigns/DVK-2024", headers={"Cookie": cookie}), timeout=30)
                    r.read()
                    statuses.append(r.status)
                except urllib.error.HTTPError as e:
                    statuses.append(e.code)
                except OSError as e:
                    statuses.append(str(e))

        readers = [threading.Thread(target=read_load) for _ in range(4)]
        for t in readers:
            t.start()
        time.sleep(1)
        for i in range(2):
            servers[i].send_signal(signal.SIGTERM)
            assert servers[i].wait(timeout=40) == 0
            time.sleep(0.5)
            servers[i] = start(env, ports[i])
            wait_healthy(ports[i], servers[i])
            # As the README's rolling restart says: nginx takes a server back after its
            # fail_timeout (2 s); only then may the next one stop.
            time.sleep(3)
        stop.set()
        for t in readers:
            t.join()
        failed = [s for s in statuses if s != 200]
        assert len(statuses) > 50 and not failed, f"{len(failed)} failed of {len(statuses)}: {failed[:5]}"
        # The request id nginx made reaches the app and comes back.
        r = urllib.request.urlopen(base + "/health", timeout=5)
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-Id"] or "")
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        for s in servers:
            s.terminate()
            s.wait(timeout=30)


def test_metrics_parse_as_prometheus_text_and_move_with_requests():
    from prometheus_client.parser import text_string_to_metric_families
    workdir = tempfile.mkdtemp(prefix="dvk-ops-")
    env = dict(os.environ, DATABASE_URL="sqlite:" + os.path.join(workdir, "dvk.sqlite"), LOG_LEVEL="error")
    dvk(env, "demo")
    port, metrics_port = free_port(), free_port()
    server = start(dict(env, DVK_METRICS_ADDRESS=f"127.0.0.1:{metrics_port}"), port)
    base = f"http://127.0.0.1:{port}"

    def scrape():
        text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).read().decode()
        samples = {}
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
        return samples

    try:
        wait_healthy(port, server)
        before = scrape()
        for _ in range(3):
            urllib.request.urlopen(base + "/login", timeout=10).read()
        assert login(base, "longbien")
        assert login(base, "khong-co-ai") is None
        after = scrape()
        key = ("dvk_http_requests_total", (("method", "GET"), ("route", "/login"), ("status", "200")))
        assert after[key] - before.get(key, 0) == 3
        assert after[("dvk_login_failures_total", ())] - before.get(("dvk_login_failures_total", ()), 0) == 1
        count = ("dvk_http_request_duration_seconds_count", (("method", "POST"), ("route", "/login")))
        assert after[count] == 2
        assert after[("dvk_db_up", ())] == 1
        assert ("dvk_outbox_messages", (("status", "queued"),)) in after
        assert urllib.request.urlopen(base + "/ready", timeout=5).read() == b"ready\n"
        # On the site itself, /metrics is not found (no token is configured); its own
        # listener answers nothing but /metrics.
        for url in [base + "/metrics", base + "/metrics/", f"http://127.0.0.1:{metrics_port}/health"]:
            try:
                urllib.request.urlopen(url, timeout=5)
                raise AssertionError(url + " answered")
            except urllib.error.HTTPError as e:
                assert e.code == 404, url
    finally:
        server.terminate()
        server.wait(timeout=30)
