"""Open311 GeoReport v2 through an independent client (``tests/open311_client.py``,
written from the specification): services, a service definition, filing a request with
an app's key, the standard's errors, the filters, one request, tokens; JSON and XML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.served import served  # noqa: F401 - fixture
from tests.conftest import BASE_URL
from tests.open311_client import Open311Client, Open311Failure
from tests.reports.photos import jpeg_with_gps

KOELNSTRASSE = {"lat": 50.8037, "long": 6.4893}


@pytest.fixture
def admin(signed_in):
    return signed_in("admin@example.org", "admin")


@pytest.fixture
def made_key(admin):
    made = admin.post("/api/admin/reports/open311-keys", json={"name": "Stadt-App"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


@pytest.fixture
def api_key(made_key):
    return made_key["key"]


@pytest.fixture
def clerk(signed_in):
    return signed_in("tiefbau@example.org", "staff", ("tiefbau",))


def _endpoint(served) -> str:  # noqa: F811
    return served.base + "/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_and_a_service_definition(served, fmt):  # noqa: F811
    client = Open311Client(_endpoint(served), fmt=fmt)
    services = client.services()
    codes = [s["service_code"] for s in services]
    assert "schlagloch" in codes and "strassenbeleuchtung" in codes
    pothole = next(s for s in services if s["service_code"] == "schlagloch")
    assert pothole["service_name"] == "Schlagloch"
    assert pothole["metadata"] is False and pothole["type"] == "realtime"
    assert pothole["group"] == "Straßen und Wege"
    definition = client.service_definition("schlagloch")
    assert definition["service_code"] == "schlagloch"
    with pytest.raises(Open311Failure) as unknown:
        client.service_definition("gibt_es_nicht")
    assert unknown.value.status == 404 and unknown.value.errors[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_app_files_a_request_and_follows_it(served, api_key, clerk, fmt):  # noqa: F811
    client = Open311Client(_endpoint(served), api_key=api_key, fmt=fmt)
    filed = client.create_request(
        "schlagloch",
        **KOELNSTRASSE,
        description="Tiefes Loch vor der Einfahrt",
        email="melderin@example.org",
        first_name="Mia",
        media=jpeg_with_gps((800, 600)),
    )
    assert len(filed) == 1 and filed[0]["service_request_id"] and filed[0]["token"]
    request_id = filed[0]["service_request_id"]
    assert client.token(filed[0]["token"]) == [
        {"service_request_id": request_id, "token": filed[0]["token"]}
    ]
    # Before the moderation: the status only, no place, no text, no photo.
    pending = client.request(request_id)
    assert pending["status"] == "open" and pending["status_notes"].startswith("Neu")
    assert pending["lat"] is None and pending["description"] is None
    assert pending["media_url"] is None
    assert client.requests() == []
    # The department works it and releases it with its photo.
    worked = clerk.post(
        f"/api/staff/reports/{request_id}/status",
        json={"status": "done", "comment": "Loch verfüllt."},
    )
    assert worked.status_code == 200, worked.get_json()
    released = clerk.post(
        f"/api/staff/reports/{request_id}/moderation",
        json={"visibility": "public", "photos_public": True},
    )
    assert released.status_code == 200
    shown = client.request(request_id)
    assert shown["status"] == "closed"
    assert shown["status_notes"] == "Erledigt: Loch verfüllt."
    assert shown["service_code"] == "schlagloch" and shown["agency_responsible"] == "tiefbau"
    assert shown["description"] == "Tiefes Loch vor der Einfahrt"
    # The rough location: three decimals, about 100 m.
    assert (shown["lat"], shown["long"]) == (50.804, 6.489)
    # An absolute address under the portal's public base URL.
    assert shown["media_url"].startswith(BASE_URL + "/api/reports/photos/")
    photo_url = served.base + shown["media_url"].removeprefix(BASE_URL)
    photo = client.session.get(photo_url, timeout=30)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    assert b"Phonemaker" not in photo.content
    # No personal data anywhere in the public answers.
    listed = client.requests()
    assert [r["service_request_id"] for r in listed] == [request_id]
    text = client.session.get(f"{_endpoint(served)}/requests.{fmt}", timeout=30).text
    assert "melderin@example.org" not in text and "Mia" not in text


def test_a_missing_unknown_or_revoked_key_is_refused_in_the_standard_format(
    served,  # noqa: F811
    admin,
    made_key,
):
    for key in (None, "o311_falsch"):
        for fmt in ("json", "xml"):
            client = Open311Client(_endpoint(served), api_key=key, fmt=fmt)
            with pytest.raises(Open311Failure) as refused:
                client.create_request("schlagloch", **KOELNSTRASSE, description="x")
            assert refused.value.status in (400, 403)
            assert refused.value.errors and all(
                set(e) == {"code", "description"} and e["code"] == refused.value.status
                for e in refused.value.errors
            )
    client = Open311Client(_endpoint(served), api_key=made_key["key"])
    assert client.create_request("schlagloch", **KOELNSTRASSE, description="Loch")
    # Only the key's first letters are ever shown again.
    listed = admin.get("/api/admin/reports/open311-keys").get_json()
    assert listed[0]["prefix"] == made_key["key"][:8] and "key" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    revoked = admin.post(f"/api/admin/reports/open311-keys/{made_key['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    with pytest.raises(Open311Failure) as refused:
        client.create_request("schlagloch", **KOELNSTRASSE, description="Loch")
    assert refused.value.status == 403


def test_bad_requests_get_field_named_errors(served, api_key):  # noqa: F811
    client = Open311Client(_endpoint(served), api_key=api_key)
    with pytest.raises(Open311Failure) as outside:
        client.create_request("schlagloch", lat=52.52, long=13.40, description="Berlin")
    assert outside.value.status == 400
    assert outside.value.errors[0]["description"].startswith("lat: ")
    with pytest.raises(Open311Failure) as unknown:
        client.create_request("gibt_es_nicht", address_string="Markt 1", description="x")
    assert unknown.value.errors[0]["description"].startswith("service_code: ")
    with pytest.raises(Open311Failure) as street:
        client.create_request("graffiti", address_string="Hauptstraße 999", description="x")
    assert street.value.errors[0]["description"].startswith("address_string: ")
    with pytest.raises(Open311Failure) as status:
        client.requests(status="offen")
    assert status.value.status == 400 and status.value.errors[0]["description"].startswith(
        "status: "
    )
    with pytest.raises(Open311Failure) as missing:
        client.request("999999")
    assert missing.value.status == 404


def test_the_filters_of_requests(served, api_key, signed_in):  # noqa: F811
    admin = signed_in("chefin@example.org", "admin")
    client = Open311Client(_endpoint(served), api_key=api_key)
    ids = {}
    for code, place in (
        ("schlagloch", {"address_string": "Kölnstraße 12"}),
        ("graffiti", KOELNSTRASSE),
        ("papierkorb", {"address_string": "Markt 3"}),
    ):
        ids[code] = client.create_request(code, description="Mangel", **place)[0][
            "service_request_id"
        ]
        assert (
            admin.post(
                f"/api/staff/reports/{ids[code]}/moderation", json={"visibility": "public"}
            ).status_code
            == 200
        )
    assert (
        admin.post(f"/api/staff/reports/{ids['graffiti']}/status", json={"status": "done"})
    ).status_code == 200

    def found(**filters):
        return sorted(r["service_request_id"] for r in client.requests(**filters))

    assert found() == sorted(ids.values())
    assert found(service_code="schlagloch") == [ids["schlagloch"]]
    assert found(service_code=["schlagloch", "graffiti"]) == sorted(
        [ids["schlagloch"], ids["graffiti"]]
    )
    assert found(status="closed") == [ids["graffiti"]]
    assert found(status="open") == sorted([ids["schlagloch"], ids["papierkorb"]])
    assert found(status="open,closed") == sorted(ids.values())
    assert found(service_request_id=ids["papierkorb"]) == [ids["papierkorb"]]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert found(start_date=later) == []
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert found(start_date=earlier, end_date=later) == sorted(ids.values())
    addressed = client.request(ids["schlagloch"])
    # The street, never the house number.
    assert addressed["address"] == "Kölnstraße" and addressed["lat"] is None
