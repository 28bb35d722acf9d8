"""Results: the 5-answer threshold, CSV files without account data, who may read them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from app.db import db
from app.models import Application, SurveyResponse
from app.surveys import MIN_CASES, city_today, results
from tests.api.engine_helpers import submitted
from tests.surveys.support import publish, survey

RESULT_PATHS = (
    "/api/statistics/satisfaction",
    "/api/statistics/satisfaction.csv",
    "/api/statistics/surveys",
    "/api/statistics/surveys/park_survey/results",
    "/api/statistics/surveys/park_survey/results.csv",
)


def add_responses(*grades: str, day: date | None = None, remark: str = "") -> None:
    with db.connection_context():
        for grade in grades:
            SurveyResponse.create(
                service_id="park_survey",
                version=1,
                day=day or city_today(),
                answers={"grade": grade, "visits": grade == "good", "remark": remark or None},
            )


_keys = itertools.count()


def add_ratings(api, *ratings: int, comment: str = "") -> None:
    for rating in ratings:
        application = submitted(api, "waste_bins", key=f"submit-{next(_keys)}")
        response = api.post(
            f"/api/applications/{application['id']}/satisfaction",
            json={"rating": rating, "comment": comment},
        )
        assert response.status_code == 201


@pytest.fixture
def admin(signed_in):
    return signed_in("admin@example.org", "admin")


# --- Threshold --------------------------------------------------------------------------


def test_fewer_than_five_survey_answers_show_nothing(admin):
    publish()
    add_responses("good", "good", "bad", remark="Bänke fehlen")
    body = admin.get("/api/statistics/surveys/park_survey/results").get_json()
    assert body["answers"] is None and body["suppressed"] is True
    grade = body["questions"][0]
    assert grade["field_id"] == "grade"
    assert [option["count"] for option in grade["options"]] == [None, None]
    assert all(option["suppressed"] for option in grade["options"])
    assert body["texts"][0]["answers"] == []
    csv = admin.get("/api/statistics/surveys/park_survey/results.csv").get_data(as_text=True)
    lines = csv.strip().lstrip("\ufeff").splitlines()
    assert lines[0] == "kind;field_id;question;value;answer;count"
    assert lines[1] == "answers;;;;;"
    assert all(line.endswith(";") for line in lines[2:]) and "Bänke" not in csv


def test_from_five_answers_counts_are_shown_small_ones_stay_hidden(admin):
    publish()
    add_responses(*["good"] * 6, "bad", remark="Mehr Bänke")
    body = admin.get("/api/statistics/surveys/park_survey/results").get_json()
    assert body["answers"] == 7 and body["suppressed"] is False
    good, bad = body["questions"][0]["options"]
    # One hidden option would follow from the total: the other one is hidden too.
    assert (good["value"], good["count"], good["suppressed"]) == ("good", None, True)
    assert (bad["value"], bad["count"], bad["suppressed"]) == ("bad", None, True)
    assert body["questions"][0]["answered"] == {"count": 7, "suppressed": False}
    visits = body["questions"][1]
    assert [o["count"] for o in visits["options"]] == [None, None]
    assert body["texts"][0]["answers"] == ["Mehr Bänke"] * 7


def test_results_by_day_range_across_a_year_boundary(admin):
    publish()
    add_responses(*["good"] * 5, day=date(2025, 12, 31))
    add_responses(*["bad"] * 5, day=date(2026, 1, 1))
    path = "/api/statistics/surveys/park_survey/results"
    both = admin.get(f"{path}?from=2025-12-01&to=2026-01-31")
    assert both.get_json()["answers"] == 10
    assert (both.get_json()["from"], both.get_json()["to"]) == ("2025-12-01", "2026-01-31")
    old = admin.get(f"{path}?to=2025-12-31").get_json()
    assert [o["count"] for o in old["questions"][0]["options"]] == [5, 0]
    december = admin.get(f"{path}?group=month&period=2025-12").get_json()
    assert (december["from"], december["to"]) == ("2025-12-01", "2025-12-31")
    assert december["answers"] == 5
    quarter = admin.get(f"{path}?group=quarter&period=2026-Q1").get_json()
    assert (quarter["from"], quarter["to"], quarter["answers"]) == ("2026-01-01", "2026-03-31", 5)
    year = admin.get(f"{path}?group=year&period=2025").get_json()
    assert (year["from"], year["to"], year["answers"]) == ("2025-01-01", "2025-12-31", 5)
    backwards = admin.get(f"{path}?from=2026-02-01&to=2026-01-31")
    assert backwards.status_code == 422


def test_survey_csv_holds_answers_but_no_account_or_device(admin, signed_in):
    publish()
    erika = signed_in("erika.csv@example.org")
    for number in range(MIN_CASES):
        response = erika.post(
            "/api/surveys/park_survey/responses",
            json={
                "answers": {"grade": "good", "remark": f"Antwort {number}"},
                "device": f"device-token-number-{number:04d}",
            },
        )
        assert response.status_code == 201
    response = admin.get("/api/statistics/surveys/park_survey/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    lines = text.lstrip("\ufeff").strip().splitlines()
    # Counts per question and option, then the free texts: no row per answer, no day.
    assert lines[:4] == [
        "kind;field_id;question;value;answer;count",
        f"answers;;;;;{MIN_CASES}",
        f"option;grade;Ihre Note;good;Gut;{MIN_CASES}",
        "option;grade;Ihre Note;bad;Schlecht;0",
    ]
    # The untouched checkbox was stored as False.
    assert lines[4:6] == [
        "option;visits;Ich gehe oft hin;true;Ja;0",
        f"option;visits;Ich gehe oft hin;false;Nein;{MIN_CASES}",
    ]
    assert sorted(lines[6:]) == [f"text;remark;Anmerkung;;Antwort {n};" for n in range(MIN_CASES)]
    assert city_today().isoformat() not in text
    assert "erika" not in text and "device-token" not in text
    with db.connection_context():
        hashes = [row.device_hash for row in SurveyResponse.select()]
    assert not any(value in text for value in hashes)


def test_satisfaction_threshold_average_and_comments(admin, signed_in):
    citizen = signed_in("citizen@example.org")
    add_ratings(citizen, 5, 5, 4, comment="Schnell erledigt")
    few = admin.get("/api/statistics/satisfaction?service_id=waste_bins").get_json()
    assert few["answers"] is None and few["suppressed"] is True
    assert few["average"] is None and few["comments"] == []
    assert [item["count"] for item in few["distribution"]] == [0, 0, 0, None, None]
    add_ratings(citizen, 5, 5, 5, 1)
    body = admin.get("/api/statistics/satisfaction?service_id=waste_bins").get_json()
    assert body["answers"] == 7 and body["suppressed"] is False
    # Two hidden ratings (1 and 4) add up to 2: so small a sum could be split only
    # one way, so the next smallest rating is hidden too, and so is the average.
    assert [item["count"] for item in body["distribution"]] == [None, 0, 0, None, None]
    assert body["average"] is None
    add_ratings(citizen, 4, 4, 4, 5)
    body = admin.get("/api/statistics/satisfaction?service_id=waste_bins").get_json()
    assert [item["count"] for item in body["distribution"]] == [None, 0, 0, None, 6]
    # Only the answers with a comment are listed, by month, without their rating.
    assert len(body["comments"]) == 3
    assert body["comments"][0] == {
        "month": city_today().strftime("%Y-%m"),
        "text": "Schnell erledigt",
    }
    other = admin.get("/api/statistics/satisfaction?service_id=dog_tax_registration")
    assert other.get_json()["answers"] == 0
    everything = admin.get("/api/statistics/satisfaction").get_json()
    assert everything["service_id"] is None and everything["answers"] == 11


def test_satisfaction_csv_is_aggregated(admin, signed_in):
    citizen = signed_in("citizen@example.org")
    add_ratings(citizen, 5, 5, 5, 5, 5, 2, comment="Mein Name ist Erika")
    text = admin.get("/api/statistics/satisfaction.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = text.strip().splitlines()
    assert lines[0] == "service_id;answers;average;rating_1;rating_2;rating_3;rating_4;rating_5"
    # Rating 2 alone hidden would be 6 - 5: rating 5 is hidden too, and no average.
    assert lines[1] == "waste_bins;6;;0;;0;0;"
    assert "Erika" not in text and "citizen@" not in text
    with db.connection_context():
        ids = [a.id for a in Application.select(Application.id)]
    assert not any(application_id in text for application_id in ids)


def test_survey_list_for_the_console(admin):
    publish()
    add_responses(*["good"] * 5)
    rows = admin.get("/api/statistics/surveys").get_json()
    assert rows == [
        {
            "service_id": "park_survey",
            "title": {"de": "Stadtpark", "en": "City park"},
            "state": "published",
            "published_version": 1,
            "results_version": 1,
            "open": True,
            "answers": 5,
            "suppressed": False,
        }
    ]


def test_small_helper():
    assert results.small(1) and results.small(MIN_CASES - 1)
    assert not results.small(0) and not results.small(MIN_CASES)


# --- Who may read ----------------------------------------------------------------------


@pytest.mark.parametrize("path", RESULT_PATHS)
def test_results_only_for_admins(path, client, signed_in):
    publish()
    assert client.get(path).status_code == 401
    for role, areas in (("citizen", ()), ("staff", ("abfall",)), ("officer", ())):
        assert signed_in(f"{role}@example.org", role, areas).get(path).status_code == 403
    assert signed_in("admin@example.org", "admin").get(path).status_code == 200
    # The statistics role reads every result, as admins do.
    assert signed_in("statistik@example.org", "statistics").get(path).status_code == 200


def test_only_admins_create_surveys(client, signed_in):
    body = {"service_id": "tree_survey", "title_de": "Bäume", "title_en": "Trees"}
    assert client.post("/api/admin/surveys", json=body).status_code == 401
    staff = signed_in("staff@example.org", "staff", ("abfall",))
    assert staff.post("/api/admin/surveys", json=body).status_code == 403
    # Reading results does not make a survey builder.
    statistics = signed_in("statistik@example.org", "statistics")
    assert statistics.post("/api/admin/surveys", json=body).status_code == 403
    admin = signed_in("admin@example.org", "admin")
    created = admin.post("/api/admin/surveys", json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["state"] == "draft"
    overview = admin.get("/api/admin/services/overview").get_json()
    kinds = {item["service_id"]: item["kind"] for item in overview}
    assert kinds["tree_survey"] == "survey" and kinds["waste_bins"] == "service"
    # The template is a complete survey: it publishes as it is.
    publish_response = admin.post(
        "/api/admin/services/tree_survey/versions/1/publish",
        headers={"If-Match": '"1"'},
    )
    assert publish_response.status_code == 200, publish_response.get_json()
    assert [s["id"] for s in client.get("/api/surveys").get_json()] == ["tree_survey"]
    taken = admin.post("/api/admin/surveys", json=body)
    assert taken.status_code == 422


def test_an_unknown_survey_has_no_results(admin):
    assert admin.get("/api/statistics/surveys/nothing/results").status_code == 404
    assert admin.get("/api/statistics/surveys/waste_bins/results").status_code == 404


def test_today_in_the_city():
    from datetime import datetime

    # 23:30 UTC on 31 December is already New Year's Day in Düren.
    assert city_today(datetime(2025, 12, 31, 23, 30)) == date(2026, 1, 1)
    assert city_today(datetime(2026, 6, 30, 21, 59)) == date(2026, 6, 30)
    assert timedelta(days=1)


def test_surveys_are_not_in_the_statistics_service_list(admin):
    publish()
    listed = [
        item["service_id"] for item in admin.get("/api/statistics/services").get_json()["services"]
    ]
    assert "park_survey" not in listed
    assert "waste_bins" in listed


def test_a_retired_survey_keeps_its_results(admin):
    publish()
    add_responses(*["good"] * 6)
    retired = admin.post("/api/admin/services/park_survey/versions/1/retire")
    assert retired.status_code == 200, retired.get_json()
    body = admin.get("/api/statistics/surveys/park_survey/results").get_json()
    assert body["answers"] == 6
    assert admin.get("/api/statistics/surveys/park_survey/results.csv").status_code == 200
    (row,) = admin.get("/api/statistics/surveys").get_json()
    assert (row["state"], row["published_version"], row["results_version"]) == (
        "retired",
        None,
        1,
    )


def test_a_question_whose_type_changed_counts_only_valid_options(admin):
    from app.surveys.results import survey_csv

    publish()
    add_responses(*["good"] * 6)
    changed = survey()
    changed["version"] = 2
    grade = changed["steps"][0]["fields"][0]
    grade.update(type="checkbox", required=False)
    del grade["options"]
    remark = changed["steps"][0]["fields"][2]
    remark.update(type="radio", options=[{"value": "1", "label": {"de": "Eins", "en": "One"}}])
    del remark["max_length"]
    publish(changed)
    with db.connection_context():
        SurveyResponse.create(
            service_id="park_survey",
            version=2,
            day=city_today(),
            answers={"grade": True, "visits": [1], "remark": {"x": 1}},
        )
    response = admin.get("/api/statistics/surveys/park_survey/results")
    assert response.status_code == 200, response.get_json()
    grade, _visits, remark = response.get_json()["questions"]
    # "good" is no option of the checkbox: six answers without a valid value.
    assert [o["count"] for o in grade["options"]] == [None, 0]
    assert grade["answered"] == {"count": None, "suppressed": True}
    assert [o["count"] for o in remark["options"]] == [0]
    with db.connection_context():
        assert survey_csv("park_survey").count("\r\n") == 1 + 1 + 2 + 2 + 1
