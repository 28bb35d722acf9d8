"""Admins add services as data: validated, versioned, published, retired."""

from __future__ import annotations

import copy

import pytest

from app.applications import decision_rules
from app.service_definitions import load_builtin
from tests.api.engine_helpers import start

MINIMAL = {
    "id": "tree_felling",
    "version": 1,
    "title": {"de": "Baum fällen anzeigen", "en": "Report tree felling"},
    "description": {
        "de": "Zeigen Sie an, dass Sie einen Baum fällen.",
        "en": "Report that you fell a tree.",
    },
    "category": "environment",
    "area": "umwelt",
    "trust_level": "basic",
    "steps": [
        {
            "id": "tree",
            "title": {"de": "Der Baum", "en": "The tree"},
            "fields": [
                {
                    "id": "girth_cm",
                    "type": "number",
                    "required": True,
                    "min": 10,
                    "max": 1000,
                    "label": {"de": "Stammumfang in cm", "en": "Trunk girth in cm"},
                },
            ],
        }
    ],
    "payment": {"policy": "none"},
    "workflow": "standard_auto",
    "auto_decision": {"enabled": True, "rule_set": "small_tree", "status": "approved"},
}


@pytest.fixture
def admin(signed_in):
    return signed_in("admin@example.org", "admin")


@pytest.fixture
def small_tree_rule():
    class SmallTree(decision_rules.DecisionRule):
        def decide(self, application, definition):
            return application.answers["girth_cm"] < 80

    with decision_rules.registry.registered("small_tree", SmallTree()):
        yield


def test_invalid_definition_is_refused_with_paths(admin):
    broken = copy.deepcopy(MINIMAL)
    broken["steps"][0]["fields"][0]["type"] = "colour"
    response = admin.post("/api/admin/services", json={"definition": broken})
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["field"] == "steps[0].fields[0].type" and "colour" in error["message"]
    assert admin.get("/api/services/tree_felling").status_code == 404


def test_create_publish_use_retire(admin, signed_in, small_tree_rule):
    created = admin.post("/api/admin/services", json={"definition": MINIMAL})
    assert created.status_code == 201 and created.get_json()["state"] == "draft"
    assert admin.get("/api/services/tree_felling").status_code == 404  # not public yet
    assert (
        admin.post("/api/admin/services/tree_felling/versions/1/publish").get_json()["state"]
        == "published"
    )
    citizen = signed_in("tree@example.org")
    small = start(citizen, "tree_felling", {"girth_cm": 50})
    big = start(citizen, "tree_felling", {"girth_cm": 150}, key="big")
    auto = citizen.post(f"/api/applications/{small['id']}/submit").get_json()
    assert auto["status"] == "approved"  # the rule decided, no clerk involved
    manual = citizen.post(f"/api/applications/{big['id']}/submit").get_json()
    assert manual["status"] == "in_review"
    frozen = admin.put("/api/admin/services/tree_felling/versions/1", json={"definition": MINIMAL})
    assert frozen.status_code == 409
    assert (
        admin.post("/api/admin/services/tree_felling/versions/1/retire").get_json()["state"]
        == "retired"
    )
    assert admin.get("/api/services/tree_felling").status_code == 404
    # Running applications carry on with their version.
    assert citizen.get(f"/api/applications/{big['id']}").get_json()["service_version"] == 1


def test_new_version_leaves_running_drafts_on_theirs(admin, signed_in):
    definition = load_builtin()["waste_bins"].as_dict()
    citizen = signed_in("ver@example.org")
    old_draft = start(citizen, "waste_bins")
    same_version = admin.post("/api/admin/services", json={"definition": definition})
    assert (
        same_version.status_code == 422
        and same_version.get_json()["errors"][0]["field"] == "version"
    )
    current = definition["version"]
    definition["version"] = newer = current + 1
    definition["title"]["de"] = "Mülltonnen bestellen (neu)"
    assert admin.post("/api/admin/services", json={"definition": definition}).status_code == 201
    assert admin.post(f"/api/admin/services/waste_bins/versions/{newer}/publish").status_code == 200
    new_draft = start(citizen, "waste_bins", key="new")
    assert new_draft["service_version"] == newer and new_draft["title"]["de"].endswith("(neu)")
    assert (
        citizen.get(f"/api/applications/{old_draft['id']}").get_json()["service_version"] == current
    )
    assert admin.post(f"/api/admin/services/waste_bins/versions/{newer}/publish").status_code == 409


def test_only_admins_manage_definitions(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    assert clerk.post("/api/admin/services", json={"definition": MINIMAL}).status_code == 403
    assert clerk.get("/api/admin/services").status_code == 403


def test_a_definition_naming_an_unregistered_rule_set_is_refused(admin):
    response = admin.post("/api/admin/services", json={"definition": copy.deepcopy(MINIMAL)})
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["field"] == "auto_decision.rule_set"
    assert "Die Entscheidungsregel 'small_tree' ist nicht registriert" in error["message"]
    assert admin.get("/api/services/tree_felling").status_code == 404
