"""The push machinery as the configuration sets it up: VAPID key, transport, topic key.

The VAPID key comes from ``VAPID_PRIVATE_KEY`` or is generated on first use into
the instance folder (``vapid_private_key.pem``, mode 0600); every process of one
installation must use the same key, because each browser subscription is bound
to the public key it was made with. The transport is built once per process and
shared by the job threads (it keeps one HTTP session per thread).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from app.push.endpoints import allows_plain_http
from app.push.transports import Transport, create_transport
from app.push.vapid import (
    application_server_key,
    load_or_create_private_key,
    private_key_from_string,
)

_lock = threading.Lock()
_keys: dict[tuple[str, str], ec.EllipticCurvePrivateKey] = {}
_transport: tuple[tuple[Any, ...], Transport] | None = None


def vapid_private_key(config: Mapping[str, Any]) -> ec.EllipticCurvePrivateKey:
    """The application server's private key (from the environment or the instance folder)."""
    text = config.get("VAPID_PRIVATE_KEY")
    source = ("env", text) if text else ("file", str(config["INSTANCE_PATH"]))
    key = _keys.get(source)
    if key is None:
        with _lock:
            key = _keys.get(source)
            if key is None:
                key = (
                    private_key_from_string(text)
                    if text
                    else load_or_create_private_key(config["INSTANCE_PATH"])
                )
                _keys[source] = key
    return key


def public_key(config: Mapping[str, Any]) -> str:
    """The ``applicationServerKey`` the PWA passes to ``PushManager.subscribe``."""
    return application_server_key(vapid_private_key(config))


def transport(config: Mapping[str, Any]) -> Transport:
    """The configured transport, shared by the jobs of this process."""
    global _transport
    key = vapid_private_key(config)
    settings = (
        config.get("PUSH_TRANSPORT") or "webpush",
        application_server_key(key),
        config.get("VAPID_SUB"),
        float(config.get("PUSH_TIMEOUT_SECONDS") or 10),
        allows_plain_http(config.get("PUSH_ALLOWED_HOSTS") or ()),
    )
    current = _transport
    if current is not None and current[0] == settings:
        return current[1]
    with _lock:
        if _transport is not None and _transport[0] == settings:
            return _transport[1]
        created = create_transport(
            settings[0],
            vapid_private_key=key,
            vapid_sub=settings[2],
            timeout=settings[3],
            allow_insecure_endpoints=settings[4],
        )
        previous, _transport = _transport, (settings, created)
    if previous is not None:
        previous[1].close()
    return created


def topic_key(config: Mapping[str, Any]) -> bytes:
    """The secret that keeps push services from matching ``Topic`` headers to ids."""
    secret = str(config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, b"buergerportal push topic", hashlib.sha256).digest()
