"""Every page at phone width (390 px) without horizontal scrolling."""
import pytest

from conftest import login, shot

PAGES = {
    "ngoclam": ["/campaigns", "/campaigns/DVK-2024/units/LB-GD-THNL", "/campaigns/DVK-2024/units/LB-GD-THNL/initiatives/new",
                "/campaigns/DVK-2024/units/LB-GD-THNL/import"],
    "maydg": ["/campaigns/DVK-2024/units/LB-DN-MDG", "/campaigns/DVK-2024/units/LB-DN-MDG/submit"],
    "longbien": ["/campaigns", "/campaigns/DVK-2024", "/campaigns/DVK-2024?status=late", "/campaigns/DVK-2024/units/LB-P-GB",
                 "/campaigns/DVK-2024/queue", "/campaigns/DVK-2024/units/LB-DN-MDG", "/account",
                 "/campaigns/new", "/campaigns/DVK-2024/edit", "/campaigns/DVK-2024/reminders", "/units", "/units/LB-GD",
                 "/units/new", "/units/import", "/units?q=truong"],
    "hanoi": ["/campaigns/DVK-2024", "/campaigns/DVK-2024/reminders", "/units"],
}


def no_horizontal_scroll(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_login_page_fits(server, phone):
    phone.get(server + "/login")
    shot(phone, "phone-login")
    assert no_horizontal_scroll(phone)


@pytest.mark.parametrize("user", sorted(PAGES))
def test_pages_fit_a_phone(server, phone, user):
    login(phone, server, user)
    for path in PAGES[user]:
        phone.get(server + path)
        assert "Không tìm thấy" not in phone.title, path
        name = "phone-" + user + path.replace("/", "-").replace("?", "-").replace("=", "-")
        shot(phone, name)
        assert no_horizontal_scroll(phone), path


def test_the_phone_header_is_one_line_with_a_menu(server, phone):
    login(phone, server, "longbien")
    phone.get(server + "/campaigns/DVK-2024")
    header = phone.find_element("css selector", "header.top")
    assert header.size["height"] <= 64, header.size  # one line: brand and "Menu"
    menu = phone.find_element("css selector", "details.phone-menu")
    assert menu.is_displayed()
    assert not phone.find_element("css selector", "header.top > nav").is_displayed()
    menu.find_element("css selector", "summary").click()
    links = [a.text for a in menu.find_elements("css selector", "nav a")]
    assert links == ["Đợt thi đua", "Đơn vị", "Người dùng", "Nhật ký", "Thư viện mô hình"], links
    assert menu.find_element("css selector", "button.link").text == "Đăng xuất"


def test_the_staff_dashboard_stays_short_on_a_phone(server, phone):
    # The demo's 45 units: each two lines (name and status, then its numbers), one-line paging.
    login(phone, server, "longbien")
    phone.get(server + "/campaigns/DVK-2024")
    height = phone.execute_script("return document.documentElement.scrollHeight")
    shot(phone, "phone-dashboard-height")
    assert height < 6000, height
    row = phone.find_element("css selector", "table.compact tbody tr")
    assert row.size["height"] <= 80, row.size
    caption = phone.find_element("css selector", "table.compact caption")
    assert caption.size["height"] < 30, caption.size


def test_the_desktop_keeps_its_bar(server, browser):
    login(browser, server, "longbien")
    browser.get(server + "/campaigns/DVK-2024")
    assert browser.find_element("css selector", "header.top > nav").is_displayed()
    assert not browser.find_element("css selector", "details.phone-menu").is_displayed()
