"""The main journeys on the API in both demo cities, from the same code: the start
page's data, a street of the city's directory, a parking permit in one of its zones
with the fee from its table, and the app shell, style sheet and manifest."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import migrations
from app.db import db
from app.models import User
from tests.conftest import BASE_URL, ApiClient
from tests.parking.support import answers, pay


@dataclass(frozen=True)
class Expected:
    slug: str
    name: str
    primary: str
    street: str
    zone: str
    plate: str
    permit_prefix: str
    yearly_fee_cents: int
    daycare_offered: bool
    foreign_street: str


CITIES = (
    Expected(
        "dueren", "Düren", "#004b76", "Markt", "A", "DN-AB 123", "DN-", 3000, True, "Kökerstraße"
    ),
    Expected(
        "guetersloh", "Gütersloh", "#00654a", "Königstraße", "P", "GT-AB 123", "GT-", 12000,
        False, "Wirtelstraße",
    ),
)  # fmt: skip


@pytest.fixture(params=CITIES, ids=[city.slug for city in CITIES])
def city_portal(request, other_app, tmp_path):
    """A portal for the city, on a database of its own, with the city's built-ins."""
    expected: Expected = request.param
    flask_app = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
            "PORTAL_BASE_URL": BASE_URL,
            "PORTAL_CITY": expected.slug,
        }
    )
    migrations.upgrade(db.obj)
    from app.applications.definitions import sync_builtin

    sync_builtin()
    return flask_app, expected


def _citizen(flask_app) -> ApiClient:
    from app.accounts import sessions, users

    with db.connection_context():
        user = User.get_or_none(User.email == "erika@example.org") or users.create_user(
            "erika@example.org", "citizen", []
        )
        token, _session = sessions.start_session(user, "email", "pytest", 24)
    api = ApiClient(flask_app)
    api.client.set_cookie(flask_app.config["SESSION_COOKIE_NAME"], token, domain="localhost")
    assert api.get("/api/auth/session").get_json()["authenticated"]
    return api


def test_the_start_page_names_the_city_and_offers_its_services(city_portal):
    flask_app, expected = city_portal
    anonymous = ApiClient(flask_app)
    city = anonymous.get("/api/city").get_json()
    assert (city["slug"], city["name"]) == (expected.slug, expected.name)
    assert city["official_name"] == f"Stadt {expected.name}"
    assert city["colours"]["primary"] == expected.primary
    assert city["placeholders"]["de"]["city"] == expected.name
    services = {s["id"] for s in anonymous.get("/api/services").get_json()}
    assert "resident_parking" in services
    assert ("daycare_place" in services) is expected.daycare_offered
    # Built-in texts name the active city.
    parking = anonymous.get("/api/services/resident_parking").get_json()
    assert f"in {expected.name}" in str(parking)
    other = "Gütersloh" if expected.name == "Düren" else "Düren"
    assert other not in str(parking) and "{city}" not in str(parking)


def test_a_parking_permit_in_a_zone_of_the_city_with_its_fee(city_portal):
    flask_app, expected = city_portal
    citizen = _citizen(flask_app)
    given = answers(
        residence={"street": expected.street, "house_number": "3"}, plate=expected.plate
    )
    created = citizen.post(
        "/api/applications", json={"service_id": "resident_parking", "answers": given}
    )
    assert created.status_code == 201, created.get_json()
    submitted = citizen.post(
        f"/api/applications/{created.get_json()['id']}/submit", headers={"Idempotency-Key": "p1"}
    )
    assert submitted.status_code == 201, submitted.get_json()
    application = submitted.get_json()
    assert application["fee_cents"] == expected.yearly_fee_cents
    pay(application["id"])
    permits = citizen.get("/api/parking/permits").get_json()
    assert len(permits) == 1
    assert permits[0]["zone"] == expected.zone
    assert permits[0]["number"].startswith(expected.permit_prefix)


def test_a_street_of_another_city_is_refused(city_portal):
    flask_app, expected = city_portal
    citizen = _citizen(flask_app)
    given = answers(residence={"street": expected.foreign_street, "house_number": "3"})
    created = citizen.post(
        "/api/applications", json={"service_id": "resident_parking", "answers": given}
    )
    assert created.status_code == 201
    submitted = citizen.post(
        f"/api/applications/{created.get_json()['id']}/submit", headers={"Idempotency-Key": "p2"}
    )
    assert submitted.status_code == 422, submitted.get_json()
    assert "residence" in str(submitted.get_json())


def test_shell_style_sheet_and_manifest_carry_the_city(city_portal, tmp_path, monkeypatch):
    flask_app, expected = city_portal
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text(
        '<!doctype html><html><head><meta name="theme-color" content="#000000" />'
        "<title>Bürgerportal</title></head><body></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "dist" / "manifest.webmanifest").write_text(
        '{"name": "Bürgerportal", "icons": [], "screenshots": []}', encoding="utf-8"
    )
    monkeypatch.setitem(flask_app.config, "STATIC_DIR", str(tmp_path / "dist"))
    anonymous = ApiClient(flask_app)
    shell = anonymous.get("/").get_data(as_text=True)
    assert f"<title>Bürgerportal {expected.name}</title>" in shell
    assert f'content="{expected.primary}"' in shell
    assert '<link rel="stylesheet" href="/city.css"' in shell
    css = anonymous.get("/city.css")
    assert css.mimetype == "text/css"
    assert f"--kern-color-action-default: {expected.primary};" in css.get_data(as_text=True)
    manifest = anonymous.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["name"] == f"Bürgerportal {expected.name}"
    assert manifest["theme_color"] == expected.primary
    assert any(icon["src"] == "/city/logo.svg" for icon in manifest["icons"])
    logo = anonymous.get("/city/logo.svg")
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"


def test_a_database_serves_one_city(other_app, tmp_path):
    """Started for Düren once, the database refuses Gütersloh (and says why)."""
    from app.cities import CityError
    from app.models import PortalCity

    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "PORTAL_BASE_URL": BASE_URL,
    }
    other_app(env)
    migrations.upgrade(db.obj)
    other_app(env)  # the first start after migrating notes the city
    with db.connection_context():
        assert [row.slug for row in PortalCity.select()] == ["dueren"]
    other_app(env)  # the same city again: fine
    with pytest.raises(CityError, match="serves the city package 'dueren', not 'guetersloh'"):
        other_app({**env, "PORTAL_CITY": "guetersloh"})
