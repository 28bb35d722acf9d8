"""Push transports: the ways a notification leaves the server.

``webpush`` encrypts (aes128gcm, RFC 8291) and POSTs to the browser vendor's push
service with VAPID authentication; ``log`` records messages in memory for
development and never touches the network. Both share :class:`Transport` and
are created by name through :func:`create_transport`.

The outcome of a send tells the caller what to do next:

* ``delivered``: the push service accepted the message.
* ``gone``: 404/410, the subscription no longer exists; delete it.
* ``retry``: 429, 5xx or no connection; try again later (``retry_after``
  seconds when the service said so).
* ``failed``: any other refusal; retrying the same message will not help.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPusher, WebPushException

from app.push.message import SendOptions, encode_payload
from app.push.subscription import InvalidSubscription, origin, validate_subscription
from app.push.vapid import VapidSigner

log = logging.getLogger(__name__)

DEFAULT_OPTIONS = SendOptions()
_REASON_LENGTH = 200


class Outcome(StrEnum):
    """What became of one send, and so what the caller does with the subscription."""

    DELIVERED = "delivered"
    GONE = "gone"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class SendResult:
    """The result of one send: outcome, HTTP status (if any) and a short reason."""

    outcome: Outcome
    status: int | None
    reason: str
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        """True when the push service accepted the message."""
        return self.outcome is Outcome.DELIVERED


class Transport:
    """Base class of push transports; subclasses register with :func:`register_transport`."""

    name: ClassVar[str] = ""

    def send(
        self,
        subscription: Mapping[str, Any],
        payload: bytes | str | Mapping[str, Any],
        options: SendOptions = DEFAULT_OPTIONS,
    ) -> SendResult:
        """Send ``payload`` to one subscription (``{"endpoint", "keys"}``).

        Raises :class:`~app.push.message.PayloadTooLarge` before anything is sent
        when the payload exceeds the Web Push limit; every other problem is
        reported in the returned :class:`SendResult`.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release connections; the transport must not be used afterwards."""


_TRANSPORTS: dict[str, type[Transport]] = {}


def register_transport(name: str) -> Callable[[type[Transport]], type[Transport]]:
    """Class decorator that makes a :class:`Transport` available under ``name``."""

    def decorate(cls: type[Transport]) -> type[Transport]:
        if name in _TRANSPORTS and _TRANSPORTS[name] is not cls:
            raise ValueError(f"push transport {name!r} is already registered")
        cls.name = name
        _TRANSPORTS[name] = cls
        return cls

    return decorate


def transport_names() -> list[str]:
    """Names of all registered transports, sorted."""
    return sorted(_TRANSPORTS)


def create_transport(name: str, **settings: Any) -> Transport:
    """Create the transport registered as ``name`` with its keyword ``settings``."""
    try:
        cls = _TRANSPORTS[name]
    except KeyError:
        known = ", ".join(transport_names())
        raise ValueError(f"unknown push transport {name!r} (known: {known})") from None
    return cls(**settings)


def result_for_status(
    status: int, reason: str = "", retry_after: str | None = None, *, now: float | None = None
) -> SendResult:
    """Classify a push service's HTTP answer (RFC 8030, section 5)."""
    text = f"{status} {reason}".strip()[:_REASON_LENGTH]
    if 200 <= status < 300:
        return SendResult(Outcome.DELIVERED, status, text)
    if status in (404, 410):
        return SendResult(Outcome.GONE, status, text)
    if status == 429 or status >= 500:
        return SendResult(Outcome.RETRY, status, text, parse_retry_after(retry_after, now=now))
    return SendResult(Outcome.FAILED, status, text)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay or HTTP date), or ``None``."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT, even if it fails to say so
        when = when.replace(tzinfo=UTC)
    reference = time.time() if now is None else now
    delay = when.timestamp() - reference
    return float(max(0, math.ceil(delay)))


class _PushSession(requests.Session):
    """An HTTP session for push services that never follows redirects.

    It also resolves the environment's proxy and CA settings once per push
    service instead of once per message, which would scan the environment and
    cost about a fifth of a send.
    """

    def __init__(self) -> None:
        super().__init__()
        # A push service never redirects; following one would let a crafted
        # endpoint bounce the POST to an internal address.
        self.max_redirects = 0
        self._environment: dict[str, dict[str, Any]] = {}

    def merge_environment_settings(
        self, url: str | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        if not url or proxies or stream is not None or verify is not None or cert is not None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        settings = self._environment.get(key)
        if settings is None:
            settings = super().merge_environment_settings(url, {}, None, None, None)
            self._environment[key] = settings
        return {**settings, "proxies": dict(settings["proxies"])}


@register_transport("webpush")
class WebPushTransport(Transport):
    """Delivers through the subscription's push service with pywebpush and VAPID.

    Thread-safe: each thread keeps its own HTTP session, so workers reuse
    connections to the push services without sharing a session between threads.
    """

    def __init__(
        self,
        *,
        vapid_private_key: ec.EllipticCurvePrivateKey,
        vapid_sub: str,
        timeout: float = 10.0,
        allow_insecure_endpoints: bool = False,
    ) -> None:
        self.signer = VapidSigner(vapid_private_key, vapid_sub)
        self.timeout = timeout
        self.allow_insecure_endpoints = allow_insecure_endpoints
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = _PushSession()
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def send(
        self,
        subscription: Mapping[str, Any],
        payload: bytes | str | Mapping[str, Any],
        options: SendOptions = DEFAULT_OPTIONS,
    ) -> SendResult:
        """Encrypt and POST ``payload``; see :meth:`Transport.send`."""
        data = encode_payload(payload)
        try:
            target = validate_subscription(
                subscription, allow_insecure=self.allow_insecure_endpoints
            )
            audience = origin(target["endpoint"], allow_insecure=self.allow_insecure_endpoints)
        except InvalidSubscription as exc:
            return self._logged(SendResult(Outcome.FAILED, None, f"invalid subscription: {exc}"))

        headers = {
            "Authorization": self.signer.authorization(audience),
            "TTL": str(options.ttl),
            "Urgency": options.urgency.value,
        }
        if options.topic:
            headers["Topic"] = options.topic
        try:
            response = WebPusher(target, requests_session=self._session()).send(
                data,
                headers,
                ttl=options.ttl,
                content_encoding="aes128gcm",
                timeout=self.timeout,
            )
        except WebPushException as exc:
            result = SendResult(Outcome.FAILED, None, f"cannot encrypt: {exc.message}")
        except requests.TooManyRedirects:
            result = SendResult(Outcome.FAILED, None, "push service answered with a redirect")
        except requests.RequestException as exc:
            # No connection, a timeout or a broken answer: the service may be
            # back in a moment, and the message is still worth sending.
            result = SendResult(Outcome.RETRY, None, f"no answer: {type(exc).__name__}")
        else:
            result = result_for_status(
                response.status_code, response.reason or "", response.headers.get("Retry-After")
            )
        return self._logged(result, audience)

    def _logged(self, result: SendResult, audience: str = "") -> SendResult:
        # The endpoint is a bearer capability for the device, so only its origin
        # is logged.
        level = logging.DEBUG if result.delivered else logging.INFO
        log.log(level, "push to %s: %s (%s)", audience or "?", result.outcome, result.reason)
        return result

    def close(self) -> None:
        """Close every thread's HTTP session."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()


@dataclass(frozen=True)
class LoggedPush:
    """One message the ``log`` transport accepted."""

    endpoint: str
    payload: bytes
    options: SendOptions
    at: float


@register_transport("log")
class LogTransport(Transport):
    """Records messages in memory and in the log instead of sending them.

    Accepts (and ignores) the ``webpush`` settings, so switching transports is a
    one-word configuration change.
    """

    def __init__(self, *, max_records: int = 1000, **_ignored: Any) -> None:
        self.sent: deque[LoggedPush] = deque(maxlen=max_records)

    def send(
        self,
        subscription: Mapping[str, Any],
        payload: bytes | str | Mapping[str, Any],
        options: SendOptions = DEFAULT_OPTIONS,
    ) -> SendResult:
        """Record the message; same checks as ``webpush``, but nothing leaves the process."""
        data = encode_payload(payload)
        try:
            target = validate_subscription(subscription, allow_insecure=True)
        except InvalidSubscription as exc:
            return SendResult(Outcome.FAILED, None, f"invalid subscription: {exc}")
        self.sent.append(LoggedPush(target["endpoint"], data, options, time.time()))
        log.info(
            "push (log transport) to %s, ttl=%s urgency=%s topic=%s: %s",
            origin(target["endpoint"], allow_insecure=True),
            options.ttl,
            options.urgency,
            options.topic,
            data.decode("utf-8", "replace"),
        )
        return SendResult(Outcome.DELIVERED, None, "recorded by the log transport")
