"""Shared fixtures: one migrated database per run, emptied after every test.

The database is SQLite in a temporary folder unless ``TEST_DATABASE_URL`` names a
PostgreSQL database, which CI sets for the second run of the API suite (under
pytest-xdist, each worker then gets a database of its own: ``tests/worker_databases.py``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest

from app import migrations
from app.applications import definitions
from app.db import db
from app.handoff import backends as handoff_backends
from app.mail import read_outbox
from app.models import ALL_MODELS, User
from app.payments import providers
from portal import create_app, register_domain
from tests.fakes.authenticator import SoftAuthenticator
from tests.worker_databases import give_worker_own_servers

BASE_URL = "http://localhost:5000"

# The registrations the composition root makes, for tests that read the configuration
# or use the domain without building an app first (both calls are idempotent).
providers.register_builtin()
handoff_backends.register_builtin()
register_domain()


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module is imported: some read the server URLs at import.
    give_worker_own_servers(os.environ)


def _reset_postgres(url: str) -> None:
    database = peewee.PostgresqlDatabase(None)
    from playhouse.db_url import parse

    database.init(**parse(url))
    database.connect()
    database.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
    database.execute_sql("CREATE SCHEMA public")
    database.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    instance = tmp_path_factory.mktemp("instance")
    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(instance),
        "DATABASE_URL": database_url,
        "PORTAL_BASE_URL": BASE_URL,
    }
    if os.environ.get("TEST_REDIS_URL"):
        # Rate limits then count in Redis, as in production.
        env["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    if os.environ.get("TEST_PORTAL_STORAGE"):
        # Every test's files in another storage backend (e.g. postgres).
        env["PORTAL_STORAGE"] = os.environ["TEST_PORTAL_STORAGE"]
    flask_app = create_app(env)
    migrations.upgrade(db.obj)
    from app.applications.definitions import sync_builtin

    sync_builtin()
    return flask_app


@pytest.fixture
def other_app(app):
    """Build further apps (e.g. in production mode); the test app's bindings come back after."""
    from api.limits import limiter
    from app import health_checks, tasks
    from app.db import open_database

    # The limiter is process-wide and takes the storage of the last app built.
    storage, strategy = limiter._storage, limiter._limiter
    yield lambda env: create_app(env)
    limiter._storage, limiter._limiter = storage, strategy
    open_database(app.config["DATABASE_URL"], app.config["DATABASE_POOL_SIZE"])
    tasks.configure(dict(app.config))
    health_checks.register_builtin(app.config, tasks.huey)


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    flask_app = request.getfixturevalue("app")
    with db.connection_context():
        for model in reversed(ALL_MODELS):
            if model.__name__ == "ServiceDefinitionRecord":
                # Built-in definitions stay; versions a test added go.
                model.delete().where(~model.source.startswith("builtin:")).execute()
            else:
                model.delete().execute()
    definitions.forget_frozen_versions()
    from api.limits import limiter

    limiter.reset()
    for folder in ("outbox", "documents", "attachments", "treasury"):
        shutil.rmtree(Path(flask_app.config["INSTANCE_PATH"]) / folder, ignore_errors=True)


class ApiClient:
    """A test client that behaves like the PWA: same-origin, sends the CSRF token."""

    def __init__(self, flask_app, lang: str = "de") -> None:
        self.app = flask_app
        self.client = flask_app.test_client()
        self.csrf: str | None = None
        self.lang = lang

    def request(
        self,
        method: str,
        path: str,
        *,
        csrf: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        sent = {"Origin": BASE_URL, "Accept-Language": self.lang}
        if csrf and self.csrf:
            sent["X-CSRF-Token"] = self.csrf
        sent.update(headers or {})
        response = self.client.open(path, method=method, headers=sent, **kwargs)
        body = response.get_json(silent=True)
        if isinstance(body, dict) and body.get("csrf_token"):
            self.csrf = body["csrf_token"]
        return response

    def get(self, path: str, **kwargs: Any):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any):
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.request("DELETE", path, **kwargs)

    def latest_code(self, email: str) -> str:
        mails = read_outbox(self.app.config["INSTANCE_PATH"], email)
        assert mails, f"no mail to {email}"
        return mails[0]["subject"].rsplit(" ", 1)[-1]

    def sign_in_by_email(self, email: str) -> dict[str, Any]:
        assert self.post("/api/auth/email/start", json={"email": email}).status_code == 202
        response = self.post(
            "/api/auth/email/verify", json={"email": email, "code": self.latest_code(email)}
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def add_passkey(
        self, authenticator: SoftAuthenticator, name: str = "Telefon"
    ) -> dict[str, Any]:
        options = self.post("/api/account/passkeys/options").get_json()
        credential = authenticator.create(options["public_key"])
        response = self.post(
            "/api/account/passkeys",
            json={"challenge_id": options["challenge_id"], "credential": credential, "name": name},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def client(app) -> ApiClient:
    return ApiClient(app)


@pytest.fixture
def make_client(app):
    return lambda lang="de": ApiClient(app, lang)


@pytest.fixture
def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator(origin=BASE_URL)


@pytest.fixture
def signed_in(app):
    """A factory: a client signed in as a (new) user with ``role`` and staff ``areas``.

    The session is started directly, as the sign-in endpoints would, so tests with
    many users do not run into the sign-in rate limits (tested on their own).
    """

    def make(email: str, role: str = "citizen", areas: tuple[str, ...] = ()) -> ApiClient:
        from app.accounts import sessions, users

        with db.connection_context():
            user = User.get_or_none(User.email == email) or users.create_user(
                email, role, list(areas)
            )
            token, _session = sessions.start_session(user, "email", "pytest", 24)
        api = ApiClient(app)
        api.client.set_cookie(app.config["SESSION_COOKIE_NAME"], token, domain="localhost")
        assert api.get("/api/auth/session").get_json()["authenticated"]
        return api

    return make
