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
API and by the web form.

Accounts: the people form refuses, in each field, 100,000 characters, control and bidi
characters, five marks on a letter and noncharacters (422, the message under the field,
nothing made), and shows markup and formula-like texts it takes as text; the accounts upload
refuses the hostile files above and CSVs of its own (a bad value in every column, 60,000 bad
rows, not UTF-8); /invite/ and /reset/ with tokens of odd lengths and encodings are 404;
"Quên mật khẩu?" answers huge and near-miss names as it answers a name nobody has and mails
nothing; the people export keeps formula-like texts as text cells and the heaviest name the
rules take (200 letters of two marks each) as stored (NFC), and the invitation letters print
it."""
import collections
import concurrent.futures
import contextlib
import dataclasses
import html
import http.client
import io
import json
import os
import re
import select
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
import zlib

import openpyxl
import pytest

from mailserver import MailServer
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
    """`dvk serve` on a demo SQLite database, ngoclam (and longbien, for the people pages)
    signed in; started again when a test left it dead (that test fails; the next ones still
    measure their own file)."""

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
        self.staff = login(self.base, "longbien")  # the people pages are federation staff's
        assert self.staff, "longbien could not sign in"
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
    refused_upload(server, files, hostile, UPLOAD_PATH, server.cookie, written=lambda: initiatives(server.db))


def refused_upload(server, files, hostile, path, cookie, written):
    """Sends `hostile` to the upload form at `path`: refused as `hostile` says, the server
    answering its polls, its peak memory bounded, and `written()` the same after as before."""
    with open(files(hostile), "rb") as f:
        data = f.read()
    before = written()
    reset_peak_rss(server.pid)
    with polling(server.base, server.cookie) as polls:
        try:
            status, page = send_file(server.base + path, cookie, hostile.file_name, data, hostile.content_type)
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
    assert written() == before


# --- The CLI: measured one process at a time ----------------------------------------------------

@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int


# Runs the command as a child of this small process and writes that child's peak RSS to
# the file named first. A child of the test process itself would report at least the test
# process's own size: Linux counts the memory a process had before exec in its peak.
MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(args, env, timeout=60):
    """Runs `args`, and returns its exit, output, wall time and its own peak RSS (from
    wait4's rusage of that one process, started from a small one: neither the test process
    nor other children count)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as rss:
        began = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", MEASURE, rss.name, *args], env=env, stdout=out, stderr=err)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        seconds = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        peak = int(open(rss.name).read() or 0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, peak)


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


# --- Accounts: the people pages, "Quên mật khẩu?", invitation links --------------------------

PEOPLE_NEW, PEOPLE_IMPORT, PEOPLE_XLSX, LETTERS = "/users/new", "/users/import", "/users.xlsx", "/users/letters.pdf"
ACCOUNT_FIELDS = ["fullName", "unitCode", "role", "email", "phone", "title", "username"]
# A valid person; each test puts its hostile value in one field.
PERSON = {"fullName": "Nguyễn Thị Hoa", "unitCode": "LB-GD-MNBD", "role": "", "email": "", "phone": "", "title": ""}


def five_marks(text):
    return "".join(c + "\u0301\u0302\u0303\u0304\u0305" if c.isalpha() else c for c in text)


# Refused in every field of an account (each field's rule, or no unit, role or username is so).
REFUSED = {
    "100000-characters": "Nguyễn " + "a" * 100_000,
    "control-characters": "Nguyễn\x00Thị\x1b[2J\x7fHoa\x08",
    "bidi-override": "Hoa\u202eLan",
    "five-marks-a-letter": five_marks("Hoa Lan"),
    "noncharacters": "Hoa\ufdd0Lan\ufffe\U0010ffff",
}
HTML = '<script>alert("dvk")</script><img src=x onerror=alert(1)>'
FORMULA = "=cmd|' /C calc'!A0"
# Texts the rules take in the free-text fields (a name, a title, a phone number): they must
# come back as text, never as markup or, in a spreadsheet, as a formula.
ACCEPTED_IN = {"html": (HTML, {"fullName", "title"}), "formula": (FORMULA, {"fullName", "title", "phone"})}


def accounts(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT username, display_name, role, email, phone, title, password_hash FROM users "
                            "ORDER BY username").fetchall()
    finally:
        conn.close()


def form_post(base, path, cookie, fields, timeout=30):
    """Posts `fields` (a dict, or a list of pairs) to `path`'s form with its CSRF token: the
    status and the page."""
    pairs = list(hidden_fields(base + path, cookie).items()) + list(fields.items() if isinstance(fields, dict) else fields)
    req = urllib.request.Request(base + path, data=urllib.parse.urlencode(pairs).encode(), method="POST",
                                 headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def get_page(base, path, cookie):
    with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie}), timeout=30) as r:
        return r.read().decode()


def markup_intact(page):
    """No markup of HTML's own got into the page: only the page's own script, no image."""
    return "<script>alert" not in page and "<img" not in page and page.count("<script") <= 1


@pytest.mark.parametrize("field", ACCOUNT_FIELDS)
def test_the_people_form_refuses_hostile_values_in_each_field(server, field):
    before = accounts(server.db)
    reset_peak_rss(server.pid)
    with polling(server.base, server.cookie) as polls:
        for kind, value in REFUSED.items():
            status, page = form_post(server.base, PEOPLE_NEW, server.staff, dict(PERSON, **{field: value}))
            assert status == 422, f"{field} = {kind}: answered {status}; {server.state()}"
            assert f'id="{field}-error"' in page, f"{field} = {kind}: no message under the field"
            assert "Có 1 mục chưa hợp lệ" in page, f"{field} = {kind}"
        for kind, (value, accepted) in ACCEPTED_IN.items():
            if field in accepted:
                continue
            status, page = form_post(server.base, PEOPLE_NEW, server.staff, dict(PERSON, **{field: value}))
            assert status == 422 and f'id="{field}-error"' in page, f"{field} = {kind}: answered {status}"
            assert markup_intact(page), f"{field} = {kind}: the value came back as markup"
    assert polls.count >= 2 and not polls.failures and polls.worst < POLL_SECONDS, polls
    server.assert_alive()
    assert peak_rss_kb(server.pid) < PEAK_RSS_KB
    assert accounts(server.db) == before


def test_the_people_form_refuses_a_body_past_its_limit_and_odd_shapes(server):
    before = accounts(server.db)
    # 300 kB of a name: past the 256 kB of a form, 413 before it is read.
    status, page = form_post(server.base, PEOPLE_NEW, server.staff, dict(PERSON, fullName="a" * 300_000))
    assert status == 413, status
    assert accounts(server.db) == before
    # A key of 1,000 brackets: a 4xx, never a 5xx, nothing made.
    status, _ = form_post(server.base, PEOPLE_NEW, server.staff, dict(PERSON, **{"fullName" + "[x]" * 1_000: "Hoa"}))
    assert 400 <= status < 500, status
    assert accounts(server.db) == before
    # The same field 10,000 times is one name: one account, with one of the names sent.
    status, page = form_post(server.base, PEOPLE_NEW, server.staff, list(PERSON.items()) + [("fullName", "Hoa")] * 10_000)
    assert status == 200 and "Đã tạo tài khoản" in page, status
    made = set(accounts(server.db)) - set(before)
    assert len(made) == 1 and next(iter(made))[1] in {"Hoa", PERSON["fullName"]}, made
    server.assert_alive()


@pytest.mark.parametrize("kind", sorted(ACCEPTED_IN))
def test_markup_and_formulas_the_rules_take_come_back_as_text(server, kind):
    value, fields = ACCEPTED_IN[kind]
    person = dict(PERSON, **{f: value for f in fields})
    status, page = form_post(server.base, PEOPLE_NEW, server.staff, person)
    assert status == 200, page
    assert markup_intact(page), "the handover page"
    person_path = re.search(r'href="(/users/[0-9A-Fa-f-]{36})"', page).group(1)
    link = re.search(r"<code>(http://[^<]+/invite/[^<]+)</code>", page).group(1)
    for path in [person_path, "/users", "/users?q=" + urllib.parse.quote(value[:20])]:
        shown = get_page(server.base, path, server.staff)
        assert markup_intact(shown), path
    shown = get_page(server.base, person_path, server.staff)
    # Each field shows the text as typed (the page's entities decoded).
    text = html.unescape(shown)
    for f in fields:
        assert value in text, f
    invitation = urllib.request.urlopen(link.replace(link.split("/invite/")[0], server.base), timeout=30).read().decode()
    assert markup_intact(invitation) and value in html.unescape(invitation)


# The heaviest name the rules take: 200 characters, each letter with two combining marks
# (typed decomposed and out of canonical order; stored as NFC, where x, q, z, w, f and j keep
# both marks), in words a line can hold.
def heavy_name():
    letters = ["x\u0302\u0323", "q\u0302\u0323", "e\u0302\u0303", "z\u0302\u0323", "w\u0302\u0323", "o\u031b\u0300",
               "f\u0302\u0323", "j\u0302\u0323", "u\u031b\u0309", "a\u0306\u0323"]
    out, i = [], 0
    while len(out) < 200:
        if len(out) % 13 == 12:
            out.append(" ")
        else:
            out.append(letters[i % len(letters)])
            i += 1
    if out[-1] == " ":
        out[-1] = letters[0]
    return "".join(out)


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True, timeout=60).stdout
        pages = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True, timeout=60).stdout
    return text, int(re.search(r"^Pages:\s+(\d+)", pages, re.M).group(1))


def squeezed(text):
    """Without white space (where a PDF's lines break, and where pdftotext puts a space
    between a letter and a mark it placed apart), in NFC (pdftotext gives the marks in the
    order it meets them)."""
    return unicodedata.normalize("NFC", "".join(text.split()))


def test_the_export_and_the_letters_keep_the_heaviest_name_and_formulas_as_text(server):
    heavy = heavy_name()
    stored = unicodedata.normalize("NFC", heavy)
    assert sum(1 for ch in stored if not unicodedata.combining(ch)) == 200 and stored != heavy
    assert max(sum(1 for ch in unicodedata.normalize("NFD", c) if unicodedata.combining(ch)) for c in stored) <= 2
    formula = {"fullName": FORMULA + " Hoa", "title": '=HYPERLINK("http://dvk.invalid","Bấm")', "phone": "=1+2"}
    tokens, names = [], {}
    reset_peak_rss(server.pid)
    with polling(server.base, server.cookie) as polls:
        for person in [dict(PERSON, fullName=heavy), dict(PERSON, **formula)]:
            status, page = form_post(server.base, PEOPLE_NEW, server.staff, person)
            assert status == 200, page
            tokens += re.findall(r'<input type="hidden" name="token" value="([^"]+)"', page)
            names[re.search(r'href="/users/([0-9A-Fa-f-]{36})"', page).group(1)] = person["fullName"]
        assert len(tokens) == 2

        # The export: every value a text cell, none a formula; the heavy name as stored (NFC).
        with urllib.request.urlopen(urllib.request.Request(server.base + PEOPLE_XLSX, headers={"Cookie": server.staff}), timeout=60) as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
            data = r.read()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for part in package.namelist():
                if part.startswith("xl/worksheets/"):
                    assert b"<f>" not in package.read(part) and b"<f " not in package.read(part), part
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=False))
        header = [c.value for c in rows[0]]
        by_name = {row[header.index("Họ và tên")].value: row for row in rows[1:]}
        assert stored in by_name, "the heavy name is not in the export as stored (NFC)"
        assert by_name[stored][header.index("Họ và tên")].data_type == "s"
        row = by_name[formula["fullName"]]
        for column, value in [("Họ và tên", formula["fullName"]), ("Chức vụ", formula["title"]),
                              ("Số điện thoại", formula["phone"])]:
            cell = row[header.index(column)]
            assert cell.value == value and cell.data_type == "s", (column, cell.value, cell.data_type)
        assert all(c.data_type != "f" for row in rows for c in row)

        # The letters of both links, one PDF: two pages, each name in it.
        pairs = list(hidden_fields(server.base + PEOPLE_NEW, server.staff).items()) + [("token", t) for t in tokens]
        req = urllib.request.Request(server.base + LETTERS, data=urllib.parse.urlencode(pairs).encode(), method="POST",
                                     headers={"Cookie": server.staff, "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=120) as r:
            assert r.status == 200 and r.headers["Content-Type"] == "application/pdf"
            pdf = r.read()
        text, pages = pdf_text(pdf)
        assert pages == 2, pages
        assert squeezed(stored) in squeezed(text), "the heavy name is not in the letter"
        assert squeezed(formula["fullName"]) in squeezed(text)
        # One person's letter from their page (a new link): the heavy name again.
        heavy_id = next(i for i, n in names.items() if n == heavy)
        pairs = list(hidden_fields(server.base + f"/users/{heavy_id}", server.staff).items())[:1]
        req = urllib.request.Request(server.base + f"/users/{heavy_id}/letter", data=urllib.parse.urlencode(pairs).encode(),
                                     method="POST", headers={"Cookie": server.staff, "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=120) as r:
            assert r.status == 200 and r.headers["Content-Type"] == "application/pdf"
            text, pages = pdf_text(r.read())
        assert pages == 1 and squeezed(stored) in squeezed(text)
    assert polls.count >= 2 and not polls.failures and polls.worst < POLL_SECONDS, polls
    server.assert_alive()
    assert peak_rss_kb(server.pid) < PEAK_RSS_KB


def test_an_invitation_letter_reads_as_a_letter(server):
    """The letter the heavy names were printed in, with a plain one: the issuer, a date line
    as a Vietnamese letter has it ("<place>, ngày … tháng … năm …", or the date alone; never a
    line that starts with its comma), the person, the username and the link."""
    status, page = form_post(server.base, PEOPLE_NEW, server.staff, dict(PERSON, fullName="Lương Thị Thư"))
    assert status == 200, page
    token = re.search(r'<input type="hidden" name="token" value="([^"]+)"', page).group(1)
    username = re.search(r'<td data-label="Tên đăng nhập">([^<]+)</td>', page).group(1)
    pairs = list(hidden_fields(server.base + PEOPLE_NEW, server.staff).items()) + [("token", token)]
    req = urllib.request.Request(server.base + LETTERS, data=urllib.parse.urlencode(pairs).encode(), method="POST",
                                 headers={"Cookie": server.staff, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=120) as r:
        text, pages = pdf_text(r.read())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert pages == 1 and lines[0] == "LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN", lines[:3]
    assert "Kính gửi: Lương Thị Thư" in lines and f"- Tên đăng nhập: {username}" in lines
    assert f"{server.base}/invite/{token}" in lines
    dated = [line for line in lines if re.search(r"ngày \d{2} tháng \d{2} năm \d{4}$", line)]
    assert len(dated) == 1, lines
    assert re.fullmatch(r"([^,\s][^,]*, n|N)gày \d{2} tháng \d{2} năm \d{4}", dated[0]), \
        f"the letter's date line is {dated[0]!r} (a place left empty, its comma kept)"


# The accounts spreadsheet: the hostile files of the initiatives' upload, then CSVs of its own.
ACCOUNT_HEADER = "Mã đơn vị,Họ và tên,Chức vụ,Email,Số điện thoại,Vai trò,Tên đăng nhập\r\n"
HOSTILE_ROWS = [  # (the row, the column its line is refused on, or None for a row that is fine)
    ('LB-GD-MNGT,"Hoa\x01Lan",,,,,', "Họ và tên"),
    ('LB-GD-MNGT,"' + five_marks("Hoa") + '",,,,,', "Họ và tên"),
    ("LB-GD-MNGT,Hoa\ufdd0,,,,,", "Họ và tên"),
    ('LB-GD-MNGT,"' + "a" * 300 + '",,,,,', "Họ và tên"),
    ('LB-GD-MNGT,Hoa,"<script>x</script>' + "t" * 300 + '",,,,', "Chức vụ"),
    ('LB-GD-MNGT,Hoa,,"<script>@x.vn",,,', "Email"),
    ('LB-GD-MNGT,Hoa,,,"\x1b[31m",,', "Số điện thoại"),
    ("LB-GD-MNGT,Hoa,,,,\"=cmd|' /C calc'!A0\",", "Vai trò"),
    ('LB-GD-MNGT,Hoa,,,,,"../../etc/passwd"', "Tên đăng nhập"),
    ("\"=cmd|' /C calc'!A0\",Hoa,,,,,", "Mã đơn vị"),
    ("HN,Hoa,,,,admin,", "Mã đơn vị"),  # outside longbien's reach
    ("LB-GD-MNGT,\"=cmd|' /C calc'!A0\",,,,,", None),
]


def hostile_accounts_csv():
    return (ACCOUNT_HEADER + "".join(row + "\r\n" for row, _ in HOSTILE_ROWS)).encode()


def many_bad_accounts_csv():
    """60,000 rows (2.4 MB), every one naming a unit that does not exist."""
    return (ACCOUNT_HEADER + "".join(f"KHONG-CO-{i},Nguyễn Văn {i},,,,,\r\n" for i in range(60_000))).encode()


PEOPLE_HOSTILE = [h for h in HOSTILE if h.name in {"zip-bomb-1GiB", "million-filled-rows", "10MB-cell", "billion-laughs",
                                                   "column-101", "csv-one-50MB-line"}] + [
    Hostile("accounts-csv-hostile-fields", hostile_accounts_csv, "tai-khoan.csv",
            (f"Tệp có {sum(1 for _, c in HOSTILE_ROWS if c)} dòng lỗi, chưa tạo tài khoản nào",
             *[f"Dòng {n}: cột {c}:" for n, (_, c) in enumerate(HOSTILE_ROWS, start=2) if c]),
            status=422, content_type="text/csv",
            not_expected=("<script>", *[f"Dòng {n}:" for n, (_, c) in enumerate(HOSTILE_ROWS, start=2) if not c])),
    Hostile("accounts-csv-60000-bad-rows", many_bad_accounts_csv, "nhieu-tai-khoan.csv",
            ("Tệp có 60.000 dòng lỗi, chưa tạo tài khoản nào", "Dòng 2: cột Mã đơn vị"), status=422,
            content_type="text/csv"),
    Hostile("accounts-csv-not-utf8", lambda: ACCOUNT_HEADER.encode() + b"LB-GD-MNGT,Nguy\xeain,,,,,\r\n", "cp1258.csv",
            ("không ở bảng mã UTF-8",), status=422, content_type="text/csv"),
]


@pytest.mark.parametrize("hostile", PEOPLE_HOSTILE, ids=[h.name for h in PEOPLE_HOSTILE])
def test_a_hostile_accounts_file_is_refused_with_the_server_answering_in_bounded_memory(server, files, hostile):
    refused_upload(server, files, hostile, PEOPLE_IMPORT, server.staff, written=lambda: accounts(server.db))


# Tokens no link was ever made with: odd lengths, encodings, paths.
GARBAGE_TOKENS = ["a", "a" * 42, "a" * 43, "a" * 44, "a" * 1_000, "a" * 20_000, "%00", "%FF%FE", "..%2F..%2Fetc%2Fpasswd",
                  "%E2%80%AE", "%", "%%", "%zz", "x%2Fy", "%3Cscript%3E", "%F0%9F%98%80" * 100, "%CC%81" * 1_000, ".", "..",
                  "'%20OR%20'1'%3D'1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"]


def raw_request(base, method, path, body=b"", headers=None):
    """One request on a connection of its own, the path sent as it is: the status and the page."""
    target = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)
    try:
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (ConnectionError, http.client.HTTPException) as e:
        raise AssertionError(f"{method} {path[:80]}: the connection was dropped without an answer: {e!r}")
    finally:
        conn.close()


def test_invitation_and_reset_links_with_garbage_tokens_are_not_found(server):
    before = accounts(server.db)
    password = "một câu dễ nhớ thật dài"
    form = urllib.parse.urlencode({"_csrf": "t", "password": password, "confirm": password, "fullName": "Kẻ lạ"}).encode()
    anonymous = {"Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"}
    with polling(server.base, server.cookie) as polls:
        for token in GARBAGE_TOKENS:
            for prefix in ("/invite/", "/reset/"):
                for method, body in (("GET", b""), ("POST", form)):
                    status, page = raw_request(server.base, method, prefix + token, body, anonymous if body else None)
                    assert status == 404, f"{method} {prefix}{token[:40]} ({len(token)}): {status}; {server.state()}"
                    assert "Liên kết này không còn dùng được" in page or "Không tìm thấy" in page
                    assert "<script>" not in page and "Kẻ lạ" not in page
    assert polls.count >= 2 and not polls.failures and polls.worst < POLL_SECONDS, polls
    server.assert_alive()
    assert accounts(server.db) == before


def test_the_forgot_form_answers_huge_and_odd_names_alike_and_mails_nothing():
    """On a server that sends mail, longbien having an address: the answer to each hostile
    name is the answer to a name nobody has (or a 4xx past the form's size), and nothing is
    sent: no name near longbien's reaches a reset."""
    smtp = MailServer(free_port()).start()
    workdir, db, env = demo()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE users SET email = 'mai@ldld.example.vn', email_key = 'mai@ldld.example.vn' WHERE username = 'longbien'")
    conn.commit()
    conn.close()
    env = dict(env, DVK_SMTP_URL=smtp.url(), DVK_MAIL_FROM="dvk@ldld.example.vn", DVK_PUBLIC_URL="https://dvk.example.vn",
               DVK_MAIL_RETRY_SECONDS="1")
    port = free_port()
    proc = start(env, port)
    base = f"http://127.0.0.1:{port}"
    anonymous = {"Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"}

    def forgot(body):
        return raw_request(base, "POST", "/forgot", body if isinstance(body, bytes) else body.encode(), anonymous)

    try:
        wait_healthy(port, proc)
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        status, nobody = forgot("_csrf=t&name=khong-co-ai")
        assert status == 200 and "vừa được gửi tới email đó" in nobody
        names = ["a" * 200_000, "a" * 255, "longbien\x00", "longbien\u0301", "longbie_", "longbie%", "%", "*",
                 "longbien' OR '1'='1", "mai@ldld.example.vn\x00", "mai@ldld.example.v_", "%@%",
                 "Nguyễn\x00\x1b\u202e\ufffe" * 1_000, "\u0301" * 40_000]
        bodies = ["_csrf=t&name=" + urllib.parse.quote(n) for n in names]
        bodies += ["_csrf=t" + "&name=khong-co-ai" * 15_000]
        # Each answer takes its 600 ms whatever the name: eight at a time.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(forgot, bodies))
        for body, (status, page) in zip(bodies, answers):
            assert status == 200 and page == nobody, f"{body[:60]!r}: {status}"
        # Past the form's 256 kB: refused before it is read; keys the form cannot be: refused.
        assert forgot("_csrf=t&name=" + "a" * 300_000)[0] == 413
        status, _ = forgot("_csrf=t&name" + "[x]" * 5_000 + "=1")
        assert 400 <= status < 500, status
        with urllib.request.urlopen(base + "/health", timeout=5) as r:
            assert r.read() == b"ok"
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("SELECT COUNT(*) FROM invitations").fetchone()[0] == 0
            assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
        finally:
            conn.close()
        # The real name does get its message: the check above is not vacuous.
        status, page = forgot("_csrf=t&name=longbien")
        assert status == 200 and page == nobody
        assert len(smtp.recorder.wait_for(1)) == 1
        assert smtp.recorder.messages[0][1] == ["mai@ldld.example.vn"]
        assert peak_rss_kb(proc.pid) < PEAK_RSS_KB
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        smtp.stop()
        shutil.rmtree(workdir, ignore_errors=True)
