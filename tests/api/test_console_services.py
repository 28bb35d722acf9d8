"""The console's service list: versions with who did what when, a new service from
the template, import (valid, invalid, existing id), export round trip, duplicate, a new
draft from the newest version, publish refused while the loader finds problems, diff."""

from __future__ import annotations

import copy

import yaml

from app.applications import decision_rules
from app.service_definitions import load_builtin, parse_definition_text
from tests.api.engine_helpers import start
from tests.api.test_admin_definitions import MINIMAL

ADMIN = "dienste@example.org"


def _admin(signed_in, lang="de"):
    client = signed_in(ADMIN, "admin")
    client.lang = lang
    return client


def _plain() -> dict:
    """A definition that loads without any plugin."""
    data = copy.deepcopy(MINIMAL)
    data["workflow"] = "standard"
    data["auto_decision"] = {"enabled": False}
    return data


def _service(admin, service_id):
    response = admin.get(f"/api/admin/services/{service_id}/versions")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_new_service_from_the_template_is_a_draft_that_names_its_author(signed_in):
    admin = _admin(signed_in)
    created = admin.post(
        "/api/admin/services/new",
        json={
            "service_id": "sperrmuell",
            "title_de": "Sperrmüll anmelden",
            "title_en": "Book a bulky waste pick-up",
            "area": "abfall",
        },
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["state"] == "draft"
    service = _service(admin, "sperrmuell")
    assert service["title"]["de"] == "Sperrmüll anmelden" and service["area"] == "abfall"
    (version,) = service["versions"]
    assert version["created_by"] == ADMIN
    assert [(e["action"], e["by"]) for e in version["history"]] == [("created", ADMIN)]
    again = admin.post(
        "/api/admin/services/new",
        json={"service_id": "sperrmuell", "title_de": "x", "title_en": "x", "area": "abfall"},
    )
    assert again.status_code == 422
    assert again.get_json()["errors"][0]["field"] == "service_id"
    assert "schon vergeben" in again.get_json()["errors"][0]["message"]
    bad = admin.post(
        "/api/admin/services/new",
        json={"service_id": "Sperr Müll", "title_de": "x", "title_en": "x", "area": "abfall"},
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "service_id"


def test_the_overview_lists_builtin_services_with_their_application_counts(signed_in):
    citizen = signed_in("zaehlen@example.org")
    start(citizen, "waste_bins")
    admin = _admin(signed_in)
    listed = {
        item["service_id"]: item for item in admin.get("/api/admin/services/overview").get_json()
    }
    assert set(load_builtin()) <= set(listed)
    newest = listed["waste_bins"]["versions"][-1]
    assert newest["state"] == "published" and newest["applications"] == 1
    # Built-in versions were stored by the portal itself, not by an admin.
    assert newest["history"][0] == {"action": "created", "at": newest["created_at"], "by": None}
    assert newest["published"] == {"action": "published", "at": newest["published_at"], "by": None}


def test_import_stores_a_valid_file_as_a_draft(signed_in):
    admin = _admin(signed_in)
    text = yaml.safe_dump(_plain(), allow_unicode=True)
    imported = admin.post("/api/admin/services/import", json={"text": text})
    assert imported.status_code == 201, imported.get_json()
    assert imported.get_json()["state"] == "draft"
    (version,) = _service(admin, "tree_felling")["versions"]
    assert version["history"][0]["action"] == "imported"
    assert version["history"][0]["by"] == ADMIN


def test_an_invalid_file_is_refused_with_its_problems_and_nothing_is_stored(signed_in):
    admin = _admin(signed_in)
    broken = _plain()
    broken["steps"][0]["fields"][0]["type"] = "colour"
    del broken["payment"]
    response = admin.post("/api/admin/services/import", json={"text": yaml.safe_dump(broken)})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    fields = {error["field"] for error in errors}
    assert "steps[0].fields[0].type" in fields and "payment" in fields
    assert "payment: Die Angabe 'payment' fehlt." in [error["message"] for error in errors]
    assert all(error["message"].startswith(error["field"]) for error in errors)
    not_yaml = admin.post("/api/admin/services/import", json={"text": "id: [unclosed\n"})
    assert not_yaml.status_code == 422
    (error,) = not_yaml.get_json()["errors"]
    assert error["field"].startswith("line ") and "kein gültiges YAML" in error["message"]
    english = _admin(signed_in, "en").post(
        "/api/admin/services/import", json={"text": "id: [unclosed\n"}
    )
    assert "invalid YAML" in english.get_json()["errors"][0]["message"]
    in_english = _admin(signed_in, "en").post(
        "/api/admin/services/import", json={"text": yaml.safe_dump(broken)}
    )
    messages = [error["message"] for error in in_english.get_json()["errors"]]
    assert "payment: 'payment' is a required property" in messages
    assert admin.get("/api/admin/services/tree_felling/versions").status_code == 404


def test_an_existing_id_becomes_a_new_draft_version_only_once_confirmed(signed_in):
    admin = _admin(signed_in)
    newest = load_builtin()["waste_bins"]
    text = yaml.safe_dump(newest.as_dict(), allow_unicode=True)
    stored = len(_service(admin, "waste_bins")["versions"])
    asked = admin.post("/api/admin/services/import", json={"text": text})
    assert asked.status_code == 409 and asked.get_json()["code"] == "definition_exists"
    assert f"Fassung {newest.version + 1}" in asked.get_json()["errors"][0]["message"]
    assert len(_service(admin, "waste_bins")["versions"]) == stored
    confirmed = admin.post(
        "/api/admin/services/import", json={"text": text, "new_version_confirmed": True}
    )
    assert confirmed.status_code == 201, confirmed.get_json()
    body = confirmed.get_json()
    assert (body["version"], body["state"]) == (newest.version + 1, "draft")


def test_an_exported_version_loads_back_to_the_same_definition(signed_in, app):
    admin = _admin(signed_in)
    for service_id, definition in load_builtin().items():
        response = admin.get(
            f"/api/admin/services/{service_id}/versions/{definition.version}/export"
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/yaml")
        assert f"{service_id}-v{definition.version}.yaml" in response.headers["Content-Disposition"]
        loaded = parse_definition_text(response.get_data(as_text=True), f"{service_id}.yaml")
        assert loaded.fingerprint == definition.fingerprint, service_id


def test_duplicate_makes_version_one_of_a_new_service(signed_in):
    admin = _admin(signed_in)
    version = load_builtin()["waste_bins"].version
    copied = admin.post(
        f"/api/admin/services/waste_bins/versions/{version}/duplicate",
        json={"service_id": "gelbe_tonne", "title_de": "Gelbe Tonne", "title_en": "Yellow bin"},
    )
    assert copied.status_code == 201, copied.get_json()
    assert (copied.get_json()["service_id"], copied.get_json()["version"]) == ("gelbe_tonne", 1)
    service = _service(admin, "gelbe_tonne")
    assert service["title"] == {"de": "Gelbe Tonne", "en": "Yellow bin"}
    assert service["versions"][0]["history"][0] == {
        "action": "duplicated",
        "at": service["versions"][0]["history"][0]["at"],
        "by": ADMIN,
    }
    taken = admin.post(
        f"/api/admin/services/waste_bins/versions/{version}/duplicate",
        json={"service_id": "waste_bins", "title_de": "x", "title_en": "x"},
    )
    assert taken.status_code == 422 and taken.get_json()["errors"][0]["field"] == "service_id"


def test_a_new_draft_copies_the_newest_version_and_the_diff_shows_the_change(signed_in):
    admin = _admin(signed_in)
    current = load_builtin()["waste_bins"].version
    draft = admin.post("/api/admin/services/waste_bins/drafts")
    assert draft.status_code == 201 and draft.get_json()["version"] == current + 1
    changed = load_builtin()["waste_bins"].as_dict()
    changed["version"] = current + 1
    changed["title"]["de"] = "Tonnen bestellen"
    updated = admin.put(
        f"/api/admin/services/waste_bins/versions/{current + 1}", json={"definition": changed}
    )
    assert updated.status_code == 200
    diff = admin.get(f"/api/admin/services/waste_bins/diff?old={current}&new={current + 1}")
    assert diff.status_code == 200
    lines = diff.get_json()["lines"]
    assert {"kind": "added", "text": f"version: {current + 1}", "old": None, "new": 2} in lines
    assert any(line["kind"] == "removed" and "Abfallbehälter" in line["text"] for line in lines)
    assert any(line["kind"] == "added" and "Tonnen bestellen" in line["text"] for line in lines)
    assert lines[0]["kind"] == "hunk"
    newest = _service(admin, "waste_bins")["versions"][-1]
    assert newest["updated"]["by"] == ADMIN and newest["published"] is None
    missing = admin.get("/api/admin/services/waste_bins/diff?old=1&new=999")
    assert missing.status_code == 404


def test_publish_is_refused_while_the_loader_finds_a_problem(signed_in):
    admin = _admin(signed_in)

    class Always(decision_rules.DecisionRule):
        def decide(self, application, definition):
            return True

    with decision_rules.registry.registered("small_tree", Always()):
        assert admin.post("/api/admin/services", json={"definition": MINIMAL}).status_code == 201
    # The rule set the draft names is gone (say a plugin package was removed).
    refused = admin.post("/api/admin/services/tree_felling/versions/1/publish")
    assert refused.status_code == 422
    (error,) = refused.get_json()["errors"]
    assert error["field"] == "auto_decision.rule_set"
    assert "Die Entscheidungsregel 'small_tree' ist nicht registriert" in error["message"]
    assert _service(admin, "tree_felling")["versions"][0]["state"] == "draft"
    with decision_rules.registry.registered("small_tree", Always()):
        published = admin.post("/api/admin/services/tree_felling/versions/1/publish")
    assert published.status_code == 200
    version = _service(admin, "tree_felling")["versions"][0]
    assert version["published"]["by"] == ADMIN and version["published_at"]


def test_retire_records_who_and_running_applications_keep_their_version(signed_in):
    admin = _admin(signed_in)
    admin.post("/api/admin/services/import", json={"text": yaml.safe_dump(_plain())})
    admin.post("/api/admin/services/tree_felling/versions/1/publish")
    citizen = signed_in("baum@example.org")
    running = start(citizen, "tree_felling", {"girth_cm": 50})
    assert admin.post("/api/admin/services/tree_felling/versions/1/retire").status_code == 200
    version = _service(admin, "tree_felling")["versions"][0]
    assert version["state"] == "retired" and version["retired"]["by"] == ADMIN
    assert version["applications"] == 1
    assert [entry["action"] for entry in version["history"]] == [
        "imported",
        "published",
        "retired",
    ]
    assert citizen.get(f"/api/applications/{running['id']}").get_json()["service_version"] == 1
