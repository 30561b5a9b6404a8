"""Email against a real SMTP server (aiosmtpd with STARTTLS and AUTH): who a reminder run
reaches, the submit notice with the unit's Biểu tổng hợp read back from the attachments, a
refusal retried and delivered once, a kill -9 between the step and the delivery, and two
app servers on one PostgreSQL delivering each message once."""
import contextlib
import email
import email.policy
import json
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mailserver import MailServer  # noqa: E402
from test_deadline_day import BIN, PG, ROOT, NoRedirect, free_port, scratch_postgres, start, wait_healthy  # noqa: E402

FROM = '"Liên đoàn Lao động quận Long Biên" <dvk@ldld.example.vn>'
DEADLINE_LINE = "trước 00 giờ 00 ngày 16 tháng 02 năm 2024"


def environment(database, smtp_url):
    return dict(os.environ, DATABASE_URL=database, DVK_SMTP_URL=smtp_url, DVK_MAIL_FROM=FROM,
                DVK_PUBLIC_URL="https://dvk.example.vn", DVK_MAIL_RETRY_SECONDS="1", LOG_LEVEL="error")


def sqlite_demo():
    workdir = tempfile.mkdtemp(prefix="dvk-mail-")
    path = os.path.join(workdir, "dvk.sqlite")
    subprocess.run([BIN, "demo"], env=dict(os.environ, DATABASE_URL="sqlite:" + path), check=True, capture_output=True)
    return workdir, path


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def pending_addresses(path):
    """The oracle, computed apart from DVK: target units of DVK-2024 that have not handed in
    (no submission, not started, drafting, returned) and have an address."""
    db = sqlite3.connect(path)
    rows = db.execute("""
        SELECT u.email FROM campaign_units cu JOIN campaigns c ON c.id = cu.campaign_id JOIN units u ON u.id = cu.unit_id
        LEFT JOIN submissions s ON s.campaign_id = cu.campaign_id AND s.unit_id = cu.unit_id
        WHERE c.code = 'DVK-2024' AND cu.is_target AND u.email <> ''
          AND COALESCE(s.status, 'not_started') IN ('not_started', 'draft', 'returned')""").fetchall()
    return {r[0] for r in rows}


def token(env, username):
    return subprocess.run([BIN, "user", "token", username, "--name", "test"], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def api_post(port, path, bearer):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=b"", method="POST",
                                 headers={"Authorization": "Bearer " + bearer})
    return urllib.request.urlopen(req, timeout=30).status


def test_a_reminder_run_reaches_exactly_the_units_that_have_not_handed_in():
    smtp = MailServer(free_port()).start()
    try:
        workdir, path = sqlite_demo()
        expected = pending_addresses(path)
        assert len(expected) >= 5
        env = environment("sqlite:" + path, smtp.url())
        out = subprocess.run([BIN, "remind", "--campaign", "DVK-2024"], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        messages = smtp.recorder.wait_for(len(expected))
        assert {rcpt for _, rcpts, _ in messages for rcpt in rcpts} == expected
        assert len(messages) == len(expected), "one message per unit"
        assert all(sender == "dvk@ldld.example.vn" for sender, _, _ in messages)
        assert smtp.recorder.auth_mechanisms and all(m == "PLAIN" for m in smtp.recorder.auth_mechanisms)
        for _, rcpts, raw in messages:
            m = parse(raw)
            assert m["To"].addresses[0].addr_spec == rcpts[0]
            subject = str(m["Subject"])
            text = m.get_body(("plain",)).get_content()
            assert DEADLINE_LINE in text
            if subject.startswith("Nhắc nộp lại hồ sơ"):
                # Returned work: its lateness was fixed by its first submission, never "nộp muộn" now.
                assert "được ghi là nộp muộn" not in text and "hết hạn" not in subject
            else:
                assert subject.startswith("Nhắc nộp hồ sơ")
            code = re.search(r"https://dvk\.example\.vn/campaigns/DVK-2024/units/([A-Z0-9-]+)", text).group(1)
            assert rcpts[0].startswith("cd." + code.lower() + "@")
            html = m.get_body(("html",)).get_content()
            assert f'href="https://dvk.example.vn/campaigns/DVK-2024/units/{code}"' in html
            assert max(len(line) for line in raw.split(b"\r\n")) <= 78
        assert str(len(expected)) + " sent" in out.stdout
        # The same day again: nobody gets a second one.
        again = subprocess.run([BIN, "remind", "--campaign", "DVK-2024"], env=env, capture_output=True, text=True, timeout=120)
        assert "already reminded today" in again.stdout
        time.sleep(1)
        assert len(smtp.recorder.messages) == len(expected)
    finally:
        smtp.stop()


def docx_total_row(path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "Tests", "oracles", "docx_read.py"), path],
                         capture_output=True, text=True, check=True).stdout
    rows = [row for table in json.loads(out)["tables"] for row in table["grid"]]
    return [r for r in rows if any("Tổng" in c for c in r)][-1]


@contextlib.contextmanager
def serving(refuse_next=0):
    """A mail server (refusing the next N messages with 451), the demo on SQLite, and one
    `dvk serve` that sends through it: yields (smtp, path, env, port)."""
    smtp = MailServer(free_port()).start()
    smtp.recorder.refuse_next = refuse_next
    workdir, path = sqlite_demo()
    env = environment("sqlite:" + path, smtp.url())
    port = free_port()
    server = start(env, port)
    try:
        wait_healthy(port, server)
        yield smtp, path, env, port
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.stop()


def test_a_submit_sends_the_federation_the_units_summary_and_the_unit_a_receipt():
    with serving() as (smtp, path, env, port):
        db = sqlite3.connect(path)
        parent_email, unit_email = db.execute("""
            SELECT pu.email, u.email FROM campaign_units cu JOIN units u ON u.id = cu.unit_id JOIN units pu ON pu.id = cu.parent_unit_id
            WHERE cu.code = 'LB-P-GB'""").fetchone()
        # giangbien's unit was returned; it hands in again through the API.
        assert api_post(port, "/api/v1/campaigns/DVK-2024/units/LB-P-GB/submit", token(env, "giangbien")) == 200
        messages = smtp.recorder.wait_for(2)
        assert sorted(r for _, rcpts, _ in messages for r in rcpts) == sorted([parent_email, unit_email])
        notice = parse(next(raw for _, rcpts, raw in messages if rcpts == [parent_email]))
        assert "Cơ quan UBND phường Giang Biên nộp lại hồ sơ" in str(notice["Subject"])
        files = {part.get_filename(): part.get_content() for part in notice.iter_attachments()}
        assert sorted(files) == ["DVK-2024_bieu-tong-hop_LB-P-GB.docx", "DVK-2024_bieu-tong-hop_LB-P-GB.pdf"]
        summary = json.loads(subprocess.run([BIN, "summary", "--campaign", "DVK-2024", "--unit", "LB-P-GB", "--format", "json"],
                                            env=env, capture_output=True, text=True, check=True).stdout)
        total = summary["total"]
        numbers = [str(total[k]) for k in ("collectives", "collectiveInitiatives", "individuals", "individualInitiatives")]
        assert sum(int(n) for n in numbers) > 0
        tmp = tempfile.mkdtemp()
        docx_path, pdf_path = os.path.join(tmp, "s.docx"), os.path.join(tmp, "s.pdf")
        open(docx_path, "wb").write(files["DVK-2024_bieu-tong-hop_LB-P-GB.docx"])
        open(pdf_path, "wb").write(files["DVK-2024_bieu-tong-hop_LB-P-GB.pdf"])
        row = docx_total_row(docx_path)
        assert [c for c in row if c.strip().isdigit()][-4:] == numbers
        text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True, check=True).stdout
        total_line = [line for line in text.splitlines() if re.match(r"\s*(\d+\s+)?Tổng\b", line) and len(re.findall(r"\d+", line)) >= 4][-1]
        assert re.findall(r"\d+", total_line)[-4:] == numbers
        plain = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True, check=True).stdout
        assert "PHƯỜNG GIANG BIÊN" in " ".join(plain.split()).upper()
        body = notice.get_body(("plain",)).get_content()
        assert "Danh sách mô hình" in body and "https://dvk.example.vn/campaigns/DVK-2024/units/LB-P-GB" in body
        receipt = parse(next(raw for _, rcpts, raw in messages if rcpts == [unit_email]))
        assert str(receipt["Subject"]).startswith("Đã nhận hồ sơ của đơn vị")


def outbox(path):
    db = sqlite3.connect(path)
    return db.execute("SELECT kind, to_address, status, attempts FROM outbox ORDER BY created_at").fetchall()


def test_a_refusal_is_retried_and_the_message_delivered_once():
    with serving(refuse_next=1) as (smtp, path, env, port):
        assert api_post(port, "/api/v1/campaigns/DVK-2024/units/LB-P-GB/submit", token(env, "giangbien")) == 200
        messages = smtp.recorder.wait_for(2)
        time.sleep(3)
        messages = smtp.recorder.messages
        assert len(messages) == 2, "each message once"
        rows = outbox(path)
        assert sorted(r[2] for r in rows) == ["sent", "sent"]
        assert sorted(r[3] for r in rows) == [1, 2], "the refused one was tried twice"
        answers = sqlite3.connect(path).execute("SELECT last_answer FROM outbox").fetchall()
        assert all(a[0].startswith("250 ") for a in answers)


def test_a_kill_between_the_step_and_the_delivery_loses_nothing_and_sends_once():
    smtp_port = free_port()
    workdir, path = sqlite_demo()
    certdir = tempfile.mkdtemp()
    smtp = MailServer(smtp_port, certdir=certdir)  # made (certificate and URL) but not started: the mail server is down
    env = environment("sqlite:" + path, smtp.url())
    port = free_port()
    server = start(env, port)
    try:
        wait_healthy(port, server)
        assert api_post(port, "/api/v1/campaigns/DVK-2024/units/LB-P-GB/submit", token(env, "giangbien")) == 200
        time.sleep(1.5)
        server.kill()
        server.wait(timeout=10)
        assert sorted(r[2] for r in outbox(path)) == ["queued", "queued"], "acknowledged and kept"
        smtp.start()
        server = start(env, port)
        wait_healthy(port, server)
        messages = smtp.recorder.wait_for(2, timeout=60)
        time.sleep(3)
        assert len(smtp.recorder.messages) == 2
        ids = [parse(raw)["Message-ID"] for _, _, raw in smtp.recorder.messages]
        assert len(set(ids)) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.stop()


def login(port, username):
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"username": username, "password": "dvk-demo-2024", "next": "/", "_csrf": "t"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=body,
                                 headers={"Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        opener.open(req)
    except urllib.error.HTTPError as e:
        assert e.code == 303
        return [v for k, v in e.headers.items() if k.lower() == "set-cookie" and v.startswith("dvk_session=")][0].split(";")[0]
    raise AssertionError("expected a redirect")


@pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL")
def test_two_servers_on_one_postgres_deliver_each_message_once():
    database = scratch_postgres("dvk_mail")
    smtp = MailServer(free_port()).start()
    env = environment(database, smtp.url())
    subprocess.run([BIN, "demo"], env=dict(env, DVK_SMTP_URL="", DVK_MAIL_FROM=""), check=True, capture_output=True)
    # More messages than the demo's pending units, so that the two senders overlap: copies
    # of the reminders to the same units under other keys.
    ports = [free_port(), free_port()]
    procs = [start(env, p) for p in ports]
    try:
        for p, proc in zip(ports, procs):
            wait_healthy(p, proc)
        cookie = login(ports[0], "longbien")
        page = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{ports[0]}/campaigns/DVK-2024/reminders",
                                                             headers={"Cookie": cookie}), timeout=10).read().decode()
        csrf = re.search(r'action="/campaigns/DVK-2024/reminders/send".*?name="_csrf" value="([^"]+)"', page, re.S).group(1)
        opener = urllib.request.build_opener(NoRedirect)
        extra = 120
        subprocess.run(["psql", database, "-qc", f"""
            INSERT INTO outbox (id, kind, campaign_id, unit_id, to_address, to_name, note, dedupe_key, status, attempts,
                                next_attempt_at, last_answer, created_at)
            SELECT gen_random_uuid(), 'reminder', cu.campaign_id, cu.unit_id, u.email, u.name, '', 'copy-' || n || '-' || cu.code,
                   'queued', 0, now(), '', now()
            FROM campaign_units cu JOIN units u ON u.id = cu.unit_id, generate_series(1, {extra}) n
            WHERE cu.code = 'LB-GD-THNL'"""], check=True)
        try:
            opener.open(urllib.request.Request(f"http://127.0.0.1:{ports[1]}/campaigns/DVK-2024/reminders/send",
                                               data=urllib.parse.urlencode({"_csrf": csrf}).encode(),
                                               headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}))
        except urllib.error.HTTPError as e:
            assert e.code == 303
        total = int(subprocess.run(["psql", database, "-tAc", "SELECT COUNT(*) FROM outbox"], capture_output=True, text=True,
                                   check=True).stdout)
        assert total > extra
        smtp.recorder.wait_for(total, timeout=120)
        time.sleep(4)
        ids = [parse(raw)["Message-ID"] for _, _, raw in smtp.recorder.messages]
        assert len(ids) == total and len(set(ids)) == total, "each message once"
        states = subprocess.run(["psql", database, "-tAc", "SELECT status, attempts, COUNT(*) FROM outbox GROUP BY 1, 2"],
                                capture_output=True, text=True, check=True).stdout.split()
        assert states == [f"sent|1|{total}"]
        owners = subprocess.run(["psql", database, "-tAc", "SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL"],
                                capture_output=True, text=True, check=True).stdout.strip()
        assert owners == "0"
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        smtp.stop()


class InjectingServer:
    """A bare SMTP server that, with its "220" to STARTTLS, sends a reply of its own in the
    same packet ("554 injected"), before TLS begins: a man in the middle's trick
    (CVE-2011-0411's kind). A client that read it after the handshake would take it for the
    answer to its encrypted EHLO and fail; DVK must drop it and deliver."""

    def __init__(self):
        from mailserver import make_certificate
        self.certdir = tempfile.mkdtemp(prefix="dvk-inject-")
        cert, key = make_certificate(self.certdir)
        self.cert = cert
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.delivered = []
        threading.Thread(target=self.serve, daemon=True).start()

    def url(self):
        return "smtp://localhost:%d?cafile=%s" % (self.port, self.cert)

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        with contextlib.suppress(Exception):
            plain = conn.makefile("rb")
            conn.sendall(b"220 fake ESMTP\r\n")
            plain.readline()  # EHLO
            conn.sendall(b"250-fake\r\n250 STARTTLS\r\n")
            plain.readline()  # STARTTLS
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n554 5.7.0 injected before TLS\r\n")
            tls = self.context.wrap_socket(conn, server_side=True)
            lines = tls.makefile("rb")
            while True:
                line = lines.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb == b"EHLO":
                    tls.sendall(b"250-fake\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    tls.sendall(b"354 go ahead\r\n")
                    data = b""
                    while not data.endswith(b"\r\n.\r\n"):
                        data += lines.readline()
                    self.delivered.append(data)
                    tls.sendall(b"250 2.0.0 queued\r\n")
                elif verb == b"QUIT":
                    tls.sendall(b"221 bye\r\n")
                    return
                else:
                    tls.sendall(b"250 OK\r\n")

    def stop(self):
        self.sock.close()


def test_replies_sent_before_starttls_are_never_read_after_it():
    smtp = InjectingServer()
    try:
        workdir, path = sqlite_demo()
        expected = pending_addresses(path)
        env = environment("sqlite:" + path, smtp.url())
        out = subprocess.run([BIN, "remind", "--campaign", "DVK-2024"], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert str(len(expected)) + " sent" in out.stdout, out.stdout + out.stderr
        assert len(smtp.delivered) == len(expected)
    finally:
        smtp.stop()

