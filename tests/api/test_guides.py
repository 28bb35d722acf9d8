"""``GET /api/services/<id>/guide``: the guide's server part (resolved examples, the fee
for them, the typical duration), with an ETag like the other catalogue routes."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from app.applications import definitions
from app.db import db
from app.service_definitions import load_builtin, parse_definition
from app.statistics import aggregation
from tests.api.test_admin_definitions import MINIMAL
from tests.statistics.helpers import application, citizen
from tests.surveys.support import publish as publish_survey


def test_the_guide_of_a_builtin_service(client):
    response = client.get("/api/services/dog_tax_registration/guide")
    assert response.status_code == 200
    body = response.get_json()
    assert body["service_id"] == "dog_tax_registration"
    assert body["version"] == load_builtin()["dog_tax_registration"].version
    examples = body["examples"]
    # "city" became the city package's example address; "-3y" a date.
    assert examples["holder_address"] == {"street": "Markt", "house_number": "12"}
    birth = datetime.fromisoformat(examples["dogs"][0]["birth_date"]).date()
    assert (datetime.now().date() - birth).days > 2 * 365
    # One ordinary dog: the fee engine's 84 € a year.
    assert body["fee"] == {
        "total_cents": 8400,
        "lines": [
            {
                "rule": "dog_tax",
                "label": {"de": "Hundesteuer für einen Hund", "en": "Dog tax for one dog"},
                "quantity": 1,
                "unit_cents": 8400,
                "amount_cents": 8400,
            }
        ],
        "period": "yearly",
        "depends_on": [],
    }
    assert body["duration"] == {"source": "target", "days": 14, "median_hours": None}


def test_a_fee_depending_on_answers_without_example_says_on_which(client):
    definition = load_builtin()["resident_parking"].as_dict()
    definition["version"] += 1
    del definition["guide"]["examples"]["months"]
    _publish(definition)
    fee = client.get("/api/services/resident_parking/guide").get_json()["fee"]
    assert fee["total_cents"] is None and fee["depends_on"] == ["months"]


def _decided_cases(count: int) -> None:
    now = datetime.now()
    with db.connection_context():
        user = citizen("guide@example.org")
        for number in range(count):
            submitted = now - timedelta(days=30, hours=number)
            application(
                user,
                submitted,
                submitted=submitted,
                decided=submitted + timedelta(hours=70),
                status="approved",
                decided_by="staff",
            )
        aggregation.run(now)


def test_below_the_statistics_threshold_the_definitions_target(client):
    _decided_cases(4)
    # Four cases are too few to show (waste_bins' target: 10 days).
    duration = client.get("/api/services/waste_bins/guide").get_json()["duration"]
    assert duration == {"source": "target", "days": 10, "median_hours": None}


def test_with_enough_cases_the_median_of_the_last_twelve_months(client):
    _decided_cases(5)
    duration = client.get("/api/services/waste_bins/guide").get_json()["duration"]
    assert duration["source"] == "statistics"
    assert 66 <= duration["median_hours"] <= 78
    assert duration["days"] == 3


def test_unknown_services_and_surveys_have_no_guide(client):
    assert client.get("/api/services/nothing_here/guide").status_code == 404
    publish_survey()
    assert client.get("/api/services/park_survey/guide").status_code == 404


def test_etag_and_a_new_version_changes_the_guide(client):
    first = client.get("/api/services/waste_bins/guide")
    etag = first.headers["ETag"]
    again = client.get("/api/services/waste_bins/guide", headers={"If-None-Match": etag})
    assert again.status_code == 304
    definition = load_builtin()["waste_bins"].as_dict()
    definition["version"] += 1
    definition["guide"]["examples"]["remarks"] = "Neben dem Tor."
    _publish(definition)
    changed = client.get("/api/services/waste_bins/guide", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["examples"]["remarks"] == "Neben dem Tor."
    assert changed.get_json()["version"] == definition["version"]


def test_a_service_without_guide_has_empty_examples(client):
    definition = load_builtin()["waste_bins"].as_dict()
    definition["version"] += 1
    del definition["guide"]
    _publish(definition)
    body = client.get("/api/services/waste_bins/guide").get_json()
    assert body["examples"] == {}
    assert body["fee"]["total_cents"] == 0


def _publish(data):
    definition = parse_definition(copy.deepcopy(data))
    with db.connection_context():
        record = definitions.store_draft(definition, None)
        definitions.publish_draft(record, None)


def test_the_console_refuses_a_broken_guide_with_path_code_and_its_language(signed_in, make_client):
    admin = signed_in("guide.admin@example.org", "admin")
    definition = copy.deepcopy(MINIMAL)
    definition.update(workflow="standard", auto_decision={"enabled": False})
    definition["guide"] = {"examples": {"girth_cm": 5}, "steps": {"roots": {"de": "x", "en": "x"}}}
    response = admin.post("/api/admin/services", json={"definition": definition})
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert "Einen Schritt 'roots' gibt es in diesem Formular nicht." in errors["guide.steps.roots"]
    # The field's own message, in the reader's language.
    invalid = errors["guide.examples.girth_cm"]
    assert "Das Beispiel ist keine gültige Antwort" in invalid and "10" in invalid


def test_the_openapi_document_describes_the_guide(make_client):
    document = make_client().get("/api/openapi.json").get_json()
    assert "/api/services/{service_id}/guide" in document["paths"]
    schemas = document["components"]["schemas"]
    assert "guide" in schemas["ServiceDefinition"]["properties"]
    assert {"examples", "fee", "duration"} <= set(schemas["Guide"]["properties"])


def test_a_choice_from_data_is_shown_only_while_offered(client):
    definition = copy.deepcopy(MINIMAL)
    definition.update(id="guide_kita_visit", workflow="standard", auto_decision={"enabled": False})
    definition["steps"][0]["fields"].append(
        {
            "id": "facility",
            "type": "select",
            "options_from": "kita_facilities",
            "label": {"de": "Kita", "en": "Day-care centre"},
        }
    )
    definition["guide"] = {"examples": {"girth_cm": 40, "facility": "no-such-facility"}}
    _publish(definition)
    examples = client.get("/api/services/guide_kita_visit/guide").get_json()["examples"]
    assert examples == {"girth_cm": 40}
