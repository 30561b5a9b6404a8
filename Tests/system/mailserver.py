"""A real SMTP server for the tests: aiosmtpd with STARTTLS required, AUTH (PLAIN and LOGIN)
required after it, and a self-signed certificate that DVK is told to trust (?cafile=).
Every accepted message is kept (and written to a directory when one is given).

Run alone: python3 Tests/system/mailserver.py --port 2525 --dir /tmp/mails
"""
import argparse
import os
import ssl
import subprocess
import tempfile
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "dvk", "mật-khẩu thử"


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class Recorder:
    """Keeps what it accepts; can answer 451 to the next N messages or 550 to some addresses."""

    def __init__(self, directory=None):
        self.messages = []  # (mail_from, [rcpt], bytes)
        self.refuse_next = 0
        self.refused_addresses = set()
        self.directory = directory
        self.lock = threading.Lock()
        self.auth_mechanisms = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_addresses:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Temporary failure, try again later"
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
            if self.directory:
                name = os.path.join(self.directory, "%04d.eml" % len(self.messages))
                with open(name, "wb") as f:
                    f.write(envelope.original_content)
        return "250 2.0.0 Ok: queued as %d" % len(self.messages)

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.auth_mechanisms.append(mechanism)
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok)

    def wait_for(self, count, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        with self.lock:
            return list(self.messages)


class MailServer:
    def __init__(self, port, directory=None, certdir=None):
        self.certdir = certdir or tempfile.mkdtemp(prefix="dvk-smtp-cert-")
        cert = os.path.join(self.certdir, "cert.pem")
        if not os.path.exists(cert):
            make_certificate(self.certdir)
        self.cert = cert
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, os.path.join(self.certdir, "key.pem"))
        self.recorder = Recorder(directory)
        self.port = port
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port, server_hostname="localhost",
                                     tls_context=context, require_starttls=True, auth_required=True,
                                     auth_require_tls=True, authenticator=self.recorder.authenticate)

    def url(self):
        from urllib.parse import quote
        return "smtp://%s:%s@localhost:%d?cafile=%s" % (quote(USER), quote(PASSWORD), self.port, self.cert)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--refuse", action="append", default=[], help="an address to answer 550")
    args = parser.parse_args()
    if args.dir:
        os.makedirs(args.dir, exist_ok=True)
    server = MailServer(args.port, args.dir, certdir=args.dir)
    server.recorder.refused_addresses.update(args.refuse)
    server.start()
    print("DVK_SMTP_URL=" + server.url(), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
