"""Spreadsheets as offices have them, written by openpyxl (a real .xlsx writer): Vietnamese
headers, dates as Excel dates, imported by the CLI and by the upload page; a bad row named by
the row number Excel shows, with nothing written; the same rows as a semicolon CSV."""
import datetime
import os
import re
import sqlite3
import subprocess
import tempfile
import urllib.error
import urllib.request
import uuid

import openpyxl

from test_deadline_day import BIN, free_port, start, wait_healthy
from test_operations import login

HEADERS = ["Mã đơn vị", "Tập thể/Cá nhân", "Tên tập thể/cá nhân", "Chức vụ", "Lĩnh vực", "Tên mô hình", "Ngày bắt đầu", "Ngày kết thúc"]
ROWS = [
    ["LB-GD-THNL", "Tập thể", "Tổ Công đoàn Văn phòng", None, "Lĩnh vực kinh tế", "Sổ tay tiết kiệm điện “xanh”",
     datetime.datetime(2024, 3, 1), datetime.datetime(2024, 12, 31)],
    ["LB-GD-THNL", "Cá nhân", "Nguyễn Thị Thủy", "Giáo viên", "an ninh – quốc phòng", "Camera an ninh, khu phố bình yên",
     datetime.datetime(2024, 2, 6), None],
    ["LB-GD-THNL", "ca nhan", "Trần Văn Hòa", "Kế toán", "Văn hoá - xã hội", "Tủ sách đoàn viên", None, None],
]


def workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in cells:
            cell.number_format = "dd/mm/yyyy"
    wb.save(path)


def demo():
    workdir = tempfile.mkdtemp(prefix="dvk-sheets-")
    path = os.path.join(workdir, "dvk.sqlite")
    env = dict(os.environ, DATABASE_URL="sqlite:" + path, LOG_LEVEL="error")
    subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
    return workdir, path, env


def initiatives(path, unit="LB-GD-THNL"):
    db = sqlite3.connect(path)
    return db.execute("""
        SELECT i.title, r.name, r.kind, i.sector_code, i.start_date, i.end_date FROM initiatives i
        JOIN registrants r ON r.id = i.registrant_id JOIN units u ON u.id = i.unit_id WHERE u.code = ? ORDER BY i.title""", (unit,)).fetchall()


def test_an_excel_file_with_vietnamese_headers_and_dates_imports_exactly():
    workdir, path, env = demo()
    xlsx = os.path.join(workdir, "dang-ky.xlsx")
    workbook(xlsx, ROWS)
    out = subprocess.run([BIN, "import", "initiatives", xlsx, "--campaign", "DVK-2024"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rows = initiatives(path)
    assert [r[0] for r in rows] == ["Camera an ninh, khu phố bình yên", "Sổ tay tiết kiệm điện “xanh”", "Tủ sách đoàn viên"]
    by_title = {r[0]: r for r in rows}
    assert by_title["Sổ tay tiết kiệm điện “xanh”"][4:] == ("2024-03-01", "2024-12-31")
    assert by_title["Camera an ninh, khu phố bình yên"][2:5] == ("individual", "an-ninh-quoc-phong", "2024-02-06")
    assert by_title["Tủ sách đoàn viên"][1:3] == ("Trần Văn Hòa", "individual")


def test_a_bad_row_is_named_by_its_excel_row_and_nothing_is_written():
    workdir, path, env = demo()
    xlsx = os.path.join(workdir, "loi.xlsx")
    bad = [list(r) for r in ROWS]
    bad[1][4] = "Lĩnh vực thể thao"          # Excel row 3
    bad[2][6] = datetime.datetime(2025, 1, 1)  # fine
    bad[2][7] = datetime.datetime(2024, 1, 1)  # Excel row 4: ends before it starts
    workbook(xlsx, bad)
    before = initiatives(path)
    out = subprocess.run([BIN, "import", "initiatives", xlsx, "--campaign", "DVK-2024"], env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "Dòng 3:" in out.stderr and "Dòng 4:" in out.stderr and "Dòng 2:" not in out.stderr, out.stderr
    assert "không có gì được ghi" in out.stderr
    assert initiatives(path) == before


def test_the_same_rows_as_a_semicolon_csv_from_a_vietnamese_excel():
    workdir, path, env = demo()
    csv = os.path.join(workdir, "dang-ky.csv")
    def cell(v):
        if isinstance(v, datetime.datetime):
            return v.strftime("%d/%m/%Y")
        v = "" if v is None else str(v)
        return '"' + v.replace('"', '""') + '"' if (";" in v or '"' in v) else v
    with open(csv, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(";".join(cell(v) for v in row) for row in [HEADERS] + ROWS) + "\r\n")
    out = subprocess.run([BIN, "import", "initiatives", csv, "--campaign", "DVK-2024"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert len(initiatives(path)) == 3


def upload(base, cookie, page_url, xlsx):
    page = urllib.request.urlopen(urllib.request.Request(page_url, headers={"Cookie": cookie}), timeout=10).read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="dang-ky.xlsx"\r\n'
             'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n').encode()
    body += open(xlsx, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(page_url, data=body, method="POST",
                                 headers={"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        return urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


def test_the_template_downloaded_from_the_app_filled_in_excel_imports_exactly():
    workdir, path, env = demo()
    port = free_port()
    server = start(env, port)
    try:
        wait_healthy(port, server)
        base = f"http://127.0.0.1:{port}"
        cookie = login(base, "ngoclam")
        page_url = base + "/campaigns/DVK-2024/units/LB-GD-THNL/import"
        template = os.path.join(workdir, "mau.xlsx")
        with urllib.request.urlopen(urllib.request.Request(page_url + "/template.xlsx", headers={"Cookie": cookie}), timeout=10) as r:
            assert "DVK-2024_mau-dang-ky_LB-GD-THNL.xlsx" in r.headers["Content-Disposition"]
            open(template, "wb").write(r.read())
        wb = openpyxl.load_workbook(template)
        assert wb.sheetnames == ["Danh sách", "Hướng dẫn", "Danh mục"]
        ws = wb["Danh sách"]
        header = [c.value for c in ws[1]]
        # The unit's own template: no unit column to fill on every row.
        assert header[:5] == ["Tập thể/Cá nhân", "Tên tập thể/cá nhân", "Chức vụ", "Lĩnh vực", "Tên mô hình"]
        lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
        assert set(lists) == {"A2", "D2"}, lists
        options = [c.value for c in wb["Danh mục"]["B"][1:] if c.value]
        assert options == ["Lĩnh vực kinh tế", "Lĩnh vực văn hóa – xã hội", "Lĩnh vực an ninh – quốc phòng", "Lĩnh vực xây dựng hệ thống chính trị"]
        assert [c.value for c in wb["Danh mục"]["A"][1:] if c.value] == ["Tập thể", "Cá nhân"]
        # Filled as a clerk would: choices from the lists, dates as dates, Vietnamese text.
        column = {name: i + 1 for i, name in enumerate(header)}
        for r, (kind, name, sector, title, start_day) in enumerate([
                ("Tập thể", "Tổ Công đoàn Khối văn phòng", options[0], "Sổ tay “tiết kiệm” điện, nước", datetime.datetime(2024, 2, 6)),
                ("Cá nhân", "Nguyễn Thị Thủy", options[1], "Góc đọc sách cho con công nhân", None)], start=2):
            ws.cell(r, column["Tập thể/Cá nhân"], kind)
            ws.cell(r, column["Tên tập thể/cá nhân"], name)
            ws.cell(r, column["Lĩnh vực"], sector)
            ws.cell(r, column["Tên mô hình"], title)
            if start_day:
                ws.cell(r, column["Ngày bắt đầu"], start_day).number_format = "dd/mm/yyyy"
        filled = os.path.join(workdir, "da-dien.xlsx")
        wb.save(filled)
        assert upload(base, cookie, page_url, filled) == 200
        rows = {r[0]: r for r in initiatives(path)}
        assert set(rows) == {"Sổ tay “tiết kiệm” điện, nước", "Góc đọc sách cho con công nhân"}
        assert rows["Sổ tay “tiết kiệm” điện, nước"][3:5] == ("kinh-te", "2024-02-06")
        assert rows["Góc đọc sách cho con công nhân"][1:4] == ("Nguyễn Thị Thủy", "individual", "van-hoa-xa-hoi")
        # LibreOffice opens the template (and its first sheet is the header line).
        out = subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", workdir, template],
                             capture_output=True, text=True, timeout=180)
        assert out.returncode == 0, out.stderr
        first = open(os.path.join(workdir, "mau.csv"), encoding="utf-8", errors="replace").readline()
        assert first.startswith("Tập thể/Cá nhân,Tên tập thể/cá nhân"), first
        with urllib.request.urlopen(urllib.request.Request(page_url + "/template.csv", headers={"Cookie": cookie}), timeout=10) as r:
            assert r.read().decode("utf-8-sig").startswith("Tập thể/Cá nhân,Tên tập thể/cá nhân,Chức vụ")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_upload_page_takes_an_excel_file():
    workdir, path, env = demo()
    xlsx = os.path.join(workdir, "dang-ky.xlsx")
    workbook(xlsx, ROWS[:2])
    port = free_port()
    server = start(env, port)
    try:
        wait_healthy(port, server)
        base = f"http://127.0.0.1:{port}"
        cookie = login(base, "ngoclam")
        assert upload(base, cookie, base + "/campaigns/DVK-2024/units/LB-GD-THNL/import", xlsx) == 200
        assert len(initiatives(path)) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
