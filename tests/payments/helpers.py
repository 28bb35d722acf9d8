"""Helpers shared by the payment tests (API and domain)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app import events

BASE_URL = "http://localhost:5000"


def path_of(url: str) -> str:
    """The path and query of an absolute portal URL (for the Flask test client)."""
    parts = urlsplit(url)
    assert not parts.netloc or f"{parts.scheme}://{parts.netloc}" == BASE_URL, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def create_notice(staff, email: str, **overrides: Any) -> dict[str, Any]:
    """A dog tax notice (84 EUR, four instalments) for ``email``, created by ``staff``."""
    body = {
        "email": email,
        "kind": "dog_tax",
        "title": "Hundesteuer 2027",
        "kassenzeichen": "HST-2027-0001",
        "schedule": {"type": "quarterly", "year": 2027, "total_cents": 8400},
    } | overrides
    body = {key: value for key, value in body.items() if value is not None}
    response = staff.post("/api/staff/notices", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def sandbox_decide(client, payment: dict[str, Any], outcome: str):
    """Open the sandbox page of ``payment``, press ``outcome``; returns the provider's
    redirect back to the portal (a response from the return handler)."""
    page = client.get(path_of(payment["action"]["url"]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Testmodus" in html
    token = html.split('name="token" value="', 1)[1].split('"', 1)[0]
    pressed = client.post(
        path_of(payment["action"]["url"]), data={"token": token, "outcome": outcome}
    )
    assert pressed.status_code == 303, pressed.get_data(as_text=True)
    return client.get(path_of(pressed.headers["Location"]))


@contextmanager
def captured(*names: str) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Record the events ``names`` emitted inside the block."""
    seen: list[tuple[str, dict[str, Any]]] = []
    handlers = {}
    for name in names:

        def handler(_name: str = name, **payload: Any) -> None:
            seen.append((_name, payload))

        handlers[name] = handler
        events.subscribe(name)(handler)
    try:
        yield seen
    finally:
        for name, handler in handlers.items():
            events._handlers[name].remove(handler)
