"""The day-care form offers the facilities as a select (option source
``kita_facilities``): served with the active facilities, its ETag and the catalogue's
moving with them, answers checked against them, labels in summaries; drafts of version 1
(facility numbers typed as text) still submit."""

from __future__ import annotations

import copy

import pytest

from app.applications import definitions
from app.db import db
from app.kita import demo
from app.models import Application, KitaFacility, ServiceDefinitionRecord, User
from tests.api.engine_helpers import start
from tests.api.service_answers import complete_answers
from tests.api.test_services_catalogue import _other_node

SERVICE = "daycare_place"
CHOICES = ("facility_1", "facility_2", "facility_3")


@pytest.fixture
def facilities(app):
    with db.connection_context():
        return {f.name: f.id for f in demo.seed()}


def _field(definition: dict, field_id: str) -> dict:
    return next(
        field for step in definition["steps"] for field in step["fields"] if field["id"] == field_id
    )


def _answers(first: int, second: int | None = None) -> dict:
    answers = complete_answers(SERVICE)
    answers.update(facility_1=str(first), facility_2=str(second or ""), facility_3="")
    return answers


def test_the_served_form_offers_the_active_facilities(client, facilities):
    served = client.get(f"/api/services/{SERVICE}")
    assert served.status_code == 200
    for field_id in CHOICES:
        field = _field(served.get_json(), field_id)
        assert field["type"] == "select" and field["options_from"] == "kita_facilities"
        assert [option["value"] for option in field["options"]] == [
            str(facilities[name]) for name in sorted(facilities)
        ]
    sonne = next(
        option
        for option in _field(served.get_json(), "facility_1")["options"]
        if option["value"] == str(facilities["Kita Sonnenblume (Demo)"])
    )
    assert sonne["label"]["de"].startswith("Kita Sonnenblume (Demo) – ")
    assert "Stunden pro Woche" in sonne["hint"]["de"] and "hours a week" in sonne["hint"]["en"]
    listed = {s["id"]: s for s in client.get("/api/services").get_json()}
    assert listed[SERVICE]["etag"] == served.headers["ETag"].strip('"')


def test_a_facility_change_moves_the_forms_etag_and_the_catalogues(signed_in, facilities):
    admin = signed_in("kita-admin@example.org", "admin")
    catalogue = admin.get("/api/services")
    form = admin.get(f"/api/services/{SERVICE}")
    rurauen = facilities["Familienzentrum Rurauen (Demo)"]
    assert (
        admin.get("/api/services", headers={"If-None-Match": catalogue.headers["ETag"]}).status_code
        == 304
    )
    assert (
        admin.get(
            f"/api/services/{SERVICE}", headers={"If-None-Match": form.headers["ETag"]}
        ).status_code
        == 304
    )

    body = admin.get(f"/api/admin/kita/facilities/{rurauen}").get_json()
    body = {
        key: body[key]
        for key in (
            "name",
            "street",
            "house_number",
            "postal_code",
            "city",
            "carrier",
            "places_under_3",
            "places_over_3",
            "hours",
        )
    }
    assert (
        admin.put(
            f"/api/admin/kita/facilities/{rurauen}", json={**body, "active": False}
        ).status_code
        == 200
    )

    changed = admin.get(f"/api/services/{SERVICE}", headers={"If-None-Match": form.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != form.headers["ETag"]
    assert str(rurauen) not in {
        o["value"] for o in _field(changed.get_json(), "facility_2")["options"]
    }
    listing = admin.get("/api/services", headers={"If-None-Match": catalogue.headers["ETag"]})
    assert listing.status_code == 200
    assert {s["id"]: s for s in listing.get_json()}[SERVICE]["etag"] == changed.headers[
        "ETag"
    ].strip('"')
    # Other services keep their ETag: only forms that show facilities change.
    assert {s["id"]: s["etag"] for s in listing.get_json()}["waste_bins"] == {
        s["id"]: s["etag"] for s in catalogue.get_json()
    }["waste_bins"]


def test_a_facility_changed_by_another_process_moves_the_catalogue(
    client, facilities, database_url
):
    catalogue = client.get("/api/services")
    other = _other_node(database_url)
    try:
        other.execute_sql(
            f"UPDATE {KitaFacility._meta.table_name} "
            "SET active = false, updated_at = CURRENT_TIMESTAMP "
            f"WHERE id = {facilities['Kita Regenbogen (Demo)']}"
        )
    finally:
        other.close()
    listing = client.get("/api/services", headers={"If-None-Match": catalogue.headers["ETag"]})
    assert listing.status_code == 200 and listing.headers["ETag"] != catalogue.headers["ETag"]


@pytest.mark.parametrize("chosen", ["unknown", "inactive"])
def test_a_number_that_is_no_option_is_refused_when_saved(signed_in, facilities, chosen):
    parent = signed_in("eltern@example.org")
    regenbogen = facilities["Kita Regenbogen (Demo)"]
    if chosen == "inactive":
        with db.connection_context():
            KitaFacility.update(active=False).where(KitaFacility.id == regenbogen).execute()
    value = 999999 if chosen == "unknown" else regenbogen
    draft = start(parent, SERVICE, _answers(facilities["Kita Sonnenblume (Demo)"], value))
    assert {i["field"]: i["code"] for i in draft["issues"]} == {"facility_2": "option.unavailable"}
    response = parent.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "u"}
    )
    assert response.status_code == 422
    assert {e["field"]: e["code"] for e in response.get_json()["errors"]} == {
        "facility_2": "option.unavailable"
    }


@pytest.mark.parametrize("lang", ["de", "en"])
def test_an_inactive_facility_is_refused_at_its_field(signed_in, facilities, lang):
    parent = signed_in("eltern@example.org")
    sonne, rurauen = (
        facilities["Kita Sonnenblume (Demo)"],
        facilities["Familienzentrum Rurauen (Demo)"],
    )
    draft = start(parent, SERVICE, _answers(sonne, rurauen))
    with db.connection_context():
        KitaFacility.update(active=False).where(KitaFacility.id == rurauen).execute()
    response = parent.post(
        f"/api/applications/{draft['id']}/submit",
        headers={"Idempotency-Key": "k", "Accept-Language": lang},
    )
    assert response.status_code == 422, response.get_json()
    errors = {e["field"]: e for e in response.get_json()["errors"]}
    assert errors["facility_2"]["code"] == "option.unavailable"
    assert (
        errors["facility_2"]["message"]
        == {
            "de": "Diese Möglichkeit gibt es nicht mehr. Bitte wählen Sie neu.",
            "en": "This option is no longer available. Please choose again.",
        }[lang]
    )
    with db.connection_context():
        assert Application.get_by_id(draft["id"]).status == "draft"


def test_summaries_name_the_facility_not_its_number(signed_in, facilities):
    parent = signed_in("eltern@example.org")
    clerk = signed_in("kita-clerk@example.org", "staff", ("kita",))
    sonne = facilities["Kita Sonnenblume (Demo)"]
    draft = start(parent, SERVICE, _answers(sonne))
    submitted = parent.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "s"}
    )
    assert submitted.status_code == 201, submitted.get_json()
    # Even once the facility may no longer be chosen.
    with db.connection_context():
        KitaFacility.update(active=False).where(KitaFacility.id == sonne).execute()
    detail = clerk.get(f"/api/staff/applications/{submitted.get_json()['reference']}").get_json()
    rows = {row["label"]: row["value"] for step in detail["summary"] for row in step["rows"]}
    assert rows["Erster Wunsch"].startswith("Kita Sonnenblume (Demo) – ")


def _version_1(data: dict) -> dict:
    """The form as version 1 asked: the facility numbers typed as text."""
    old = copy.deepcopy(data)
    old["version"] = 1
    for field_id in CHOICES:
        field = _field(old, field_id)
        del field["options_from"]
        field.update(type="text", max_length=9, pattern="[0-9]{1,9}")
        field["pattern_message"] = "validation.pattern.kita_facility"
    return old


@pytest.mark.parametrize(("first", "code"), [("sonne", None), ("999999", "kita_unknown_facility")])
def test_a_draft_of_version_1_with_typed_numbers_still_submits(signed_in, facilities, first, code):
    parent = signed_in("eltern@example.org")
    with db.connection_context():
        current = definitions.published(SERVICE)
        old = ServiceDefinitionRecord.create(
            service_id=SERVICE,
            version=1,
            state="published",
            area=current.area,
            data=_version_1(current.data),
            fingerprint="version-1",
            source="test",
            created_by=User.get(User.email == "eltern@example.org"),
        )
    value = facilities["Kita Sonnenblume (Demo)"] if first == "sonne" else int(first)
    draft = start(parent, SERVICE, _answers(facilities["Kita Sonnenblume (Demo)"]))
    with db.connection_context():
        # Started before version 2 was published.
        Application.update(definition=old.id).where(Application.id == draft["id"]).execute()
    saved = parent.put(
        f"/api/applications/{draft['id']}",
        json={"answers": _answers(value)},
        headers={"If-Match": f'"{draft["revision"]}"'},
    )
    assert saved.status_code == 200, saved.get_json()
    served = parent.get(f"/api/services/{SERVICE}/versions/1").get_json()
    assert _field(served, "facility_1")["type"] == "text"
    response = parent.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "v1"}
    )
    if code is None:
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["service_version"] == 1
    else:
        assert response.status_code == 422
        assert {e["field"]: e["code"] for e in response.get_json()["errors"]} == {
            "facility_1": code
        }
