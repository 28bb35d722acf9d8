"""A local Web Push service, strict enough to catch what a real one would refuse.

It accepts ``POST /push/<subscription-id>`` like a browser vendor's push service
and checks each request the way RFC 8030/8291/8292 describe:

* ``Authorization: vapid t=<JWT>, k=<key>``: the ES256 signature verifies with
  ``k``; ``aud`` is this service's origin; ``exp`` lies in the future and at most
  24 h ahead; ``sub`` is a ``mailto:`` or ``https:`` contact. Missing or invalid:
  401. A subscription made with an ``applicationServerKey`` only accepts that
  key: 403.
* ``TTL`` is present (400 otherwise), ``Urgency`` and ``Topic`` are valid (400),
  ``Content-Encoding`` is ``aes128gcm`` (415), the body fits one record (413).
* The body decrypts with the subscription's private key and auth secret
  (http_ece), else 400.

Accepted messages are recorded as :class:`Delivery` (headers and plaintext).
Tests can script answers (201, 404, 410, 429 with ``Retry-After``, 500, ...)
for the next N requests, globally or per subscription, and can unsubscribe a
subscription so that it answers 410 like an expired one.

Usage::

    with FakePushService() as service:
        browser = service.subscribe()
        transport.send(browser.info, payload, options)
        assert service.deliveries[0].payload == payload
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_RECORD_BYTES = 4096
MAX_TOKEN_LIFETIME = 24 * 3600
_PATH = re.compile(r"^/push/([A-Za-z0-9_-]{1,128})$")
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_URGENCIES = ("very-low", "low", "normal", "high")
_SUB = re.compile(r"^(mailto:[^@\s]+@[^@\s]+|https://[^\s/]+(/\S*)?)$")


def b64url(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserSubscription:
    """What a browser's ``PushManager.subscribe`` creates, private parts included.

    ``info`` is the ``PushSubscription.toJSON()`` shape that the API stores and
    pywebpush takes; ``private_key`` and ``auth_secret`` let the push service
    decrypt what the application server sent, as the browser would.
    """

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    application_server_key: str | None = None

    @property
    def p256dh(self) -> str:
        """The public key as the browser reports it."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def info(self) -> dict[str, Any]:
        """``{"endpoint", "keys": {"p256dh", "auth"}}`` as pywebpush takes it."""
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, body: bytes) -> bytes:
        """Decrypt an aes128gcm body sent to this subscription."""
        return http_ece.decrypt(
            body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )


def make_subscription(
    origin: str, *, application_server_key: str | None = None, id: str | None = None
) -> BrowserSubscription:
    """Create a browser-like subscription whose endpoint is ``<origin>/push/<id>``."""
    sub_id = id or secrets.token_urlsafe(16)
    return BrowserSubscription(
        id=sub_id,
        endpoint=f"{origin}/push/{sub_id}",
        private_key=ec.generate_private_key(ec.SECP256R1()),
        auth_secret=secrets.token_bytes(16),
        application_server_key=application_server_key,
    )


@dataclass(frozen=True)
class Delivery:
    """One message the service accepted."""

    subscription_id: str
    headers: dict[str, str]
    claims: dict[str, Any]
    plaintext: bytes
    received_at: float

    @property
    def ttl(self) -> int:
        return int(self.headers["ttl"])

    @property
    def urgency(self) -> str | None:
        return self.headers.get("urgency")

    @property
    def topic(self) -> str | None:
        return self.headers.get("topic")

    @property
    def payload(self) -> Any:
        """The decrypted body parsed as JSON."""
        return json.loads(self.plaintext)


@dataclass(frozen=True)
class Rejection:
    """One request the service refused, and why."""

    subscription_id: str | None
    status: int
    reason: str


@dataclass
class _Scripted:
    status: int
    remaining: int | None  # None: until cleared
    retry_after: str | None = None


class _Refused(Exception):
    def __init__(self, status: int, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class _State:
    subscriptions: dict[str, BrowserSubscription] = field(default_factory=dict)
    unsubscribed: set[str] = field(default_factory=set)
    scripted: deque[_Scripted] = field(default_factory=deque)
    scripted_for: dict[str, deque[_Scripted]] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    requests: int = 0
    delivered: int = 0  # counted even when deliveries are not recorded


class FakePushService:
    """A threaded HTTP push service on ``127.0.0.1`` with an ephemeral port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, record: bool = True) -> None:
        """Prepare the service; ``record=False`` only counts deliveries (benchmarks)."""
        self._host = host
        self._port = port
        self.record = record
        self._state = _State()
        self._lock = threading.Lock()
        self._delivered = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakePushService:
        """Start serving in a background thread."""
        server = _Server((self._host, self._port), _Handler)
        server.service = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; open keep-alive connections are dropped."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePushService:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``, the ``aud`` a VAPID token must name."""
        assert self._server is not None, "start() the service first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- subscriptions -----------------------------------------------------

    def subscribe(self, *, application_server_key: str | None = None) -> BrowserSubscription:
        """Create and register a browser-like subscription on this service."""
        subscription = make_subscription(self.origin, application_server_key=application_server_key)
        self.add(subscription)
        return subscription

    def add(self, subscription: BrowserSubscription) -> None:
        """Register a subscription made elsewhere, so its messages can be decrypted."""
        with self._lock:
            self._state.subscriptions[subscription.id] = subscription
            self._state.unsubscribed.discard(subscription.id)

    def unsubscribe(self, subscription_id: str) -> None:
        """Forget a subscription; later messages to it get 410 Gone."""
        with self._lock:
            self._state.subscriptions.pop(subscription_id, None)
            self._state.unsubscribed.add(subscription_id)

    # -- scripted answers ----------------------------------------------------

    def respond(
        self,
        status: int,
        *,
        times: int | None = 1,
        subscription_id: str | None = None,
        retry_after: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` valid requests (``None``: all) with ``status``.

        With ``subscription_id`` only requests to that subscription are affected.
        Authorization and header checks still come first, as with a real service.
        """
        entry = _Scripted(status, times, None if retry_after is None else str(retry_after))
        with self._lock:
            if subscription_id is None:
                self._state.scripted.append(entry)
            else:
                self._state.scripted_for.setdefault(subscription_id, deque()).append(entry)

    def reset(self) -> None:
        """Forget deliveries, rejections and scripted answers (subscriptions stay)."""
        with self._lock:
            self._state.scripted.clear()
            self._state.scripted_for.clear()
            self._state.deliveries.clear()
            self._state.rejections.clear()
            self._state.requests = 0
            self._state.delivered = 0

    # -- what happened -------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        """Accepted messages, oldest first."""
        with self._lock:
            return list(self._state.deliveries)

    @property
    def rejections(self) -> list[Rejection]:
        """Refused requests, oldest first."""
        with self._lock:
            return list(self._state.rejections)

    def stats(self) -> dict[str, int]:
        """Counts of requests, deliveries and rejections."""
        with self._lock:
            return {
                "requests": self._state.requests,
                "deliveries": self._state.delivered,
                "rejections": len(self._state.rejections),
            }

    def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> list[Delivery]:
        """Block until at least ``count`` messages arrived; return them (maybe fewer)."""
        deadline = time.monotonic() + timeout
        with self._delivered:
            while len(self._state.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._delivered.wait(left)
            return list(self._state.deliveries)

    # -- request handling ----------------------------------------------------

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        """Check one push request; return the status and extra response headers."""
        match = _PATH.match(path)
        sub_id = match.group(1) if match else None
        with self._lock:
            self._state.requests += 1
        try:
            if sub_id is None:
                raise _Refused(404, "no such push resource")
            claims = self._check_authorization(headers.get("authorization", ""), sub_id)
            self._check_headers(headers, body)
            self._scripted_answer(sub_id)
            subscription = self._subscription(sub_id)
            try:
                plaintext = subscription.decrypt(body)
            except Exception as exc:
                raise _Refused(400, f"body does not decrypt: {exc}") from exc
        except _Refused as refused:
            with self._lock:
                self._state.rejections.append(Rejection(sub_id, refused.status, refused.reason))
            extra = {"Retry-After": refused.retry_after} if refused.retry_after else {}
            reason = " ".join(refused.reason.split())[:200].encode("ascii", "replace").decode()
            return refused.status, {"X-Reason": reason, **extra}

        delivery = Delivery(sub_id, headers, claims, plaintext, time.time())
        with self._delivered:
            self._state.delivered += 1
            if self.record:
                self._state.deliveries.append(delivery)
            self._delivered.notify_all()
        return 201, {"Location": f"/message/{secrets.token_urlsafe(8)}"}

    def _subscription(self, sub_id: str) -> BrowserSubscription:
        with self._lock:
            if sub_id in self._state.unsubscribed:
                raise _Refused(410, "subscription expired")
            subscription = self._state.subscriptions.get(sub_id)
        if subscription is None:
            raise _Refused(404, "no such subscription")
        return subscription

    def _scripted_answer(self, sub_id: str) -> None:
        with self._lock:
            queue = self._state.scripted_for.get(sub_id) or self._state.scripted
            if not queue:
                return
            entry = queue[0]
            if entry.remaining is not None:
                entry.remaining -= 1
                if entry.remaining <= 0:
                    queue.popleft()
        if entry.status >= 300:
            raise _Refused(entry.status, "scripted answer", entry.retry_after)

    def _check_authorization(self, value: str, sub_id: str) -> dict[str, Any]:
        scheme, _, params = value.strip().partition(" ")
        if scheme.lower() != "vapid":
            raise _Refused(401, "Authorization must use the vapid scheme")
        parts: dict[str, str] = {}
        for item in params.split(","):
            name, _, val = item.strip().partition("=")
            parts[name.strip().lower()] = val.strip()
        token, key = parts.get("t", ""), parts.get("k", "")
        if not token or not key:
            raise _Refused(401, "Authorization needs t= and k=")
        claims = verify_jwt(token, key)  # raises _Refused(401)

        now = time.time()
        if claims.get("aud") != self.origin:
            raise _Refused(401, f"aud {claims.get('aud')!r} is not {self.origin}")
        exp = claims.get("exp")
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise _Refused(401, "exp missing or not an integer")
        if exp <= now:
            raise _Refused(401, "token expired")
        if exp > now + MAX_TOKEN_LIFETIME:
            raise _Refused(401, "exp more than 24 hours ahead")
        if not isinstance(claims.get("sub"), str) or not _SUB.match(claims["sub"]):
            raise _Refused(401, "sub must be a mailto: or https: contact")

        with self._lock:
            subscription = self._state.subscriptions.get(sub_id)
        bound = subscription.application_server_key if subscription else None
        if bound is not None and unb64url(bound) != unb64url(key):
            raise _Refused(403, "key does not match the subscription's applicationServerKey")
        return claims

    @staticmethod
    def _check_headers(headers: dict[str, str], body: bytes) -> None:
        ttl = headers.get("ttl")
        if ttl is None or not ttl.isdigit():
            raise _Refused(400, "TTL header missing or not a non-negative integer")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in _URGENCIES:
            raise _Refused(400, f"invalid Urgency {urgency!r}")
        topic = headers.get("topic")
        if topic is not None and not _TOPIC.match(topic):
            raise _Refused(400, f"invalid Topic {topic!r}")
        if headers.get("content-encoding") != "aes128gcm":
            raise _Refused(415, "Content-Encoding must be aes128gcm")
        if len(body) > MAX_RECORD_BYTES:
            raise _Refused(413, "payload too large")


def verify_jwt(token: str, key: str) -> dict[str, Any]:
    """Verify an ES256 JWT with the base64url P-256 point ``key``; return its claims."""
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        claims = json.loads(unb64url(claims_b64))
        signature = unb64url(signature_b64)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise _Refused(401, f"malformed token or key: {exc}") from exc
    if not isinstance(header, dict) or header.get("alg") != "ES256":
        raise _Refused(401, "JWT alg must be ES256")
    if len(signature) != 64:
        raise _Refused(401, "ES256 signature must be 64 bytes")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise _Refused(401, "JWT signature does not verify with k") from exc
    if not isinstance(claims, dict):
        raise _Refused(401, "JWT claims must be an object")
    return claims


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Keep-alive handler threads block on reads; don't wait for them on close.
    block_on_close = False
    request_queue_size = 128
    service: FakePushService


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients with a session expect
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._answer(411, {"X-Reason": "Content-Length required"})
            return
        body = self.rfile.read(int(length))
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, extra = self.server.service.handle(self.path, headers, body)
        self._answer(status, extra)

    def do_GET(self) -> None:
        self._answer(405, {"Allow": "POST"})

    def _answer(self, status: int, headers: dict[str, str]) -> None:
        reason = headers.get("X-Reason", "").encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reason)))
        self.end_headers()
        self.wfile.write(reason)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet
