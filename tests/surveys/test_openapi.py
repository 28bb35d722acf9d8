"""The survey routes in the OpenAPI document: request and response schemas, and real
answers (with data above and below the threshold) that match them."""

from __future__ import annotations

import pytest
import schemathesis

from app.db import db
from app.models import SurveyResponse
from app.surveys import city_today
from tests.api.engine_helpers import submitted
from tests.surveys.support import DEVICE, publish

SPEC_PATH = "/api/openapi.json"


@pytest.fixture
def document(app):
    return schemathesis.openapi.from_wsgi(SPEC_PATH, app)


def test_survey_routes_document_requests_and_responses(client):
    paths = client.get(SPEC_PATH).get_json()["paths"]
    with_body = {
        ("/api/applications/{application_id}/satisfaction", "post"),
        ("/api/surveys/{service_id}/responses", "post"),
        ("/api/admin/surveys", "post"),
    }
    for path, method in with_body:
        operation = paths[path][method]
        assert "requestBody" in operation, path
        assert any(code.startswith("2") for code in operation["responses"]), path
    for path in (
        "/api/surveys",
        "/api/surveys/{service_id}",
        "/api/statistics/satisfaction",
        "/api/statistics/surveys",
        "/api/statistics/surveys/{service_id}/results",
    ):
        success = paths[path]["get"]["responses"]["200"]
        assert "schema" in success["content"]["application/json"], path
    for path in (
        "/api/statistics/satisfaction.csv",
        "/api/statistics/surveys/{service_id}/results.csv",
    ):
        assert "text/csv" in paths[path]["get"]["responses"]["200"]["content"], path


def test_real_answers_match_the_document(document, client, signed_in):
    publish()
    citizen = signed_in("erika@example.org")
    admin = signed_in("admin@example.org", "admin")
    application = submitted(citizen, "waste_bins")
    answered = client.post(
        "/api/surveys/park_survey/responses", json={"answers": {"grade": "good"}, "device": DEVICE}
    )
    rated = citizen.post(
        f"/api/applications/{application['id']}/satisfaction", json={"rating": 5, "comment": "Gut"}
    )
    with db.connection_context():
        for _ in range(5):
            SurveyResponse.create(
                service_id="park_survey",
                version=1,
                day=city_today(),
                answers={"grade": "bad", "remark": "Zu laut"},
            )
    calls = [
        (answered, "POST", "/api/surveys/{service_id}/responses"),
        (rated, "POST", "/api/applications/{application_id}/satisfaction"),
        (client.get("/api/surveys"), "GET", "/api/surveys"),
        (client.get("/api/surveys/park_survey"), "GET", "/api/surveys/{service_id}"),
        (
            citizen.get(f"/api/applications/{application['id']}/satisfaction"),
            "GET",
            "/api/applications/{application_id}/satisfaction",
        ),
        (admin.get("/api/statistics/satisfaction"), "GET", "/api/statistics/satisfaction"),
        (admin.get("/api/statistics/surveys"), "GET", "/api/statistics/surveys"),
        (
            admin.get("/api/statistics/surveys/park_survey/results"),
            "GET",
            "/api/statistics/surveys/{service_id}/results",
        ),
        (
            admin.post(
                "/api/admin/surveys",
                json={"service_id": "noch_eine", "title_de": "Noch eine", "title_en": "Another"},
            ),
            "POST",
            "/api/admin/surveys",
        ),
        (
            client.post(
                "/api/surveys/park_survey/responses",
                json={"answers": {"grade": "good"}, "device": DEVICE},
            ),
            "POST",
            "/api/surveys/{service_id}/responses",
        ),
    ]
    problems = []
    for response, method, template in calls:
        assert response.status_code < 500, (template, response.get_json())
        try:
            document[template][method].validate_response(response)
        except (Exception, BaseExceptionGroup) as exc:
            problems.append(f"{method} {template}: {exc}")
    assert problems == [], "\n\n".join(problems)
    # The last call was a repeat from the same device: refused in the documented format.
    assert calls[-1][0].status_code == 409
