"""The registration round trip as people do it, in a real browser."""
from selenium.webdriver.common.by import By

from conftest import click_and_wait, login, shot

CAMPAIGN = "DVK-2024"
UNIT = "LB-GD-THNL"  # Trường Tiểu học Ngọc Lâm: has not started in the demo
UNIT_PAGE = f"/campaigns/{CAMPAIGN}/units/{UNIT}"


def summary_total(driver):
    cells = driver.find_elements(By.CSS_SELECTOR, "table.summary tr.total td.num")
    return [int(c.text) for c in cells]


def stat(driver, label):
    for box in driver.find_elements(By.CSS_SELECTOR, ".stat"):
        if box.find_element(By.CSS_SELECTOR, "span").text == label:
            return int(box.find_element(By.CSS_SELECTOR, "b").text.replace(".", ""))
    raise AssertionError("no stat " + label)


def add_initiative(driver, kind, name, title, sector, expected):
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "+ Thêm mô hình"))
    driver.find_element(By.CSS_SELECTOR, f"input[name=kind][value={kind}]").click()
    driver.find_element(By.NAME, "registrantName").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, f"select[name=sector] option[value={sector}]").click()
    driver.find_element(By.NAME, "title").send_keys(title)
    driver.find_element(By.NAME, "expectedResult").send_keys(expected)
    driver.find_element(By.NAME, "startDate").send_keys("01/03/2024")
    shot(driver, f"form-{kind}")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Lưu mô hình']"))
    assert "Đã thêm mô hình" in driver.find_element(By.CSS_SELECTOR, ".alert.ok").text


def test_register_submit_return_fix_resubmit_accept(server, browser):
    d = browser
    # Staff sees the completeness before.
    login(d, server, "longbien")
    d.get(server + f"/campaigns/{CAMPAIGN}")
    submitted_before = stat(d, "Đã nộp")
    shot(d, "dashboard-desktop")

    # The officer lands on the unit's page and registers two models.
    login(d, server, "ngoclam")
    assert d.current_url.endswith(UNIT_PAGE)
    assert "Chưa bắt đầu" in d.find_element(By.CSS_SELECTOR, ".badge").text
    assert summary_total(d) == [0, 0, 0, 0]
    add_initiative(d, "collective", "Tổ công đoàn Văn phòng", "Tủ sách đoàn viên", "van-hoa-xa-hoi", "Mỗi tháng 20 đầu sách")
    assert summary_total(d) == [1, 1, 0, 0]
    add_initiative(d, "individual", "Nguyễn Thị Thuỷ", "Lớp học số cho phụ huynh", "kinh-te", "100 phụ huynh dùng ứng dụng")
    assert summary_total(d) == [1, 1, 1, 1]
    assert "Đang soạn" in d.find_element(By.CSS_SELECTOR, ".badge").text
    shot(d, "unit-draft-desktop")

    # Submit through the confirmation that shows the summary.
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Nộp hồ sơ đăng ký…"))
    assert summary_total(d) == [1, 1, 1, 1]
    shot(d, "submit-confirm")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Nộp hồ sơ đăng ký']"))
    assert "Đã nộp hồ sơ đăng ký" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert "Chờ duyệt" in d.find_element(By.CSS_SELECTOR, ".badge").text
    assert not d.find_elements(By.LINK_TEXT, "+ Thêm mô hình")

    # Staff sees one more submitted unit and returns it with a reason.
    login(d, server, "longbien")
    d.get(server + f"/campaigns/{CAMPAIGN}")
    assert stat(d, "Đã nộp") == submitted_before + 1
    d.get(server + UNIT_PAGE)
    reason = "Mô hình cá nhân cần ghi rõ thời gian kết thúc."
    d.find_element(By.XPATH, "//summary[contains(., 'Trả lại hồ sơ cho đơn vị')]").click()
    d.find_element(By.NAME, "reason").send_keys(reason)
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Trả lại']"))
    assert "Đã trả lại hồ sơ" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    d.get(server + f"/campaigns/{CAMPAIGN}")
    assert stat(d, "Đã nộp") == submitted_before

    # The officer sees the reason, fixes and resubmits.
    login(d, server, "ngoclam")
    assert reason in d.find_element(By.CSS_SELECTOR, ".alert.error").text
    shot(d, "unit-returned")
    click_and_wait(d, d.find_elements(By.LINK_TEXT, "Sửa")[-1])
    d.find_element(By.NAME, "endDate").send_keys("31/12/2024")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Lưu mô hình']"))
    assert "Đã lưu mô hình" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert "31/12/2024" in d.find_element(By.CSS_SELECTOR, "ol.initiatives").get_attribute("textContent")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Nộp lại hồ sơ đăng ký…"))
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Nộp lại hồ sơ đăng ký']"))
    assert "Chờ duyệt" in d.find_element(By.CSS_SELECTOR, ".badge").text

    # Staff accepts; the history tells the whole story.
    login(d, server, "longbien")
    d.get(server + UNIT_PAGE)
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Duyệt']"))
    assert "Đã duyệt" in d.find_element(By.CSS_SELECTOR, ".badge").text
    history = d.find_element(By.CSS_SELECTOR, "ul.history").text
    for step in ["Phạm Thu Hằng (CĐCS Tiểu học Ngọc Lâm) nộp hồ sơ đăng ký lúc",
                 "Nguyễn Thị Mai (LĐLĐ quận Long Biên) trả lại hồ sơ để chỉnh sửa, bổ sung lúc",
                 "Phạm Thu Hằng (CĐCS Tiểu học Ngọc Lâm) nộp lại hồ sơ lúc",
                 "Nguyễn Thị Mai (LĐLĐ quận Long Biên) duyệt hồ sơ lúc"]:
        assert step in history, history
    d.get(server + f"/campaigns/{CAMPAIGN}")
    assert stat(d, "Đã nộp") == submitted_before + 1
    shot(d, "dashboard-after")


def test_wrong_password_is_refused_in_vietnamese(server, browser):
    browser.get(server + "/login")
    browser.find_element(By.NAME, "username").send_keys("ngoclam")
    browser.find_element(By.NAME, "password").send_keys("sai-mat-khau")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button"))
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in browser.find_element(By.CSS_SELECTOR, ".alert.error").text


def test_an_officer_cannot_open_another_units_page(server, browser):
    login(browser, server, "maydg")
    browser.get(server + UNIT_PAGE)
    assert "Không tìm thấy" in browser.find_element(By.TAG_NAME, "h1").text
