"""The Submission API over HTTP, as a sender.

Authentication is OAuth2 client credentials at ``FIT_CONNECT_TOKEN_URL``; the access
token is kept until shortly before it expires (one per client id and process) and
fetched again once when the API answers 401. Every call has a timeout. What goes wrong
becomes :class:`~app.handoff.base.DeliveryFailed`: no answer, 5xx and 429 are worth
another attempt later, any other 4xx is not (the same request would be refused
again). Reasons name the call and the status, never the content.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

from app.handoff.base import DeliveryFailed

log = logging.getLogger(__name__)

# Fetch a new token this long before the old one expires.
TOKEN_MARGIN_SECONDS = 30

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every cached access token (tests; a changed secret)."""
    with _tokens_lock:
        _tokens.clear()


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, decoded JSON body (or None) and headers."""

    status: int
    body: Any
    headers: dict[str, str]


class SubmissionClient:
    """Calls of the Submission API (``/v1/...``) with a bearer token."""

    def __init__(
        self,
        *,
        submission_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str = "",
        timeout: float = 20.0,
        verify: str | bool = True,
    ) -> None:
        self.base = submission_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.timeout = timeout
        self.verify = verify
        self.session = requests.Session()

    # --- the token ---------------------------------------------------------------------

    def token(self, *, fresh: bool = False) -> str:
        """A valid access token (cached until shortly before it expires)."""
        key = (self.token_url, self.client_id)
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached and not fresh and cached[1] > time.monotonic():
                return cached[0]
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        if self.scope:
            form["scope"] = self.scope
        answer = self._send("POST", self.token_url, "token", data=form)
        body = answer.body if isinstance(answer.body, dict) else {}
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise DeliveryFailed("FIT-Connect: the token endpoint gave no access token")
        try:
            lifetime = float(body.get("expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        with _tokens_lock:
            _tokens[key] = (token, time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0))
        return token

    # --- calls -------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | str | None = None,
        content_type: str | None = None,
        params: dict[str, Any] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Answer:
        """``method`` ``path`` (below the Submission API's address) with the bearer
        token; an answer whose status is not in ``expect`` raises ``DeliveryFailed``."""
        label = f"{method} {_route(path)}"
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token(fresh=attempt == 2)}"}
            if content_type:
                headers["Content-Type"] = content_type
            answer = self._send(
                method,
                self.base + path,
                label,
                json=json_body,
                data=data,
                params=params,
                headers=headers,
            )
            if answer.status == 401 and attempt == 1:
                continue  # the token was revoked or expired early: one fresh try
            break
        if answer.status not in expect:
            raise _failure(label, answer)
        return answer

    def url_get(self, url: str, label: str) -> Answer:
        """GET a public document at ``url`` (the service's key set), no token."""
        answer = self._send("GET", url, label)
        if answer.status != 200:
            raise _failure(label, answer)
        return answer

    def _send(
        self,
        method: str,
        url: str,
        label: str,
        **kwargs: Any,
    ) -> Answer:
        try:
            response = self.session.request(
                method, url, timeout=self.timeout, verify=self.verify, **kwargs
            )
        except requests.RequestException as exc:
            raise DeliveryFailed(
                f"FIT-Connect: {label} got no answer ({type(exc).__name__})", retry=True
            ) from exc
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        answer = Answer(response.status_code, body, dict(response.headers))
        if label == "token" and answer.status != 200:
            raise _failure(label, answer)
        return answer


def _route(path: str) -> str:
    """The path with ids replaced, for reasons and logs."""
    parts = path.split("?")[0].strip("/").split("/")
    named = {"destinations", "keys", "submissions", "attachments", "cases", "events", "v1"}
    return "/" + "/".join(part if part in named else "{id}" for part in parts)


def _failure(label: str, answer: Answer) -> DeliveryFailed:
    problem = ""
    if isinstance(answer.body, dict) and isinstance(answer.body.get("type"), str):
        # Problem types are URIs of the API (no personal data); the detail may quote input.
        problem = f" ({answer.body['type'].rsplit('/', 1)[-1]})"
    retry = answer.status >= 500 or answer.status in (408, 425, 429)
    log.warning("FIT-Connect %s answered %s%s", label, answer.status, problem)
    return DeliveryFailed(f"FIT-Connect: {label} answered {answer.status}{problem}", retry=retry)
