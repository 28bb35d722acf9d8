"""Requests generated from the OpenAPI description (schemathesis), valid and invalid
ones, sent by a signed-in administrator (who reaches every endpoint): whatever a client
sends, the API never answers with a server error, and every answer is one the
description documents (status code, content type and body schema)."""

from __future__ import annotations

import contextlib

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from api.limits import limiter
from app.accounts import sessions, users
from app.db import db
from tests.conftest import BASE_URL

AREAS = ["abfall", "gewerbe", "hundesteuer", "meldewesen", "parken", "standesamt"]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = 8  # per operation and mode; the examples are the same in every run


def _admin_headers(app, number: int) -> dict[str, str]:
    with db.connection_context():
        user = users.create_user(f"fuzz-{number}@example.org", "admin", AREAS)
        token, session = sessions.start_session(user, "email", "schemathesis", 1)
    return {
        "Cookie": f"{app.config['SESSION_COOKIE_NAME']}={token}",
        "X-CSRF-Token": session.csrf_token,
        "Origin": BASE_URL,
        # Schemathesis' WSGI transport does not decode compressed bodies (HTTP clients
        # do); compression has tests of its own.
        "Accept-Encoding": "identity",
    }


def _problems(operation, headers: dict[str, str]) -> str | None:
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    # Some operations have nothing a client could get wrong.
    with contextlib.suppress(Exception):
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=EXAMPLES * len(strategies),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # report every operation at once
        return f"{operation.method.upper()} {operation.path}: {exc}"
    return None


def test_no_request_gets_a_server_error_or_an_undocumented_answer(app, monkeypatch):
    # Rate limits have tests of their own; here they would only hide endpoints.
    monkeypatch.setattr(limiter, "enabled", False)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for number, operation in enumerate(operations):
        problem = _problems(operation, _admin_headers(app, number))
        if problem:
            failures.append(problem)
    assert not failures, "\n\n".join(failures)


def test_the_statistics_routes_are_fuzzed(app, monkeypatch):
    """The statistics routes on their own (quick to run after a change to them):
    ranges, dates near the years 1 and 9999, import files and step views are where bad
    input hides."""
    monkeypatch.setattr(limiter, "enabled", False)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if "/statistics" in result.ok().path or result.ok().path.endswith("/counter-cases")
    ]
    assert len(operations) >= 12  # every statistics route is in the description
    failures = []
    for number, operation in enumerate(operations):
        problem = _problems(operation, _admin_headers(app, 1000 + number))
        if problem:
            failures.append(problem)
    assert not failures, "\n\n".join(failures)


def test_the_bundid_routes_are_fuzzed(app, monkeypatch):
    """The BundID routes on their own: SAML answers, starts and the e-mail step take
    outside input, and none of it may end in a server error or an undocumented answer."""
    monkeypatch.setattr(limiter, "enabled", False)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith("/api/bundid/")
    ]
    assert len(operations) >= 9  # every BundID route is in the description
    failures = []
    for number, operation in enumerate(operations):
        problem = _problems(operation, _admin_headers(app, 2000 + number))
        if problem:
            failures.append(problem)
    assert not failures, "\n\n".join(failures)
