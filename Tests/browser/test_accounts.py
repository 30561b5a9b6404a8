"""Accounts in a real browser: a federation clerk makes one officer account per grassroots
union that has none, an officer follows an invitation on a phone, a staff member sets up
two-factor and signs in with a code and with a recovery code (each once), and axe-core on
every page of accounts.

Each test runs its own server on its own copy of the demo database (made once for the
module): these tests make accounts by the dozen and turn two-factor on for a demo user, which
the other browser tests, sharing conftest's `server`, must not see."""
import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import click_and_wait, login, shot
from test_accessibility import axe_here, violations

FEDERATION = "LB"
CLERK = "longbien"
STAFF_2FA = "giaoduc"
GOOD_PASSWORD = "hoa sữa nở trắng sân trường"
WEAK_PASSWORD = "matkhau123"  # ten characters, so the browser's minlength lets it through to the server
INVITED = "Đã mời, chưa nhận"


# --- A server of its own, on a copy of the demo ---------------------------------------------

def query(site, sql, *args):
    db = sqlite3.connect(site.db)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def fits(driver, width=390):
    return driver.execute_script("return document.documentElement.scrollWidth") <= width


# --- TOTP (RFC 6238 over RFC 4226), computed apart from DVK ---------------------------------

def totp(secret_b32, at, step=30, digits=6):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at // step)), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def test_totp_matches_rfc_6238_test_vectors():
    # RFC 6238, appendix B (SHA1, the 20-byte ASCII secret "12345678901234567890", 8 digits).
    secret = base64.b32encode(b"12345678901234567890").decode()
    for at, code in [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")]:
        assert totp(secret, at, digits=8) == code


# --- a. One account per grassroots union without one -----------------------------------------

def grassroots_without_officer(site, federation):
    """The oracle, apart from DVK: grassroots unions below `federation` with an email and no
    officer account that is not disabled."""
    return dict(query(site, """
        WITH RECURSIVE below(id) AS (SELECT id FROM units WHERE code = ?
                                     UNION ALL SELECT u.id FROM units u JOIN below b ON u.parent_id = b.id)
        SELECT n.code, n.name FROM units n WHERE n.id IN (SELECT id FROM below) AND n.kind = 'grassroots' AND n.email <> ''
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.unit_id = n.id AND u.role = 'officer' AND u.disabled = 0)""", federation))


def people_rows(driver):
    """The people page's table: (name, username, role, unit, status) a row."""
    rows = []
    for tr in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"):
        cells = {td.get_attribute("data-label"): td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")}
        rows.append((cells["Họ và tên"], cells["Tên đăng nhập"], cells["Vai trò"], cells["Đơn vị"], cells["Trạng thái"]))
    return rows


def test_a_clerk_makes_one_officer_account_for_each_union_without_one(site, browser):
    d = browser
    expected = grassroots_without_officer(site, FEDERATION)
    assert len(expected) >= 10, expected
    users_before = query(site, "SELECT COUNT(*) FROM users")[0][0]
    login(d, site.base, CLERK)
    d.get(site.base + "/units")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Tạo tài khoản cho các đơn vị chưa có tài khoản"))
    assert d.current_url == site.base + f"/units/{FEDERATION}/accounts"
    shot(d, "accounts-for-units")
    intro = d.find_element(By.CSS_SELECTOR, "main h1 + p").text
    announced = re.search(r"^([\d.]+) công đoàn cơ sở thuộc (.+?) có email nhưng chưa có tài khoản cán bộ", intro)
    assert announced, intro
    count = int(announced.group(1).replace(".", ""))
    assert announced.group(2) == "Liên đoàn Lao động quận Long Biên"
    assert count == len(expected), (count, sorted(expected))
    boxes = d.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=unit]")
    assert {b.get_attribute("value") for b in boxes} == set(expected)
    assert all(b.is_selected() for b in boxes)
    button = d.find_element(By.XPATH, "//main//form//button[@type='submit']")
    assert button.text == f"Tạo {count} tài khoản và gửi lời mời"

    # The page asks before making them (the button carries the question); the clerk confirms.
    button.click()
    try:
        alert = WebDriverWait(d, 3).until(EC.alert_is_present())
        question = alert.text
        alert.accept()
    except TimeoutException:
        question = None
    WebDriverWait(d, 10).until(lambda driver: driver.find_element(By.TAG_NAME, "h1").text == "Đã tạo tài khoản cho các đơn vị")
    shot(d, "accounts-for-units-made")
    assert f"{count} tài khoản chưa có mật khẩu" in d.find_element(By.CSS_SELECTOR, "main h1 + p").text
    handed = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(handed) == count
    # No mail here: each link is shown once, with a letter to print for all of them.
    assert len(d.find_elements(By.CSS_SELECTOR, "td[data-label='Lời mời'] code")) == count
    letters = d.find_element(By.CSS_SELECTOR, "form[action='/users/letters.pdf'] button")
    assert letters.text == f"Tải thư mời để in (PDF, {count} thư)"

    # The people page lists them as invited, each at one of those unions.
    d.get(site.base + "/users?status=invited")
    assert d.find_element(By.CSS_SELECTOR, "main p[role=status]").text == f"{count} tài khoản."
    rows = people_rows(d)
    assert len(rows) == count
    assert all(r[2] == "Cán bộ công đoàn cơ sở" and r[4] == INVITED for r in rows), rows
    assert sorted(r[3] for r in rows) == sorted(expected.values())
    d.get(site.base + "/users")
    assert sum(1 for r in people_rows(d) if r[4] == INVITED) == count
    # In the database: one officer without a password at each of those unions, nothing else.
    made = query(site, """
        SELECT n.code, u.role, u.password_hash, u.password_set_at, u.email FROM users u JOIN units n ON n.id = u.unit_id
        WHERE u.password_set_at IS NULL""")
    assert sorted(m[0] for m in made) == sorted(expected)
    assert all(m[1] == "officer" and m[2] == "" and m[3] is None for m in made)
    assert {m[4] for m in made} == {f"cd.{code.lower()}@congdoan.example.vn" for code in expected}
    assert query(site, "SELECT COUNT(*) FROM users")[0][0] == users_before + count
    # And the page now has nobody left to make an account for.
    d.get(site.base + f"/units/{FEDERATION}/accounts")
    assert "đều đã có tài khoản cán bộ" in d.find_element(By.CSS_SELECTOR, "main h1 + p").text
    assert not d.find_elements(By.CSS_SELECTOR, "input[name=unit]")
    assert grassroots_without_officer(site, FEDERATION) == {}
    # Checked last, so that the rest is known to work either way.
    assert question is not None, "the browser did not ask before making the accounts (the button's data-confirm was not honoured)"
    assert "Tạo tài khoản" in question, question


# --- b. An invitation followed on a phone ----------------------------------------------------

def create_person(d, base, name, unit, title="", email=""):
    """Staff's form: returns (username, link shown once, the handover page's person link)."""
    d.get(base + "/users/new")
    d.find_element(By.NAME, "fullName").send_keys(name)
    d.find_element(By.NAME, "unitCode").send_keys(unit)
    if title:
        d.find_element(By.NAME, "title").send_keys(title)
    if email:
        d.find_element(By.NAME, "email").send_keys(email)
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Tạo tài khoản và gửi lời mời']"))
    assert d.find_element(By.TAG_NAME, "h1").text == "Đã tạo tài khoản"
    row = d.find_element(By.CSS_SELECTOR, "table.list tbody tr")
    username = row.find_element(By.CSS_SELECTOR, "td[data-label='Tên đăng nhập']").text
    link = row.find_element(By.CSS_SELECTOR, "td[data-label='Lời mời'] code").text
    person = row.find_element(By.CSS_SELECTOR, "td[data-label='Họ và tên'] a").get_attribute("href")
    return username, link, person


def facts(driver):
    return {dt.text: dd.text for dt, dd in zip(driver.find_elements(By.CSS_SELECTOR, "dl.facts dt"),
                                                driver.find_elements(By.CSS_SELECTOR, "dl.facts dd"))}


def set_password(driver, password, confirm=None):
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.NAME, "confirm").send_keys(password if confirm is None else confirm)
    click_and_wait(driver, driver.find_element(By.XPATH, "//main//button[@type='submit']"))


def test_b_an_officer_follows_the_invitation_on_a_phone(site, browser, phone):
    name, unit, unit_name = "Đỗ Thị Lan", "LB-GD-MNHS", "Trường Mầm non Hoa Sữa"
    login(browser, site.base, CLERK)
    username, link, person = create_person(browser, site.base, name, unit, title="Chủ tịch Công đoàn")
    assert re.fullmatch(re.escape(site.base) + r"/invite/[A-Za-z0-9_-]{32,}", link), link
    # Shown once: the person's page, looked at again, does not show it.
    browser.get(person)
    assert link.rsplit("/", 1)[1] not in browser.page_source

    p = phone
    p.get(link)
    shot(p, "phone-invitation")
    assert p.find_element(By.TAG_NAME, "h1").text == "Chào mừng đến với DVK"
    shown = facts(p)
    assert shown == {"Họ và tên": name, "Tên đăng nhập": username, "Vai trò": "Cán bộ công đoàn cơ sở",
                     "Đơn vị": unit_name}
    assert fits(p), "the invitation's page scrolls sideways at 390 px"

    # A common password is refused, in Vietnamese, and nothing is set.
    set_password(p, WEAK_PASSWORD)
    error = p.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    assert "Mật khẩu này quá phổ biến" in error, error
    assert p.find_element(By.TAG_NAME, "h1").text == "Chào mừng đến với DVK"
    assert query(site, "SELECT password_set_at FROM users WHERE username = ?", username) == [(None,)]
    assert fits(p), "the refused form scrolls sideways at 390 px"
    shot(p, "phone-invitation-refused")

    set_password(p, GOOD_PASSWORD)
    assert "Chào mừng đến với DVK. Mật khẩu đã được đặt." in p.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert fits(p), "the first page after the invitation scrolls sideways at 390 px"
    shot(p, "phone-invitation-accepted")
    p.get(site.base + "/account")
    assert p.current_url == site.base + "/account"
    assert facts(p)["Tên đăng nhập"] == username
    assert fits(p)

    # The link is dead now, for everyone.
    p.delete_all_cookies()
    p.get(link)
    assert "Liên kết này không còn dùng được" in p.find_element(By.TAG_NAME, "main").text
    assert not p.find_elements(By.NAME, "password")
    assert fits(p)
    status = 0
    try:
        urllib.request.urlopen(link, timeout=10)
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 404
    # And the password set through it signs in.
    login(p, site.base, username, GOOD_PASSWORD)
    p.get(site.base + "/account")
    assert p.current_url == site.base + "/account"


# --- c. Two-factor ----------------------------------------------------------------------------

def log_out(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))


def otpauth(driver):
    """The setup page's otpauth URI, read as text (it is inside a closed <details>)."""
    uri = driver.find_element(By.XPATH, "//details[summary[contains(., 'otpauth')]]//code").get_attribute("textContent").strip()
    parts = urllib.parse.urlsplit(uri)
    return uri, parts, dict(urllib.parse.parse_qsl(parts.query))


def turn_on_two_factor(d, base):
    """On /account/two-factor: the secret from the URI, a code computed here; returns the
    secret and the recovery codes shown."""
    d.get(base + "/account/two-factor")
    uri, parts, params = otpauth(d)
    secret = params["secret"]
    d.find_element(By.NAME, "code").send_keys(totp(secret, time.time()))
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận và bật']"))
    codes = [c.text for c in d.find_elements(By.CSS_SELECTOR, "ol.codes li code")]
    return secret, codes


def second_step(d, base, username, code):
    """Signs in with the password; the second step must come; `code` is typed there."""
    login(d, base, username)
    assert urllib.parse.urlsplit(d.current_url).path == "/login/two-factor", d.current_url
    assert d.find_element(By.TAG_NAME, "h1").text == "Xác thực hai lớp"
    d.find_element(By.NAME, "code").send_keys(code)
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận']"))


def signed_in(d, base):
    d.get(base + "/account")
    return urllib.parse.urlsplit(d.current_url).path == "/account"


def test_c_two_factor_is_set_up_with_a_computed_code_and_signs_in_with_codes(site, browser):
    d = browser
    login(d, site.base, STAFF_2FA)
    d.get(site.base + "/account/two-factor")
    shot(d, "two-factor-setup")
    uri, parts, params = otpauth(d)
    assert parts.scheme == "otpauth" and parts.netloc == "totp", uri
    assert urllib.parse.unquote(parts.path) == f"/DVK:{STAFF_2FA}", uri
    assert {k: params.get(k) for k in ("issuer", "algorithm", "digits", "period")} == \
        {"issuer": "DVK", "algorithm": "SHA1", "digits": "6", "period": "30"}, uri
    secret = params["secret"]
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) >= 16
    assert secret in d.find_element(By.XPATH, "//p[starts-with(., 'Khóa bí mật')]/code").text
    assert d.find_element(By.CSS_SELECTOR, "svg.qr[role=img]")
    # A wrong code (that of five minutes on) is refused and leaves two-factor off.
    now = time.time()
    wrong = totp(secret, now + 300)
    if wrong not in {totp(secret, now + k * 30) for k in (-1, 0, 1, 2)}:
        d.find_element(By.NAME, "code").send_keys(wrong)
        click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận và bật']"))
        assert "Mã không đúng" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
        assert otpauth(d)[2]["secret"] == secret, "the secret being set up changed on a wrong code"
        assert query(site, "SELECT totp_enabled_at FROM users WHERE username = ?", STAFF_2FA) == [(None,)]
    d.find_element(By.NAME, "code").send_keys(totp(secret, time.time()))
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận và bật']"))
    shot(d, "two-factor-codes")
    assert "Đã bật xác thực hai lớp." in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    codes = [c.text for c in d.find_elements(By.CSS_SELECTOR, "ol.codes li code")]
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    assert all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes), codes
    # Shown once: the page again shows how many are left, not the codes.
    d.get(site.base + "/account/two-factor")
    assert "Còn 10 mã khôi phục chưa dùng." in d.find_element(By.TAG_NAME, "main").text
    assert not any(c in d.page_source for c in codes)
    log_out(d)
    assert not signed_in(d, site.base)

    # The password alone is not enough: the second step asks for a code.
    login(d, site.base, STAFF_2FA)
    assert urllib.parse.urlsplit(d.current_url).path == "/login/two-factor"
    shot(d, "two-factor-second-step")
    assert d.find_element(By.CSS_SELECTOR, "label[for=code]").text == "Mã xác thực hoặc mã khôi phục"
    d.get(site.base + "/account")
    assert urllib.parse.urlsplit(d.current_url).path == "/login", "signed in without the second step"

    # A code computed here signs in. That of the next step: the one used to turn it on may
    # not be used again, and the next is within the step of drift DVK allows.
    second_step(d, site.base, STAFF_2FA, totp(secret, time.time() + 30))
    assert signed_in(d, site.base)
    log_out(d)

    # A wrong code: refused, not signed in.
    login(d, site.base, STAFF_2FA)
    d.find_element(By.NAME, "code").send_keys("not-a-code")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận']"))
    assert "Mã không đúng" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    assert not signed_in(d, site.base)

    # A recovery code signs in once...
    second_step(d, site.base, STAFF_2FA, codes[3].upper())
    assert signed_in(d, site.base)
    d.get(site.base + "/account/two-factor")
    assert "Còn 9 mã khôi phục chưa dùng." in d.find_element(By.TAG_NAME, "main").text
    log_out(d)
    # ...and not twice.
    second_step(d, site.base, STAFF_2FA, codes[3])
    assert "Mã không đúng" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    assert not signed_in(d, site.base)
    # Another one still does.
    second_step(d, site.base, STAFF_2FA, codes[7])
    assert signed_in(d, site.base)
    assert query(site, "SELECT COUNT(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id "
                       "WHERE u.username = ? AND r.used_at IS NULL", STAFF_2FA) == [(8,)]


# --- d. axe-core on the pages of accounts ------------------------------------------------------

def test_d_no_wcag_violation_on_the_pages_of_accounts(site, browser):
    d = browser
    found = {}

    def check(label, path=None):
        result = violations(d, site.base + path) if path else axe_here(d)
        if result:
            found[label] = result

    check("/forgot", "/forgot")
    login(d, site.base, CLERK)
    for path in ["/users", "/users?status=invited&q=hoa", "/users/new", "/users/import", f"/units/{FEDERATION}/accounts",
                 "/units/LB-GD/accounts", "/account/two-factor"]:
        check(path, path)
    # The form refused, with its messages.
    d.get(site.base + "/users/new")
    d.find_element(By.NAME, "fullName").send_keys("x\u0301\u0302\u0303")
    d.find_element(By.NAME, "unitCode").send_keys("KHONG-CO")  # (the browser itself refuses an empty one)
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Tạo tài khoản và gửi lời mời']"))
    assert d.find_elements(By.CSS_SELECTOR, "main [role=alert], main .error")
    check("/users/new (refused)")
    # The handover page, a person's page, and the invitation it made.
    username, link, person = create_person(d, site.base, "Ngô Thị Thu", "LB-GD-MNBD", title="Phó Chủ tịch")
    check("handover (link shown once)")
    check("/users/:id", urllib.parse.urlsplit(person).path)
    d.get(site.base + "/users/import")
    d.find_element(By.NAME, "file").send_keys(write_csv("Mã đơn vị,Họ và tên\nKHONG-CO,Ai đó\n"))
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Tạo tài khoản và gửi lời mời']"))
    assert "Tệp có 1 dòng lỗi" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    check("/users/import (bad lines)")
    log_out(d)
    check("/invite/:token", urllib.parse.urlsplit(link).path)
    d.find_element(By.NAME, "password").send_keys(WEAK_PASSWORD)
    d.find_element(By.NAME, "confirm").send_keys(WEAK_PASSWORD)
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[@type='submit']"))
    assert "quá phổ biến" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    check("/invite/:token (refused)")
    # Two-factor: its setup, the recovery codes, the second step of a sign-in (and refused).
    login(d, site.base, STAFF_2FA)
    check("/account/two-factor", "/account/two-factor")
    turn_on_two_factor(d, site.base)
    check("/account/two-factor (recovery codes)")
    log_out(d)
    login(d, site.base, STAFF_2FA)
    assert urllib.parse.urlsplit(d.current_url).path == "/login/two-factor"
    check("/login/two-factor")
    d.find_element(By.NAME, "code").send_keys("123")
    click_and_wait(d, d.find_element(By.XPATH, "//main//button[text()='Xác nhận']"))
    assert "Mã không đúng" in d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    check("/login/two-factor (refused)")
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def write_csv(text):
    folder = tempfile.mkdtemp(prefix="dvk-accounts-csv-")
    path = os.path.join(folder, "tai-khoan.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
