"""The one error format, security headers, CSRF protection, docs."""

from __future__ import annotations

import pytest

from tests.production_keys import PRODUCTION_KEYS


def assert_error_format(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == status and body["code"] == code and body["message"]
    assert b"Traceback" not in response.data
    return body


def test_unknown_api_route(client):
    assert_error_format(client.get("/api/does-not-exist"), 404, "not_found")


def test_wrong_method_says_allowed_methods(client):
    response = client.put("/api/auth/email/start", json={})
    assert_error_format(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"] and "GET" not in response.headers["Allow"]
    assert_error_format(client.get("/api/auth/email/start"), 405, "method_not_allowed")


def test_malformed_json(client):
    response = client.post(
        "/api/auth/email/start", data="{not json", content_type="application/json"
    )
    assert_error_format(response, 400, "malformed_json")


def test_oversized_body(client, app):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/api/auth/email/start", data=big, content_type="application/json")
    assert_error_format(response, 413, "body_too_large")


def test_messages_follow_accept_language(make_client):
    german = make_client("de").get("/api/nothing").get_json()["message"]
    english = make_client("en").get("/api/nothing").get_json()["message"]
    assert german.startswith("Diese Seite") and english.startswith("This page")
    quality = make_client("fr;q=1, en;q=0.8, de;q=0.5").get("/api/nothing").get_json()["message"]
    assert quality == english


def test_unexpected_exception_is_a_plain_500(app, client, monkeypatch):
    from app.accounts import profile

    def explode(_user):
        raise RuntimeError("secret internals")

    client.sign_in_by_email("boom@example.org")
    monkeypatch.setattr(profile, "get_profile", explode)
    response = client.get("/api/account/profile")
    body = assert_error_format(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True) and body["errors"] == []


def test_security_headers_on_every_response(client):
    for response in (
        client.get("/api/health"),
        client.get("/api/nothing"),
        client.get("/api/docs"),
    ):
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # only in production


def test_answers_given_before_flask_carry_them_too(client):
    """The catalogue's 304 comes from the stamp alone, never reaching Flask's hooks."""
    etag = client.get("/api/services").headers["ETag"]
    unchanged = client.get("/api/services", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert "frame-ancestors 'none'" in unchanged.headers["Content-Security-Policy"]
    assert unchanged.headers["X-Frame-Options"] == "DENY"
    # The catalogue says how to cache it; the API's default does not replace that.
    assert unchanged.headers.getlist("Cache-Control") == ["no-cache"]
    assert client.get("/api/health").headers.getlist("Cache-Control") == ["no-store"]


def test_hsts_in_production(tmp_path, database_url, other_app):
    env = {
        "PORTAL_ENV": "production",
        **PRODUCTION_KEYS,
        "PORTAL_INSTANCE": str(tmp_path),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "k" * 20 + "Zq8vNw2xLp5rT7yU1",
        "PORTAL_BASE_URL": "https://portal.dueren.example",
        "SMTP_HOST": "mail.dueren.example",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
    }
    production = other_app(env)
    response = production.test_client().get("/api/health", base_url="https://portal.dueren.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-bp_session"
    # The development outbox does not exist in production.
    assert production.test_client().get("/dev/outbox.json").status_code == 404


def test_write_without_csrf_token_is_refused(client):
    client.sign_in_by_email("csrf@example.org")
    response = client.put("/api/account/profile", json={"city": "Köln"}, csrf=False)
    assert_error_format(response, 403, "csrf_failed")
    forged = client.put(
        "/api/account/profile", json={"city": "Köln"}, headers={"X-CSRF-Token": "guess"}
    )
    assert_error_format(forged, 403, "csrf_failed")
    assert client.get("/api/account/profile").get_json()["city"] == ""


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://localhost:5001"])
def test_cross_origin_writes_are_refused(client, origin):
    response = client.post(
        "/api/auth/email/start", json={"email": "x@example.org"}, headers={"Origin": origin}
    )
    assert_error_format(response, 403, "csrf_failed")


def test_openapi_lists_account_endpoints(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/auth/email/start",
        "/api/auth/email/verify",
        "/api/auth/passkey/verify",
        "/api/account/passkeys",
        "/api/account/profile",
        "/api/account/export",
    ):
        assert path in spec["paths"], path


def test_docs_page_uses_local_assets(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page and "https://" not in page
    asset = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    assert client.get("/api/docs/init.js").status_code == 200


HUGE = "30427779914841645704931742580736"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", f"/api/account/passkeys/{HUGE}"),
        ("PATCH", f"/api/account/passkeys/{HUGE}"),
        ("POST", f"/api/inbox/{HUGE}/read"),
        ("GET", f"/api/services/dog_tax_registration/versions/{HUGE}"),
    ],
)
def test_ids_too_large_for_the_database_are_unknown_addresses(signed_in, method, path):
    response = signed_in("huge@example.org").request(method, path, json={})
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "field", "role"),
    [
        (f"/api/inbox?before_id={HUGE}", "before_id", "citizen"),
        (f"/api/admin/audit?actor_id={HUGE}", "actor_id", "admin"),
        (f"/api/admin/users?after_id={HUGE}", "after_id", "admin"),
        (f"/api/staff/applications?assigned_to={HUGE}", "assigned_to", "staff"),
    ],
)
def test_query_numbers_too_large_get_a_field_error(signed_in, path, field, role):
    response = signed_in(f"huge-{role}@example.org", role).get(path)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


def test_openapi_documents_the_id_range(client):
    spec = client.get("/api/openapi.json").get_json()
    [param] = spec["paths"]["/api/inbox/{message_id}/read"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_nul_characters_are_refused_with_the_field_they_came_in(signed_in):
    # PostgreSQL cannot store NUL in text; no database may see one.
    api = signed_in("nul@example.org")
    cases = [
        (api.put("/api/account/profile", json={"given_names": "Er\x00ika"}), "given_names"),
        (
            api.post(
                "/api/applications",
                json={"service_id": "waste_bins", "answers": {"owner_name": "W\x00"}},
            ),
            "answers.owner_name",
        ),
        (api.get("/api/inbox?application_id=a%00b"), "application_id"),
        (
            api.post("/api/feedback", json={"kind": "accessibility", "message": "a\x00b"}),
            "message",
        ),
    ]
    for response, field in cases:
        assert response.status_code == 422, response.get_json()
        [error] = response.get_json()["errors"]
        assert (error["field"], error["code"]) == (field, "invalid_characters")
        assert "Steuerzeichen" in error["message"]
    assert api.get("/api/services/wa%00ste").status_code == 404
    assert api.get("/api/applications").get_json() == []
