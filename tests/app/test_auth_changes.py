"""Sessions and staff areas kept per process (``app.accounts.auth_changes``): kept while
nothing changed, never used after a change, whoever made it and however.

Run on SQLite and, in the PostgreSQL run, on PostgreSQL (where another process's
change arrives as a notification)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from app.accounts import auth_changes, sessions
from app.db import db, is_postgres
from app.migrations.versions import v0027_auth_changes, v0046_first_visit_tour
from app.models import AuthSession, User
from tests.api.test_list_query_counts import counted


def _user_id(email: str) -> int:
    with db.connection_context():
        return User.get(User.email == email).id


def _listening() -> None:
    """PostgreSQL: the process listens for changes from its first request on, on a
    connection it opens in the background; until then nothing is kept."""
    deadline = time.monotonic() + 10
    with db.connection_context():
        while auth_changes.generation() is None:
            assert time.monotonic() < deadline, "the process never started listening"
            time.sleep(0.01)


def _kept_with_no_session_statement(api) -> None:
    """The next request takes the session from the process: no statement asks for it."""
    _listening()
    api.get("/api/account")
    with counted() as seen:
        assert api.get("/api/account").status_code == 200
    assert not any('FROM "auth_session"' in sql for sql in seen), seen


def test_a_kept_session_is_asked_for_once(signed_in):
    citizen = signed_in("kept@example.org")
    _kept_with_no_session_statement(citizen)


def test_signing_out_ends_the_kept_session_at_once(signed_in, app):
    citizen = signed_in("leaving@example.org")
    _kept_with_no_session_statement(citizen)
    cookie = citizen.client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert citizen.post("/api/auth/logout").status_code in (200, 204)
    again = signed_in("other@example.org")  # another browser, same cookie
    again.client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie, domain="localhost")
    assert again.get("/api/account").status_code == 401


def test_a_role_change_and_deactivation_count_at_once(signed_in):
    clerk = signed_in("clerk@example.org", role="staff", areas=("abfall",))
    admin = signed_in("admin@example.org", role="admin")
    assert clerk.get("/api/staff/applications").status_code == 200
    clerk_id = _user_id("clerk@example.org")
    answer = admin.put(f"/api/admin/users/{clerk_id}/role", json={"role": "citizen"})
    assert answer.status_code == 200, answer.get_json()
    assert clerk.get("/api/staff/applications").status_code == 403
    assert admin.post(f"/api/admin/users/{clerk_id}/deactivate").status_code == 200
    assert clerk.get("/api/account").status_code == 401


def test_changed_staff_areas_count_at_once(signed_in):
    clerk = signed_in("areas@example.org", role="staff", areas=("abfall",))
    admin = signed_in("admin@example.org", role="admin")
    assert clerk.get("/api/staff/applications?area=abfall").status_code == 200
    from app.accounts.users import staff_areas

    with db.connection_context():
        user = User.get(User.email == "areas@example.org")
        assert staff_areas(user) == ["abfall"]
        assert staff_areas(user) == ["abfall"]  # kept
    clerk_id = _user_id("areas@example.org")
    answer = admin.put(
        f"/api/admin/users/{clerk_id}/role", json={"role": "staff", "areas": ["gewerbe"]}
    )
    assert answer.status_code == 200, answer.get_json()
    with db.connection_context():
        assert staff_areas(User.get_by_id(clerk_id)) == ["gewerbe"]


def test_a_change_by_plain_sql_counts_too(signed_in):
    """Triggers see what no code of the portal announces: a statement typed by hand."""
    citizen = signed_in("plain@example.org")
    _kept_with_no_session_statement(citizen)
    with db.connection_context():
        mark = db.obj.param
        db.execute_sql(
            f'UPDATE "user" SET role = {mark} WHERE email = {mark}',
            ("officer", "plain@example.org"),
        )
    assert citizen.get("/api/account").get_json()["role"] == "officer"
    with db.connection_context():
        db.execute_sql("DELETE FROM auth_session")
    assert citizen.get("/api/account").status_code == 401


def test_another_process_ends_a_kept_session(signed_in, app):
    """A change made outside this process: another connection (SQLite: any program
    writing the file; PostgreSQL: another node) ends the kept session too."""
    citizen = signed_in("elsewhere@example.org")
    _kept_with_no_session_statement(citizen)
    url = app.config["DATABASE_URL"]
    if is_postgres():
        script = (
            "import psycopg2, sys; c = psycopg2.connect(sys.argv[1]); c.autocommit = True; "
            "c.cursor().execute('DELETE FROM auth_session')"
        )
        subprocess.run([sys.executable, "-c", script, url], check=True, timeout=30)
        # The notification arrives within milliseconds; allow a busy machine a second.
        deadline = time.monotonic() + 5
        while citizen.get("/api/account").status_code != 401:
            assert time.monotonic() < deadline, "the other process's change never arrived"
            time.sleep(0.01)
    else:
        connection = sqlite3.connect(urlsplit(url).path)
        with connection:
            connection.execute("DELETE FROM auth_session")
        connection.close()
        assert citizen.get("/api/account").status_code == 401


def test_an_unknown_count_keeps_nothing(signed_in, monkeypatch):
    """While the count of changes cannot be known (PostgreSQL: the listening connection
    is down), every request asks the database, as without a cache."""
    citizen = signed_in("unknown@example.org")
    monkeypatch.setattr(auth_changes, "generation", lambda: None)
    citizen.get("/api/account")
    with counted() as seen:
        assert citizen.get("/api/account").status_code == 200
    assert any('FROM "auth_session"' in sql for sql in seen), seen


def test_refreshing_last_seen_keeps_the_session_kept(signed_in, monkeypatch):
    """The periodic ``last_seen_at`` write is no change that matters: the session stays
    kept, and the kept copy knows the new time (no write on every request after)."""
    citizen = signed_in("seen@example.org")
    _kept_with_no_session_statement(citizen)
    monkeypatch.setattr(sessions, "_TOUCH_INTERVAL", timedelta(0))
    with counted() as seen:
        assert citizen.get("/api/account").status_code == 200
    assert any(sql.startswith('UPDATE "auth_session"') for sql in seen), seen
    monkeypatch.setattr(sessions, "_TOUCH_INTERVAL", timedelta(minutes=5))
    with counted() as seen:
        assert citizen.get("/api/account").status_code == 200
    assert not any('"auth_session"' in sql for sql in seen), seen


@pytest.mark.parametrize(
    ("model", "columns", "exempt"),
    [
        # ``display_mode`` and ``kiosk_terminal_id`` are written once, at sign-in (for the
        # statistics, and for ending the session when its terminal is revoked).
        (
            AuthSession,
            v0027_auth_changes.SESSION_COLUMNS,
            {"last_seen_at", "display_mode", "kiosk_terminal_id"},
        ),
        (User, v0046_first_visit_tour.USER_COLUMNS, {"id", "last_login_at"}),
    ],
)
def test_the_triggers_watch_every_column_that_matters(model, columns, exempt):
    """A column added to a model must be added to the triggers (a new migration) or
    named here as one whose change does not matter to a kept session."""
    fields = {field.column_name for field in model._meta.sorted_fields}
    assert set(columns) == fields - exempt


def test_the_triggers_exist(app):
    with db.connection_context():
        if is_postgres():
            rows = db.execute_sql(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'auth_change_%%'"
            ).fetchall()
        else:
            rows = db.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'auth_change_%'"
            ).fetchall()
    assert {name for (name,) in rows} == {name for name, _e, _t in v0027_auth_changes._TRIGGERS}


postgres_only = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="listening needs PostgreSQL (TEST_DATABASE_URL)",
)


def _own_listener(monkeypatch=None, failing_probe: bool = False) -> auth_changes._Listener:
    from playhouse.db_url import parse

    params = parse(os.environ["TEST_DATABASE_URL"])
    name = params.pop("database")
    listener = auth_changes._Listener(name, params)
    if failing_probe:
        monkeypatch.setattr(listener, "_probe", _never_comes_back)
    listener.start()
    return listener


def _never_comes_back(_listening, _probing) -> None:
    raise RuntimeError("a notification sent to the database did not come back")


@postgres_only
def test_a_listener_counts_announced_changes_not_probes(app):
    import psycopg2

    listener = _own_listener()
    deadline = time.monotonic() + 10
    while listener.generation() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    before = listener.generation()
    sender = psycopg2.connect(os.environ["TEST_DATABASE_URL"])
    sender.autocommit = True
    sender.cursor().execute("SELECT pg_notify(%s, %s)", (auth_changes.CHANNEL, "probe:other"))
    time.sleep(0.3)
    assert listener.generation() == before  # another process's probe is no change
    sender.cursor().execute("SELECT pg_notify(%s, '')", (auth_changes.CHANNEL,))
    deadline = time.monotonic() + 5
    while listener.generation() == before:
        assert time.monotonic() < deadline, "the change was never counted"
        time.sleep(0.01)
    sender.close()


@postgres_only
def test_a_listener_whose_probe_does_not_come_back_keeps_nothing(app, monkeypatch):
    """Behind something that swallows notifications, a process must not keep sessions."""
    listener = _own_listener(monkeypatch, failing_probe=True)
    time.sleep(1.5)
    assert listener.generation() is None
