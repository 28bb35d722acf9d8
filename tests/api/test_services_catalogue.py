"""The service catalogue and definitions, with ETags so the PWA can cache them offline."""

from __future__ import annotations

import time

import jsonschema
import peewee
from playhouse.db_url import connect

from app.models import ServiceDefinitionRecord
from app.service_definitions import load_builtin
from tests.api.engine_helpers import submitted

# The services the city asked for; every built-in definition must be in the catalogue.
REQUIRED = {
    "registration_certificate",
    "business_registration",
    "civil_status_certificate",
    "dog_tax_deregistration",
    "dog_tax_registration",
    "registry_information_simple",
    "waste_bins",
}


def test_catalogue_lists_builtin_services_anonymously(make_client):
    anonymous = make_client()
    response = anonymous.get("/api/services")
    assert response.status_code == 200
    services = {s["id"]: s for s in response.get_json()}
    assert set(services) >= REQUIRED and set(services) == set(load_builtin())
    assert services["business_registration"]["leika"] == "99050035001000"
    assert services["business_registration"]["trust_level"] == "high"
    assert services["dog_tax_registration"]["title"]["de"].startswith("Hund")


def test_catalogue_and_definition_etags(client):
    first = client.get("/api/services")
    etag = first.headers["ETag"]
    again = client.get("/api/services", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    definition = client.get("/api/services/dog_tax_registration")
    assert definition.status_code == 200 and definition.get_json()["steps"]
    assert (
        client.get(
            "/api/services/dog_tax_registration",
            headers={"If-None-Match": definition.headers["ETag"]},
        ).status_code
        == 304
    )
    assert (
        client.get(
            "/api/services/dog_tax_registration", headers={"If-None-Match": '"other"'}
        ).status_code
        == 200
    )


def test_unknown_service_and_version(client):
    assert client.get("/api/services/hoverboard_permit").get_json()["code"] == "service_not_found"
    assert client.get("/api/services/dog_tax_registration/versions/99").status_code == 404
    current = load_builtin()["dog_tax_registration"].version
    assert client.get(f"/api/services/dog_tax_registration/versions/{current}").status_code == 200


def test_street_lookup(client):
    names = [s["name"] for s in client.get("/api/streets", query_string={"q": "kaiser"}).get_json()]
    assert names and all("kaiser" in n.lower() for n in names)
    assert client.get("/api/streets").status_code == 422


def test_answers_schema_describes_what_a_submission_stores(signed_in):
    api = signed_in("schema@example.org")
    response = api.get("/api/services/waste_bins/answers-schema")
    assert response.status_code == 200
    document = response.get_json()
    assert document["$schema"].endswith("2020-12/schema") and document["type"] == "object"
    etag = response.headers["ETag"]
    assert (
        api.get(
            "/api/services/waste_bins/answers-schema", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )
    application = submitted(api, "waste_bins")
    stored = api.get(f"/api/applications/{application['id']}").get_json()["answers"]
    assert stored and jsonschema.Draft202012Validator(document).is_valid(stored)
    assert api.get("/api/services/no_such_service/answers-schema").status_code == 404


def _other_node(database_url: str) -> peewee.Database:
    """A connection of its own, as another app process or node would have."""
    return connect(database_url)


def test_catalogue_follows_changes_made_by_other_processes(client, database_url):
    first = client.get("/api/services")
    etag = first.headers["ETag"]
    assert "waste_bins" in {s["id"] for s in first.get_json()}
    other = _other_node(database_url)
    try:
        # Another process retires the service behind this process's back.
        table = ServiceDefinitionRecord._meta.table_name
        other.execute_sql(
            f"UPDATE {table} SET state = 'retired', retired_at = CURRENT_TIMESTAMP "
            "WHERE service_id = 'waste_bins'"
        )
        changed = client.get("/api/services", headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert "waste_bins" not in {s["id"] for s in changed.get_json()}
        assert changed.headers["ETag"] != etag
        assert (
            client.get("/api/services", headers={"If-None-Match": changed.headers["ETag"]})
        ).status_code == 304
    finally:
        other.execute_sql(
            f"UPDATE {table} SET state = 'published', retired_at = NULL "
            "WHERE service_id = 'waste_bins'"
        )
        other.close()
    restored = client.get("/api/services")
    assert "waste_bins" in {s["id"] for s in restored.get_json()}


def _without_request_id(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k != "X-Request-ID")


def test_unchanged_catalogue_is_answered_before_flask_alike_and_follows_changes(
    client, database_url, monkeypatch
):
    first = client.get("/api/services")
    etag = first.headers["ETag"]
    conditional = {"If-None-Match": etag, "Accept-Encoding": "gzip"}
    through_flask = client.get("/api/services", headers=conditional)
    assert through_flask.status_code == 304

    from api import services

    built = []
    real_body = services._catalogue_body

    def counted_body():
        built.append(1)
        return real_body()

    with monkeypatch.context() as patched:
        patched.setattr(services, "_catalogue_body", counted_body)
        early = client.get("/api/services", headers=conditional)
        assert early.status_code == 304 and early.data == b""
        assert built == []  # answered before the view (and Flask) ran
        # The same headers as Flask's own 304: security headers, caching, ETag (and a
        # request id of its own, as every answer).
        assert _without_request_id(early) == _without_request_id(through_flask)
        assert early.headers["X-Request-ID"] != through_flask.headers["X-Request-ID"]
        assert early.headers["X-Frame-Options"] == "DENY"
        # A stale copy gets the listing Flask sent, as Flask sent it.
        stale = client.get("/api/services", headers={"If-None-Match": '"other"'})
        assert stale.status_code == 200 and stale.data == first.data
        assert _without_request_id(stale) == _without_request_id(first)
        assert built == []
        # Anything but the bare path is answered by the view.
        assert client.get("/api/services?x=1", headers=conditional).status_code == 304
        assert len(built) == 1

    other = _other_node(database_url)
    table = ServiceDefinitionRecord._meta.table_name
    try:
        other.execute_sql(
            f"UPDATE {table} SET state = 'retired', retired_at = CURRENT_TIMESTAMP "
            "WHERE service_id = 'waste_bins'"
        )
        assert client.get("/api/services", headers=conditional).status_code == 200
        changed = client.get("/api/services", headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != etag
        assert "waste_bins" not in {s["id"] for s in changed.get_json()}
        again = client.get("/api/services")
        assert again.headers["ETag"] == changed.headers["ETag"]
        assert "waste_bins" not in {s["id"] for s in again.get_json()}
    finally:
        other.execute_sql(
            f"UPDATE {table} SET state = 'published', retired_at = NULL "
            "WHERE service_id = 'waste_bins'"
        )
        other.close()


def test_with_a_recheck_interval_other_processes_changes_show_within_it(app, database_url):
    from werkzeug.test import Client

    from api.catalogue_not_modified import CatalogueNotModified
    from app.accounts import users
    from app.applications import definitions
    from app.db import db

    interval = 1.5
    flask_side = app.wsgi_app.app  # the portal behind the installed middleware
    early = Client(CatalogueNotModified(flask_side, recheck_seconds=interval))

    def listed() -> set[str]:
        response = early.get("/api/services")
        assert response.status_code == 200
        return {s["id"] for s in response.get_json()}

    assert "waste_bins" in listed()
    other = _other_node(database_url)
    table = ServiceDefinitionRecord._meta.table_name
    try:
        changed_at = time.monotonic()
        other.execute_sql(
            f"UPDATE {table} SET state = 'retired', retired_at = CURRENT_TIMESTAMP "
            "WHERE service_id = 'waste_bins'"
        )
        if time.monotonic() - changed_at < interval / 2:
            # Within the interval this process may still answer from the stamp it read.
            assert "waste_bins" in listed()
        time.sleep(interval + 0.1)
        assert "waste_bins" not in listed()
    finally:
        other.execute_sql(
            f"UPDATE {table} SET state = 'published', retired_at = NULL "
            "WHERE service_id = 'waste_bins'"
        )
        other.close()
    time.sleep(interval + 0.1)
    assert "waste_bins" in listed()
    # A change this process commits is seen at once, without waiting for the interval.
    with db.connection_context():
        admin = users.create_user("katalog@example.org", "admin", [])
        record = definitions.published("waste_bins")
        definitions.change_state(record, "retired", admin)
    try:
        assert "waste_bins" not in listed()
    finally:
        with db.connection_context():
            ServiceDefinitionRecord.update(state="published", retired_at=None).where(
                ServiceDefinitionRecord.id == record.id
            ).execute()
