"""The builder's "Anleitung" in the browser: an admin opens a draft, writes a note for a
step, enters example answers through the citizen's own field components (a text, a
radio choice by keyboard only, a date, the city's example address, an item of a repeat
group, "kein Beispiel" for one), adds an item to have at hand and a text for after
sending; everything is saved, reads back after a reload, and the working copy carries
exactly the definition format's ``guide``. Problems under ``guide…`` stand at their
inputs: a missing English note as the server reports it, and example problems as the
loader's checks will report them (their paths given to the page by the editor's API).
Every state passes axe-core and reflows at 200 % zoom."""

from __future__ import annotations

import json

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
)

pytestmark = pytest.mark.browser

SERVICE = "hundemarke_anleitung"
# The second test's own service (the portal's database lives as long as the session).
OTHER = "hundemarke_anleitung_probleme"
SAVED = "Alle Änderungen sind gespeichert."


def _editor_path(service: str) -> str:
    return f"/api/admin/services/{service}/versions/1/editor"


def _builder_path(service: str) -> str:
    return f"/verwaltung/dienste/{service}/v/1/bearbeiten?teil=anleitung"


def _text(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


STEPS = [
    {
        "id": "holder",
        "title": _text("Halterin oder Halter", "Keeper"),
        "fields": [
            {"id": "holder_name", "type": "text", "required": True, "label": _text("Name", "Name")},
            {
                "id": "holder_kind",
                "type": "radio",
                "required": True,
                "label": _text("Sie halten den Hund", "You keep the dog"),
                "options": [
                    {"value": "private", "label": _text("privat", "privately")},
                    {"value": "business", "label": _text("gewerblich", "for a business")},
                ],
            },
            {"id": "holder_phone", "type": "phone", "label": _text("Telefon", "Phone")},
            {
                "id": "since",
                "type": "date",
                "label": _text("Hund im Haushalt seit", "Dog kept since"),
            },
            {
                "id": "holder_address",
                "type": "address",
                "scope": "city",
                "required": True,
                "label": _text("Anschrift", "Address"),
            },
        ],
    },
    {
        "id": "dogs",
        "title": _text("Ihre Hunde", "Your dogs"),
        "fields": [
            {
                "id": "dogs",
                "type": "repeat",
                "min_items": 1,
                "max_items": 5,
                "label": _text("Hunde", "Dogs"),
                "item_label": _text("Hund {n}", "Dog {n}"),
                "fields": [
                    {
                        "id": "dog_name",
                        "type": "text",
                        "required": True,
                        "label": _text("Name des Hundes", "Dog's name"),
                    },
                    {
                        "id": "breed",
                        "type": "select",
                        "required": True,
                        "label": _text("Rasse", "Breed"),
                        "options": [
                            {"value": "labrador", "label": _text("Labrador", "Labrador")},
                            {"value": "poodle", "label": _text("Pudel", "Poodle")},
                        ],
                    },
                ],
            },
            {
                "id": "vaccination",
                "type": "file",
                "accept": ["application/pdf"],
                "max_size_bytes": 1048576,
                "label": _text("Impfpass", "Vaccination record"),
            },
        ],
    },
]

EXPECTED_GUIDE = {
    "before": [_text("Den Impfpass Ihres Hundes", "Your dog's vaccination record")],
    "steps": {
        "holder": _text("Schreiben Sie Ihren Namen.", "Write your name."),
        "dogs": _text("Nennen Sie jeden Hund einzeln.", "Name each dog separately."),
    },
    "examples": {
        "holder_name": "Erika Mustermann",
        "holder_kind": "business",
        "since": "2024-05-01",
        "holder_address": "city",
        "dogs": [{"dog_name": "Bello", "breed": "labrador"}],
    },
    "after": _text("Die Steuermarke kommt mit der Post.", "The tax tag comes by post."),
}


def _editor(context, service: str = SERVICE) -> dict:
    response = context.request.get(_editor_path(service))
    assert response.status == 200, response.text()
    return response.json()


def _new_draft(context, service: str = SERVICE) -> None:
    """A new service from the template whose form (through the editor's API) has the
    field kinds the guide's examples are entered with."""
    headers = json_headers(context)
    new_service(
        context,
        service_id=service,
        title_de="Hund anmelden",
        title_en="Register a dog",
        area="steuern",
    )
    record = _editor(context, service)
    definition = {**record["definition"], "steps": STEPS}
    saved = context.request.put(
        _editor_path(service),
        data=json.dumps({"definition": definition}),
        headers={**headers, "If-Match": f'"{record["revision"]}"'},
    )
    assert saved.status == 200, saved.text()
    assert saved.json()["problems"] == []


def _check_screen(page, name: str) -> None:
    assert_accessible(page, name)
    screenshot(page, name)
    page.set_viewport_size({"width": 640, "height": 800})
    assert_no_horizontal_scroll(page, f"{name}-200")
    assert_accessible(page, f"{name}-200")
    page.set_viewport_size({"width": 1280, "height": 800})


def _saved(page) -> None:
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)


def _tab_to(page, element_id: str, limit: int = 12) -> None:
    """Move the focus with the Tab key alone until ``element_id`` has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_admin_writes_the_guide_with_the_citizens_field_components(desktop):
    sign_in(desktop, "anleitung@example.org", role="admin")
    _new_draft(desktop)
    page = desktop.new_page()
    page.goto(_builder_path(SERVICE))
    expect(page.locator("#builder-section-heading")).to_have_text("Anleitung")
    # The guide names uploads by itself; the admin is told so.
    expect(page.locator(".builder-guide-derived")).to_contain_text(
        "Unterlagen zum Hochladen: „Impfpass“"
    )
    expect(page.get_by_text("Dateien bekommen kein Beispiel.")).to_be_visible()
    _check_screen(page, "builder-guide-empty")

    # What to have at hand beyond what the guide derives.
    page.get_by_role("button", name="Punkt hinzufügen").click()
    first = page.locator("#def-guide-before-0-de")
    expect(first).to_be_focused()
    first.fill("Den Impfpass Ihres Hundes")
    page.locator("#def-guide-before-0-en").fill("Your dog's vaccination record")

    # A note for each step, the second one first without its English text.
    page.locator("#def-guide-steps-holder-de").fill("Schreiben Sie Ihren Namen.")
    page.locator("#def-guide-steps-holder-en").fill("Write your name.")
    page.locator("#def-guide-steps-dogs-de").fill("Nennen Sie jeden Hund einzeln.")

    # Example answers through the citizen's field components: a text …
    name = page.locator("#def-guide-examples-holder_name")
    name.fill("Erika Mustermann")
    # … a radio choice with the keyboard alone: Tab into the group, the arrow key chooses.
    _tab_to(page, "def-guide-examples-holder_kind")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#def-guide-examples-holder_kind--business")).to_be_checked()
    # … a phone number, cleared again with "Kein Beispiel" …
    phone = page.locator("#def-guide-examples-holder_phone")
    phone.fill("0221 4710 123")
    page.get_by_role("button", name="Kein Beispiel für „Telefon“").click()
    expect(phone).to_have_value("")
    expect(phone).to_be_focused()
    # … a date, the city's example address …
    page.locator("#def-guide-examples-since").fill("2024-05-01")
    page.get_by_label("Beispieladresse der Stadt für „Anschrift“").check()
    expect(page.locator("#def-guide-examples-holder_address-street")).to_have_count(0)
    # … and one item of the repeat group.
    page.get_by_role("button", name="Beispiel-Eintrag hinzufügen für „Hunde“").click()
    dog = page.locator("#def-guide-examples-dogs-0-dog_name")
    expect(dog).to_be_focused()
    dog.fill("Bello")
    page.locator("#def-guide-examples-dogs-0-breed").select_option("labrador")

    page.locator("#def-guide-after-de").fill("Die Steuermarke kommt mit der Post.")
    page.locator("#def-guide-after-en").fill("The tax tag comes by post.")
    _saved(page)

    # The server's problem (the note's English is missing) stands at its input and in
    # the list above the sections, whose link puts the focus there.
    missing = page.locator("#def-guide-steps-dogs-en-error")
    expect(missing).to_be_visible()
    expect(page.locator("#def-guide-steps-dogs-en")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("navigation", name="Teile des Dienstes")).to_contain_text("Anleitung")
    page.locator(".builder-problems").get_by_role("link", name="Anleitung:").first.click()
    expect(page.locator("#def-guide-steps-dogs-en")).to_be_focused()
    _check_screen(page, "builder-guide-problem")
    page.locator("#def-guide-steps-dogs-en").fill("Name each dog separately.")
    expect(missing).to_have_count(0, timeout=15_000)
    _saved(page)

    assert _editor(desktop)["definition"]["guide"] == EXPECTED_GUIDE

    # Everything reads back after a reload.
    page.reload()
    expect(page.locator("#def-guide-before-0-de")).to_have_value("Den Impfpass Ihres Hundes")
    expect(page.locator("#def-guide-steps-holder-de")).to_have_value("Schreiben Sie Ihren Namen.")
    expect(page.locator("#def-guide-examples-holder_name")).to_have_value("Erika Mustermann")
    expect(page.locator("#def-guide-examples-holder_kind--business")).to_be_checked()
    expect(page.locator("#def-guide-examples-since")).to_have_value("2024-05-01")
    expect(page.get_by_label("Beispieladresse der Stadt für „Anschrift“")).to_be_checked()
    expect(page.locator("#def-guide-examples-dogs-0-dog_name")).to_have_value("Bello")
    expect(page.locator("#def-guide-examples-dogs-0-breed")).to_have_value("labrador")
    expect(page.locator("#def-guide-after-en")).to_have_value("The tax tag comes by post.")
    _check_screen(page, "builder-guide-filled")

    # The guide's texts are in the table of every text, named by where they stand.
    nav = page.get_by_role("navigation", name="Teile des Dienstes")
    nav.get_by_role("link", name="Texte und Übersetzungen").click()
    table = page.get_by_role("table", name="Texte des Dienstes in allen Sprachen")
    for where in (
        "Anleitung › Bereithalten, Punkt 1",
        "Anleitung › Hinweis zu Schritt „holder“",
        "Anleitung › Nach dem Absenden",
    ):
        expect(table.get_by_role("rowheader", name=where, exact=True)).to_have_count(1)


def test_example_problems_stand_at_their_inputs(desktop):
    """The loader reports example problems at paths like ``guide.examples.dogs[0].breed``;
    the editor's answer is given those problems here, so the display is tested before
    the loader's checks exist."""
    sign_in(desktop, "anleitung-probleme@example.org", role="admin")
    _new_draft(desktop, OTHER)
    record = _editor(desktop, OTHER)
    definition = {**record["definition"], "guide": EXPECTED_GUIDE}
    saved = desktop.request.put(
        _editor_path(OTHER),
        data=json.dumps({"definition": definition}),
        headers={**json_headers(desktop), "If-Match": f'"{record["revision"]}"'},
    )
    assert saved.status == 200, saved.text()
    reported = [
        {
            "field": "guide.examples.dogs[0].breed",
            "code": "guide.example_invalid",
            "message": "Diese Rasse gibt es nicht.",
        },
        {
            "field": "guide.examples.holder_address",
            "code": "guide.example_invalid",
            "message": "Die Stadt hat keine Beispieladresse.",
        },
        {
            "field": "guide.examples.holder_name",
            "code": "guide.example_invalid",
            "message": "Der Name ist zu lang.",
        },
        {
            # No input edits this part: the message stands in the item's block.
            "field": "guide.examples.dogs[0].colour",
            "code": "guide.example_invalid",
            "message": "Das Feld „colour“ gibt es nicht.",
        },
    ]

    def with_problems(route):
        response = route.fetch()
        body = response.json()
        body["problems"] = reported
        route.fulfill(response=response, json=body)

    page = desktop.new_page()
    page.route(
        f"**{_editor_path(OTHER)}",
        lambda route: with_problems(route) if route.request.method == "GET" else route.continue_(),
    )
    page.goto(_builder_path(OTHER))
    expect(page.locator("#def-guide-examples-dogs-0-breed-error")).to_contain_text(
        "Diese Rasse gibt es nicht."
    )
    expect(page.locator("#def-guide-examples-dogs-0-breed")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#def-guide-examples-holder_address-city-error")).to_contain_text(
        "keine Beispieladresse"
    )
    expect(page.locator("#def-guide-examples-holder_name-error")).to_contain_text(
        "Der Name ist zu lang."
    )
    expect(page.locator("#def-guide-examples-dogs-0")).to_contain_text(
        "Das Feld „colour“ gibt es nicht."
    )
    expect(page.get_by_role("navigation", name="Teile des Dienstes")).to_contain_text(
        "Anleitung(4 offen)"
    )
    page.locator(".builder-problems").get_by_role(
        "link", name="Anleitung: Diese Rasse gibt es nicht."
    ).click()
    expect(page.locator("#def-guide-examples-dogs-0-breed")).to_be_focused()
    _check_screen(page, "builder-guide-example-problems")


def _css_id(path: str) -> str:
    # As the builder makes an input's id from its path (pwa/.../builder/paths.js).
    return "#def-" + path.replace("[", "-").replace("].", "-").replace("]", "").replace(".", "-")


def _expect_example(page, field: dict, path: str, value) -> None:
    """The example ``value`` of ``field`` shows in the citizen's component at ``path``."""
    kind = field["type"]
    if value == "city" and kind == "address":
        expect(page.locator(f"{_css_id(path)}-city")).to_be_checked()
    elif kind == "address":
        expect(page.locator(f"{_css_id(path)}-street")).to_have_value(value["street"])
    elif kind == "checkbox":
        box = page.locator(_css_id(path))
        expect(box).to_be_checked() if value else expect(box).not_to_be_checked()
    elif kind == "radio":
        name = _css_id(path)[1:]
        expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
    elif kind == "repeat":
        inner = {member["id"]: member for member in field["fields"]}
        for index, item in enumerate(value):
            for key, answer in item.items():
                _expect_example(page, inner[key], f"{path}[{index}].{key}", answer)
    else:
        expect(page.locator(_css_id(path))).to_have_value(str(value))


BUILT_INS_WITH_GUIDES = [
    "business_change",
    "business_deregistration",
    "business_information_extended",
    "business_information_simple",
    "business_registration",
    "civil_status_certificate",
    "daycare_place",
    "housing_benefit",
    "registry_information_simple",
]


def test_the_built_in_guides_read_back_in_the_builder(desktop):
    """Every example of the built-in guides stands in its field component, and opening
    the section changes nothing in the working copy (one page walks all of them)."""
    sign_in(desktop, "anleitung.eingebaut@example.org", role="admin")
    page = desktop.new_page()
    for service_id in BUILT_INS_WITH_GUIDES:
        _read_back_the_guide(desktop, page, service_id)


def _read_back_the_guide(desktop, page, service_id: str) -> None:
    copy_id = f"anleitung_{service_id}"[:63]
    duplicate_newest(desktop, service_id, copy_id)
    before = _editor(desktop, copy_id)
    definition = before["definition"]
    fields = {field["id"]: field for step in definition["steps"] for field in step["fields"]}

    page.goto(_builder_path(copy_id))
    expect(page.locator("#builder-section-heading")).to_have_text("Anleitung")
    for step in definition["steps"]:
        note = definition["guide"]["steps"][step["id"]]["de"]
        expect(page.locator(_css_id(f"guide.steps.{step['id']}.de"))).to_have_value(note)
    for key, value in definition["guide"]["examples"].items():
        _expect_example(page, fields[key], f"guide.examples.{key}", value)
    if service_id == "housing_benefit":
        derived = page.locator(".builder-guide-derived")
        for item in ("Personalausweis", "IBAN", "Unterlagen zum Hochladen"):
            expect(derived).to_contain_text(item)
        # The burden is asked only of owners: the example (a tenant) hides it.
        expect(
            page.locator(
                ".builder-guide-example", has=page.locator("#def-guide-examples-burden_monthly")
            )
        ).to_contain_text("wird dieses Feld nicht gezeigt")
        _check_screen(page, "builder-guide-housing-benefit")
    else:
        assert_accessible(page, f"builder-guide-{service_id}")
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert _editor(desktop, copy_id)["revision"] == before["revision"], service_id
