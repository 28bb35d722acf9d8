"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepted.

Tests point the portal's ``SMTP_HOST``/``SMTP_PORT`` at it and read what arrived,
parsed as the recipient's mail program would. ``refuse_next(n)`` makes it answer
the next ``n`` messages with a temporary failure (``451``), as a mail server that
is overloaded or greylisting does.

Usage::

    with SmtpServer() as server:
        smtplib.SMTP(server.host, server.port).sendmail(...)
        assert server.messages[0]["Subject"] == ...
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class _Collector:
    """The aiosmtpd handler: accept (or refuse) and keep each message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refusals > 0:
                self.refusals -= 1
                return "451 4.3.0 Try again later"
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class SmtpServer:
    """Start on a free loopback port on enter, stop on exit."""

    def __init__(self) -> None:
        self.host = HOST
        self.port = _free_port()
        self._collector = _Collector()
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        """Every accepted message, in arrival order."""
        return list(self._collector.messages)

    def messages_to(self, address: str) -> list[EmailMessage]:
        """The accepted messages whose envelope names ``address`` as a recipient."""
        return [
            message
            for message, (_sender, recipients) in zip(
                self._collector.messages, self._collector.envelopes, strict=True
            )
            if address in recipients
        ]

    def refuse_next(self, count: int) -> None:
        """Answer the next ``count`` messages with ``451`` (try again later)."""
        self._collector.refusals = count
