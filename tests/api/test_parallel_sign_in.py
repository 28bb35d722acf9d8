"""Sign-in codes under parallel requests: the attempt limit holds, nothing fails.

Every request runs on its own server thread and database connection (see
``tests/api/served.py``), on SQLite and, in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

import pytest

from api.limits import limiter
from app.accounts import email_codes
from app.db import db
from app.models import AuthSession, EmailCode, User
from tests.api.served import served, statuses  # noqa: F401 - fixture

MAX_ATTEMPTS = 5


def _issue(app, email: str) -> str:
    with db.connection_context():
        return email_codes.issue_code(
            email, app.config["SECRET_KEY"], app.config["EMAIL_CODE_TTL_SECONDS"]
        )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _verify(email: str, code: str) -> tuple[str, str, dict]:
    return ("POST", "/api/auth/email/verify", {"json": {"email": email, "code": code}})


def _field_error(body: dict) -> dict:
    [error] = body["errors"]
    return error


def test_parallel_wrong_guesses_cannot_exceed_the_attempt_limit(app, served):  # noqa: F811
    assert app.config["EMAIL_CODE_MAX_ATTEMPTS"] == MAX_ATTEMPTS
    email = "guess@example.org"
    code = _issue(app, email)
    results = served.at_once([_verify(email, _wrong(code)) for _ in range(8)])
    assert statuses(results) == [422] * 8, results
    errors = [_field_error(body) for _, body in results]
    # Exactly five guesses were evaluated, each counted once: the first four say how
    # many are left (4, 3, 2, 1), the fifth and every later one that the code is dead.
    remaining = sorted(e["message"] for e in errors if e["code"] == "code_wrong")
    assert len(remaining) == MAX_ATTEMPTS - 1, errors
    assert [e["code"] for e in errors].count("code_attempts_exceeded") == 8 - len(remaining)
    assert all(f"noch {n} Versuch" in m for n, m in zip((1, 2, 3, 4), remaining, strict=True))
    with db.connection_context():
        assert EmailCode.get(EmailCode.email == email).attempts == MAX_ATTEMPTS
    # The right code comes too late.
    [(status, body)] = served.at_once([_verify(email, code)])
    assert status == 422 and _field_error(body)["code"] == "code_attempts_exceeded"
    with db.connection_context():
        assert User.select().count() == 0 and AuthSession.select().count() == 0


def test_right_code_among_parallel_guesses_is_evaluated_within_the_limit(app, served):  # noqa: F811
    email = "race@example.org"
    code = _issue(app, email)
    calls = [_verify(email, _wrong(code)) for _ in range(8)] + [_verify(email, code)]
    results = served.at_once(calls)
    assert all(status in (200, 422) for status, _ in results), results
    with db.connection_context():
        attempts = EmailCode.get(EmailCode.email == email).attempts
        signed_in = User.select().where(User.email == email).exists()
    assert attempts <= MAX_ATTEMPTS
    # Signed in only if the right code was among the five evaluated, and then once.
    assert [status for status, _ in results].count(200) == (1 if signed_in else 0)


@pytest.fixture
def no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forty checks from one address would hit the per-client limit (tested on its own);
    # here the database must cope with them all at once.
    monkeypatch.setattr(limiter, "enabled", False)


def test_many_parallel_code_checks_wait_for_the_database(app, served, no_rate_limits):  # noqa: F811
    codes = {f"citizen{n}@example.org": None for n in range(20)}
    for email in codes:
        codes[email] = _issue(app, email)
    calls = []
    for email, code in codes.items():
        calls += [_verify(email, code), _verify(email, _wrong(code))]
    results = served.at_once(calls)
    assert 500 not in statuses(results), [body for status, body in results if status == 500]
    rights = [results[i] for i in range(0, len(calls), 2)]
    wrongs = [results[i] for i in range(1, len(calls), 2)]
    assert [status for status, _ in rights] == [200] * 20, rights
    assert [status for status, _ in wrongs] == [422] * 20, wrongs
    with db.connection_context():
        assert User.select().count() == 20
        assert AuthSession.select().count() == 20
