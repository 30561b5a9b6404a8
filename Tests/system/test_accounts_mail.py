"""Accounts by email, against a real SMTP server (aiosmtpd, STARTTLS and AUTH): an invitation
made on the people page arrives, and its link alone (nothing read from the page or the
database) sets the password and signs in; "Quên mật khẩu?" answers a known name and an
unknown one alike, mails only the known one, and its link replaces the password. On SQLite,
and on PostgreSQL when DVK_TEST_POSTGRES_URL names a server."""
import contextlib
import dataclasses
import http.cookiejar
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mailserver import MailServer  # noqa: E402
from test_deadline_day import BIN, PG, free_port, start, wait_healthy  # noqa: E402
from test_mail import environment, parse  # noqa: E402

PUBLIC = "https://dvk.example.vn"  # test_mail.environment's DVK_PUBLIC_URL
DEMO_PASSWORD = "dvk-demo-2024"
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(not PG, reason="needs DVK_TEST_POSTGRES_URL"))]


# --- A server that mails, on a demo database ---------------------------------------------------

@dataclasses.dataclass
class Running:
    smtp: MailServer
    base: str
    database: str

    def rows(self, sql):
        """The rows of `sql`, each a tuple of texts, from whichever database the server uses."""
        if self.database.startswith("sqlite:"):
            db = sqlite3.connect(self.database[len("sqlite:"):])
            try:
                return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql).fetchall()]
            finally:
                db.close()
        out = subprocess.run(["psql", self.database, "-tAc", sql], capture_output=True, text=True, check=True).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def outbox(self):
        return sorted(self.rows("SELECT kind, to_address, status FROM outbox"))

    def delivered(self, count, timeout=30):
        """Waits until the outbox has sent everything and the SMTP server holds `count`
        messages; returns what it holds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if all(r[2] == "sent" for r in self.outbox()) and len(self.smtp.recorder.messages) >= count:
                break
            time.sleep(0.1)
        return list(self.smtp.recorder.messages)


@contextlib.contextmanager
def serving(kind):
    smtp = MailServer(free_port()).start()
    workdir = tempfile.mkdtemp(prefix="dvk-accounts-mail-")
    admin = name = None
    if kind == "sqlite":
        database = "sqlite:" + os.path.join(workdir, "dvk.sqlite")
    else:
        admin = PG.rsplit("/", 1)[0] + "/postgres"
        name = f"dvk_accounts_mail_{int(time.time() * 1000)}"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        database = PG.rsplit("/", 1)[0] + "/" + name
    env = environment(database, smtp.url())
    subprocess.run([BIN, "demo"], env=dict(env, DVK_SMTP_URL="", DVK_MAIL_FROM=""), check=True, capture_output=True)
    port = free_port()
    server = start(env, port)
    try:
        wait_healthy(port, server)
        yield Running(smtp, f"http://127.0.0.1:{port}", database)
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        if name:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


class Client:
    """A browser of sorts: its own cookies, redirects followed, every status kept."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = None

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as r:
                self.url = r.url
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            self.url = e.url
            return e.code, e.read().decode("utf-8", "replace")

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, fields):
        return self._open(urllib.request.Request(self.base + path, data=urllib.parse.urlencode(fields).encode(),
                                                 headers={"Content-Type": "application/x-www-form-urlencoded"}))

    @property
    def path(self):
        return urllib.parse.urlsplit(self.url).path

    def form(self, path, action, fields):
        """Posts the form of `path`'s page whose action is `action`, with its CSRF token."""
        status, page = self.get(path)
        assert status == 200, (path, status)
        form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', page, re.S)
        assert form, (path, action)
        token = re.search(r'name="_csrf" value="([^"]*)"', form.group(1)).group(1)
        return self.post(action, dict(fields, _csrf=token))

    def login(self, username, password=DEMO_PASSWORD):
        return self.form("/login", "/login", {"username": username, "password": password, "next": "/"})

    def signed_in_as(self, username):
        status, page = self.get("/account")
        return status == 200 and self.path == "/account" and f"<dd>{username}</dd>" in page


def links(message):
    """Every http(s) link of a message, from its plain text and its HTML."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return (set(re.findall(r"https?://[^\s<>\"']+", text)),
            set(re.findall(r'href="([^"]+)"', html)))


def local(link):
    """The link as this server answers it: only its path, under the test server's address."""
    assert link.startswith(PUBLIC + "/"), link
    return urllib.parse.urlsplit(link).path


# --- An invitation, followed from the email ---------------------------------------------------

@pytest.mark.parametrize("db", DATABASES)
def test_an_invitation_arrives_and_its_link_alone_sets_the_password_and_signs_in(db):
    name, address = "Trịnh Thị Mơ", "mo.trinh@truong.example.vn"
    with serving(db) as s:
        staff = Client(s.base)
        staff.login("longbien")
        assert staff.signed_in_as("longbien")
        status, page = staff.form("/users/new", "/users/new", {"fullName": name, "unitCode": "LB-GD-MNGT", "role": "",
                                                               "email": address, "phone": "", "title": "Chủ tịch Công đoàn"})
        assert status == 200, page
        assert "1 lời mời đã được đưa vào hàng gửi email." in page
        assert "/invite/" not in page, "a mailed invitation's link is never shown on the page"

        messages = s.delivered(1)
        assert len(messages) == 1, messages
        sender, recipients, raw = messages[0]
        assert recipients == [address] and sender == "dvk@ldld.example.vn"
        message = parse(raw)
        assert message["To"].addresses[0].addr_spec == address
        assert str(message["Subject"]).startswith("Lời mời dùng DVK")
        in_text, in_html = links(message)
        invitations = {link for link in in_text | in_html if "/invite/" in link}
        assert len(invitations) == 1 and invitations <= in_text and invitations <= in_html, (in_text, in_html)
        link = invitations.pop()
        assert re.fullmatch(re.escape(PUBLIC) + r"/invite/[A-Za-z0-9_-]{32,}", link), link
        text = message.get_body(("plain",)).get_content()
        assert name in text
        username = re.search(r"Tên đăng nhập:\s*(\S+)", text).group(1)

        # A new browser with the link and nothing else.
        officer = Client(s.base)
        status, page = officer.get(local(link))
        assert status == 200, page
        assert f"<dd>{name}</dd>" in page and f"<dd>{username}</dd>" in page and "<dd>Trường Mầm non Gia Thụy</dd>" in page
        status, page = officer.form(local(link), local(link), {"fullName": name, "password": "mẹ hiền dạy con lời hay",
                                                               "confirm": "mẹ hiền dạy con lời hay"})
        assert status == 200 and officer.path != "/login", (status, officer.url)
        assert "Chào mừng đến với DVK. Mật khẩu đã được đặt." in page
        assert officer.signed_in_as(username)
        # The link is spent.
        assert Client(s.base).get(local(link))[0] == 404
        # The password works for a new sign-in too.
        again = Client(s.base)
        again.login(username, "mẹ hiền dạy con lời hay")
        assert again.signed_in_as(username)
        assert len(s.smtp.recorder.messages) == 1


# --- "Quên mật khẩu?" --------------------------------------------------------------------------

def without_tokens(page):
    return re.sub(r'name="_csrf" value="[^"]*"', 'name="_csrf" value=""', page)


@pytest.mark.parametrize("db", DATABASES)
def test_forgot_password_answers_alike_mails_only_a_known_name_and_its_link_replaces_the_password(db):
    address, new_password = "mai.nguyen@ldld.example.vn", "cầu Long Biên bắc qua sông Hồng"
    with serving(db) as s:
        staff = Client(s.base)
        staff.login("longbien")
        status, page = staff.form("/account", "/account/email", {"email": address, "digest": ""})
        assert status == 200 and "Đã lưu địa chỉ email." in page, page
        assert s.outbox() == []

        visitor = Client(s.base)
        status, page = visitor.get("/forgot")
        assert status == 200 and 'name="name"' in page
        answers = []
        for name in ["longbien", "khong-co-ai-ten-nay"]:
            answers.append(visitor.form("/forgot", "/forgot", {"name": name}))
        (known_status, known), (unknown_status, unknown) = answers
        assert known_status == unknown_status == 200
        assert without_tokens(known) == without_tokens(unknown), "the answer tells a known name from an unknown one"
        assert "một liên kết đặt lại mật khẩu vừa được gửi tới email đó" in known
        # One message, to the known account's address; none for the unknown name.
        assert [(kind, to) for kind, to, _ in s.outbox()] == [("password_reset", address)]
        messages = s.delivered(1)
        assert len(messages) == 1 and messages[0][1] == [address], messages
        message = parse(messages[0][2])
        assert str(message["Subject"]) == "Đặt lại mật khẩu DVK"
        in_text, in_html = links(message)
        resets = {link for link in in_text | in_html if "/reset/" in link}
        assert len(resets) == 1 and resets <= in_text and resets <= in_html, (in_text, in_html)
        link = resets.pop()
        assert re.fullmatch(re.escape(PUBLIC) + r"/reset/[A-Za-z0-9_-]{32,}", link), link

        status, page = visitor.get(local(link))
        assert status == 200 and "<h1>Đặt mật khẩu mới</h1>" in page and "<dd>longbien</dd>" in page
        status, page = visitor.form(local(link), local(link), {"password": new_password, "confirm": new_password})
        assert status == 200 and "Đã đặt mật khẩu mới." in page, (status, visitor.url)
        assert visitor.signed_in_as("longbien")
        # The reset ended the account's other sessions.
        assert not staff.signed_in_as("longbien")
        # The old password no longer signs in; the new one does.
        old = Client(s.base)
        status, page = old.login("longbien", DEMO_PASSWORD)
        assert status == 401 and old.path == "/login" and 'role="alert"' in page
        assert not old.signed_in_as("longbien")
        new = Client(s.base)
        new.login("longbien", new_password)
        assert new.signed_in_as("longbien")
        # The link is spent, and nothing more was sent.
        assert Client(s.base).get(local(link))[0] == 404
        assert len(s.smtp.recorder.messages) == 1
