"""City surveys and the satisfaction question through the API."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import SatisfactionAnswer, SurveyResponse
from tests.api.engine_helpers import start, submitted
from tests.surveys.support import DEVICE, publish, survey

GOOD = {"grade": "good", "visits": True, "remark": "Mehr Bänke"}


@pytest.fixture
def citizen(signed_in):
    return signed_in("erika@example.org")


def count_responses() -> int:
    with db.connection_context():
        return SurveyResponse.select().count()


# --- City surveys ----------------------------------------------------------------------


def test_open_surveys_are_listed_and_never_in_the_catalogue(client):
    publish()
    listed = client.get("/api/surveys").get_json()
    assert [item["id"] for item in listed] == ["park_survey"]
    assert listed[0]["banner"]["de"] == "Ihre Meinung zum Stadtpark"
    assert listed[0]["open"] is True
    catalogue = [item["id"] for item in client.get("/api/services").get_json()]
    assert "park_survey" not in catalogue
    assert client.get("/api/services/park_survey").status_code == 404


def test_a_survey_cannot_be_started_as_an_application(citizen):
    publish()
    response = citizen.post("/api/applications", json={"service_id": "park_survey"})
    assert response.status_code == 404


def test_a_closed_or_future_survey_is_not_offered(client):
    publish(survey(opens="2000-01-01", closes="2000-12-31"))
    assert client.get("/api/surveys").get_json() == []
    response = client.post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": DEVICE}
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "survey_closed"


def test_anonymous_answer_once_per_device(client, make_client):
    publish()
    detail = client.get("/api/surveys/park_survey").get_json()
    assert detail["definition"]["steps"][0]["fields"][0]["id"] == "grade"
    assert detail["survey"]["anonymous"] is True
    first = client.post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": DEVICE}
    )
    assert first.status_code == 201, first.get_json()
    again = make_client().post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": DEVICE}
    )
    assert again.status_code == 409
    body = again.get_json()
    assert body["code"] == "survey_answered"
    assert "bereits teilgenommen" in body["message"]
    other = make_client().post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": "e" * 30}
    )
    assert other.status_code == 201
    with db.connection_context():
        stored = list(SurveyResponse.select())
    # The token is kept hashed, and no account is linked to an anonymous answer.
    assert all(row.device_hash and DEVICE not in row.device_hash for row in stored)
    assert all(row.user_id is None for row in stored)


def test_signed_in_answers_of_an_anonymous_survey_keep_no_account(citizen):
    publish()
    response = citizen.post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": DEVICE}
    )
    assert response.status_code == 201
    with db.connection_context():
        assert SurveyResponse.get().user_id is None


def test_per_device_needs_the_device_token(client):
    publish()
    response = client.post("/api/surveys/park_survey/responses", json={"answers": GOOD})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "device"
    for token in ("short", "ä" * 30, "x" * 21, "x" * 65, "a" * 25 + "." + "b" * 5, "²" * 30):
        bad = client.post(
            "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": token}
        )
        assert bad.status_code == 422, token
        assert bad.get_json()["errors"][0]["field"] == "device"
    assert count_responses() == 0


def test_the_device_hash_is_keyed_and_differs_per_survey(client, make_client):
    import hashlib

    from app.surveys import device_hash

    publish()
    other = survey()
    other["id"] = "tree_survey"
    publish(other)
    for service_id in ("park_survey", "tree_survey"):
        response = make_client().post(
            f"/api/surveys/{service_id}/responses", json={"answers": GOOD, "device": DEVICE}
        )
        assert response.status_code == 201
    with db.connection_context():
        hashes = {row.service_id: row.device_hash for row in SurveyResponse.select()}
    # The same device cannot be followed from one survey to the next, nor looked up by
    # hashing a known token.
    assert hashes["park_survey"] != hashes["tree_survey"]
    assert hashlib.sha256(DEVICE.encode()).hexdigest() not in hashes.values()
    secret = client.app.config["SECRET_KEY"]
    assert hashes["park_survey"] == device_hash(secret, "park_survey", DEVICE)
    assert device_hash("another key", "park_survey", DEVICE) != hashes["park_survey"]


def test_a_survey_before_its_opening_day_is_not_open_yet(client):
    publish(survey(opens="2999-01-01"))
    for lang, text in (("de", "beginnt erst am 2999-01-01"), ("en", "opens on 2999-01-01")):
        response = client.post(
            "/api/surveys/park_survey/responses",
            json={"answers": GOOD, "device": DEVICE},
            headers={"Accept-Language": lang},
        )
        assert response.status_code == 409
        assert response.get_json()["code"] == "survey_not_open_yet"
        assert text in response.get_json()["message"]
    assert count_responses() == 0


def test_one_answer_per_account(client, signed_in):
    publish(survey(anonymous=False, one_answer_per="account"))
    anonymous = client.post("/api/surveys/park_survey/responses", json={"answers": GOOD})
    assert anonymous.status_code == 401
    erika = signed_in("erika@example.org")
    assert erika.get("/api/surveys/park_survey").get_json()["answered"] is False
    assert (
        erika.post("/api/surveys/park_survey/responses", json={"answers": GOOD}).status_code == 201
    )
    assert erika.get("/api/surveys/park_survey").get_json()["answered"] is True
    # Another device of the same account: still refused.
    again = erika.post(
        "/api/surveys/park_survey/responses", json={"answers": GOOD, "device": DEVICE}
    )
    assert again.status_code == 409
    assert again.get_json()["code"] == "survey_answered"
    other = signed_in("max@example.org")
    assert (
        other.post("/api/surveys/park_survey/responses", json={"answers": GOOD}).status_code == 201
    )
    assert count_responses() == 2


def test_answers_are_validated_like_an_application(client):
    publish()
    missing = client.post(
        "/api/surveys/park_survey/responses",
        json={"answers": {"visits": True}, "device": DEVICE},
    )
    assert missing.status_code == 422
    assert "grade" in [error["field"] for error in missing.get_json()["errors"]]
    wrong = client.post(
        "/api/surveys/park_survey/responses",
        json={"answers": {"grade": "great"}, "device": DEVICE},
    )
    assert wrong.status_code == 422
    unknown = client.post(
        "/api/surveys/park_survey/responses",
        json={"answers": {"grade": "good", "nope": 1}, "device": DEVICE},
    )
    assert unknown.status_code == 422
    assert count_responses() == 0


def test_an_unknown_survey_or_a_service_is_not_found(client):
    assert client.get("/api/surveys/nothing").status_code == 404
    assert client.get("/api/surveys/dog_tax_registration").status_code == 404
    response = client.post(
        "/api/surveys/dog_tax_registration/responses", json={"answers": {}, "device": DEVICE}
    )
    assert response.status_code == 404


# --- Satisfaction ----------------------------------------------------------------------


def test_satisfaction_once_per_submitted_application(citizen):
    application = submitted(citizen, "waste_bins")
    path = f"/api/applications/{application['id']}/satisfaction"
    assert citizen.get(path).get_json() == {"given": False}
    first = citizen.post(path, json={"rating": 4, "comment": " Ging schnell "})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["comment"] == "Ging schnell"
    assert citizen.get(path).get_json() == {"given": True}
    second = citizen.post(path, json={"rating": 1})
    assert second.status_code == 409
    assert second.get_json()["code"] == "satisfaction_given"
    with db.connection_context():
        stored = SatisfactionAnswer.get()
    assert (stored.service_id, stored.rating) == ("waste_bins", 4)


def test_satisfaction_repeat_with_the_same_key_is_the_first_answer(citizen):
    application = submitted(citizen, "waste_bins")
    path = f"/api/applications/{application['id']}/satisfaction"
    headers = {"Idempotency-Key": "sat-1"}
    first = citizen.post(path, json={"rating": 5}, headers=headers)
    assert first.status_code == 201
    again = citizen.post(path, json={"rating": 5}, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    with db.connection_context():
        assert SatisfactionAnswer.select().count() == 1


def test_satisfaction_needs_the_owner_and_a_submitted_application(citizen, signed_in, client):
    draft = start(citizen, "waste_bins")
    path = f"/api/applications/{draft['id']}/satisfaction"
    refused = citizen.post(path, json={"rating": 3})
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "not_submitted"
    application = submitted(citizen, "waste_bins", key="s-2")
    path = f"/api/applications/{application['id']}/satisfaction"
    assert signed_in("max@example.org").post(path, json={"rating": 3}).status_code == 404
    assert client.post(path, json={"rating": 3}).status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({}, "rating"),
        ({"rating": 3, "comment": "x" * 2001}, "comment"),
    ],
)
def test_satisfaction_bad_input_is_a_field_error(citizen, body, field):
    application = submitted(citizen, "waste_bins")
    response = citizen.post(f"/api/applications/{application['id']}/satisfaction", json=body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.get_json()["errors"]]
    with db.connection_context():
        assert SatisfactionAnswer.select().count() == 0


def test_clerks_do_not_see_the_answer_with_the_case(citizen, signed_in):
    application = submitted(citizen, "waste_bins")
    citizen.post(
        f"/api/applications/{application['id']}/satisfaction",
        json={"rating": 2, "comment": "GEHEIMER KOMMENTAR"},
    )
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    case = clerk.get(f"/api/staff/applications/{application['id']}")
    assert case.status_code == 200
    assert "GEHEIMER KOMMENTAR" not in case.get_data(as_text=True)
    assert "satisfaction" not in case.get_data(as_text=True)


def test_a_retried_answer_with_the_same_key_is_the_first_one(client, make_client):
    publish()
    body = {"answers": GOOD, "device": DEVICE}
    headers = {"Idempotency-Key": "answer-1"}
    first = client.post("/api/surveys/park_survey/responses", json=body, headers=headers)
    assert first.status_code == 201
    again = make_client().post("/api/surveys/park_survey/responses", json=body, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert count_responses() == 1
    other_key = client.post(
        "/api/surveys/park_survey/responses", json=body, headers={"Idempotency-Key": "answer-2"}
    )
    assert other_key.status_code == 409


def test_a_survey_has_no_service_version_or_answers_schema(client):
    publish()
    assert client.get("/api/services/park_survey/versions/1").status_code == 404
    assert client.get("/api/services/park_survey/answers-schema").status_code == 404
    assert client.get("/api/services/waste_bins/answers-schema").status_code == 200


def test_the_kind_cannot_change_between_versions(signed_in):
    import json

    admin = signed_in("admin@example.org", "admin")
    publish()
    service = {**admin.get("/api/services/waste_bins").get_json(), "id": "park_survey"}
    service["version"] = 2
    response = admin.post(
        "/api/admin/services/import",
        json={"text": json.dumps(service), "new_version_confirmed": True},
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"][0]["field"] == "kind"
    assert "andere" in response.get_json()["errors"][0]["message"]
    # A survey file for a service's id is refused the same way.
    as_survey = survey()
    as_survey["id"] = "waste_bins"
    response = admin.post(
        "/api/admin/services/import",
        json={"text": json.dumps(as_survey), "new_version_confirmed": True},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "survey_kind_changed"
    # The editor's saves refuse it too.
    draft = admin.post("/api/admin/services/park_survey/drafts")
    if draft.status_code == 201:
        number = draft.get_json()["version"]
        changed = {**service, "version": number}
        put = admin.put(
            f"/api/admin/services/park_survey/versions/{number}", json={"definition": changed}
        )
        assert put.status_code == 422
        assert put.get_json()["errors"][0]["field"] == "kind"
