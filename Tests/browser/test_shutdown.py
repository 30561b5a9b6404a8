"""SIGTERM while requests are being answered: the server drains them and exits cleanly."""
import os
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

from conftest import BIN, free_port


def test_sigterm_under_load_exits_cleanly():
    workdir = tempfile.mkdtemp(prefix="dvk-shutdown-")
    env = dict(os.environ, DATABASE_URL=os.environ.get("DVK_SHUTDOWN_DATABASE_URL", "sqlite:" + os.path.join(workdir, "dvk.sqlite")))
    subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
    token = subprocess.run([BIN, "user", "token", "longbien"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([BIN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/api/v1/campaigns/DVK-2024/summary?unit=LB"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    stop = threading.Event()
    answered = []

    def hammer():
        while not stop.is_set():
            try:
                req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
                answered.append(urllib.request.urlopen(req, timeout=5).status)
            except OSError:
                pass

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    server.send_signal(signal.SIGTERM)
    try:
        _, stderr = server.communicate(timeout=30)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert answered and all(code == 200 for code in answered)
    crash = stderr[stderr.find("crashed:") - 200:stderr.find("crashed:") + 3000] if "crashed:" in stderr else stderr[-2000:]
    assert server.returncode == 0, crash
    assert "crashed" not in stderr
