"""The OpenAPI document tells the truth: every route documents what it answers on
success, real answers (with real data behind them) match their documented schema, and
every timestamp the server sends carries its time zone."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis

from app.db import db
from app.models import Profile
from tests.api.engine_helpers import submitted
from tests.payments.helpers import create_notice

# Stand-ins for outside systems, which the configuration refuses in production, and
# why they are not part of the API. Every other route must be documented.
NOT_API = {
    "payment_sandbox": "plays the outside payment provider",
    "eid_simulator": "plays the citizen's eID client and the eID server",
    "bundid_simulator": "plays BundID, the identity provider",
    "dev_outbox": "shows the mail a developer's portal would send",
}
SPEC_PATH = "/api/openapi.json"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _documents_success(responses: dict[str, Any]) -> bool:
    for status, response in responses.items():
        if status in ("204", "304") or status.startswith("3"):
            return True
        content = response.get("content", {})
        if status.startswith("2") and content and all("schema" in c for c in content.values()):
            return True
    return False


def test_every_route_documents_its_success_response(app, client):
    spec = client.get(SPEC_PATH).get_json()
    undocumented = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else ""
        if blueprint in NOT_API:
            continue
        operations = spec["paths"].get(_spec_path(rule.rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = operations.get(method.lower())
            if operation is None or not _documents_success(operation["responses"]):
                undocumented.append(f"{method} {rule.rule}")
    assert undocumented == []


def test_the_error_body_is_documented_as_sent(client):
    spec = client.get(SPEC_PATH).get_json()
    error = spec["components"]["schemas"]["Error"]["properties"]
    assert error["status"]["type"] == "integer"
    assert error["code"]["type"] == "string"
    assert error["errors"]["type"] == "array"


def _timestamps(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _timestamps(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _timestamps(v, f"{path}[{i}]")]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return [(path, value)]
    return []


@pytest.fixture
def document(app):
    return schemathesis.openapi.from_wsgi(SPEC_PATH, app)


def test_real_answers_match_the_document(app, document, signed_in):
    citizen = signed_in("buerger@example.org")
    citizen.put("/api/account/profile", json={"given_names": "Erika", "family_name": "Muster"})
    with db.connection_context():
        # As older versions stored it: the check's time without its zone.
        Profile.update(
            sources={"family_name": {"source": "eid", "verified_at": "2026-11-01T10:00:00"}}
        ).execute()
    application = submitted(citizen, "waste_bins")
    clerk = signed_in("sachbearbeitung@example.org", "staff", ("abfall",))
    admin = signed_in("verwaltung@example.org", "admin")
    assert citizen.post("/api/feedback", json={"kind": "other", "message": "Danke!"}).status_code
    ref = application["reference"]
    version = citizen.get("/api/services").get_json()[0]["version"]
    service = citizen.get("/api/services").get_json()[0]["id"]
    calls = [
        (citizen, "GET", "/api/account/sessions", "/api/account/sessions", 200),
        (citizen, "GET", "/api/account/profile", "/api/account/profile", 200),
        (citizen, "GET", "/api/account/export", "/api/account/export", 200),
        (citizen, "GET", f"/api/services/{service}", "/api/services/{service_id}", 200),
        (
            citizen,
            "GET",
            f"/api/services/{service}/answers-schema",
            "/api/services/{service_id}/answers-schema",
            200,
        ),
        (
            citizen,
            "GET",
            f"/api/services/{service}/versions/{version}",
            "/api/services/{service_id}/versions/{number}",
            200,
        ),
        (
            citizen,
            "GET",
            f"/api/applications/{application['id']}",
            "/api/applications/{application_id}",
            200,
        ),
        (
            citizen,
            "GET",
            f"/api/applications/{application['id']}/events",
            "/api/applications/{application_id}/events",
            200,
        ),
        (citizen, "GET", "/api/applications/nope", "/api/applications/{application_id}", 404),
        (clerk, "GET", f"/api/staff/applications/{ref}", "/api/staff/applications/{key}", 200),
        (admin, "GET", "/api/admin/services", "/api/admin/services", 200),
        (admin, "GET", "/api/admin/services/schema", "/api/admin/services/schema", 200),
        (admin, "GET", "/api/admin/feedback", "/api/admin/feedback", 200),
        (citizen, "GET", "/api/admin/feedback", "/api/admin/feedback", 403),
    ]
    _assert_documented(document, calls)


def _assert_documented(document, calls: list[tuple[Any, str, str, str, int]]) -> None:
    """Make each call; its answer must match the document and carry zoned timestamps."""
    problems = []
    for api, method, url, template, status in calls:
        response = api.request(method, url)
        assert response.status_code == status, (url, response.get_json())
        try:
            document[template][method].validate_response(response)
        except (Exception, BaseExceptionGroup) as exc:  # report every call at once
            problems.append(f"{method} {url}: {exc}")
        problems += [
            f"{method} {url}: {where} = {stamp} has no time zone"
            for where, stamp in _timestamps(response.get_json(silent=True))
            if not stamp.endswith("Z")
        ]
    assert problems == [], "\n\n".join(problems)


def test_payment_answers_match_the_document(document, signed_in):
    treasury = signed_in("kasse@example.org", "staff", ("kasse",))
    citizen = signed_in("zahlt@example.org")
    notice = create_notice(treasury, "zahlt@example.org", kassenzeichen="5.123.456-7")
    started = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "transfer"},
    ).get_json()
    paid = treasury.post(
        f"/api/staff/payments/{started['id']}/transfer-received",
        json={"received_on": "2027-05-10"},
    )
    assert paid.status_code == 200, paid.get_json()
    payment = "/api/payments/{public_id}"
    _assert_documented(
        document,
        [
            (citizen, "GET", "/api/payments", "/api/payments", 200),
            (citizen, "GET", f"/api/payments/{started['id']}", payment, 200),
            (citizen, "GET", f"/api/payments/{started['id']}/receipt", f"{payment}/receipt", 200),
            (citizen, "GET", "/api/notices", "/api/notices", 200),
            (citizen, "GET", f"/api/notices/{notice['id']}", "/api/notices/{public_id}", 200),
            (citizen, "GET", "/api/account/export", "/api/account/export", 200),
            (
                treasury,
                "GET",
                "/api/staff/payments?kassenzeichen=5.123.456-7",
                "/api/staff/payments",
                200,
            ),
            (treasury, "GET", "/api/staff/notices", "/api/staff/notices", 200),
        ],
    )


def test_every_timestamp_field_sends_its_zone(app):
    # A plain marshmallow DateTime writes the database's zone-less UTC as it is; only
    # UtcDateTime adds the zone. Every schema of the API (imported by the app) counts.
    from marshmallow import class_registry, fields

    from api.schemas import UtcDateTime

    plain = sorted(
        f"{schema.__module__}.{schema.__name__}.{name}"
        for entries in class_registry._registry.values()
        for schema in entries
        if schema.__module__.startswith("api.")
        for name, field in schema._declared_fields.items()
        if isinstance(field, fields.DateTime) and not isinstance(field, UtcDateTime)
    )
    assert not plain, f"timestamps sent without a zone: {plain}"
