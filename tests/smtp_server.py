"""A real SMTP server for tests that send mail over the network: aiosmtpd, started as a process,
storing what it receives in a Maildir."""

import mailbox
import os
import socket
import subprocess
import sys
import time

import pytest

from .stripe_server import free_port


class MailServer:
    """The test SMTP server: `.messages()` is what it received, oldest first."""

    def __init__(self, folder, port):
        self.folder, self.port = folder, port

    def messages(self) -> list:
        if not self.folder.exists():
            return []
        return sorted(mailbox.Maildir(self.folder, create=False), key=lambda message: message.get_date())


@pytest.fixture
def smtp_server(settings, tmp_path):
    """Mail goes through Django's SMTP backend to a real SMTP server process (aiosmtpd)."""
    port = free_port()
    folder = tmp_path / "maildir"
    process = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                "-c", "aiosmtpd.handlers.Mailbox", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: os.nice(5))
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("aiosmtpd did not start")
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10

    yield MailServer(folder, port)
    process.terminate()
    process.wait(10)
