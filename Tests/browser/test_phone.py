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
