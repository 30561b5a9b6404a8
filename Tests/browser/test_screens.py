"""The screens of issue 22 in a real browser, at 1280 and 390 px: the officer reads what the
campaign asks and downloads its letter; the return loop seen from both sides; a new
grassroots union joins the open campaign; the review queue and the year page are searched
without diacritics.

Each test runs its own server on its own copy of the demo database (conftest's `site`):
these tests submit, return and create units, which the other browser tests, sharing
conftest's `server`, must not see."""
import os
import re
import subprocess
import tempfile
import unicodedata
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import click_and_wait, login, make_driver, shot
from test_flow import add_initiative

CAMPAIGN = "DVK-2024"
UNIT = "LB-GD-THNL"  # Trường Tiểu học Ngọc Lâm, ngoclam's unit: not started in the demo
UNIT_PAGE = f"/campaigns/{CAMPAIGN}/units/{UNIT}"


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def screen(request):
    """A browser at the width: 1280 px, or a phone's 390 px (emulated, as conftest's `phone`)."""
    width = request.param
    driver = make_driver(1280 if width > 500 else 500, 1000 if width > 500 else 844)
    if width < 500:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": False})
        driver.get("about:blank")
        assert driver.execute_script("return window.innerWidth") == width
    yield driver
    driver.quit()


def width_of(d):
    return d.execute_script("return window.innerWidth")


def fits(d):
    return d.execute_script("return document.documentElement.scrollWidth") <= width_of(d)


def fold(text):
    """Lower case without diacritics, đ as d: how DVK's searches compare."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def fetch(d, url):
    """GETs `url` with the browser's session: status, content type, body."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return unicodedata.normalize("NFC", subprocess.run(["pdftotext", "-raw", f.name, "-"], check=True,
                                                           capture_output=True, text=True).stdout)


def test_the_officer_reads_what_is_asked_and_downloads_the_letter(site, screen):
    d = screen
    login(d, site.base, "ngoclam")
    assert d.current_url.endswith(UNIT_PAGE)
    card = d.find_element(By.XPATH, "//details[summary[contains(., 'Đợt thi đua này yêu cầu gì')]]")
    assert card.get_attribute("open") is not None, "open until the unit hands in"
    text = card.text
    for part in ["Công văn số", "Lĩnh vực: Lĩnh vực kinh tế", "Mỗi mô hình đăng ký gồm:", "Hạn nộp:", "Cần hỏi thêm:"]:
        assert part in text, (part, text)
    # Above the fold's first screen, before the models.
    assert card.location["y"] < d.find_element(By.CSS_SELECTOR, "table.summary").location["y"]
    assert fits(d)
    shot(d, f"what-is-asked-{width_of(d)}")
    status, kind, body = fetch(d, card.find_element(By.LINK_TEXT, "Tải công văn (PDF)").get_attribute("href"))
    assert status == 200 and kind == "application/pdf"
    letter = pdf_text(body)
    assert "Dân vận khéo" in letter and "LONG BIÊN" in letter, letter[:400]
    assert "TRƯỜNG TIỂU HỌC NGỌC LÂM" not in letter, "the issuer's letter, not the school's"


def test_the_return_loop_seen_from_both_sides(site, browser):
    d = browser
    # The officer registers one model and hands in.
    login(d, site.base, "ngoclam")
    add_initiative(d, "collective", "Tổ công đoàn Văn phòng", "Tủ sách đoàn viên", "van-hoa-xa-hoi", "Mỗi tháng 20 đầu sách")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Nộp hồ sơ đăng ký…"))
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Nộp hồ sơ đăng ký']"))

    # The clerk returns it, with a reason and a comment on the model.
    login(d, site.base, "longbien")
    d.get(site.base + UNIT_PAGE)
    d.find_element(By.CSS_SELECTOR, "textarea[name^=comment-]").send_keys("Ghi rõ số đầu sách mỗi quý")
    d.find_element(By.XPATH, "//summary[contains(., 'Trả lại hồ sơ cho đơn vị')]").click()
    d.find_element(By.NAME, "reason").send_keys("Bổ sung kết quả dự kiến theo quý.")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Trả lại']"))
    assert "Đã trả lại hồ sơ" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text

    # The officer edits with the reason and the comment in view of the form.
    login(d, site.base, "ngoclam")
    click_and_wait(d, d.find_elements(By.LINK_TEXT, "Sửa")[-1])
    form_page = d.find_element(By.TAG_NAME, "main").text
    assert "Lý do: Bổ sung kết quả dự kiến theo quý." in form_page, form_page[:600]
    assert "Góp ý cho mô hình này: Ghi rõ số đầu sách mỗi quý" in form_page
    shot(d, "return-edit-form")
    expected = d.find_element(By.NAME, "expectedResult")
    expected.clear()
    expected.send_keys("Mỗi quý 60 đầu sách")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Lưu mô hình']"))
    message = d.find_element(By.CSS_SELECTOR, ".alert.ok")
    assert "Đã lưu mô hình" in message.text
    WebDriverWait(d, 5).until(lambda _: d.switch_to.active_element == message)
    assert "Sửa “Tủ sách đoàn viên”: Kết quả dự kiến" in d.find_element(By.CSS_SELECTOR, "ul.history").text
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Nộp lại hồ sơ đăng ký…"))
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Nộp lại hồ sơ đăng ký']"))

    # The clerk sees which model changed, and what.
    login(d, site.base, "longbien")
    d.get(site.base + UNIT_PAGE)
    models = d.find_element(By.CSS_SELECTOR, "ol.initiatives").text
    assert "Đã sửa sau khi trả lại" in models and "Kết quả dự kiến" in models, models[:600]
    shot(d, "return-reviewer")


def test_a_new_grassroots_union_joins_the_open_campaign(site, browser):
    d = browser
    login(d, site.base, "longbien")
    d.get(site.base + f"/campaigns/{CAMPAIGN}")
    before = d.find_element(By.CSS_SELECTOR, ".coverage").text
    d.get(site.base + "/units/new")
    d.find_element(By.NAME, "parent").clear()
    d.find_element(By.NAME, "parent").send_keys("LB")
    d.find_element(By.NAME, "code").send_keys("LB-THU-NGHIEM")
    d.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=grassroots]").click()
    d.find_element(By.NAME, "name").send_keys("Công đoàn Công ty TNHH Thử Nghiệm")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Thêm đơn vị']"))
    message = d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert "Đã thêm đơn vị “Công đoàn Công ty TNHH Thử Nghiệm”" in message and "Đơn vị đã được đưa vào đợt" in message, message
    assert "Đã tham gia" in d.find_element(By.TAG_NAME, "main").text
    shot(d, "unit-joined")
    # The campaign counts it at once: one more unit expected.
    d.get(site.base + f"/campaigns/{CAMPAIGN}")
    after = d.find_element(By.CSS_SELECTOR, ".coverage").text
    def expected(coverage):
        return int(re.search(r"(\d[\d.]*)/(\d[\d.]*) đơn vị đã nộp", coverage).group(2).replace(".", ""))
    assert expected(after) == expected(before) + 1, (before, after)
    # Its page in the campaign: not started, the campaign's letter there to read.
    d.get(site.base + f"/campaigns/{CAMPAIGN}/units/LB-THU-NGHIEM")
    assert "Chưa bắt đầu" in d.find_element(By.CSS_SELECTOR, ".badge").text
    assert "Đợt thi đua này yêu cầu gì" in d.find_element(By.TAG_NAME, "main").text


def test_the_queue_and_the_year_page_are_searched_without_diacritics(site, screen):
    d = screen
    login(d, site.base, "longbien")
    d.get(site.base + f"/campaigns/{CAMPAIGN}/queue")
    everyone = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    box = d.find_element(By.ID, "q")
    box.send_keys("ngoc lam")
    click_and_wait(d, d.find_element(By.XPATH, "//form[@role='search']//button"))
    rows = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert 0 < len(rows) < len(everyone)
    for row in rows:
        assert "ngoc lam" in fold(row.text), row.text
    assert fits(d)
    shot(d, f"queue-search-{width_of(d)}")

    d.get(site.base + f"/campaigns/{CAMPAIGN}/year?show=all")
    all_models = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(all_models) > 1
    word = "tiet kiem"
    d.find_element(By.ID, "q").send_keys(word)
    click_and_wait(d, d.find_element(By.XPATH, "//form[@role='search']//button"))
    found = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert 0 < len(found) < len(all_models)
    for row in found:
        assert word in fold(row.text), row.text
    assert fits(d)
    shot(d, f"year-search-{width_of(d)}")
