"""A specialist system's webhook endpoint, checking what it receives as the Standard
Webhooks specification (https://www.standardwebhooks.com, version 1.0.0) tells a
consumer to, written from the specification alone (it shares no code with the sender):

* ``webhook-id``, ``webhook-timestamp`` (integer Unix seconds) and
  ``webhook-signature`` must be present; the signature header is a space-separated
  list of ``<version>,<base64>``; a ``v1`` one must equal the base64 HMAC-SHA256,
  keyed with the base64-decoded part of the ``whsec_`` secret, of
  ``{webhook-id}.{webhook-timestamp}.{raw body}`` (constant-time comparison). Else 401.
* The timestamp must lie within five minutes of the receiver's clock, else 401.
* ``webhook-id`` is the idempotency key: a message seen before is answered like the
  first time (same case number) and not counted again.

It answers ``{"case_number": "AZ-…"}`` with 200, one number per distinct message.
Tests can script the next answers (``fail_next``: a status such as 500 or 429, with
``Retry-After``), make it slow (``delay``), hold the answer to the first requests after
taking them (``hold_first``: a sender that dies meanwhile never learns of the case
number), or answer with other bodies; it listens on another loopback address
(``host``) or speaks HTTPS (``tls``, a server context) when asked.

Usage::

    with WebhookReceiver(secret) as receiver:
        backend.deliver(delivery_to(receiver.url), document)
        assert receiver.distinct_ids == {delivery.key}
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE = 5 * 60


@dataclass
class Received:
    """One verified request (repeats of an id included)."""

    webhook_id: str
    timestamp: int
    headers: dict[str, str]
    body: bytes
    first: bool

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class WebhookReceiver:
    """A threaded HTTP server on 127.0.0.1 that verifies Standard Webhooks messages."""

    def __init__(
        self,
        secret: str,
        *,
        path: str = "/hooks/antraege",
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        assert secret.startswith("whsec_")
        self.key = base64.b64decode(secret[len("whsec_") :])
        self.path = path
        self.received: list[Received] = []
        self.refused: list[str] = []
        self.case_numbers: dict[str, str] = {}
        self.delay = 0.0
        # Answer for verified requests once scripts run out (None: the case number).
        self.answer: _Scripted | None = None
        self._scripts: deque[_Scripted] = deque()
        self._holds = 0
        self.held = threading.Event()  # set once a held request has been taken
        self.release = threading.Event()
        self._lock = threading.Lock()
        # ``host``: another loopback address (127.0.0.2) lets a test tell where a
        # request was sent.
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self.scheme = "http"
        if tls is not None:
            # HTTPS with the server context's certificate (a test PKI's).
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- scripting -------------------------------------------------------------------

    def fail_next(self, times: int, status: int = 500, retry_after: str | None = None) -> None:
        """Answer the next ``times`` verified requests with ``status`` (not recorded as
        received, as a receiver that failed has not taken the message)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        for _ in range(times):
            self._scripts.append(_Scripted(status, headers, b'{"error":"scripted"}'))

    def hold_first(self, times: int = 1) -> None:
        """Take the next ``times`` verified requests (recorded as received) and answer
        them only once ``release`` is set."""
        self._holds = times

    def answer_with(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        """Answer every verified request from now on with ``status`` and ``body``."""
        self.answer = _Scripted(status, {"Content-Type": content_type}, body)

    # -- what arrived ----------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}{self.path}"

    @property
    def distinct_ids(self) -> set[str]:
        """Every message id taken (a repeated delivery counts once)."""
        with self._lock:
            return {entry.webhook_id for entry in self.received}

    def first_deliveries(self) -> list[Received]:
        with self._lock:
            return [entry for entry in self.received if entry.first]

    # -- server ----------------------------------------------------------------------

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _verify(self, headers: dict[str, str], body: bytes) -> tuple[str, int] | str:
        message_id = headers.get("webhook-id")
        stamp = headers.get("webhook-timestamp")
        signatures = headers.get("webhook-signature")
        if not message_id or not stamp or not signatures:
            return "missing webhook headers"
        try:
            timestamp = int(stamp)
        except ValueError:
            return "timestamp is not an integer"
        signed = message_id.encode() + b"." + stamp.encode() + b"." + body
        expected = base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest())
        good = False
        for entry in signatures.split(" "):
            version, _, value = entry.partition(",")
            if version == "v1" and hmac.compare_digest(value.encode(), expected):
                good = True
        if not good:
            return "no valid v1 signature"
        if abs(time.time() - timestamp) > TOLERANCE:
            return "timestamp outside the tolerance"
        return message_id, timestamp

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if receiver.delay:
                    time.sleep(receiver.delay)
                if self.path != receiver.path:
                    self._send(404, b"{}", {})
                    return
                headers = {name.lower(): value for name, value in self.headers.items()}
                checked = receiver._verify(headers, body)
                if isinstance(checked, str):
                    with receiver._lock:
                        receiver.refused.append(checked)
                    self._send(401, json.dumps({"error": checked}).encode(), {})
                    return
                message_id, timestamp = checked
                with receiver._lock:
                    scripted = receiver._scripts.popleft() if receiver._scripts else None
                    if scripted is None:
                        first = message_id not in receiver.case_numbers
                        if first:
                            number = len(receiver.case_numbers) + 1
                            receiver.case_numbers[message_id] = f"AZ-2026-{number:05d}"
                        receiver.received.append(
                            Received(message_id, timestamp, headers, body, first)
                        )
                        scripted = receiver.answer
                        case_number = receiver.case_numbers[message_id]
                        hold = receiver._holds > 0
                        if hold:
                            receiver._holds -= 1
                    else:
                        hold = False
                if hold:
                    receiver.held.set()
                    receiver.release.wait(timeout=60)
                    with contextlib.suppress(OSError):  # the sender may be gone
                        self._send(200, json.dumps({"case_number": case_number}).encode(), {})
                    return
                if scripted is not None:
                    self._send(scripted.status, scripted.body, scripted.headers)
                    return
                self._send(200, json.dumps({"case_number": case_number}).encode(), {})

        return Handler


def specialist_headers(
    secret: str, webhook_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The headers a specialist system signs a report to the portal with (the same
    scheme, from the specification)."""
    key = base64.b64decode(secret[len("whsec_") :])
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signed = webhook_id.encode() + b"." + stamp.encode() + b"." + body
    digest = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": f"v1,{digest}",
        "Content-Type": "application/json",
    }
