"""The ``webhook`` backend: the application as JSON, POSTed to the specialist system and
signed the Standard Webhooks way (``app.handoff.signing``).

A definition's target names the receiver's address and the NAME of its secret::

    handoff:
      - id: steueramt
        backend: webhook
        on: submitted
        settings: {url: "https://fach.example/antraege", secret: steueramt}

The secret itself comes from the environment, ``HANDOFF_WEBHOOK_SECRET_STEUERAMT=
whsec_<base64>``. Outside production a target without one signs with a demo secret
derived from its name (anyone can derive it: the "Testmodus" of this backend);
production refuses to load such a target.

What is sent (``docs/handoff.md``, "Signed webhooks")::

    {"type": "application.handoff", "timestamp": "...", "delivery": "<key>",
     "target": "steueramt", "moment": "submitted", "data": {<the document>}}

``webhook-id`` is the delivery's key, the same on every attempt. A 2xx answer is the
receiver's receipt; ``{"case_number": "..."}`` in it becomes the delivery's
``remote_id``. 408, 429, 5xx and network trouble are tried again (after the
receiver's ``Retry-After`` if it names one); any other answer fails the delivery.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import socket
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError

from app.env_values import ConfigError
from app.env_values import number as _number
from app.handoff import signing
from app.handoff.base import Backend, Delivery, DeliveryFailed, Outcome

SECRET_ENV_PREFIX = "HANDOFF_WEBHOOK_SECRET_"  # noqa: S105 (a variable name, no secret)
EVENT_TYPE = "application.handoff"
USER_AGENT = "Buergerportal-Handoff/1"
# A secret's name: what follows SECRET_ENV_PREFIX, in lower case.
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Marks the demo secrets; production refuses a secret that is one of them.
_DEMO_SEED = b"buergerportal demo webhook secret (Testmodus): "
# Answers worth trying again: the receiver is busy, down or slow.
RETRY_STATUSES = frozenset({408, 429})
# The most of a receiver's answer read (a receipt, not a document).
MAX_ANSWER_BYTES = 64 * 1024
# Retry-After beyond this is not waited for: the outbox's own backoff takes over.
MAX_RETRY_AFTER_SECONDS = 3600
_CASE_NUMBER = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
TARGET_SETTINGS = ("url", "secret")


def demo_secret(name: str) -> str:
    """The demo secret of a target's secret ``name`` (outside production only)."""
    return signing.make_secret(hashlib.sha256(_DEMO_SEED + name.encode()).digest())


def clean_case_number(value: Any) -> str:
    """A receiver's case number as clerks may see it, or "" when it is not one."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    text = str(value).strip()
    return text if _CASE_NUMBER.match(text) else ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


INTERNAL = (
    "url: must not point at an internal address (loopback, private, link-local, reserved "
    "or multicast) in production"
)
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (``OSError`` when it does not)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def is_internal(address: str) -> bool:
    """Whether ``address`` (an IP address) is one a receiver on the internet cannot have:
    loopback, private, link-local, reserved, multicast, unspecified or otherwise not
    globally routable (IPv4 mapped into IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def url_problem(url: Any, production: bool, resolver: Resolver | None = None) -> str:
    """Why ``url`` cannot be a receiver's address ("" when it can).

    In production the host must not be, nor (asked through ``resolver``) resolve to,
    an internal address: a definition must not turn the portal into a way into the
    city's own network. A name that does not resolve now is left to the send time
    check (see :meth:`WebhookBackend.deliver`)."""
    if not isinstance(url, str) or not url:
        return "url: is missing"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or parts.username or parts.password or parts.fragment:
        return "url: must be an address with a host name and no user, password or #fragment"
    try:
        port = _port(parts)
    except ValueError:
        return "url: has an invalid port"
    if parts.scheme == "http" and _is_loopback(host) and not production:
        return ""
    if parts.scheme == "http" and _is_loopback(host):
        return "url: must be an https:// address in production"
    if parts.scheme != "https":
        return "url: must be an https:// address (http:// only to this machine, outside production)"
    if production:
        return _internal_problem(host, port, resolver)
    return ""


def _internal_problem(host: str, port: int, resolver: Resolver | None) -> str:
    try:
        return INTERNAL if is_internal(host) else ""
    except ValueError:
        pass  # a name, not an address
    if host == "localhost" or host.endswith(".localhost"):
        return INTERNAL
    if resolver is None:
        return ""
    try:
        addresses = resolver(host, port)
    except OSError:
        return ""
    return INTERNAL if any(is_internal(a) for a in addresses) else ""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from now (capped), or None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _head(response: requests.Response) -> bytes:
    """The start of the answer (through requests, so a broken one raises its errors)."""
    read = b""
    for chunk in response.iter_content(chunk_size=8192):
        read += chunk
        if len(read) >= MAX_ANSWER_BYTES:
            break
    return read[:MAX_ANSWER_BYTES]


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address the URL names (the checked one) while TLS checks the
    certificate for, and sends SNI with, the receiver's host name."""

    def __init__(self, host: str) -> None:
        self._host = host
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if host_params.get("scheme") == "https":
            pool_kwargs["server_hostname"] = self._host
            pool_kwargs["assert_hostname"] = self._host
        return host_params, pool_kwargs


def _not_connected(exc: requests.ConnectionError) -> bool:
    """Whether ``exc`` is a connection that was never made (refused or timed out while
    connecting: nothing was sent)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ConnectTimeoutError)  # NewConnectionError included


def _pinned_url(parts: SplitResult, address: str) -> str:
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


class WebhookBackend(Backend):
    """Standard Webhooks delivery of the application document."""

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        """``HANDOFF_WEBHOOK_SECRET_<NAME>`` (every one given) and the timeouts."""
        secrets: dict[str, str] = {}
        for variable, raw in env.items():
            if not variable.startswith(SECRET_ENV_PREFIX) or not raw.strip():
                continue
            name = variable[len(SECRET_ENV_PREFIX) :].lower()
            if not _NAME.match(name):
                raise ConfigError(
                    f"{variable}: the name after {SECRET_ENV_PREFIX} must be letters, "
                    "digits and _ (starting with a letter, at most 40)"
                )
            try:
                signing.parse_secret(raw.strip())
            except ValueError as exc:
                raise ConfigError(f"{variable}: {exc}") from None
            secrets[name] = raw.strip()
        return {
            "HANDOFF_WEBHOOK_SECRETS": secrets,
            # Targets without a secret sign with a demo one: never in production.
            "HANDOFF_WEBHOOK_DEMO_SECRETS": not production,
            "HANDOFF_WEBHOOK_CONNECT_TIMEOUT": _number(env, "HANDOFF_WEBHOOK_CONNECT_TIMEOUT", 5),
            "HANDOFF_WEBHOOK_READ_TIMEOUT": _number(env, "HANDOFF_WEBHOOK_READ_TIMEOUT", 30),
        }

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        """Weak or demo secrets, and demo secrets switched on."""
        found = []
        if config.get("HANDOFF_WEBHOOK_DEMO_SECRETS"):
            found.append("webhook demo secrets are on (they are for development and tests)")
        for name, secret in sorted((config.get("HANDOFF_WEBHOOK_SECRETS") or {}).items()):
            variable = SECRET_ENV_PREFIX + name.upper()
            if secret == demo_secret(name):
                found.append(f"{variable} is the demo secret")
            elif len(signing.parse_secret(secret)) < signing.MIN_SECRET_BYTES:
                found.append(
                    f"{variable} is shorter than {signing.MIN_SECRET_BYTES} bytes "
                    "(use 32 random bytes, base64 after whsec_)"
                )
        return found

    # How host names are resolved (a fake resolver in tests).
    resolve: Resolver = staticmethod(resolve)

    @property
    def production(self) -> bool:
        return self.config.get("PORTAL_ENV") == "production"

    def check_target(
        self, settings: Mapping[str, Any], definition: Mapping[str, Any] | None = None
    ) -> list[str]:
        """``url`` (https; http only to this machine outside production) and ``secret``
        (a name whose environment variable production must have). Each problem starts
        with the setting's name, so the service builder shows it at that input."""
        if not isinstance(settings, Mapping):
            return ["settings must be a mapping with url and secret"]
        found = [
            f"{key}: is not a setting of a webhook"
            for key in settings
            if key not in TARGET_SETTINGS
        ]
        problem = url_problem(settings.get("url"), self.production, self.resolve)
        if problem:
            found.append(problem)
        name = settings.get("secret")
        if not isinstance(name, str) or not _NAME.match(name):
            found.append(
                "secret: must name the target's secret (letters, digits and _; the secret "
                f"itself goes into {SECRET_ENV_PREFIX}<NAME>)"
            )
        elif self.production and name not in (self.config.get("HANDOFF_WEBHOOK_SECRETS") or {}):
            # Outside production the demo secret stands in (see ``key``).
            found.append(f"secret: {SECRET_ENV_PREFIX}{name.upper()} is not set")
        return found

    def key(self, name: str) -> bytes | None:
        """The signing key of secret ``name``: from the environment, else (outside
        production) the demo key; None when there is none."""
        if not _NAME.match(name):
            return None
        secret = (self.config.get("HANDOFF_WEBHOOK_SECRETS") or {}).get(name)
        if secret is None and self.config.get("HANDOFF_WEBHOOK_DEMO_SECRETS", not self.production):
            secret = demo_secret(name)
        return signing.parse_secret(secret) if secret else None

    def body(self, delivery: Delivery, document: Any) -> bytes:
        """The bytes sent (and signed): the envelope around the document's data."""
        message = {
            "type": EVENT_TYPE,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "delivery": delivery.key,
            "target": delivery.target_id,
            "moment": delivery.moment,
            "data": document.data,
        }
        return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def deliver(self, delivery: Delivery, document: Any) -> Outcome:
        """POST the signed document; the answer decides the outcome (module docstring)."""
        name = str(delivery.settings.get("secret") or "")
        key = self.key(name)
        if key is None:
            raise DeliveryFailed(f"{SECRET_ENV_PREFIX}{name.upper()} is not set", retry=False)
        url = delivery.settings.get("url")
        problem = url_problem(url, self.production)
        if problem:
            # Checked when the definition was loaded; the settings may have changed since.
            raise DeliveryFailed(problem, retry=False)
        parts = urlsplit(url)
        addresses = self._addresses(parts)
        body = self.body(delivery, document)
        sent = {
            **signing.headers(key, delivery.key, body),
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Host": parts.netloc,
        }
        timeout = (
            float(self.config.get("HANDOFF_WEBHOOK_CONNECT_TIMEOUT") or 5),
            float(self.config.get("HANDOFF_WEBHOOK_READ_TIMEOUT") or 30),
        )
        try:
            with requests.Session() as session:
                # The request goes to an address just checked: a name that resolves
                # anew (DNS rebinding) cannot send it elsewhere.
                adapter = _PinnedAdapter(parts.hostname or "")
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                for index, address in enumerate(addresses):
                    try:
                        with session.post(
                            _pinned_url(parts, address),
                            data=body,
                            headers=sent,
                            timeout=timeout,
                            allow_redirects=False,
                            stream=True,
                        ) as response:
                            return self._outcome(response, _head(response))
                    except requests.ConnectionError as exc:
                        # Nobody took the connection there (e.g. IPv6 first, the
                        # receiver on IPv4): the next address, as a resolver-led
                        # connection would. Anything later is not sent again here.
                        if index + 1 == len(addresses) or not _not_connected(exc):
                            raise
                raise AssertionError("unreachable: the last address raises")
        except requests.Timeout:
            raise DeliveryFailed("the receiver did not answer in time") from None
        except requests.RequestException as exc:
            # The class names the trouble (refused, reset, TLS) without any address.
            raise DeliveryFailed(f"network error ({type(exc).__name__})") from None

    def _addresses(self, parts: SplitResult) -> list[str]:
        """The addresses to connect to: the receiver's host resolved once, refused in
        production when any address it resolves to is internal."""
        host = parts.hostname or ""
        try:
            addresses = self.resolve(host, _port(parts))
        except OSError:
            raise DeliveryFailed("the receiver's host name cannot be resolved") from None
        if not addresses:
            raise DeliveryFailed("the receiver's host name cannot be resolved")
        if self.production and any(is_internal(a) for a in addresses):
            raise DeliveryFailed(INTERNAL, retry=False)
        return addresses

    def _outcome(self, response: requests.Response, answer: bytes) -> Outcome:
        status = response.status_code
        if 200 <= status < 300:
            try:
                decoded = json.loads(answer) if answer else None
            except ValueError:
                decoded = None
            case_number = (
                clean_case_number(decoded.get("case_number")) if isinstance(decoded, dict) else ""
            )
            return Outcome("delivered", remote_id=case_number, details={"status_code": status})
        reason = f"HTTP {status}"
        if status in RETRY_STATUSES or status >= 500:
            raise DeliveryFailed(
                reason,
                retry=True,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if 300 <= status < 400:
            reason += " (redirects are not followed: correct the target's url)"
        raise DeliveryFailed(reason, retry=False)
