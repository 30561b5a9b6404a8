"""Dates as Vietnamese offices write them, whatever the browser's language: in an English
and in a Vietnamese Chromium, a day typed as dd/mm/yyyy on the campaign form is stored as that
day and shown back as dd/mm/yyyy, and the deadline's time is on the 24-hour clock."""
import sqlite3
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import SERVER_ENV, click_and_wait, login, make_driver, shot


def stored_issue_day():
    db = sqlite3.connect(SERVER_ENV["DATABASE_URL"][len("sqlite:"):])
    return db.execute("SELECT issued_on FROM campaigns WHERE code = 'DVK-2024'").fetchone()[0]


@pytest.mark.parametrize("lang,typed,stored", [("en-US", "05/02/2024", "2024-02-05"), ("vi-VN", "06/02/2024", "2024-02-06")])
def test_a_day_typed_as_dd_mm_yyyy_is_that_day_in_any_browser_language(server, lang, typed, stored):
    d = make_driver(1280, 1000, lang=lang)
    try:
        login(d, server, "longbien")
        d.get(server + "/campaigns/DVK-2024/edit")
        assert d.execute_script("return navigator.language").split("-")[0] == lang.split("-")[0]
        field = d.find_element(By.ID, "issued_on")
        assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "ngày/tháng/năm"
        time_field = d.find_element(By.ID, "deadline_time")
        assert time_field.get_attribute("type") == "text" and time_field.get_attribute("value") == "00:00"
        field.clear()
        field.send_keys(typed)
        shot(d, f"campaign-form-dates-{lang}")
        save = d.find_element(By.CSS_SELECTOR, "form[action='/campaigns/DVK-2024/edit'] button[type=submit]")
        click_and_wait(d, save)
        for _ in range(50):
            if stored_issue_day() == stored:
                break
            time.sleep(0.1)
        assert stored_issue_day() == stored, d.page_source[:2000]
        d.get(server + "/campaigns/DVK-2024/edit")
        assert d.find_element(By.ID, "issued_on").get_attribute("value") == typed
        assert d.find_element(By.ID, "deadline_date").get_attribute("value") == "16/02/2024"
    finally:
        d.quit()


def test_the_keyboard_starts_at_a_refused_forms_errors_and_can_skip_the_header(server):
    d = make_driver(1280, 1000)
    try:
        login(d, server, "longbien")
        d.get(server + "/campaigns/DVK-2024/edit")
        field = d.find_element(By.ID, "deadline_date")
        field.clear()
        d.execute_script("arguments[0].removeAttribute('required'); arguments[0].removeAttribute('pattern');", field)
        field.send_keys("31/02/2024")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form[action='/campaigns/DVK-2024/edit'] button[type=submit]"))
        focused = d.switch_to.active_element
        assert focused.get_attribute("id") == "error-summary", focused.get_attribute("outerHTML")[:200]
        bad = d.find_element(By.ID, "deadline_date")
        assert bad.get_attribute("aria-invalid") == "true"
        message = d.find_element(By.ID, bad.get_attribute("aria-describedby"))
        assert "không hợp lệ" in message.text
        # The first Tab reaches the skip link, which leads to the main content.
        d.get(server + "/campaigns/DVK-2024")
        d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        skip = d.switch_to.active_element
        assert skip.text == "Bỏ qua, đến nội dung chính" and skip.get_attribute("href").endswith("#main-content")
    finally:
        d.quit()
