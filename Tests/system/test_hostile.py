"""Hostile files against a real server, a real CLI and a real restore: each is refused with
a 4xx and a Vietnamese message (never a 5xx, a crash or a dropped connection), the server
keeps answering /health and /library within a second while it reads the file, its peak
memory stays bounded, and nothing is written.

The files: a row numbered 2^63-1 followed by a row without a number (the 574-byte crash), a
cell reference of fourteen letters, a zip bomb whose headers lie about its size (1 GiB
inflated, 1,000 bytes declared), a million sparse rows of empty far-right cells and a
million filled rows, one cell of 10 MB, elements nested 100,000 deep, "billion laughs", a
filled 101st column, ZIP directories pointing outside the file or carrying ZIP64, and a CSV
of one 50 MB line (past the upload's 10 MB body limit; the CLI reads it and refuses it).
Also: `dvk import` refuses a 600 MB file before reading it, `dvk restore` refuses a 1 GB line
after reading 16 MB of it, and a letter carrying too many combining marks is refused by the
API and by the web form."""
import collections
import contextlib
import dataclasses
import http.client
import json
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib

import pytest

from test_deadline_day import BIN, free_port, start, wait_healthy
from test_operations import login
from test_spreadsheets import demo, initiatives

# The server's (and each CLI run's) peak resident memory, in kB. Reading an upload may hold
# the 10 MB body a few times over, the 50 MB its parts may inflate to and the XML parser's
# buffers, on top of what the process needs at rest; 300 MB leaves room for that on a debug
# build, yet a reader that trusted a declared size, inflated the bomb whole (1 GiB), expanded
# entities, or buffered the 1 GB line or the 600 MB file would be far past it.
PEAK_RSS_KB = 300 * 1024
# Every poll of /health and /library while an upload is read answers within this.
POLL_SECONDS = 1.0
POLL_EVERY = 0.1
# An upload's answer, including the server's time to read a million rows on a debug build.
UPLOAD_SECONDS = 120
# A refusing CLI run (`dvk import`, `dvk restore`), process start and migrations check included.
CLI_SECONDS = 10

CAMPAIGN, UNIT = "DVK-2024", "LB-GD-THNL"
UPLOAD_PATH = f"/campaigns/{CAMPAIGN}/units/{UNIT}/import"
FORM_PATH = f"/campaigns/{CAMPAIGN}/units/{UNIT}/initiatives/new"
API_PATH = f"/api/v1/campaigns/{CAMPAIGN}/units/{UNIT}/initiatives"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MiB = 1 << 20


# --- ZIP packages written by hand: each header says exactly what the test wants it to -------

@dataclasses.dataclass
class Part:
    name: str
    payload: bytes  # as stored in the archive: raw deflate (method 8) or the bytes (method 0)
    crc: int        # what the headers declare
    size: int       # the inflated size the headers declare
    method: int = 8
    extra: bytes = b""  # the central directory entry's extra field


def deflated(name, content, level=6):
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Part(name, packer.compress(content) + packer.flush(), zlib.crc32(content), len(content))


def zip_archive(parts, local_offset=None):
    """A ZIP file of `parts`; `local_offset`, when given, replaces every central directory
    entry's offset of its local header."""
    out, directory = bytearray(), bytearray()
    for p in parts:
        name = p.name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, p.method, 0, 0x21, p.crc, len(p.payload), p.size, len(name), 0)
        out += name + p.payload
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, p.method, 0, 0x21, p.crc, len(p.payload), p.size,
                                 len(name), len(p.extra), 0, 0, 0, 0, offset if local_offset is None else local_offset)
        directory += name + p.extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    return bytes(out + directory + end)


CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""
PACKAGE_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>""".encode()
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""
SHEET_START = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"""
SHEET_END = b"</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def package(sheet_part, **archive):
    """A workbook as Excel lays it out, its first (only) sheet `sheet_part`."""
    return zip_archive([deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", PACKAGE_RELS),
                        deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                        sheet_part], **archive)


def workbook(rows, prolog=b""):
    """A workbook whose sheet's <sheetData> holds `rows` (bytes or an iterable of bytes)."""
    body = rows if isinstance(rows, bytes) else b"".join(rows)
    return package(deflated(SHEET, prolog + SHEET_START + body + SHEET_END))


def inline(text, ref=None):
    """A cell holding `text` as is (markup and entity references included)."""
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>'.encode() + (text if isinstance(text, bytes) else text.encode()) + b"</t></is></c>"


# --- The hostile files ------------------------------------------------------------------------

def huge_row_number():
    """The 574-byte crash: the largest Int64 as a row number, then a row numbered after it."""
    return workbook(b'<row r="9223372036854775807">' + inline("x") + b"</row><row>" + inline("y") + b"</row>")


def endless_column():
    return workbook(b'<row r="1">' + inline("x", "ZZZZZZZZZZZZZZ1") + b"</row>")


BOMB_ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
BOMB_ROW += b"\n" * (64 - len(BOMB_ROW))  # 64 bytes: 16,384 rows a MiB, 1 GiB exactly
BOMB_SIZE = 1 << 30


def zip_bomb():
    """1 GiB of rows deflated (a few MB), the headers declaring 1,000 bytes and a CRC of nothing."""
    block = BOMB_ROW * (MiB // len(BOMB_ROW))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = [packer.compress(SHEET_START)]
    stream += [packer.compress(block) for _ in range(BOMB_SIZE // MiB)]
    stream += [packer.compress(SHEET_END), packer.flush()]
    return package(Part(SHEET, b"".join(stream), crc=0x1BADB002, size=1000))


MILLION = 1_000_000


def sparse_rows():
    """A million rows, each holding only an empty cell in column 999 (ALK)."""
    return workbook(b'<row r="%d"><c r="ALK%d"/></row>' % (n, n) for n in range(1, MILLION + 1))


def million_rows():
    """A million rows, each with a value in column A: ten times the upload's 100,000 (37 MB of
    XML: within the 50 MB the parts may inflate to, so that the rows are what is refused)."""
    return workbook(b'<row r="%d"><c><v>1</v></c></row>' % n for n in range(1, MILLION + 1))


def ten_megabyte_cell():
    return workbook(b'<row r="1">' + inline(b"x" * (10 * MiB), "A1") + b"</row>")


def deep_nesting():
    depth = 100_000
    return workbook(b'<row r="1">' + inline(b"<b>" * depth + b"deep" + b"</b>" * depth, "A1") + b"</row>")


def billion_laughs():
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)]
    doctype = ("<!DOCTYPE worksheet [\n" + "\n".join(entities) + "\n]>\n").encode()
    return package(deflated(SHEET, b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + SHEET_START[SHEET_START.index(b"<worksheet"):]
                            + b'<row r="1">' + inline("&lol9;", "A1") + b"</row>" + SHEET_END))


def column_101():
    """A header in A1 and a filled cell in CW2, the 101st column."""
    return workbook(b'<row r="1">' + inline("Mã đơn vị", "A1") + b'</row><row r="2">' + inline(UNIT, "A2") + inline("x", "CW2") + b"</row>")


def offset_outside():
    """A directory whose entries point past the end of the file."""
    return package(deflated(SHEET, SHEET_START + b'<row r="1">' + inline("x", "A1") + b"</row>" + SHEET_END), local_offset=0x7FFF_FFF0)


def zip64_record():
    """The sheet's directory entry carries a ZIP64 extended-information record."""
    sheet = deflated(SHEET, SHEET_START + b'<row r="1">' + inline("x", "A1") + b"</row>" + SHEET_END)
    sheet.extra = struct.pack("<HHQ", 0x0001, 8, sheet.size)
    return package(sheet)


def fifty_megabyte_line():
    return b"x" * (50 * MiB) + b"\r\n"


@dataclasses.dataclass
class Hostile:
    name: str
    make: object
    file_name: str
    expect: tuple  # fragments the page that refuses it must show
    status: int | None = None  # the exact status, when one is promised
    not_expected: tuple = ()
    content_type: str = XLSX_TYPE


UNREADABLE = "Không đọc được tệp Excel"
CSV_LINE = Hostile("csv-one-50MB-line", fifty_megabyte_line, "mot-dong.csv", ("quá lớn",), status=413, content_type="text/csv")
HOSTILE = [
    Hostile("row-2^63-1", huge_row_number, "dong.xlsx", (UNREADABLE,)),
    Hostile("column-ZZZZZZZZZZZZZZ", endless_column, "cot.xlsx", (UNREADABLE,)),
    Hostile("zip-bomb-1GiB", zip_bomb, "bom.xlsx", ("Tệp quá lớn", "50 MB")),
    # Empty far-right cells are ignored, not refused as a column: the sheet is just empty.
    Hostile("million-sparse-empty-rows", sparse_rows, "thua.xlsx", ("Tệp trống",), not_expected=("cột thứ",)),
    Hostile("million-filled-rows", million_rows, "trieu-dong.xlsx", ("quá nhiều dòng", "100.000")),
    Hostile("10MB-cell", ten_megabyte_cell, "o-lon.xlsx", ("Dòng 1", "dài quá 32.767 ký tự")),
    Hostile("nested-100000-deep", deep_nesting, "long-nhau.xlsx", (UNREADABLE,)),
    Hostile("billion-laughs", billion_laughs, "cuoi.xlsx", (UNREADABLE,)),
    Hostile("column-101", column_101, "cot-101.xlsx", ("Dòng 2", "cột thứ 101")),
    Hostile("zip-offset-outside", offset_outside, "ngoai.xlsx", (UNREADABLE,)),
    Hostile("zip64", zip64_record, "zip64.xlsx", (UNREADABLE,)),
    # Past the route's 10 MB body limit: 413 on the declared length, before the body is read.
    CSV_LINE,
]


@pytest.fixture(scope="module")
def files():
    """Each hostile file, written once for the module when a test first asks for it."""
    workdir = tempfile.mkdtemp(prefix="dvk-hostile-files-")
    made = {}

    def path(hostile):
        if hostile.name not in made:
            target = os.path.join(workdir, hostile.file_name)
            with open(target, "wb") as f:
                f.write(hostile.make())
            made[hostile.name] = target
        return made[hostile.name]

    yield path
    shutil.rmtree(workdir, ignore_errors=True)


# --- A real server on a demo database, and what it costs ---------------------------------------

def peak_rss_kb(pid):
    """The process's peak resident memory (VmHWM), in kB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmHWM for process {pid}")


def reset_peak_rss(pid):
    """Starts VmHWM again from the current RSS (Linux: "5" > clear_refs), so that each test
    measures its own file; where that is not allowed, the peak is since the server started,
    which is only stricter."""
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")


class Server:
    """`dvk serve` on a demo SQLite database, ngoclam signed in; started again when a test
    left it dead (that test fails; the next ones still measure their own file)."""

    def __init__(self):
        self.workdir, self.db, self.env = demo()
        self.proc = None
        self.log = collections.deque(maxlen=200)

    def ensure_running(self):
        if self.proc is not None and self.proc.poll() is None:
            return self
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = start(self.env, self.port)
        wait_healthy(self.port, self.proc)
        # Its log goes to stderr, a pipe: read it, so that the server never blocks on a full pipe.
        threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()
        self.cookie = login(self.base, "ngoclam")
        assert self.cookie, "ngoclam could not sign in"
        return self

    def _drain(self, proc):
        for line in proc.stderr:
            self.log.append(line)

    @property
    def pid(self):
        return self.proc.pid

    def state(self):
        """For a failure's message: alive, or dead with its last log lines."""
        if self.proc.poll() is None:
            return "the server is alive"
        return f"the server died (exit {self.proc.returncode}):\n" + "".join(self.log)

    def assert_alive(self):
        assert self.proc.poll() is None, self.state()
        with urllib.request.urlopen(self.base + "/health", timeout=5) as r:
            assert r.read() == b"ok"

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def running():
    server = Server()
    yield server
    server.stop()
    shutil.rmtree(server.workdir, ignore_errors=True)


@pytest.fixture
def server(running):
    return running.ensure_running()


@dataclasses.dataclass
class Polls:
    worst: float = 0.0
    count: int = 0
    failures: list = dataclasses.field(default_factory=list)


@contextlib.contextmanager
def polling(base, cookie, every=POLL_EVERY):
    """While the block runs, GET /health and /library (signed in: the library's allowance
    counts only anonymous visitors) every `every` seconds; yields the worst latency, the
    number of polls and any poll that did not answer 200."""
    polls = Polls()
    stop = threading.Event()

    def poll():
        while True:
            for path in ("/health", "/library"):
                began = time.monotonic()
                try:
                    with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie}), timeout=10) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                except OSError as e:
                    status = repr(e)
                polls.worst = max(polls.worst, time.monotonic() - began)
                polls.count += 1
                if status != 200:
                    polls.failures.append((path, status))
            if stop.wait(every):
                return

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield polls
    finally:
        stop.set()
        thread.join(timeout=30)


def hidden_fields(url, cookie):
    page = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=10).read().decode()
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def send_file(url, cookie, file_name, data, content_type, timeout=UPLOAD_SECONDS):
    """Posts `data` as the upload form's file, over a socket of its own: the body goes out
    while the server has not answered, and an answer that comes before the whole body (a 413
    on the declared length) is read, as a browser does. Returns the status and the page; a
    connection closed without an answer fails the test."""
    boundary = uuid.uuid4().hex
    head = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in hidden_fields(url, cookie).items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
             f"Content-Type: {content_type}\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    target = urllib.parse.urlsplit(url)
    request = (f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\nCookie: {cookie}\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
               f"Content-Length: {len(head) + len(data) + len(tail)}\r\n\r\n").encode()
    with socket.create_connection((target.hostname, target.port), timeout=timeout) as sock:
        deadline = time.monotonic() + timeout
        for piece in (request, head, data, tail):
            view = memoryview(piece)
            while view:
                readable, writable, _ = select.select([sock], [sock], [], max(0.0, deadline - time.monotonic()))
                if readable or not writable:  # answered (or closed) before taking it all, or out of time
                    break
                try:
                    view = view[sock.send(view[:256 * 1024]):]
                except (BrokenPipeError, ConnectionResetError):
                    break
            if view:
                break
        response = http.client.HTTPResponse(sock, method="POST")
        try:
            response.begin()
            return response.status, response.read().decode("utf-8", "replace")
        except TimeoutError:
            raise AssertionError(f"no answer within {timeout} s")
        except (ConnectionError, http.client.HTTPException) as e:
            raise AssertionError(f"the connection was dropped without an answer: {e!r}")


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_a_hostile_upload_is_refused_with_the_server_answering_in_bounded_memory(server, files, hostile):
    with open(files(hostile), "rb") as f:
        data = f.read()
    before = initiatives(server.db)
    reset_peak_rss(server.pid)
    with polling(server.base, server.cookie) as polls:
        try:
            status, page = send_file(server.base + UPLOAD_PATH, server.cookie, hostile.file_name, data, hostile.content_type)
        except AssertionError as e:
            raise AssertionError(f"{e}; {server.state()}") from None
    assert 400 <= status < 500, f"answered {status}; {server.state()}"
    if hostile.status:
        assert status == hostile.status
    for fragment in hostile.expect:
        assert fragment in page, f"{fragment!r} not on the {status} page"
    for fragment in hostile.not_expected:
        assert fragment not in page
    assert polls.count >= 2 and not polls.failures, polls
    assert polls.worst < POLL_SECONDS, f"a poll took {polls.worst:.2f} s while the file was read"
    server.assert_alive()
    peak = peak_rss_kb(server.pid)
    # The figures, for `pytest -s` (README, "Hostile input").
    print(f"\n{hostile.name}: {status}, peak RSS {peak // 1024} MB, slowest poll {polls.worst * 1000:.0f} ms")
    assert peak < PEAK_RSS_KB, f"the server's peak RSS was {peak // 1024} MB"
    assert initiatives(server.db) == before


# --- The CLI: measured one process at a time ----------------------------------------------------

@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int


def measured(args, env, timeout=60):
    """Runs `args`, and returns its exit, output, wall time and its own peak RSS (from
    wait4's rusage of that one child: neither the test process nor other children count)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.monotonic() - began
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, usage.ru_maxrss)


def test_the_cli_reads_a_csv_of_one_50_mb_line_and_refuses_it_quickly(running, files):
    csv = files(CSV_LINE)
    before = initiatives(running.db)
    run = measured([BIN, "import", "initiatives", csv, "--campaign", CAMPAIGN], running.env)
    assert run.returncode != 0, run.stdout
    assert "Dòng 1" in run.stderr and "32.767 ký tự" in run.stderr, run.stderr
    assert run.seconds < CLI_SECONDS, f"{run.seconds:.1f} s"
    assert run.peak_rss_kb < PEAK_RSS_KB, f"peak RSS {run.peak_rss_kb // 1024} MB"
    assert initiatives(running.db) == before


def test_the_cli_refuses_a_file_over_512_mb_before_reading_it(running):
    workdir = tempfile.mkdtemp(prefix="dvk-hostile-cli-")
    try:
        big = os.path.join(workdir, "lon.csv")
        with open(big, "wb") as f:
            f.write("Mã đơn vị,Tên mô hình\n".encode())
        os.truncate(big, 600 * MiB)  # sparse: no disk, but read whole it would be 600 MB of memory
        run = measured([BIN, "import", "initiatives", big, "--campaign", CAMPAIGN], running.env)
        assert run.returncode != 0, run.stdout
        assert str(600 * MiB) in run.stderr and "at most" in run.stderr, run.stderr
        assert run.seconds < CLI_SECONDS and run.peak_rss_kb < PEAK_RSS_KB, run
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- Restore: a 1 GB line ----------------------------------------------------------------------

@pytest.mark.parametrize("header", ["none", "a real backup's"])
def test_restore_refuses_a_1_gb_line_after_16_mb_of_it(running, header):
    workdir = tempfile.mkdtemp(prefix="dvk-hostile-restore-")
    try:
        backup = os.path.join(workdir, "sao-luu.dvkbackup")
        if header == "none":
            # One line, no line end: its first 16 MB are read, then it is refused.
            first = b'{"format":"dvk-backup"'
        else:
            # A genuine header line (it passes the checks), then a 1 GB second line.
            real = os.path.join(workdir, "that.dvkbackup")
            subprocess.run([BIN, "backup", "--output", real], env=running.env, check=True, capture_output=True, timeout=120)
            with open(real, "rb") as f:
                first = f.readline()
            os.remove(real)
        with open(backup, "wb") as f:
            f.write(first)
        os.truncate(backup, len(first) + (1 << 30))  # sparse zeros: no disk, no time to write
        env = dict(running.env, DATABASE_URL="sqlite:" + os.path.join(workdir, "moi.sqlite"))
        run = measured([BIN, "restore", backup], env)
        assert run.returncode != 0, run.stdout
        assert "16 MB" in run.stderr, run.stderr
        assert f"line {1 if header == 'none' else 2} " in run.stderr, run.stderr
        assert run.seconds < CLI_SECONDS, f"{run.seconds:.1f} s"
        assert run.peak_rss_kb < PEAK_RSS_KB, f"peak RSS {run.peak_rss_kb // 1024} MB"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- Combining marks: the API and the form ------------------------------------------------------

def api_post(base, path, token, body):
    req = urllib.request.Request(base + path, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def new_initiative(title):
    return {"kind": "collective", "registrantName": "Tổ Công đoàn Văn phòng", "sector": "kinh-te", "title": title}


# "x" has no precomposed form, so NFC leaves all three marks on it (on "a", NFC would fold
# the first acute into "á" and leave two: allowed).
THREE_MARKS = "Mô hình x\u0301\u0302\u0303"
MARKS_REFUSED = "quá nhiều dấu"


def test_a_letter_with_100000_combining_marks_is_refused_by_the_api(server):
    token = subprocess.run([BIN, "user", "token", "ngoclam"], env=server.env, capture_output=True, text=True,
                           check=True, timeout=60).stdout.split()[-1]
    before = initiatives(server.db)
    reset_peak_rss(server.pid)
    with polling(server.base, server.cookie) as polls:
        status, answer = api_post(server.base, API_PATH, token, new_initiative("a" + "\u0301" * 100_000))
    assert status == 422, answer
    assert "tên mô hình" in json.dumps(json.loads(answer), ensure_ascii=False), answer
    status, answer = api_post(server.base, API_PATH, token, new_initiative(THREE_MARKS))
    assert status == 422 and MARKS_REFUSED in json.dumps(json.loads(answer), ensure_ascii=False), answer
    assert polls.count >= 2 and not polls.failures and polls.worst < POLL_SECONDS, polls
    server.assert_alive()
    assert peak_rss_kb(server.pid) < PEAK_RSS_KB
    assert initiatives(server.db) == before
    # Vietnamese typed decomposed (e + circumflex + dot below: two marks) is taken, as "ệ".
    status, answer = api_post(server.base, API_PATH, token, new_initiative("Mô hình He\u0302\u0323 thống"))
    assert status == 201, answer
    assert "Mô hình Hệ thống" in [row[0] for row in initiatives(server.db)]


def test_a_letter_with_too_many_combining_marks_is_refused_by_the_form(server):
    url = server.base + FORM_PATH
    before = initiatives(server.db)
    fields = dict(hidden_fields(url, server.cookie), **new_initiative(THREE_MARKS))
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                 headers={"Cookie": server.cookie, "Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=30)
    assert refused.value.code == 422
    assert MARKS_REFUSED in refused.value.read().decode()
    server.assert_alive()
    assert initiatives(server.db) == before
