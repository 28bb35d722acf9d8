"""The builder's steps and fields (/verwaltung/dienste/<id>/v/<n>/bearbeiten?teil=schritte):
an admin adds a step and fields of several types with their options, makes a field
conditional with the rule editor and sees the phone preview react, reorders fields and
choices with the keyboard only (the saved definition and the announcement say the new
order) and a choice once by dragging; removing a step with fields asks first. The section
passes axe-core and reflows at 200 % zoom. The rule editor shows every condition of the
built-in services as written, and a nested one keeps all but the part that is edited."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    duplicate_newest,
    json_headers,
    new_service,
    screenshot,
    sign_in,
    wait_until,
)

pytestmark = pytest.mark.browser

SERVICE = "sperrgut_abholung"


def _saved(context) -> dict:
    """The definition as the server holds it (the working copy the editor saved)."""
    response = context.request.get(f"/api/admin/services/{SERVICE}/versions/1/editor")
    assert response.ok, response.text()
    return response.json()["definition"]


def _field_ids(definition: dict, step: int = 0) -> list[str]:
    return [field.get("id") for field in definition["steps"][step]["fields"]]


def _step_ids(definition: dict) -> list[str]:
    return [step.get("id") for step in definition["steps"]]


def _wait_saved(page, context, check, message: str) -> None:
    wait_until(page, lambda: check(_saved(context)), timeout_ms=15_000, message=message)


def _add_field(
    page, step: int, type_name: str, index: int, label_de: str, label_en: str, field_id: str
):
    section = page.locator(f"#def-steps-{step}-fields")
    section.get_by_label("Art des neuen Feldes").last.select_option(type_name)
    page.locator(f"#def-steps-{step}-fields-add").click()
    # The new field opens with its label in focus.
    expect(page.locator(f"#def-steps-{step}-fields-{index}-label-de")).to_be_focused()
    page.keyboard.type(label_de)
    page.locator(f"#def-steps-{step}-fields-{index}-label-en").fill(label_en)
    page.locator(f"#def-steps-{step}-fields-{index}-id").fill(field_id)


def _announced(page) -> list[str]:
    return [
        text.strip()
        for text in page.locator(".builder-steps [role=status]").all_inner_texts()
        if text.strip()
    ]


def test_admin_builds_steps_and_fields_and_the_preview_follows(desktop):
    sign_in(desktop, "bau.schritte@example.org", role="admin")
    new_service(
        desktop,
        service_id=SERVICE,
        title_de="Sperrgut abholen lassen",
        title_en="Have bulky goods picked up",
        area="abfall",
    )

    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{SERVICE}/v/1/bearbeiten?teil=schritte")
    expect(page.get_by_role("heading", level=2, name="Schritte und Felder")).to_be_visible()
    expect(page.locator("#def-steps-0-title-de")).to_have_value("Ihr Anliegen")

    # A second step, its title in both languages.
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(page.locator("#def-steps-1-title-de")).to_be_focused()
    page.keyboard.type("Abholung")
    page.locator("#def-steps-1-title-en").fill("Pick-up")
    page.locator("#def-steps-1-id").fill("pickup")

    # A choice with two options, and a text shown only for one of them.
    _add_field(
        page, 0, "radio", 1, "Was soll abgeholt werden?", "What should be picked up?", "kind"
    )
    choices = page.locator("#def-steps-0-fields-1-options")
    for index, (value, de, en) in enumerate(
        [("furniture", "Möbel", "Furniture"), ("other", "Etwas anderes", "Something else")]
    ):
        choices.get_by_role("button", name="Auswahlmöglichkeit hinzufügen").click()
        page.locator(f"#def-steps-0-fields-1-options-{index}-value").fill(value)
        page.locator(f"#def-steps-0-fields-1-options-{index}-label-de").fill(de)
        page.locator(f"#def-steps-0-fields-1-options-{index}-label-en").fill(en)

    _add_field(page, 0, "textarea", 2, "Was genau?", "What exactly?", "details")
    editor = page.locator("#def-steps-0-fields-2-editor")
    editor.get_by_role("button", name="Bedingung hinzufügen").click()
    page.locator("#def-steps-0-fields-2-visible_if-field").select_option("kind")
    expect(page.locator("#def-steps-0-fields-2-visible_if")).to_have_value("equals")
    page.locator("#def-steps-0-fields-2-visible_if-equals").select_option("other")
    page.locator("#def-steps-0-fields-2-max_length").fill("500")

    # A number with its bounds in the new step.
    _add_field(page, 1, "number", 0, "Wie viele Teile?", "How many pieces?", "pieces")
    page.locator("#def-steps-1-fields-0-min").fill("1")
    page.locator("#def-steps-1-fields-0-max").fill("20")

    _wait_saved(
        page,
        desktop,
        lambda d: (
            len(d["steps"]) == 2
            and _field_ids(d) == ["request_text", "kind", "details"]
            and d["steps"][0]["fields"][2].get("visible_if") == {"field": "kind", "equals": "other"}
            and d["steps"][1]["fields"][0].get("max") == 20
        ),
        "the new fields saved",
    )
    saved = _saved(desktop)
    kind = saved["steps"][0]["fields"][1]
    assert kind["type"] == "radio"
    assert [option["value"] for option in kind["options"]] == ["furniture", "other"]
    assert kind["options"][1]["label"] == {"de": "Etwas anderes", "en": "Something else"}
    assert saved["steps"][0]["fields"][2]["max_length"] == 500
    pickup = saved["steps"][1]
    assert (pickup["id"], pickup["title"]) == ("pickup", {"de": "Abholung", "en": "Pick-up"})
    pieces = pickup["fields"][0]
    assert (pieces["id"], pieces["type"], pieces["min"], pieces["max"]) == (
        "pieces",
        "number",
        1,
        20,
    )
    assert pieces["label"] == {"de": "Wie viele Teile?", "en": "How many pieces?"}

    # The phone preview shows the form as the citizen sees it; the rule follows the answer.
    phone = page.get_by_role("region", name="Formular in der Vorschau")
    expect(phone.get_by_role("heading", name="Ihr Anliegen")).to_be_visible()
    # Answers typed into the preview stay in the page: nothing is sent anywhere.
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url}"))
    expect(phone.get_by_label("Was genau?")).to_have_count(0)
    phone.get_by_label("Etwas anderes").check()
    expect(phone.get_by_label("Was genau?")).to_be_visible()
    phone.get_by_label("Möbel").check()
    expect(phone.get_by_label("Was genau?")).to_have_count(0)
    page.get_by_label("Sprache der Vorschau").select_option("en")
    expect(phone.get_by_role("heading", name="Your request")).to_be_visible()
    expect(phone.get_by_label("Furniture")).to_be_checked()
    page.get_by_label("Sprache der Vorschau").select_option("de")
    phone.get_by_label("Ihr Anliegen").fill("Ein alter Schrank")
    phone.get_by_role("button", name="Weiter").click()
    expect(phone.get_by_role("heading", name="Abholung")).to_be_visible()
    phone.get_by_role("button", name="Weiter").click()
    expect(phone.get_by_role("heading", name="Kosten")).to_be_visible()
    phone.get_by_role("button", name="Zurück").click()
    phone.get_by_role("button", name="Zurück").click()
    assert sent == []

    assert_accessible(page, "builder-steps")
    screenshot(page, "builder-steps")

    # Keyboard only: from the field's "Bearbeiten" button, Tab reaches "nach oben".
    page.locator("#def-steps-0-fields-1-toggle").focus()
    page.keyboard.press("Tab")
    up = page.get_by_role("button", name="Feld „Was soll abgeholt werden?“ nach oben")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")
    # At the top "nach oben" is off; focus stays with the moved field, on "nach unten".
    expect(
        page.get_by_role("button", name="Feld „Was soll abgeholt werden?“ nach unten")
    ).to_be_focused()
    wait_until(
        page,
        lambda: (
            "Feld „Was soll abgeholt werden?“ ist jetzt an Position 1 von 3." in _announced(page)
        ),
        message="the move announced",
    )
    _wait_saved(
        page,
        desktop,
        lambda d: _field_ids(d) == ["kind", "request_text", "details"],
        "the new order of the fields saved",
    )
    page.keyboard.press("Space")
    expect(
        page.get_by_role("button", name="Feld „Was soll abgeholt werden?“ nach unten")
    ).to_be_focused()
    wait_until(
        page,
        lambda: (
            "Feld „Was soll abgeholt werden?“ ist jetzt an Position 2 von 3." in _announced(page)
        ),
        message="the second move announced",
    )
    _wait_saved(
        page,
        desktop,
        lambda d: _field_ids(d) == ["request_text", "kind", "details"],
        "the field moved back",
    )

    # The choices too: "Etwas anderes" first.
    # From the choice's value, Shift+Tab reaches "nach oben" ("nach unten" is off for the last).
    page.locator("#def-steps-0-fields-1-options-1-value").focus()
    page.keyboard.press("Shift+Tab")
    option_up = page.get_by_role("button", name="Auswahl „Etwas anderes“ nach oben")
    expect(option_up).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Auswahl „Etwas anderes“ nach unten")).to_be_focused()
    wait_until(
        page,
        lambda: "Auswahl „Etwas anderes“ ist jetzt an Position 1 von 2." in _announced(page),
        message="the choice's move announced",
    )
    _wait_saved(
        page,
        desktop,
        lambda d: (
            [o["value"] for o in d["steps"][0]["fields"][1]["options"]] == ["other", "furniture"]
        ),
        "the new order of the choices saved",
    )
    expect(phone.locator("input[type=radio]").first).to_have_attribute("value", "other")

    # Dragging "Möbel" back above "Etwas anderes" with the mouse.
    handle = page.locator("[data-drag-handle='def-steps-0-fields-1-options-1']")
    # Dropped on the first choice (its last button, just above the handle, both on screen).
    handle.evaluate("(node) => node.scrollIntoView({block: 'center'})")
    handle.drag_to(page.get_by_role("button", name="Auswahl „Etwas anderes“ entfernen"))
    wait_until(
        page,
        lambda: "Auswahl „Möbel“ ist jetzt an Position 1 von 2." in _announced(page),
        message="the drop announced",
    )
    _wait_saved(
        page,
        desktop,
        lambda d: (
            [o["value"] for o in d["steps"][0]["fields"][1]["options"]] == ["furniture", "other"]
        ),
        "the dragged choice saved",
    )
    expect(phone.locator("input[type=radio]").first).to_have_attribute("value", "furniture")

    # Steps move the same way.
    page.get_by_role("button", name="Schritt „Abholung“ nach oben").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Schritt „Abholung“ nach unten")).to_be_focused()
    _wait_saved(page, desktop, lambda d: _step_ids(d) == ["pickup", "request"], "steps moved")

    # A step with fields is removed only once confirmed; cancelling keeps it.
    page.get_by_role("button", name="Schritt „Abholung“ entfernen").click()
    question = page.get_by_role("group", name="Schritt „Abholung“ mit seinem Feld entfernen?")
    expect(question).to_be_visible()
    assert_accessible(page, "builder-steps-remove-step")
    question.get_by_role("button", name="Abbrechen").click()
    expect(page.get_by_role("button", name="Schritt „Abholung“ entfernen")).to_be_focused()
    assert _step_ids(_saved(desktop)) == ["pickup", "request"]

    # 200 % zoom: a 1280 px screen lays out 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, "builder-steps-200")
    assert_accessible(page, "builder-steps-200")
    screenshot(page, "builder-steps-200")


def _input_id(path: str) -> str:
    """The DOM id of the input editing ``path`` (as ``inputIdFor`` in builder/paths.js)."""
    return "def-" + re.sub(r"[\[\].]+", "-", path).rstrip("-")


def _expect_condition(
    page, path: str, condition: dict, fields: dict[str, dict], negated: bool = False
) -> None:
    """The rule editor at ``path`` shows ``condition`` exactly: field, comparison, value.
    A "not" is the ticked "nicht" box of what it wraps (``negated``: already shown so)."""
    if set(condition) == {"not"}:
        expect(page.locator(f"#{_input_id(path)}-negate")).to_be_checked()
        _expect_condition(page, f"{path}.not", condition["not"], fields, negated=True)
        return
    if not negated:
        expect(page.locator(f"#{_input_id(path)}-negate")).not_to_be_checked()
    for key in ("all", "any"):
        if key in condition:
            expect(page.locator(f"#{_input_id(f'{path}.{key}')}")).to_have_value(key)
            for index, part in enumerate(condition[key]):
                _expect_condition(page, f"{path}.{key}[{index}]", part, fields)
            return
    expect(page.locator(f"#{_input_id(f'{path}.field')}")).to_have_value(condition["field"])
    (operator,) = [key for key in condition if key != "field"]
    expect(page.locator(f"#{_input_id(path)}")).to_have_value(operator)
    value = condition[operator]
    value_id = _input_id(f"{path}.{operator}")
    field = fields.get(condition["field"], {})
    if operator == "in" and field.get("type") in ("select", "radio"):
        for option in field["options"]:
            box = page.locator(f"#{value_id}--{option['value']}")
            if option["value"] in value:
                expect(box).to_be_checked()
            else:
                expect(box).not_to_be_checked()
    elif isinstance(value, bool):
        expect(page.locator(f"#{value_id}")).to_have_value("true" if value else "false")
    elif isinstance(value, list):
        expect(page.locator(f"#{value_id}")).to_have_value(", ".join(str(item) for item in value))
    else:
        expect(page.locator(f"#{value_id}")).to_have_value(str(value))


def _all_fields(definition: dict) -> dict[str, dict]:
    found = {}
    for step in definition["steps"]:
        for field in step["fields"]:
            found[field["id"]] = field
            for inner in field.get("fields", []):
                found[inner["id"]] = inner
    return found


BUILT_INS_WITH_RULES = [
    "business_registration",
    "civil_status_certificate",
    "dog_tax_deregistration",
    "dog_tax_registration",
    "registry_information_simple",
    "resident_parking",
    "waste_bins",
    "business_change",
    "business_deregistration",
]


def test_the_rule_editor_reads_every_condition_of_the_built_in_services(desktop):
    # One page walks all of them (a copy each): the builder is loaded once.
    sign_in(desktop, "bau.regeln@example.org", role="admin")
    page = desktop.new_page()
    for service_id in BUILT_INS_WITH_RULES:
        _read_back_every_condition(desktop, page, service_id)


def _read_back_every_condition(desktop, page, service_id: str) -> None:
    copy_id = f"regeln_{service_id}"[:63]
    duplicate_newest(desktop, service_id, copy_id)
    editor = f"/api/admin/services/{copy_id}/versions/1/editor"
    before = desktop.request.get(editor).json()
    definition = before["definition"]
    fields = _all_fields(definition)

    page.goto(f"/verwaltung/dienste/{copy_id}/v/1/bearbeiten?teil=schritte")
    expect(page.get_by_role("heading", level=2, name="Schritte und Felder")).to_be_visible()
    checked = 0
    for s, step in enumerate(definition["steps"]):
        if "visible_if" in step:
            _expect_condition(page, f"steps[{s}].visible_if", step["visible_if"], fields)
            checked += 1
        for f, field in enumerate(step["fields"]):
            path = f"steps[{s}].fields[{f}]"
            inner = [
                i for i, member in enumerate(field.get("fields", [])) if "visible_if" in member
            ]
            if "visible_if" not in field and not inner:
                continue
            toggle = page.locator(f"#{_input_id(path)}-toggle")
            if toggle.get_attribute("aria-expanded") != "true":
                toggle.click()
            if "visible_if" in field:
                _expect_condition(page, f"{path}.visible_if", field["visible_if"], fields)
                checked += 1
            for i in inner:
                inner_path = f"{path}.fields[{i}]"
                inner_toggle = page.locator(f"#{_input_id(inner_path)}-toggle")
                if inner_toggle.get_attribute("aria-expanded") != "true":
                    inner_toggle.click()
                member = field["fields"][i]
                _expect_condition(page, f"{inner_path}.visible_if", member["visible_if"], fields)
                checked += 1
    assert checked > 0, service_id
    # Reading changed nothing: no save, the same definition.
    after = desktop.request.get(editor).json()
    assert (after["revision"], after["definition"]) == (before["revision"], definition), service_id


NESTED = {
    "any": [
        {"not": {"field": "kind", "in": ["furniture", "other"]}},
        {
            "all": [
                {"field": "request_text", "contains": "Schrank"},
                {"not": {"not": {"field": "pieces", "greater_than": 2}}},
            ]
        },
        {"field": "pickup_day", "after": "+5wd"},
    ]
}


def test_the_rule_editor_keeps_a_nested_condition_and_changes_only_what_is_edited(desktop):
    sign_in(desktop, "bau.verschachtelt@example.org", role="admin")
    service = "verschachtelte_regel"
    new_service(desktop, service_id=service, title_de="Regeln", title_en="Rules", area="abfall")
    editor = f"/api/admin/services/{service}/versions/1/editor"
    current = desktop.request.get(editor).json()
    definition = current["definition"]
    definition["steps"][0]["fields"] += [
        {
            "id": "kind",
            "type": "select",
            "label": {"de": "Art", "en": "Kind"},
            "options": [
                {"value": "furniture", "label": {"de": "Möbel", "en": "Furniture"}},
                {"value": "other", "label": {"de": "Anderes", "en": "Other"}},
                {"value": "metal", "label": {"de": "Metall", "en": "Metal"}},
            ],
        },
        {"id": "pieces", "type": "number", "label": {"de": "Teile", "en": "Pieces"}},
        {"id": "pickup_day", "type": "date", "label": {"de": "Tag", "en": "Day"}},
        {
            "id": "note",
            "type": "text",
            "label": {"de": "Notiz", "en": "Note"},
            "visible_if": NESTED,
        },
    ]
    stored = desktop.request.put(
        editor,
        data=json.dumps({"definition": definition}),
        headers={**json_headers(desktop), "If-Match": f'"{current["revision"]}"'},
    )
    assert stored.ok, stored.text()

    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten?teil=schritte")
    page.locator("#def-steps-0-fields-4-toggle").click()
    path = "steps[0].fields[4].visible_if"
    _expect_condition(page, path, NESTED, _all_fields(definition))
    assert_accessible(page, "builder-steps-nested-condition")

    # One value changed: the rest of the condition stays as it was.
    page.locator(f"#{_input_id(f'{path}.any[1].all[0].contains')}").fill("Tisch")
    expected = json.loads(json.dumps(NESTED))
    expected["any"][1]["all"][0]["contains"] = "Tisch"
    _wait_saved_at(
        page,
        lambda: (
            desktop.request.get(editor)
            .json()["definition"]["steps"][0]["fields"][4]
            .get("visible_if")
            == expected
        ),
    )
    # "nicht" unticked on the first row unwraps it, and nothing else.
    page.locator(f"#{_input_id(f'{path}.any[0]')}-negate").uncheck()
    expected["any"][0] = NESTED["any"][0]["not"]
    _wait_saved_at(
        page,
        lambda: (
            desktop.request.get(editor)
            .json()["definition"]["steps"][0]["fields"][4]
            .get("visible_if")
            == expected
        ),
    )


def _wait_saved_at(page, check) -> None:
    wait_until(page, check, timeout_ms=15_000, message="the condition saved")


def test_the_rule_editor_offers_only_what_the_server_accepts(desktop):
    sign_in(desktop, "bau.operatoren@example.org", role="admin")
    service = "regel_operatoren"
    new_service(desktop, service_id=service, title_de="Regeln", title_en="Rules", area="abfall")
    editor = f"/api/admin/services/{service}/versions/1/editor"
    current = desktop.request.get(editor).json()
    definition = current["definition"]
    label = {"de": "Feld", "en": "Field"}
    definition["steps"][0]["fields"] += [
        {"id": "account", "type": "iban", "label": label},
        {"id": "plate", "type": "licence_plate", "label": label},
        {
            "id": "bulky",
            "type": "repeat",
            "label": label,
            "item_label": label,
            "max_items": 5,
            "fields": [{"id": "what", "type": "text", "label": label}],
        },
        {
            "id": "note",
            "type": "text",
            "label": label,
            "visible_if": {
                "all": [
                    {"field": "account", "equals": "x"},
                    {"field": "plate", "equals": "x"},
                    {"field": "bulky", "greater_than": 1},
                    {"field": "bulky.what", "contains": "x"},
                ]
            },
        },
    ]
    stored = desktop.request.put(
        editor,
        data=json.dumps({"definition": definition}),
        headers={**json_headers(desktop), "If-Match": f'"{current["revision"]}"'},
    )
    assert stored.ok, stored.text()
    note = len(definition["steps"][0]["fields"]) - 1

    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten?teil=schritte")
    page.locator(f"#def-steps-0-fields-{note}-toggle").click()
    path = f"steps[0].fields[{note}].visible_if"
    parts = desktop.request.get("/api/admin/services/parts").json()
    types = {item["name"]: item for item in parts["field_types"]}
    for index, expected in enumerate(
        [
            types["iban"]["operators"],
            types["licence_plate"]["operators"],
            types["repeat"]["operators"],
            types["text"]["member_operators"],
        ]
    ):
        select = page.locator(f"#{_input_id(f'{path}.all[{index}]')}")
        expect(select).to_be_visible()
        offered = select.locator("option").evaluate_all(
            "options => options.map(option => option.value).filter(Boolean)"
        )
        assert sorted(offered) == sorted(expected), (index, offered)
    assert "contains" not in types["iban"]["operators"]
    assert types["repeat"]["operators"] == ["greater_than", "less_than"]
    assert_accessible(page, "builder-rule-operators")
