"""The campaign form as a clerk fills it, in a real Chromium: the participants chosen in the
tree (a federation's box takes its subtree, the search ignores diacritics, a count says how
many), the sectors as rows (added, moved, removed; a new one's code made from its name), the
letter previewed as a PDF, and the dangerous buttons secondary and asking first."""
import json
import sqlite3
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SERVER_ENV, click_and_wait, login, make_driver, shot


def database():
    return sqlite3.connect(SERVER_ENV["DATABASE_URL"][len("sqlite:"):])


def grassroots_under(code):
    """The grassroots unions under a unit, from the database (the oracle for the tree)."""
    db = database()
    rows = db.execute("SELECT id, code, kind, parent_id FROM units").fetchall()
    children = {}
    by_code = {}
    for unit_id, unit_code, kind, parent in rows:
        children.setdefault(parent, []).append((unit_id, unit_code, kind))
        by_code[unit_code] = unit_id
    out, stack = set(), [by_code[code]]
    while stack:
        for unit_id, unit_code, kind in children.get(stack.pop(), []):
            stack.append(unit_id)
            if kind == "grassroots":
                out.add(unit_code)
    return out


def count_text(d):
    return d.find_element(By.CSS_SELECTOR, "[data-tree-count]").text


def test_a_clerk_chooses_units_in_the_tree_and_edits_sectors_as_rows(server):
    d = make_driver(1280, 1000)
    try:
        login(d, server, "longbien")
        d.get(server + "/campaigns/new")
        d.find_element(By.ID, "code").send_keys("DVK-CLERK")
        d.find_element(By.CSS_SELECTOR, "input[name=state][value=open]").click()
        d.find_element(By.ID, "deadline_date").send_keys("28/12/2099")
        picker = d.find_element(By.CSS_SELECTOR, "[data-tree-picker]")
        # "Mọi công đoàn cơ sở" is the default: the chooser steps aside until "chosen".
        assert not picker.is_displayed()
        d.find_element(By.CSS_SELECTOR, "input[name=targets_mode][value=chosen]").click()
        assert picker.is_displayed()
        assert count_text(d) == "Đã chọn 0 công đoàn cơ sở"

        education = grassroots_under("LB-GD")
        assert len(education) > 3
        d.find_element(By.CSS_SELECTOR, "li[data-code='LB-GD'] > label > input").click()
        assert count_text(d) == f"Đã chọn {len(education)} công đoàn cơ sở"
        codes = d.find_element(By.ID, "target_codes")
        assert set(codes.get_attribute("value").split()) == education

        # Search without diacritics finds "Trường Tiểu học Ngọc Lâm"; unticking it leaves
        # the federation's box half-ticked.
        d.find_element(By.ID, "tree-search").send_keys("tieu hoc ngoc lam")
        shown = [li.get_attribute("data-code") for li in d.find_elements(By.CSS_SELECTOR, "li[data-code]") if li.is_displayed()]
        assert "LB-GD-THNL" in shown and "LB-DN-MDG" not in shown
        d.find_element(By.CSS_SELECTOR, "li[data-code='LB-GD-THNL'] > label > input").click()
        assert count_text(d) == f"Đã chọn {len(education) - 1} công đoàn cơ sở"
        assert d.execute_script("return document.querySelector(\"li[data-code='LB-GD'] > label > input\").indeterminate")
        # Codes pasted in the box tick their units.
        codes.send_keys("\nLB-DN-MDG")
        assert d.find_element(By.CSS_SELECTOR, "li[data-code='LB-DN-MDG'] > label > input").is_selected()
        assert count_text(d) == f"Đã chọn {len(education)} công đoàn cơ sở"
        shot(d, "campaign-form-tree")

        # Sectors: add one, move it to the top, remove "kinh tế".
        d.find_element(By.CSS_SELECTOR, "[data-sector-add]").click()
        d.switch_to.active_element.send_keys("Lĩnh vực chuyển đổi số")
        for _ in range(5):
            rows = d.find_elements(By.CSS_SELECTOR, "[data-sector-rows] tr")
            new_row = [r for r in rows if r.find_element(By.CSS_SELECTOR, "[data-field=name]").get_attribute("value") == "Lĩnh vực chuyển đổi số"][0]
            new_row.find_element(By.CSS_SELECTOR, "button[data-act=up]").click()
        economy = [r for r in d.find_elements(By.CSS_SELECTOR, "[data-sector-rows] tr")
                   if r.find_element(By.CSS_SELECTOR, "[data-field=name]").get_attribute("value") == "Lĩnh vực kinh tế"][0]
        economy.find_element(By.CSS_SELECTOR, "button[data-act=remove]").click()
        names = [i.get_attribute("name") for i in d.find_elements(By.CSS_SELECTOR, "[data-sector-rows] [data-field=name]")]
        assert names == [f"sector_name_{i}" for i in range(len(names))]
        shot(d, "campaign-form-sectors")

        # The letter preview is a PDF of the form as typed, in a new tab.
        preview = d.find_element(By.XPATH, "//button[contains(., 'Xem trước công văn')]")
        assert preview.get_attribute("formaction").endswith("/campaigns/letter-preview.pdf")
        assert preview.get_attribute("formtarget") == "_blank"
        # Enter in a field sends the form with its first submit button: the save, not the preview.
        assert d.find_element(By.CSS_SELECTOR, "form[action='/campaigns/new'] button[type=submit]").text == "Tạo đợt thi đua"

        click_and_wait(d, d.find_element(By.XPATH, "//button[normalize-space()='Tạo đợt thi đua']"))
        row = None
        for _ in range(50):
            row = database().execute("SELECT id, sectors FROM campaigns WHERE code = 'DVK-CLERK'").fetchone()
            if row:
                break
            time.sleep(0.1)
        assert row, d.page_source[:3000]
        sectors = json.loads(row[1])
        assert [s["code"] for s in sectors] == ["chuyen-doi-so", "van-hoa-xa-hoi", "an-ninh-quoc-phong", "xay-dung-he-thong-chinh-tri"]
        assert sectors[0]["name"] == "Lĩnh vực chuyển đổi số"
        targets = {code for (code,) in database().execute(
            "SELECT code FROM campaign_units WHERE campaign_id = ? AND is_target = 1", (row[0],))}
        assert targets == (education - {"LB-GD-THNL"}) | {"LB-DN-MDG"}

        # On the edit page, closing and archiving are secondary buttons that ask first.
        d.get(server + "/campaigns/DVK-CLERK/edit")
        close = d.find_element(By.XPATH, "//button[normalize-space()='Đóng đợt']")
        assert "secondary" in close.get_attribute("class")
        form = close.find_element(By.XPATH, "./ancestor::form")
        assert form.get_attribute("data-confirm") == "Đóng đợt thi đua?"
        # Dismissing the question sends nothing.
        close.click()
        WebDriverWait(d, 5).until(lambda driver: driver.switch_to.alert)
        d.switch_to.alert.dismiss()
        assert database().execute("SELECT state FROM campaigns WHERE code = 'DVK-CLERK'").fetchone()[0] == "open"
    finally:
        d.quit()


def test_a_search_narrows_what_a_federations_box_takes_and_typed_codes_stay(server):
    d = make_driver(1280, 1000)
    try:
        login(d, server, "longbien")
        d.get(server + "/campaigns/new")
        d.find_element(By.CSS_SELECTOR, "input[name=targets_mode][value=chosen]").click()
        codes = d.find_element(By.ID, "target_codes")
        # A code that names no unit of the tree (a typo) stays in the box for the server to name.
        codes.send_keys("LB-GD-NOPE")
        d.find_element(By.ID, "tree-search").send_keys("mam non")
        kindergartens = {li.get_attribute("data-code") for li in d.find_elements(By.CSS_SELECTOR, "li[data-code^='LB-GD-MN']")}
        assert len(kindergartens) >= 2
        d.find_element(By.CSS_SELECTOR, "li[data-code='LB-GD'] > label > input").click()
        chosen = set(codes.get_attribute("value").split())
        assert chosen == kindergartens | {"LB-GD-NOPE"}, chosen
        assert count_text(d) == f"Đã chọn {len(kindergartens)} công đoàn cơ sở"
        # Sent as it is, the typo is named by the server and nothing is created.
        d.find_element(By.ID, "code").send_keys("DVK-TYPO")
        d.find_element(By.ID, "deadline_date").send_keys("28/12/2099")
        click_and_wait(d, d.find_element(By.XPATH, "//button[normalize-space()='Tạo đợt thi đua']"))
        assert "không có đơn vị mã: LB-GD-NOPE" in d.find_element(By.ID, "target_codes-error").text
        assert "LB-GD-NOPE" in d.find_element(By.ID, "target_codes").get_attribute("value")
    finally:
        d.quit()


def test_a_campaign_copied_from_last_year_with_the_year_driving_its_title(server, browser):
    d = browser
    login(d, server, "longbien")
    d.get(server + "/campaigns/new")
    # The latest campaign of the unit is offered (other tests of this server may have made one).
    assert "/campaigns/new?from=" in d.find_element(By.XPATH, "//a[contains(., 'Sao chép từ đợt năm trước')]").get_attribute("href")
    d.get(server + "/campaigns/new?from=DVK-2024")
    assert d.find_element(By.ID, "year").get_attribute("value") == "2025"
    assert d.find_element(By.ID, "title").get_attribute("value") == "Phong trào thi đua “Dân vận khéo” năm 2025"
    assert "năm 2025" in d.find_element(By.ID, "subject").get_attribute("value")
    assert d.find_element(By.ID, "number").get_attribute("value") == ""
    assert d.find_element(By.ID, "deadline_date").get_attribute("value") == "16/02/2025"
    assert d.find_element(By.ID, "signer_name").get_attribute("value") == "Đặng Thị Ánh Nguyệt"
    # The year drives the title and subject ...
    year = d.find_element(By.ID, "year")
    year.clear()
    year.send_keys("2026")
    assert d.find_element(By.ID, "title").get_attribute("value") == "Phong trào thi đua “Dân vận khéo” năm 2026"
    assert "năm 2026" in d.find_element(By.ID, "subject").get_attribute("value")
    # ... until the title is edited by hand.
    title = d.find_element(By.ID, "title")
    title.clear()
    title.send_keys("Đợt thi đua riêng năm 2026")
    year.clear()
    year.send_keys("2027")
    assert title.get_attribute("value") == "Đợt thi đua riêng năm 2026"
    assert "năm 2027" in d.find_element(By.ID, "subject").get_attribute("value")
    shot(d, "campaign-copied")
