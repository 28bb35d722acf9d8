"""The OAuth2 token cache the HTTP providers (XBezahldienste, PayPal) share."""

from __future__ import annotations

import threading
import time


class TokenCache:
    """OAuth2 client-credentials tokens, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}

    def get(self, key: tuple[str, str, str]) -> str | None:
        with self._lock:
            token, expires = self._tokens.get(key, ("", 0.0))
        return token if token and expires > time.monotonic() else None

    def put(self, key: tuple[str, str, str], token: str, lifetime: float) -> None:
        with self._lock:
            # Renew 30 s early so a token never expires in flight.
            self._tokens[key] = (token, time.monotonic() + max(lifetime - 30, 1))

    def drop(self, key: tuple[str, str, str]) -> None:
        with self._lock:
            self._tokens.pop(key, None)


TOKENS = TokenCache()
