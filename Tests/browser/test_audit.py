"""Issue 24 in a real browser, at 1280 and 390 px: an officer renames a model; the clerk above
finds who changed its title, when, and from what to what, in a few clicks from the menu, on
/audit, searching without diacritics; axe-core finds nothing on the page.

On its own copy of the demo (conftest's `site`): the test writes."""
from selenium.webdriver.common.by import By

from conftest import click_and_wait, login, shot
from test_accessibility import axe_here
from test_flow import add_initiative
from test_screens import UNIT_PAGE, fits, screen, width_of  # noqa: F401  (the fixture)


def open_menu_link(d, text):
    """The main menu's link, through the phone's "Menu" when the bar is folded."""
    links = [a for a in d.find_elements(By.LINK_TEXT, text) if a.is_displayed()]
    if not links:
        d.find_element(By.CSS_SELECTOR, "details.phone-menu > summary").click()
        links = [a for a in d.find_elements(By.LINK_TEXT, text) if a.is_displayed()]
    click_and_wait(d, links[0])


def test_a_clerk_finds_who_changed_a_models_title(site, screen):
    d = screen
    login(d, site.base, "ngoclam")
    assert d.current_url.endswith(UNIT_PAGE)
    add_initiative(d, "collective", "Tổ công đoàn Văn phòng", "Tủ sách đoàn viên", "van-hoa-xa-hoi", "Mỗi tháng 20 đầu sách")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Sửa"))
    title = d.find_element(By.NAME, "title")
    title.clear()
    title.send_keys("Tủ sách pháp luật đoàn viên")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Lưu mô hình']"))
    # The officer sees it in the unit's own history.
    history = d.find_element(By.XPATH, "//details[summary[contains(., 'Lịch sử thay đổi')]]")
    assert "Tủ sách pháp luật đoàn viên" in history.get_attribute("textContent")

    # The clerk: Nhật ký, "tu sach" without diacritics, the newest event first.
    login(d, site.base, "giaoduc")
    open_menu_link(d, "Nhật ký")
    assert d.current_url.endswith("/audit")
    box = d.find_element(By.NAME, "q")
    box.send_keys("tu sach")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Lọc']"))
    first = d.find_element(By.CSS_SELECTOR, "ol.history.audit > li")
    text = first.text
    assert "sửa mô hình" in text and "Tủ sách pháp luật đoàn viên" in text, text
    assert "Trường Tiểu học Ngọc Lâm" in text, "who: the officer, with role and unit"
    row = first.find_element(By.XPATH, ".//table[contains(@class,'changes')]//tr[td[1][normalize-space()='Tên mô hình']]")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells == ["Tên mô hình", "Tủ sách đoàn viên", "Tủ sách pháp luật đoàn viên"], cells
    assert fits(d)
    shot(d, f"audit-{width_of(d)}")
    assert axe_here(d) == []
