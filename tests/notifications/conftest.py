"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the e-mail tests, and the settings that send
through it: ``MAILERS`` (the test environment sets it to the locmem backend — overridden here with
the SMTP backend and this server) and ``SMEPLAN_NOTIFY_BY_EMAIL``."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


class Inbox:
    """What the server received: parsed messages (subject and body decoded)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def subjects(self) -> list[str]:
        return [str(m["subject"]) for m in self.messages]

    def to(self) -> list[str]:
        return [str(m["to"]) for m in self.messages]

    def body(self, n: int) -> str:
        return self.messages[n].get_body(("plain",)).get_content()


class SmtpServer:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.inbox = Inbox()
        self._controller = None

    def start(self):
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    with override_settings(
        MAILERS=mailers,
        SMEPLAN_NOTIFY_BY_EMAIL=True,
        SMEPLAN_SITE_URL="https://smeplan.example.cn",
        DEFAULT_FROM_EMAIL="smeplan@example.cn",
    ):
        yield server
    server.stop()
