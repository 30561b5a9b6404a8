"""A real DVK server on a temporary SQLite file with the demo data, and a real headless Chromium."""
import contextlib
import dataclasses
import shutil
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("DVK_BIN", os.path.join(ROOT, ".build", "debug", "dvk"))
PASSWORD = "dvk-demo-2024"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The demo server's environment, for tests that run `dvk` commands against its database.
SERVER_ENV = {}


@contextlib.contextmanager
def serve(env):
    """`dvk serve` on a free port with `env`, until the block ends: its base URL."""
    port = free_port()
    proc = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if urllib.request.urlopen(base + "/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("dvk serve did not start")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server():
    workdir = tempfile.mkdtemp(prefix="dvk-browser-")
    env = dict(os.environ, DATABASE_URL="sqlite:" + os.path.join(workdir, "dvk.sqlite"),
               DVK_LOGIN_RATE_LIMIT="0", DVK_LIBRARY_RATE_LIMIT="0", DVK_METRICS_ADDRESS="off")
    SERVER_ENV.update(env)
    subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
    with serve(env) as base:
        yield base


def make_driver(width, height, lang=None):
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
        options.add_argument(arg)
    if lang:
        # The browser's language, as an office PC has it (an English Chrome writes dates mm/dd/yyyy).
        options.add_argument(f"--lang={lang}")
        options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture
def browser():
    driver = make_driver(1280, 1000)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    # Headless Chromium will not make a window narrower than 500 px: emulate the phone's
    # viewport instead, and check that it took.
    driver = make_driver(500, 844)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": False})
    driver.get("about:blank")
    assert driver.execute_script("return window.innerWidth") == 390
    yield driver
    driver.quit()


def login(driver, base, username, password=PASSWORD):
    # Chromium now and then reports a node of the page that was just replaced; the login
    # itself is repeatable, so try again rather than fail on the browser's hiccup.
    for attempt in range(3):
        try:
            driver.delete_all_cookies()
            driver.get(base + "/login")
            WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.NAME, "username")))
            driver.find_element(By.NAME, "username").send_keys(username)
            driver.find_element(By.NAME, "password").send_keys(password)
            button = driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]")
            button.click()
            WebDriverWait(driver, 10).until(gone(button))
            return
        except WebDriverException:
            if attempt == 2:
                raise


def shot(driver, name):
    """Keeps a screenshot when DVK_SCREENSHOTS names a folder (for people to look at)."""
    folder = os.environ.get("DVK_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        width = driver.execute_script("return window.innerWidth")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": min(max(height, 600), 6000), "deviceScaleFactor": 1, "mobile": False})
        driver.save_screenshot(os.path.join(folder, name + ".png"))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 844 if width < 500 else 1000, "deviceScaleFactor": 1, "mobile": False})


def gone(element):
    """A wait condition: the element's page has been replaced. Chromium sometimes answers a
    question about a node of the replaced page with "does not belong to the document" rather
    than "stale": both mean it is gone."""
    def check(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def click_and_wait(driver, element):
    """Clicks something that loads a new page and waits until the old page is gone."""
    element.click()
    WebDriverWait(driver, 10).until(gone(element))


# --- A server of a test module's own, on a copy of the demo -----------------------------------
# For tests that change what the other browser tests, sharing `server`, must not see: they
# submit, return, create units and accounts.

@pytest.fixture(scope="module")
def demo_database():
    """The demo database, made once for the module."""
    workdir = tempfile.mkdtemp(prefix="dvk-demo-")
    path = os.path.join(workdir, "demo.sqlite")
    subprocess.run([BIN, "demo"], env=dict(os.environ, DATABASE_URL="sqlite:" + path), check=True, capture_output=True)
    yield path
    shutil.rmtree(workdir, ignore_errors=True)


@dataclasses.dataclass
class Site:
    base: str
    db: str
    env: dict


@pytest.fixture
def site(demo_database):
    """`dvk serve` (SQLite, no mail) on a fresh copy of the demo database."""
    workdir = tempfile.mkdtemp(prefix="dvk-site-")
    db = os.path.join(workdir, "dvk.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(demo_database + suffix):
            shutil.copy(demo_database + suffix, db + suffix)
    env = dict(os.environ, DATABASE_URL="sqlite:" + db, DVK_LOGIN_RATE_LIMIT="0", DVK_LIBRARY_RATE_LIMIT="0",
               DVK_METRICS_ADDRESS="off", DVK_SMTP_URL="", DVK_MAIL_FROM="", DVK_PUBLIC_URL="")
    with serve(env) as base:
        yield Site(base, db, env)
    shutil.rmtree(workdir, ignore_errors=True)
