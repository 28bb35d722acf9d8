"""Defect reports through the API: filing (anonymous and signed in, with photos),
field-level errors in German and English that change nothing, an idempotent retry,
the public list without personal data, the reporter's own list and tracking link, and
who may work which report."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from app.db import db
from app.mail import read_outbox
from app.models import AuditEvent, DefectReport, ReportPhoto
from tests.reports.photos import jpeg_with_gps, png

POTHOLE = {
    "category": "schlagloch",
    "description": "Tiefes Loch auf der Fahrbahn",
    "lat": "50.8037",
    "lon": "6.4893",
}


def _file(client, form=None, photos=(), key=None, lang=None):
    data = dict(POTHOLE if form is None else form)
    if photos:
        data["photos"] = [(io.BytesIO(p), f"foto{i}.jpg") for i, p in enumerate(photos)]
    headers = {"Idempotency-Key": key} if key else {}
    if lang:
        headers["Accept-Language"] = lang
    return client.post(
        "/api/reports", data=data, headers=headers, content_type="multipart/form-data"
    )


def _count() -> int:
    with db.connection_context():
        return DefectReport.select().count()


def test_categories_and_map_settings(client):
    categories = client.get("/api/reports/categories").get_json()
    assert categories[0] == {
        "code": "schlagloch",
        "name": "Schlagloch",
        "description": "Loch oder Schaden in der Fahrbahn oder auf dem Radweg",
        "group": "Straßen und Wege",
    }
    english = client.get("/api/reports/categories", headers={"Accept-Language": "en"})
    assert english.get_json()[0]["name"] == "Pothole"
    config = client.get("/api/reports/config").get_json()
    # Tests have no map unless they name their local tile server.
    assert config["tile_url"] == "" and config["attribution"]
    assert len(config["bbox"]) == 4 and config["max_photos"] == 3
    assert config["personal_data_days"] == 90


def test_an_anonymous_report_with_photos_and_an_address_for_updates(client, app):
    form = {**POTHOLE, "email": "melder@example.org"}
    filed = _file(client, form, photos=[jpeg_with_gps(), png()])
    assert filed.status_code == 201, filed.get_json()
    body = filed.get_json()
    assert body["status"] == "new" and body["tracking_token"]
    with db.connection_context():
        report = DefectReport.get_by_id(body["id"])
        assert report.reporter_id is None and report.email == "melder@example.org"
        stored = [bytes(p.data) for p in ReportPhoto.select().order_by(ReportPhoto.position)]
    assert len(stored) == 2
    for data in stored:
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and not image.getexif()
    # The mail carries the link to follow the report; the link shows it.
    mails = read_outbox(app.config["INSTANCE_PATH"], "melder@example.org")
    assert len(mails) == 1 and "Ihre Meldung ist eingegangen" in mails[0]["subject"]
    link = re.search(r"/meldungen/verfolgen/(\S+)", mails[0]["body"]).group(1)
    assert link == body["tracking_token"]
    tracked = client.get(f"/api/reports/track/{link}")
    assert tracked.status_code == 200 and tracked.get_json()["status"] == "new"
    assert client.get(f"/api/reports/track/{link[:-1]}x").status_code == 404


def test_a_signed_in_report_is_in_my_reports(signed_in):
    citizen = signed_in("erika@example.org")
    filed = _file(citizen, {"category": "graffiti", "description": "Bunt", "address": "Markt 3"})
    assert filed.status_code == 201, filed.get_json()
    assert filed.get_json()["tracking_token"] is None
    mine = citizen.get("/api/reports/mine").get_json()
    assert [(r["id"], r["street"], r["address"]) for r in mine] == [
        (filed.get_json()["id"], "Markt", "Markt 3")
    ]
    assert mine[0]["history"][0]["status"] == "new"
    other = signed_in("other@example.org")
    assert other.get("/api/reports/mine").get_json() == []


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("de", "Dieser Ort liegt nicht im Stadtgebiet."),
        ("en", "This place is outside the city."),
    ],
)
def test_bad_input_gets_field_errors_and_changes_nothing(client, lang, message):
    form = {
        "category": "gibt_es_nicht",
        "description": "",
        "lat": "52.52",
        "lon": "13.40",
        "email": "kein-mail",
    }
    refused = _file(client, form, photos=[b"%PDF-1.7", png(), png(), png()], lang=lang)
    assert refused.status_code == 422
    errors = {e["field"]: e for e in refused.get_json()["errors"]}
    assert set(errors) == {
        "category",
        "description",
        "lat",
        "email",
        "photos",
        "photos.0",
    }
    assert errors["lat"]["message"].startswith(message)
    assert _count() == 0
    with db.connection_context():
        assert ReportPhoto.select().count() == 0


def test_an_unknown_street_is_named(client):
    refused = _file(client, {"category": "graffiti", "description": "x", "address": "Nirgendweg 1"})
    assert [e["code"] for e in refused.get_json()["errors"]] == ["report_unknown_street"]


def test_a_retry_with_the_same_key_makes_one_report(client, make_client, app):
    form = {**POTHOLE, "email": "einmal@example.org"}
    first = _file(client, form, photos=[png()], key="outbox-1")
    again = _file(client, form, photos=[png()], key="outbox-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert _count() == 1
    assert len(read_outbox(app.config["INSTANCE_PATH"], "einmal@example.org")) == 1
    # Somebody else's key tells them nothing.
    signed = make_client()
    signed.sign_in_by_email("fremd@example.org")
    reused = _file(signed, form, key="outbox-1")
    assert reused.status_code == 409 and "id" not in reused.get_json()


def test_the_public_list_shows_released_reports_without_personal_data(client, signed_in):
    citizen = signed_in("privat@example.org")
    body = _file(
        citizen, {**POTHOLE, "address": "Kölnstraße 40"}, photos=[jpeg_with_gps((300, 200))]
    ).get_json()
    assert client.get("/api/reports").get_json() == {"items": [], "next": None}
    assert client.get(f"/api/reports/{body['id']}").status_code == 404
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    detail = clerk.get(f"/api/staff/reports/{body['id']}").get_json()
    photo_id = detail["photo_ids"][0]
    assert client.get(f"/api/reports/photos/{photo_id}").status_code == 404
    clerk.post(f"/api/staff/reports/{body['id']}/moderation", json={"visibility": "public"})
    listed = client.get("/api/reports").get_json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]
    shown = listed[0]
    assert (shown["street"], shown["lat"], shown["lon"]) == ("Kölnstraße", 50.804, 6.489)
    assert shown["photo_ids"] == []  # the photo was not released
    text = client.get("/api/reports").get_data(as_text=True)
    for private in ("privat@example.org", "Kölnstraße 40", "50.8037", "reporter", "email"):
        assert private not in text
    clerk.post(
        f"/api/staff/reports/{body['id']}/moderation",
        json={"visibility": "public", "photos_public": True},
    )
    assert client.get("/api/reports").get_json()["items"][0]["photo_ids"] == [photo_id]
    photo = client.get(f"/api/reports/photos/{photo_id}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    clerk.post(f"/api/staff/reports/{body['id']}/moderation", json={"visibility": "hidden"})
    assert client.get("/api/reports").get_json()["items"] == []
    assert client.get(f"/api/reports/photos/{photo_id}").status_code == 404


def test_staff_work_a_report_and_the_reporter_hears_of_it(client, signed_in, app):
    filed = _file(client, {**POTHOLE, "email": "info@example.org"}).get_json()
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    queue = clerk.get("/api/staff/reports").get_json()
    assert [r["id"] for r in queue] == [filed["id"]] and queue[0]["reporter"] is None
    opened = clerk.get(f"/api/staff/reports/{filed['id']}").get_json()
    assert opened["reporter"] == {"kind": "email", "email": "info@example.org"}
    with db.connection_context():
        assert AuditEvent.get(AuditEvent.action == "defect_report_viewed").subject_id == str(
            filed["id"]
        )
    moved = clerk.post(
        f"/api/staff/reports/{filed['id']}/status",
        json={"status": "in_progress", "comment": "Wir sind dran."},
    )
    assert moved.status_code == 200 and moved.get_json()["status"] == "in_progress"
    again = clerk.post(f"/api/staff/reports/{filed['id']}/status", json={"status": "in_progress"})
    assert again.status_code == 409 and again.get_json()["code"] == (
        "report_transition_not_allowed"
    )
    mails = read_outbox(app.config["INSTANCE_PATH"], "info@example.org")
    assert len(mails) == 2
    assert "In Bearbeitung" in mails[0]["body"] and "Wir sind dran." in mails[0]["body"]
    tracked = client.get(f"/api/reports/track/{filed['tracking_token']}").get_json()
    assert [h["status"] for h in tracked["history"]] == ["new", "in_progress"]
    assert tracked["public_comment"] == "Wir sind dran."


def test_a_signed_in_reporter_gets_an_inbox_message(signed_in):
    citizen = signed_in("inbox@example.org")
    filed = _file(citizen).get_json()
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    clerk.post(f"/api/staff/reports/{filed['id']}/status", json={"status": "done"})
    messages = citizen.get("/api/inbox").get_json()
    items = messages["items"] if isinstance(messages, dict) else messages
    assert any("Schlagloch" in m["subject"] for m in items)


def test_merging_duplicates(client, signed_in):
    first = _file(client).get_json()
    second = _file(client).get_json()
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    itself = clerk.post(f"/api/staff/reports/{second['id']}/merge", json={"into_id": second["id"]})
    assert itself.status_code == 422
    merged = clerk.post(
        f"/api/staff/reports/{second['id']}/merge",
        json={"into_id": first["id"], "comment": "Schon gemeldet."},
    )
    assert merged.status_code == 200
    assert (merged.get_json()["status"], merged.get_json()["duplicate_of"]) == (
        "merged",
        first["id"],
    )
    into_merged = clerk.post(
        f"/api/staff/reports/{first['id']}/merge", json={"into_id": second["id"]}
    )
    assert into_merged.status_code == 422


def test_who_may_work_which_report(client, signed_in):
    pothole = _file(client).get_json()["id"]
    litter = _file(
        client, {"category": "papierkorb", "description": "Voll", "address": "Markt 1"}
    ).get_json()["id"]
    admin = signed_in("admin@example.org", "admin")
    roads = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    waste = signed_in("abfall@example.org", "staff", ("abfall",))
    nothing = signed_in("meldewesen@example.org", "staff", ("meldewesen",))
    citizen = signed_in("buerger@example.org")
    officer = signed_in("officer@example.org", "officer")
    assert sorted(r["id"] for r in admin.get("/api/staff/reports").get_json()) == sorted(
        [pothole, litter]
    )
    assert [r["id"] for r in roads.get("/api/staff/reports").get_json()] == [pothole]
    assert [r["id"] for r in waste.get("/api/staff/reports").get_json()] == [litter]
    assert nothing.get("/api/staff/reports").get_json() == []
    for outsider in (citizen, officer, client):
        assert outsider.get("/api/staff/reports").status_code in (401, 403)
        assert outsider.get(f"/api/staff/reports/{pothole}").status_code in (401, 403)
    # Another department's report does not exist for a clerk.
    assert waste.get(f"/api/staff/reports/{pothole}").status_code == 404
    refused = waste.post(f"/api/staff/reports/{pothole}/status", json={"status": "done"})
    assert refused.status_code == 404
    assert (
        waste.post(
            f"/api/staff/reports/{pothole}/moderation", json={"visibility": "public"}
        ).status_code
        == 404
    )
    assert (
        roads.post(f"/api/staff/reports/{pothole}/merge", json={"into_id": litter}).status_code
        == 404
    )
    # Categories and Open311 keys are the admins'.
    assert roads.get("/api/admin/reports/categories").status_code == 403
    assert roads.post("/api/admin/reports/open311-keys", json={"name": "x"}).status_code == 403
    assert admin.get("/api/admin/reports/categories").status_code == 200


def test_admins_edit_categories(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    made = admin.put(
        "/api/admin/reports/categories/ampel",
        json={"name_de": "Ampel defekt", "name_en": "Traffic light out", "department": "tiefbau"},
    )
    assert made.status_code == 200, made.get_json()
    codes = [c["code"] for c in client.get("/api/reports/categories").get_json()]
    assert "ampel" in codes
    off = admin.put(
        "/api/admin/reports/categories/graffiti",
        json={
            "name_de": "Graffiti",
            "name_en": "Graffiti",
            "department": "ordnungsamt",
            "active": False,
        },
    )
    assert off.status_code == 200
    assert "graffiti" not in [c["code"] for c in client.get("/api/reports/categories").get_json()]
    # A device's outbox still names what it holds: withdrawn ones on request, in its language.
    every = client.get(
        "/api/reports/categories?withdrawn=true", headers={"Accept-Language": "en"}
    ).get_json()
    assert {"code": "graffiti", "name": "Graffiti"}.items() <= next(
        c for c in every if c["code"] == "graffiti"
    ).items()
    assert next(c for c in every if c["code"] == "schlagloch")["name"] == "Pothole"
    bad = client.get("/api/reports/categories?withdrawn=vielleicht")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "withdrawn"
    refused = _file(client, {"category": "graffiti", "description": "x", "address": "Markt 1"})
    assert refused.get_json()["errors"][0]["code"] == "report_unknown_category"


def test_images_are_allowed_from_the_configured_tile_server_only(client, app, monkeypatch):
    without = client.get("/api/health").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob:;" in without
    monkeypatch.setitem(app.config, "REPORTS_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    policy = client.get("/api/health").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tiles.example.org;" in policy
    assert policy.count("tiles.example.org") == 1
    assert (
        client.get("/api/reports/config")
        .get_json()["tile_url"]
        .startswith("https://tiles.example.org/")
    )


def test_lists_cost_the_same_queries_for_2_reports_as_for_6(client, signed_in):
    from tests.api.test_list_query_counts import _queries

    citizen = signed_in("viele@example.org")
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))

    def add(count: int) -> None:
        for _ in range(count):
            report = _file(citizen, photos=[png()]).get_json()["id"]
            clerk.post(
                f"/api/staff/reports/{report}/moderation",
                json={"visibility": "public", "photos_public": True},
            )

    paths = ("/api/reports", "/open311/v2/requests.json")
    add(2)
    few = [_queries(client, p) for p in paths]
    few += [_queries(citizen, "/api/reports/mine"), _queries(clerk, "/api/staff/reports")]
    add(4)
    many = [_queries(client, p) for p in paths]
    many += [_queries(citizen, "/api/reports/mine"), _queries(clerk, "/api/staff/reports")]
    assert few == many
