"""A federation clerk's review day: from the queue, unit after unit, in a real browser."""
import subprocess

from selenium.webdriver.common.by import By

from conftest import BIN, SERVER_ENV, click_and_wait, login, shot

CAMPAIGN = "DVK-2024"


def unit_code(driver):
    return driver.current_url.split("/units/")[1].split("?")[0].split("#")[0]


def test_clerk_reviews_three_units_from_the_queue(server, browser):
    d = browser
    login(d, server, "longbien")
    d.get(server + f"/campaigns/{CAMPAIGN}")
    waiting = int(d.find_element(By.PARTIAL_LINK_TEXT, "Hàng chờ duyệt").text.split("(")[1].rstrip(")").replace(".", ""))
    assert waiting >= 3
    # The card opens the table filtered, at the table.
    click_and_wait(d, d.find_element(By.XPATH, "//a[contains(@class,'stat')][span[text()='Chờ duyệt']]"))
    assert d.current_url.endswith("?status=waiting_review#cac-don-vi")
    assert d.execute_script("return window.scrollY") > 200
    shot(d, "dashboard-filtered")

    d.get(server + f"/campaigns/{CAMPAIGN}/queue")
    shot(d, "queue")
    first_row = d.find_element(By.CSS_SELECTOR, "table.list tbody tr td:nth-child(2) a").text
    click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, "Bắt đầu duyệt"))
    assert first_row in d.find_element(By.TAG_NAME, "h1").text
    # The review bar is first, and every field of every initiative can be read.
    bar = d.find_element(By.CSS_SELECTOR, ".review-bar")
    assert bar.location["y"] < d.find_element(By.CSS_SELECTOR, "ol.initiatives").location["y"]
    d.find_element(By.XPATH, "//summary[text()='Xem toàn bộ nội dung']").click()
    assert "Kết quả dự kiến" in d.find_element(By.CSS_SELECTOR, "ol.initiatives details[open]").text
    shot(d, "review-unit")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Duyệt và sang đơn vị tiếp']"))
    assert "Đã duyệt hồ sơ" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text

    # The second: returned with a comment on its first initiative.
    returned = unit_code(d)
    comment = "Đề nghị ghi rõ số đoàn viên tham gia."
    d.find_element(By.XPATH, "//summary[contains(., 'Trả lại hồ sơ cho đơn vị')]").click()
    d.find_element(By.NAME, "reason").send_keys("Cần bổ sung số liệu.")
    d.find_element(By.CSS_SELECTOR, "ol.initiatives textarea[name^=comment-]").send_keys(comment)
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Trả lại và sang đơn vị tiếp']"))
    assert "Đã trả lại hồ sơ" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert unit_code(d) != returned

    # The third: accepted.
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Duyệt']"))
    assert "Đã duyệt" in d.find_element(By.CSS_SELECTOR, ".badge").text
    d.get(server + f"/campaigns/{CAMPAIGN}")
    assert int(d.find_element(By.PARTIAL_LINK_TEXT, "Hàng chờ duyệt").text.split("(")[1].rstrip(")")) == waiting - 3

    # The returned unit's officer sees the comment beside its initiative.
    subprocess.run([BIN, "user", "create", "--username", "cdcs-tra-lai", "--password", "hoa-phuong-do-ruc", "--role", "officer",
                    "--unit", returned], env=SERVER_ENV, check=True, capture_output=True)
    login(d, server, "cdcs-tra-lai", password="hoa-phuong-do-ruc")
    d.get(server + f"/campaigns/{CAMPAIGN}/units/{returned}")
    assert "Cần bổ sung số liệu." in d.find_element(By.CSS_SELECTOR, ".alert.error").text
    assert comment in d.find_element(By.CSS_SELECTOR, "ol.initiatives .review-comment").text
    shot(d, "unit-returned-with-comment")
