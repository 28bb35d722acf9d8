"""The test portal served over HTTP in threads, for tests where requests must really run
at the same time (each on its own server thread and database connection)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from app.accounts import sessions, users
from app.db import db
from app.models import User
from tests.conftest import BASE_URL


class Served:
    """The running server's address and a way to send many requests at once."""

    def __init__(self, base: str, cookie_name: str) -> None:
        self.base = base
        self.cookie_name = cookie_name

    def citizen(self, email: str) -> dict[str, str]:
        """Headers of a signed-in citizen's browser (session cookie and CSRF token)."""
        with db.connection_context():
            user = User.get_or_none(User.email == email) or users.create_user(email)
            token, session = sessions.start_session(user, "email", "pytest", 24)
        return {"Cookie": f"{self.cookie_name}={token}", "X-CSRF-Token": session.csrf_token}

    def at_once(
        self, calls: list[tuple[str, str, dict[str, Any]]]
    ) -> list[tuple[int, dict[str, Any] | None]]:
        """Send every ``(method, path, options)`` at the same moment; status and JSON each.

        A barrier releases all threads together, so the requests overlap on the server.
        """
        barrier = threading.Barrier(len(calls))

        def send(call: tuple[str, str, dict[str, Any]]) -> tuple[int, dict[str, Any] | None]:
            method, path, options = call
            headers = {"Origin": BASE_URL, "Accept-Language": "de", **options.pop("headers", {})}
            barrier.wait()
            response = requests.request(
                method, self.base + path, headers=headers, timeout=60, **options
            )
            try:
                return response.status_code, response.json()
            except ValueError:
                return response.status_code, None

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(send, calls))


@pytest.fixture
def served(app) -> Iterator[Served]:
    """The session's test app behind a threaded HTTP server on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield Served(f"http://127.0.0.1:{server.server_port}", app.config["SESSION_COOKIE_NAME"])
    server.shutdown()
    thread.join()
    server.server_close()


def statuses(results: list[tuple[int, Any]]) -> list[int]:
    """The status codes of ``at_once`` results, sorted."""
    return sorted(status for status, _ in results)
