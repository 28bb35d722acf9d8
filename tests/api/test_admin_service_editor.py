"""The console editor's API: a draft's working copy saved under ``If-Match`` whatever
its problems (428 without, 412 with the current state when stale, 409 for published
versions, 422 when id or version change), becoming the content only once it loads;
publishing refused while the copy has problems; the check endpoint; the parts catalogue.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import ClassVar

import pytest

from app.applications import definitions
from app.db import db
from app.errors import DomainError
from app.handoff.base import MOMENTS, REGISTRY, Backend
from app.models import AuditEvent, User
from app.revisions import Revisions
from app.service_definitions import load_builtin
from app.service_definitions.conditions import LEAF_OPERATORS
from app.service_definitions.field_types import FIELD_TYPES, MAX_LENGTH_LIMIT
from tests.api.test_console_services import _admin, _plain

BASE = "/api/admin/services"
EDITOR = f"{BASE}/tree_felling/versions/1/editor"


def _draft(admin) -> dict:
    created = admin.post(BASE, json={"definition": _plain()})
    assert created.status_code == 201, created.get_json()
    opened = admin.get(EDITOR)
    assert opened.status_code == 200, opened.get_json()
    return opened


def _broken() -> dict:
    data = _plain()
    del data["steps"][0]["fields"][0]["label"]["de"]
    data["steps"][0]["fields"][0]["max_length"] = 20
    return data


def _save(admin, definition: dict, revision: int | None):
    headers = {} if revision is None else {"If-Match": f'"{revision}"'}
    return admin.put(EDITOR, json={"definition": definition}, headers=headers)


def test_a_draft_opens_with_its_content_revision_and_etag(signed_in):
    admin = _admin(signed_in)
    opened = _draft(admin)
    body = opened.get_json()
    assert opened.headers["ETag"] == '"1"'
    assert body["revision"] == 1 and body["state"] == "draft" and body["problems"] == []
    assert body["definition"]["id"] == "tree_felling" and body["definition"]["version"] == 1
    assert body["changed_at"] is None and body["changed_by"] is None
    assert admin.get(f"{BASE}/tree_felling/versions/9/editor").status_code == 404


def test_an_invalid_copy_is_stored_with_its_problems_and_nobody_else_sees_it(signed_in):
    admin = _admin(signed_in)
    before = _draft(admin).get_json()["definition"]
    saved = _save(admin, _broken(), 1)
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert saved.headers["ETag"] == '"2"' and body["revision"] == 2
    problems = {(p["field"], p["code"]): p["message"] for p in body["problems"]}
    assert problems == {
        ("steps[0].fields[0].label.de", "schema.required"): "Die Angabe 'de' fehlt.",
        (
            "steps[0].fields[0].max_length",
            "schema.not_for_type",
        ): "Diese Angabe gibt es bei einem Feld vom Typ 'number' nicht.",
    }
    assert body["changed_by"]["name"] == "dienste@example.org" and body["changed_at"]
    # The editor shows the copy as saved; the content everyone else reads is unchanged.
    again = admin.get(EDITOR).get_json()
    assert again["definition"] == _broken() and len(again["problems"]) == 2
    with db.connection_context():
        record = definitions.version("tree_felling", 1)
        assert record.data == before and record.working == _broken()
    english = _admin(signed_in, "en").get(EDITOR).get_json()
    assert {p["message"] for p in english["problems"]} == {
        "'de' is a required property",
        "not allowed for a field of type 'number'",
    }
    yaml_text = admin.get(f"{BASE}/tree_felling/versions/1/export").get_data(as_text=True)
    assert "max_length" not in yaml_text


def test_a_valid_copy_becomes_the_content(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    _save(admin, _broken(), 1)
    fixed = _plain()
    fixed["title"]["de"] = "Baumfällung anzeigen"
    fixed["area"] = "gruen"
    saved = _save(admin, fixed, 2)
    assert saved.status_code == 200 and saved.get_json()["problems"] == []
    assert saved.get_json()["revision"] == 3
    with db.connection_context():
        record = definitions.version("tree_felling", 1)
        assert record.data["title"]["de"] == "Baumfällung anzeigen" and record.area == "gruen"
        assert record.fingerprint == definitions.definition_of(record).fingerprint
    service = admin.get(f"{BASE}/tree_felling/versions").get_json()
    # Two saves by one admin within minutes are one "updated" in the history.
    assert [e["action"] for e in service["versions"][0]["history"]].count("updated") == 1


def test_if_match_is_required_and_a_stale_revision_gets_the_current_state(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    missing = _save(admin, _plain(), None)
    assert missing.status_code == 428
    assert missing.get_json()["code"] == "precondition_required"
    assert _save(admin, _broken(), 1).status_code == 200
    stale = _save(admin, _plain(), 1)
    assert stale.status_code == 412
    body = stale.get_json()
    assert body["code"] == "edit_conflict" and stale.headers["ETag"] == '"2"'
    current = body["current"]
    assert current["revision"] == 2 and current["definition"] == _broken()
    assert current["changed_by"]["name"] == "dienste@example.org" and current["changed_at"]
    assert admin.get(EDITOR).get_json()["revision"] == 2


def test_published_versions_are_frozen(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    assert admin.post(f"{BASE}/tree_felling/versions/1/publish").status_code == 200
    opened = admin.get(EDITOR).get_json()
    assert opened["state"] == "published" and opened["problems"] == []
    frozen = _save(admin, _plain(), opened["revision"])
    assert frozen.status_code == 409 and frozen.get_json()["code"] == "definition_frozen"


def test_id_and_version_cannot_change(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    other = _plain()
    other["id"], other["version"] = "tree_planting", "1"
    refused = _save(admin, other, 1)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.get_json()["errors"]} == {"id", "version"}
    assert admin.get(EDITOR).get_json()["revision"] == 1
    not_an_object = admin.put(EDITOR, json={"definition": [1]}, headers={"If-Match": '"1"'})
    assert not_an_object.status_code == 422


def test_publishing_is_refused_while_the_copy_has_problems(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    _save(admin, _broken(), 1)
    refused = admin.post(f"{BASE}/tree_felling/versions/1/publish")
    assert refused.status_code == 422
    # Shaped like the editor's problems: the path, the problem's code, its own text.
    errors = refused.get_json()["errors"]
    assert {
        "field": "steps[0].fields[0].label.de",
        "code": "schema.required",
        "message": "Die Angabe 'de' fehlt.",
    } in errors
    saved_problems = admin.get(EDITOR).get_json()["problems"]
    assert sorted(errors, key=str) == sorted(saved_problems, key=str)
    fixed = _plain()
    fixed["title"]["en"] = "Tell us you fell a tree"
    _save(admin, fixed, 2)
    published = admin.post(f"{BASE}/tree_felling/versions/1/publish")
    assert published.status_code == 200
    catalogue = admin.get("/api/services/tree_felling").get_json()
    assert catalogue["title"]["en"] == "Tell us you fell a tree"


def test_the_strict_put_honours_if_match_and_moves_the_revision(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    path = f"{BASE}/tree_felling/versions/1"
    assert admin.put(path, json={"definition": _plain()}).status_code == 200
    assert admin.get(EDITOR).get_json()["revision"] == 2
    stale = admin.put(path, json={"definition": _plain()}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.get_json()["current"]["revision"] == 2
    fresh = admin.put(path, json={"definition": _plain()}, headers={"If-Match": '"2"'})
    assert fresh.status_code == 200
    assert admin.get(EDITOR).get_json()["revision"] == 3


def test_the_check_endpoint_lists_problems_and_stores_nothing(signed_in):
    admin = _admin(signed_in)
    checked = admin.post(f"{BASE}/check", json={"definition": _broken()})
    assert checked.status_code == 200
    assert [p["field"] for p in checked.get_json()["problems"]] == [
        "steps[0].fields[0].label.de",
        "steps[0].fields[0].max_length",
    ]
    assert admin.post(f"{BASE}/check", json={"definition": _plain()}).get_json() == {"problems": []}
    assert admin.get(EDITOR).status_code == 404


def test_the_check_endpoint_takes_decision_fields_and_names_their_problems(signed_in):
    admin = _admin(signed_in)
    decided = _plain()
    amount = {
        "id": "amount",
        "type": "money",
        "required": True,
        "label": {"de": "Betrag", "en": "Amount"},
    }
    decided["decision_fields"] = {"approved": [amount]}
    decided["decision_proposals"] = "housing_benefit_estimate"
    checked = admin.post(f"{BASE}/check", json={"definition": decided})
    assert checked.get_json() == {"problems": []}
    decided["decision_fields"] = {"in_review": [amount]}
    problems = admin.post(f"{BASE}/check", json={"definition": decided}).get_json()["problems"]
    # Not a decision, and the citizen's reply moves a case there too.
    assert [(p["field"], p["code"]) for p in problems] == [
        ("decision_fields.in_review", "decision_fields_not_decision"),
        ("decision_fields.in_review", "decision_fields_staff_only"),
    ]
    assert problems[0]["message"].startswith("Der Status 'in_review' ist keine Entscheidung")


def test_problems_point_at_their_paths_in_german(signed_in):
    admin = _admin(signed_in)
    cases = []
    fee = _plain()
    fee["payment"] = {"policy": "before_submission"}
    fee["fees"] = {
        "period": "once",
        "rules": [
            {
                "id": "base",
                "kind": "fixed",
                "label": {"de": "Gebühr", "en": "Fee"},
                "amount_cents": 100,
                "when": {"field": "girth", "greater_than": 5},
            }
        ],
    }
    cases.append((fee, "fees.rules[0].when.field", "Das Feld 'girth' gibt es nicht."))
    typo = _plain()
    typo["steps"][0]["fields"][0]["requird"] = True
    cases.append(
        (
            typo,
            "steps[0].fields[0].requird",
            "Die Angabe 'requird' ist hier nicht vorgesehen. Ist sie falsch geschrieben?",
        )
    )
    twice = _plain()
    twice["steps"][0]["fields"].append(copy.deepcopy(twice["steps"][0]["fields"][0]))
    cases.append(
        (
            twice,
            "steps[0].fields[1].id",
            "Die Feldkennung 'girth_cm' kommt doppelt vor (zuerst bei steps[0].fields[0]).",
        )
    )
    checked = _plain()
    checked["checks"] = ["protected_trees"]
    cases.append(
        (
            checked,
            "checks[0]",
            "Die Prüfung 'protected_trees' ist nicht registriert. Registriert sind: "
            "['kita_facilities', 'resident_parking']",
        )
    )
    bad_type = _plain()
    bad_type["steps"][0]["fields"][0]["type"] = "colour"
    for definition, path, message in cases:
        problems = admin.post(f"{BASE}/check", json={"definition": definition}).get_json()
        assert {"field": path, "message": message} in [
            {"field": p["field"], "message": p["message"]} for p in problems["problems"]
        ], problems
    colour = admin.post(f"{BASE}/check", json={"definition": bad_type}).get_json()["problems"]
    assert colour[0]["field"] == "steps[0].fields[0].type"
    assert colour[0]["message"].startswith("'colour' ist keiner der erlaubten Werte: ['text'")


def test_the_parts_catalogue_reads_the_registries(signed_in):
    admin = _admin(signed_in)
    response = admin.get(f"{BASE}/parts")
    assert response.status_code == 200
    parts = response.get_json()
    assert parts["languages"] == ["de", "en"]
    assert [t["name"] for t in parts["field_types"]] == list(FIELD_TYPES)
    text = next(t for t in parts["field_types"] if t["name"] == "text")
    assert text["label"] == {"de": "Text (eine Zeile)", "en": "Text (one line)"}
    options = {option["name"]: option["schema"] for option in text["options"]}
    assert options["max_length"] == {"type": "integer", "minimum": 1, "maximum": MAX_LENGTH_LIMIT}
    assert options["pattern_message"] == {"$ref": "#/$defs/message"}
    kinds = {t["name"]: t["answer_kind"] for t in parts["field_types"]}
    assert kinds["repeat"] == "items" and kinds["date"] == "date" and kinds["select"] == "choice"
    file_type = next(t for t in parts["field_types"] if t["name"] == "file")
    assert set(file_type["required_options"]) == {"accept", "max_size_bytes"}
    allowed = {t["name"]: (t["operators"], t["member_operators"]) for t in parts["field_types"]}
    # Exactly what the loader accepts (tests/service_definitions checks each against it).
    assert "contains" not in allowed["iban"][0] and "contains" not in allowed["licence_plate"][0]
    assert allowed["repeat"] == (["greater_than", "less_than"], [])
    assert allowed["checkbox"] == (["is_true"], [])
    assert allowed["text"][1] == ["contains"] and "contains" in allowed["text"][0]
    assert allowed["date"][0] == ["equals", "not_equals", "in", "is_true", "before", "after"]
    operators = {o["name"]: o["value"] for o in parts["condition_operators"]}
    assert list(operators) == list(LEAF_OPERATORS)
    assert operators["in"] == "values" and operators["before"] == "date"
    assert operators["greater_than"] == "number" and operators["is_true"] == "boolean"
    assert parts["fee_rule_kinds"] == ["fixed", "per_item", "tiered"]
    assert parts["fee_periods"] == ["once", "yearly"]
    assert "after_decision" in parts["payment_policies"] and "dog_tax" in parts["notice_kinds"]
    assert parts["trust_levels"] == ["basic", "substantial", "high"]
    standard = next(w for w in parts["workflows"] if w["name"] == "standard")
    assert standard["workflow"]["initial"] == "submitted"
    assert [c["name"] for c in parts["checks"]] == ["kita_facilities", "resident_parking"]
    assert [p["name"] for p in parts["decision_proposals"]] == ["housing_benefit_estimate"]
    assert parts["decision_field_types"] == [
        "money",
        "number",
        "date",
        "text",
        "textarea",
        "select",
    ]
    plugins = parts["checks"] + parts["decision_rule_sets"] + parts["document_generators"]
    for plugin in plugins + parts["decision_proposals"]:
        assert plugin["label"]["de"] and plugin["label"]["en"] and plugin["description"]["de"]
        assert plugin["label"]["de"] != plugin["name"]
    assert {"notice", "post", "receipt", "permit"} <= {
        g["name"] for g in parts["document_generators"]
    }
    assert "permit" in parts["document_kinds"] and parts["document_channels"] == ["inbox", "post"]
    assert "profile.email" in parts["prefill_sources"]
    builtin = {definition.data["category"] for definition in load_builtin().values()}
    assert builtin <= set(parts["categories"])
    assert {definition.area for definition in load_builtin().values()} <= set(parts["areas"])


def _publish(admin, tag: str | None = None):
    headers = {} if tag is None else {"If-Match": tag}
    return admin.post(f"{BASE}/tree_felling/versions/1/publish", headers=headers)


def _admin_user():
    return User.get(User.email == "dienste@example.org")


def test_publishing_honours_if_match_and_moves_the_revision(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    renamed = _plain()
    renamed["title"]["de"] = "Baum gefällt"
    assert _save(admin, renamed, 1).status_code == 200
    # The builder last saw revision 1; the colleague's autosave (2) is not published.
    stale = _publish(admin, '"1"')
    assert stale.status_code == 412 and stale.get_json()["code"] == "edit_conflict"
    assert stale.get_json()["current"]["revision"] == 2
    assert stale.get_json()["current"]["definition"]["title"]["de"] == "Baum gefällt"
    assert admin.get(EDITOR).get_json()["state"] == "draft"
    assert _publish(admin, 'W/"2"').status_code == 412  # weak tags never match
    published = _publish(admin, '"1", "2"')
    assert published.status_code == 200, published.get_json()
    opened = admin.get(EDITOR).get_json()
    assert opened["state"] == "published" and opened["revision"] == 3
    assert admin.get("/api/services/tree_felling").get_json()["title"]["de"] == "Baum gefällt"
    # The service page's publish button sends no If-Match; a published one is refused.
    assert _publish(admin).status_code == 409


def test_publishing_without_if_match_takes_a_save_made_meanwhile(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    with db.connection_context():
        read = definitions.version("tree_felling", 1)  # read before the autosave
    renamed = _plain()
    renamed["title"]["de"] = "Zuletzt gespeichert"
    assert _save(admin, renamed, 1).status_code == 200
    with db.connection_context():
        stale = copy.copy(read)
        with pytest.raises(definitions.EditConflict) as refused:
            definitions.publish_draft(stale, _admin_user(), "", Revisions.of(1))
        assert refused.value.record.revision == 2
        published = definitions.publish_draft(read, _admin_user())
        assert published.state == "published" and published.revision == 3
        assert published.data["title"]["de"] == "Zuletzt gespeichert"


def test_a_save_read_before_publishing_cannot_change_the_published_version(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    with db.connection_context():
        read = definitions.version("tree_felling", 1)
    assert _publish(admin, '"1"').status_code == 200
    changed = _plain()
    changed["title"]["de"] = "Nachträglich"
    with db.connection_context():
        with pytest.raises(DomainError) as refused:
            definitions.save_working(read, changed, _admin_user(), Revisions.of(1))
        assert refused.value.code == "definition_frozen"
        with pytest.raises(DomainError) as strict:
            definitions.update_draft(read, changed, _admin_user())
        assert strict.value.code == "definition_frozen"
        stored = definitions.version("tree_felling", 1)
        assert stored.data["title"]["de"] != "Nachträglich" and stored.revision == 2
    # Retiring moves the revision too, so an editor still open learns of it.
    assert admin.post(f"{BASE}/tree_felling/versions/1/retire").status_code == 200
    assert admin.get(EDITOR).get_json()["revision"] == 3


def test_a_save_read_before_another_save_is_a_conflict_not_an_overwrite(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    with db.connection_context():
        read = definitions.version("tree_felling", 1)
    assert _save(admin, _broken(), 1).status_code == 200
    with db.connection_context():
        with pytest.raises(definitions.EditConflict) as refused:
            definitions.save_working(read, _plain(), _admin_user(), Revisions.of(1))
        assert refused.value.record.revision == 2
        assert definitions.version("tree_felling", 1).working == _broken()


@pytest.mark.parametrize(
    ("tag", "status"),
    [
        ('W/"1"', 412),
        ('"1", "7"', 200),
        ('"7", W/"1"', 412),
        ("*", 200),
        ('"1', 412),
        ("1", 412),
        ('"x"', 412),
    ],
)
def test_if_match_is_a_strong_comparison_with_lists_and_star(signed_in, tag, status):
    admin = _admin(signed_in)
    _draft(admin)
    saved = admin.put(EDITOR, json={"definition": _plain()}, headers={"If-Match": tag})
    assert saved.status_code == status, saved.get_json()
    if status == 412:
        assert saved.get_json()["code"] in {"edit_conflict", "precondition_failed"}
        assert admin.get(EDITOR).get_json()["revision"] == 1


def test_the_version_must_be_the_same_integer_on_both_routes(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    for version in (1.0, True, "1"):
        other = _plain()
        other["version"] = version
        for response in (
            _save(admin, other, 1),
            admin.put(f"{BASE}/tree_felling/versions/1", json={"definition": other}),
        ):
            assert response.status_code == 422, (version, response.get_json())
            assert {e["field"] for e in response.get_json()["errors"]} == {"version"}


def test_autosaves_write_one_history_entry_per_admin_and_ten_minutes(signed_in):
    admin = _admin(signed_in)
    _draft(admin)
    for revision in (1, 2, 3):
        assert _save(admin, _plain(), revision).status_code == 200
    subject = AuditEvent.subject_id == "tree_felling@1"
    updated = AuditEvent.action == "definition_updated"
    with db.connection_context():
        assert AuditEvent.select().where(subject & updated).count() == 1
        # Eleven minutes later (the event moved back), the next save is recorded again.
        for event in AuditEvent.select().where(subject & updated):
            event.at -= timedelta(minutes=11)
            event.save()
    assert _save(admin, _plain(), 4).status_code == 200
    with db.connection_context():
        assert AuditEvent.select().where(subject & updated).count() == 2


def test_the_parts_catalogue_lists_the_registered_handoff_backends(signed_in):
    class CityArchive(Backend):
        label: ClassVar[dict[str, str]] = {"de": "Stadtarchiv", "en": "City archive"}

    admin = _admin(signed_in)
    with REGISTRY.replaced("city_archive", CityArchive):
        parts = admin.get(f"{BASE}/parts").get_json()
    backends = {backend["name"]: backend for backend in parts["handoff_backends"]}
    assert backends["city_archive"]["label"] == {"de": "Stadtarchiv", "en": "City archive"}
    # Without a label of its own, a backend is named from the catalogue, else by its name.
    assert backends["city_archive"]["description"] == {"de": "", "en": ""}
    for name in set(backends) & {"webhook", "fit_connect", "email"}:
        assert backends[name]["label"]["de"] != name and backends[name]["description"]["en"]
    assert parts["handoff_moments"] == list(MOMENTS) == ["submitted", "paid", "decided"]
    after = admin.get(f"{BASE}/parts").get_json()
    assert "city_archive" not in {backend["name"] for backend in after["handoff_backends"]}
