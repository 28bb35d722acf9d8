"""A small JSON-over-HTTPS client for payment providers (requests underneath).

Every call has a timeout; answers of type ``application/json`` or
``application/problem+json`` (RFC 9457) are decoded; an error answer becomes a
:class:`~app.payments.errors.PaymentProviderError` carrying the problem document.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from app.payments.errors import PaymentProviderError, from_http_status

log = logging.getLogger(__name__)


@dataclass
class Answer:
    """A provider's answer: HTTP status, headers and decoded JSON body (or None)."""

    status: int
    headers: dict[str, str]
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Transport:
    """Sends one request; the sandbox provider replaces this with an in-process one."""

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Answer:
        raise NotImplementedError


class HttpTransport(Transport):
    """Real HTTP with timeouts, optional client certificate (mTLS) and CA bundle."""

    def __init__(
        self,
        timeout: float,
        *,
        cert: tuple[str, str] | None = None,
        verify: str | bool = True,
        session_factory: Callable[[], requests.Session] = requests.Session,
    ) -> None:
        self.timeout = timeout
        self.cert = cert
        self.verify = verify
        self._session_factory = session_factory

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Answer:
        sent = {"Accept": "application/json, application/problem+json"}
        sent.update(headers or {})
        try:
            with self._session_factory() as session:
                response = session.request(
                    method,
                    url,
                    json=json_body,
                    data=form,
                    headers=sent,
                    auth=auth,
                    timeout=(min(self.timeout, 10.0), self.timeout),
                    cert=self.cert,
                    verify=self.verify,
                    allow_redirects=False,
                )
        except requests.Timeout as exc:
            log.warning("Payment provider timed out: %s %s", method, _safe(url))
            raise PaymentProviderError("payment_provider_timeout", retryable=True) from exc
        except requests.RequestException as exc:
            log.warning("Payment provider unreachable: %s %s: %s", method, _safe(url), exc)
            raise PaymentProviderError("payment_provider_unavailable", retryable=True) from exc
        return Answer(response.status_code, dict(response.headers), _decode(response))


def _safe(url: str) -> str:
    """The URL without query string (no tokens in logs)."""
    return url.split("?", 1)[0]


def _decode(response: requests.Response) -> Any:
    if not response.content:
        return None
    kind = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if kind in ("application/json", "application/problem+json") or kind.endswith("+json"):
        try:
            return response.json()
        except ValueError:
            return None
    return None


def raise_for_answer(answer: Answer, what: str) -> None:
    """Turn an error answer into a PaymentProviderError (logging the problem)."""
    if answer.ok:
        return
    problem = answer.body if isinstance(answer.body, dict) else {}
    log.warning(
        "Payment provider refused %s: HTTP %s %s",
        what,
        answer.status,
        json.dumps(problem, ensure_ascii=False)[:500],
    )
    raise from_http_status(answer.status, problem)
