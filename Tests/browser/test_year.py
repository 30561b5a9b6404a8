"""The year of a model in a real browser: a grassroots officer reports progress with a photo,
the sector union verifies and recognises the model as exemplary and proposes it upward, the
district federation recognises and commends it, the sector union publishes it, and a visitor
who is not signed in finds it in the library by typing without diacritics."""
import json
import os
import subprocess
import tempfile
import urllib.parse
import urllib.request

import docx
import openpyxl
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BIN, SERVER_ENV, click_and_wait, login, shot

CAMPAIGN = "DVK-2024"
PASSWORD = "bep an nghia tinh 2024"
TITLE = "Bếp ăn chia sẻ Thuỷ Tiên"


def call(base, method, path, token, body=None):
    request = urllib.request.Request(base + "/api/v1" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def token(username):
    out = subprocess.run([BIN, "user", "token", username], env=SERVER_ENV, check=True, capture_output=True, text=True).stdout
    return [w for w in out.split() if w.startswith("dvk_")][0]


def open_details(d, summary_text):
    d.find_element(By.XPATH, f"//summary[contains(., '{summary_text}')]").click()


def test_the_year_from_progress_to_the_public_library(server, browser):
    d = browser
    # A school of the sector union that no other test touches, and an officer for it.
    sector = token("giaoduc")
    UNIT = next(u["code"] for u in call(server, "GET", f"/campaigns/{CAMPAIGN}/units", sector)
                if u["status"] in ("not_started", "draft") and u["code"] != "LB-GD-THNL")
    subprocess.run([BIN, "user", "create", "--username", "namcuamohinh", "--password", PASSWORD, "--role", "officer",
                    "--unit", UNIT, "--name", "Cán bộ CĐCS"], env=SERVER_ENV, check=True, capture_output=True)
    officer = token("namcuamohinh")
    # The unit registers and is accepted (the part DVK already had), over the API.
    created = call(server, "POST", f"/campaigns/{CAMPAIGN}/units/{UNIT}/initiatives", officer,
                   {"kind": "collective", "registrantName": "Tổ Công đoàn Văn phòng", "sector": "van-hoa-xa-hoi", "title": TITLE,
                    "content": "Mỗi tuần một bữa cơm chung cho đoàn viên có hoàn cảnh khó khăn."})
    call(server, "POST", f"/campaigns/{CAMPAIGN}/units/{UNIT}/submit", officer)
    call(server, "POST", f"/campaigns/{CAMPAIGN}/units/{UNIT}/accept", sector)
    model = f"{server}/campaigns/{CAMPAIGN}/units/{UNIT}/initiatives/{created['id']}"

    # The officer reports progress with a photo, from the unit's page.
    login(d, server, "namcuamohinh", PASSWORD)
    d.get(f"{server}/campaigns/{CAMPAIGN}/units/{UNIT}")
    click_and_wait(d, d.find_element(By.XPATH, f"//li[.//h3[contains(., '{TITLE}')]]//a[contains(., 'Kết quả thực hiện')]"))
    assert TITLE in d.find_element(By.TAG_NAME, "h1").text
    photo = os.path.join(tempfile.mkdtemp(), "bua-com.png")
    Image.new("RGB", (320, 200), (155, 28, 28)).save(photo)
    day = d.find_element(By.ID, "day")
    day.clear()
    day.send_keys("28/06/2024")
    d.find_element(By.ID, "text").send_keys("Tổ chức 12 bữa cơm, 60 đoàn viên tham gia.")
    d.find_element(By.ID, "participants").send_keys("60")
    d.find_element(By.ID, "money").send_keys("12.500.000")
    d.find_element(By.ID, "files").send_keys(photo)
    d.find_element(By.ID, "public").click()
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Gửi báo cáo']"))
    assert "Đã ghi báo cáo kết quả ngày 28/06/2024" in d.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert "vận động 12.500.000 đồng" in d.find_element(By.CSS_SELECTOR, "ol.reports").text
    assert "bua-com.png" in d.find_element(By.CSS_SELECTOR, "ol.reports").text
    # An officer has nothing to recognise with.
    assert not d.find_elements(By.XPATH, "//button[text()='Công nhận']")
    shot(d, "model-officer")

    # The sector union verifies, recognises as exemplary, and proposes it upward.
    login(d, server, "giaoduc")
    d.get(f"{server}/campaigns/{CAMPAIGN}/year?show=all")
    d.get(model)
    open_details(d, "Ghi kết quả thẩm định")
    # All criteria met: nothing marked "chưa đạt", and the verdict follows them.
    for box in d.find_elements(By.CSS_SELECTOR, "fieldset input[type=checkbox]"):
        assert not box.is_selected()
    # "Đạt tất cả tiêu chí" is chosen, so the "chưa đạt" boxes are out of the way until
    # "Có tiêu chí chưa đạt" is.
    exceptions = d.find_element(By.CSS_SELECTOR, "[data-criteria-exceptions]")
    assert d.find_element(By.CSS_SELECTOR, "[data-criteria-all='1']").is_selected() and not exceptions.is_displayed()
    d.find_element(By.CSS_SELECTOR, "[data-criteria-all='0']").click()
    assert exceptions.is_displayed()
    d.find_element(By.CSS_SELECTOR, "[data-criteria-all='1']").click()
    assert not exceptions.is_displayed()
    Select(d.find_element(By.ID, "verdict")).select_by_visible_text("Theo kết quả các tiêu chí (đạt khi đạt tất cả)")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Lưu kết quả thẩm định']"))
    assert "Đạt" in d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=tham-dinh]").text
    open_details(d, "công nhận mô hình")
    d.find_element(By.ID, "decisionNumber").send_keys("112/QĐ-CĐN")
    d.find_element(By.ID, "decisionDate").send_keys("10/10/2024")
    d.find_element(By.ID, "exemplary").click()
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Công nhận']"))
    recognised = d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=cong-nhan]").text
    assert "Quyết định số 112/QĐ-CĐN ngày 10/10/2024" in recognised and "Tiêu biểu" in recognised
    open_details(d, "Đề nghị Liên đoàn Lao động quận Long Biên công nhận")
    d.find_element(By.ID, "nominationNumber").send_keys("05/TTr-CĐN")
    click_and_wait(d, d.find_element(By.XPATH, "//button[contains(., 'Đề nghị Liên đoàn Lao động quận Long Biên công nhận')]"))
    assert "theo văn bản số 05/TTr-CĐN" in d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=de-nghi]").text
    shot(d, "model-sector-union")

    # The district federation finds it in its queue, recognises it and commends it.
    login(d, server, "longbien")
    d.get(f"{server}/campaigns/{CAMPAIGN}/year?show=waiting")
    click_and_wait(d, d.find_element(By.LINK_TEXT, TITLE))
    open_details(d, "công nhận mô hình")
    d.find_element(By.ID, "decisionNumber").send_keys("215/QĐ-LĐLĐ")
    d.find_element(By.ID, "decisionDate").send_keys("25/10/2024")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Công nhận']"))
    open_details(d, "Ghi khen thưởng")
    Select(d.find_element(By.ID, "form")).select_by_visible_text("Giấy khen")
    d.find_element(By.ID, "commendationNumber").send_keys("220/QĐ-LĐLĐ")
    d.find_element(By.ID, "commendationDate").send_keys("28/10/2024")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Ghi khen thưởng']"))
    assert "Giấy khen của Liên đoàn Lao động quận Long Biên" in d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=khen-thuong]").text
    d.get(f"{server}/campaigns/{CAMPAIGN}/year?show=waiting")
    assert TITLE not in d.find_element(By.TAG_NAME, "main").text

    # The sector union publishes it.
    login(d, server, "giaoduc")
    d.get(model)
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Công bố lên thư viện']"))
    assert "đang được công bố" in d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=thu-vien]").text

    # The sector union's documents of the year, read back with real readers: the report's
    # funnel equals the page's, the decision and the list name the model.
    d.get(f"{server}/campaigns/{CAMPAIGN}/year")
    page_total = [c.text for c in d.find_elements(By.CSS_SELECTOR, "table.funnel tr.total td")]
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    folder = tempfile.mkdtemp()

    def download(name, query=""):
        request = urllib.request.Request(f"{server}/campaigns/{CAMPAIGN}/year/documents/{name}{query}", headers={"Cookie": cookies})
        path = os.path.join(folder, name)
        with urllib.request.urlopen(request) as response, open(path, "wb") as out:
            out.write(response.read())
        return path

    report = docx.Document(download("tong-ket.docx"))
    sector_table = [t for t in report.tables if t.rows[0].cells[1].text == "Lĩnh vực"][0]
    assert [c.text for c in sector_table.rows[-1].cells][2:] == page_total  # TT and the name merged in "Tổng"
    assert [c.text for c in sector_table.rows[1].cells][:2] == ["1", sector_table.rows[1].cells[1].text]
    assert int(page_total[3]) >= 1 and int(page_total[4]) >= 1  # recognised, tiêu biểu
    decision = subprocess.run(["pdftotext", "-layout", download("quyet-dinh.pdf", "?so=" + urllib.parse.quote("112/QĐ-CĐN")), "-"],
                              check=True, capture_output=True, text=True).stdout
    assert "Số: 112/QĐ-CĐN" in decision and "QUYẾT ĐỊNH" in decision and "DANH SÁCH" in decision
    assert "Bếp ăn chia sẻ" in decision and "Công nhận 1 mô hình" in decision
    proposed = openpyxl.load_workbook(download("de-nghi.xlsx")).active
    assert any(TITLE in str(cell.value) for row in proposed.iter_rows() for cell in row)

    # Anyone, not signed in, finds it by typing without diacritics, and sees its photo.
    d.delete_all_cookies()
    d.get(server + "/library")
    d.find_element(By.ID, "q").send_keys("bep an chia se thuy tien")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Tìm']"))
    assert "Tìm thấy 1 mô hình." in d.find_element(By.TAG_NAME, "main").text
    click_and_wait(d, d.find_element(By.LINK_TEXT, TITLE))
    text = d.find_element(By.TAG_NAME, "main").text
    assert "Liên đoàn Lao động quận Long Biên, Quyết định số 215/QĐ-LĐLĐ ngày 25/10/2024" in text
    assert "Giấy khen" in text and "60 người tham gia" in text
    assert "@" not in text  # no contact data
    image = d.find_element(By.CSS_SELECTOR, ".photos img")
    assert d.execute_script("return arguments[0].naturalWidth", image) == 320
    shot(d, "library-entry")
