"""Hand-offs to specialist systems in the browser. A published service hands its
applications to a specialist system (a backend registered in this process, which fails,
acknowledges or rejects as each test scripts it; the outbox runs for real). A clerk sees
a failed hand-off with its reason in the case view and sends it again; the console's
"Übergaben" lists deliveries by state and links to the case; the builder adds a target
and shows the loader's problem of a bad setting at its input. Every screen passes
axe-core."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from playwright.sync_api import expect

from app.db import db
from app.handoff import outbox
from app.handoff.base import REGISTRY, Backend, Delivery, DeliveryFailed, Outcome
from app.models import HandoffDelivery, User
from e2e.conftest import (
    assert_accessible,
    json_headers,
    make_user,
    new_service,
    screenshot,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser

SERVICE = "bauakte_einsicht"
AREA = "bauordnung"
TARGET_LABEL = "Bauaktenarchiv (Fachverfahren)"
SAVED = "Alle Änderungen sind gespeichert."


class ScriptedArchive(Backend):
    """A specialist system that answers as the test scripts it: each delivery takes the
    next answer from ``script`` (none left: delivered with a case number)."""

    script: ClassVar[list[Callable[[Delivery], Outcome]]] = []
    follow_ups: ClassVar[dict[str, Outcome]] = {}

    def check_target(self, settings, definition=None):
        return [] if settings.get("folder") else ["folder: the archive folder is required"]

    def deliver(self, delivery, document):
        assert document.data["application"]["id"] == delivery.application_id
        if self.script:
            return self.script.pop(0)(delivery)
        return Outcome("delivered", remote_id="AZ-2026-0042")

    def follow_up(self, delivery):
        return self.follow_ups.pop(delivery.remote_id, None)


def _fails(reason: str) -> Callable[[Delivery], Outcome]:
    def answer(delivery: Delivery) -> Outcome:
        raise DeliveryFailed(reason, retry=False)

    return answer


def _sent(submission: str) -> Callable[[Delivery], Outcome]:
    return lambda delivery: Outcome("sent", remote_id=submission)


@pytest.fixture(scope="module")
def archive_service(browser, live_server) -> Iterator[str]:
    """The published service with one target on the scripted archive. The backend
    stays registered for the whole run: the stored service names it."""
    REGISTRY.register("e2e_archiv")(ScriptedArchive)
    context = browser.new_context(base_url=live_server, locale="de-DE")
    sign_in(context, "uebergabe.admin@example.org", role="admin")
    headers = json_headers(context)
    new_service(
        context,
        service_id=SERVICE,
        title_de="Einsicht in die Bauakte",
        title_en="Inspecting the building file",
        area=AREA,
    )
    editor = f"/api/admin/services/{SERVICE}/versions/1/editor"
    record = context.request.get(editor).json()
    definition = record["definition"]
    definition["handoff"] = [
        {
            "id": "archiv",
            "backend": "e2e_archiv",
            "on": "submitted",
            "label": {"de": TARGET_LABEL, "en": "Building file archive (specialist system)"},
            "settings": {"folder": "bauakten"},
        }
    ]
    saved = context.request.put(
        editor,
        data=json.dumps({"definition": definition}),
        headers={**headers, "If-Match": f'"{record["revision"]}"'},
    )
    assert saved.status == 200 and saved.json()["problems"] == [], saved.text()
    published = context.request.post(
        f"/api/admin/services/{SERVICE}/versions/1/publish", headers=headers
    )
    assert published.status == 200, published.text()
    context.close()
    yield SERVICE


def _apply(context, text: str) -> dict[str, Any]:
    return submit_application(context, SERVICE, {"request_text": text})


def _deliveries(application_id: str) -> list[HandoffDelivery]:
    with db.connection_context():
        return list(HandoffDelivery.select().where(HandoffDelivery.application == application_id))


def test_a_clerk_sees_a_failed_hand_off_and_sends_it_again(archive_service, phone, desktop):
    sign_in(phone, "bauherrin@example.org", given_names="Erika", family_name="Musterfrau")
    ScriptedArchive.script[:] = [_fails("Das Archiv antwortet mit HTTP 503.")]
    application = _apply(phone, "Einsicht in die Akte Kaiserplatz 2")
    [delivery] = _deliveries(application["id"])
    assert delivery.state == "failed"

    sign_in(desktop, "bauamt.clerk@example.org", role="staff", areas=(AREA,))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    section = clerk.get_by_role("region", name="Übergabe an Fachverfahren")
    expect(section.get_by_role("heading", name=TARGET_LABEL)).to_be_visible()
    expect(section).to_contain_text("Fehlgeschlagen")
    expect(section).to_contain_text("Das Archiv antwortet mit HTTP 503.")
    section.scroll_into_view_if_needed()
    assert_accessible(clerk, "handoff-case-failed")
    screenshot(clerk, "handoff-case-failed")

    # The archive is back: sent again from the keyboard, it arrives with a case number.
    retry = section.get_by_role("button", name=f"Erneut senden ({TARGET_LABEL})")
    retry.focus()
    clerk.keyboard.press("Enter")
    expect(clerk.get_by_role("status").filter(has_text="wird erneut gesendet")).to_have_text(
        f"Die Übergabe an „{TARGET_LABEL}“ wird erneut gesendet."
    )
    expect(section).to_contain_text("Übergeben")
    expect(section).to_contain_text("AZ-2026-0042")
    expect(section.get_by_role("button", name="Erneut senden")).to_have_count(0)
    [delivery] = _deliveries(application["id"])
    assert (delivery.state, delivery.round, delivery.remote_id) == ("delivered", 2, "AZ-2026-0042")
    assert_accessible(clerk, "handoff-case-delivered")


def test_the_console_lists_hand_offs_by_state(archive_service, phone, desktop):
    sign_in(phone, "bauherr@example.org", given_names="Max", family_name="Mustermann")
    ScriptedArchive.script[:] = [_fails("Das Archiv kennt den Ordner nicht.")]
    failed = _apply(phone, "Akte Marktplatz 1")
    ScriptedArchive.script[:] = [_sent("einreichung-7")]
    rejected = _apply(phone, "Akte Rathausstraße 3")
    # The archive's answer arrives: the outbox asks for it, as its sweep would.
    ScriptedArchive.follow_ups["einreichung-7"] = Outcome(
        "rejected", remote_id="einreichung-7", problems=("Der Lageplan fehlt.",)
    )
    [sent] = _deliveries(rejected["id"])
    assert outbox.follow_up(sent.id) == "rejected"

    sign_in(desktop, "uebergabe.admin@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung")
    page.get_by_role("navigation", name="Bereiche der Verwaltung").get_by_role(
        "link", name="Übergaben"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Übergaben an Fach")
    table = page.get_by_role("table", name="Übergaben")
    # At first every delivery that needs a look: the failed one and the rejected one.
    expect(page.get_by_label("Zustand")).to_have_value("")
    failed_row = table.get_by_role("row").filter(has_text=failed["reference"])
    expect(failed_row).to_contain_text("Das Archiv kennt den Ordner nicht.")
    expect(failed_row).to_contain_text("Fehlgeschlagen")
    expect(table.get_by_role("row").filter(has_text=rejected["reference"])).to_be_visible()
    assert_accessible(page, "handoff-console-all")
    screenshot(page, "handoff-console-all")

    page.get_by_label("Zustand").select_option("failed")
    page.get_by_role("button", name="Anzeigen").click()
    expect(table).not_to_contain_text(rejected["reference"])
    expect(failed_row).to_be_visible()

    page.get_by_label("Zustand").select_option("rejected")
    page.get_by_label("Dienst").select_option(SERVICE)
    page.get_by_role("button", name="Anzeigen").click()
    rejected_row = table.get_by_role("row").filter(has_text=rejected["reference"])
    expect(rejected_row).to_contain_text("Der Lageplan fehlt.")
    expect(rejected_row).to_contain_text("Abgelehnt")
    expect(table).not_to_contain_text(failed["reference"])
    expect(page.get_by_role("status").filter(has_text="Übergabe")).to_have_text("1 Übergabe")
    assert_accessible(page, "handoff-console-rejected")

    # The reference leads to the case, where the objection stands too.
    rejected_row.get_by_role("link", name=rejected["reference"]).click()
    section = page.get_by_role("region", name="Übergabe an Fachverfahren")
    expect(section).to_contain_text("Der Lageplan fehlt.")
    expect(section).to_contain_text("einreichung-7")


def test_the_builder_adds_a_target_and_shows_a_bad_setting_at_its_input(desktop):
    sign_in(desktop, "uebergabe.builder@example.org", role="admin")
    new_service(
        desktop,
        service_id="hundesteuer_meldung_archiv",
        title_de="Hund anmelden (mit Übergabe)",
        title_en="Registering a dog (with hand-off)",
        area="hundesteuer",
    )
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/hundesteuer_meldung_archiv/v/1/bearbeiten")
    page.get_by_role("navigation", name="Teile des Dienstes").get_by_role(
        "link", name="Übergabe an Fachverfahren"
    ).click()
    expect(page.locator("#builder-section-heading")).to_contain_text("Übergabe an Fachverfahren")
    expect(page.get_by_text("übergibt seine Anträge an kein Fachverfahren")).to_be_visible()

    page.get_by_role("button", name="Ziel hinzufügen").click()
    expect(page.get_by_label("Kennung", exact=True)).to_be_focused()
    target = page.get_by_role("group", name="Ziel 1: target_1")
    target.get_by_label("Kennung", exact=True).fill("hundesteuer")
    target = page.get_by_role("group", name="Ziel 1: hundesteuer")
    target.get_by_label("Übergabeweg").select_option("email")
    target.get_by_label("Wann übergeben wird").select_option("paid")
    target.get_by_label("Deutsch").fill("Steueramt (Fachverfahren)")
    target = page.get_by_role("group", name="Ziel 1: Steueramt (Fachverfahren)")
    target.get_by_label("Englisch").fill("Tax office (specialist system)")
    mailbox = target.get_by_label("Postfach der Fachabteilung")
    mailbox.fill("steueramt")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)

    # The loader's problem stands at the input it concerns, and in the list above.
    problem = "Einstellung des Übergabeverfahrens 'email': to: not an e-mail address"
    expect(page.locator("#def-handoff-0-settings-to-error")).to_contain_text(problem)
    expect(mailbox).to_have_attribute("aria-invalid", "true")
    nav = page.get_by_role("navigation", name="Teile des Dienstes")
    expect(nav.get_by_role("link", name="Übergabe an Fachverfahren")).to_contain_text("(1 offen)")
    assert_accessible(page, "builder-handoff-problem")
    screenshot(page, "builder-handoff-problem")

    mailbox.fill("steueramt@dueren.example")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    expect(page.locator("#def-handoff-0-settings-to-error")).to_have_count(0)
    expect(page.get_by_text("Keine offenen Probleme")).to_be_visible()
    editor = desktop.request.get(
        "/api/admin/services/hundesteuer_meldung_archiv/versions/1/editor"
    ).json()
    assert editor["problems"] == []
    assert editor["definition"]["handoff"] == [
        {
            "id": "hundesteuer",
            "backend": "email",
            "on": "paid",
            "label": {"de": "Steueramt (Fachverfahren)", "en": "Tax office (specialist system)"},
            "settings": {"to": "steueramt@dueren.example"},
        }
    ]


def test_a_simulated_fit_connect_hand_off_says_testmodus(phone, desktop):
    """The demo's dog tax deregistration goes to the built-in FIT-Connect destination
    (no Submission API configured): the clerk and the console say "Testmodus"."""
    from app.demo_handoff import configure_service
    from tests.api.service_answers import complete_answers

    # The target the demo seeding gives the service, as its admin would in the console.
    admin = make_user("uebergabe.demo@example.org", role="admin")
    with db.connection_context():
        configure_service("dog_tax_deregistration", User.get_by_id(admin))
    sign_in(phone, "abmeldung@example.org", given_names="Erika", family_name="Musterfrau")
    application = submit_application(
        phone, "dog_tax_deregistration", complete_answers("dog_tax_deregistration")
    )
    [delivery] = _deliveries(application["id"])
    assert (delivery.backend, delivery.state) == ("fit_connect", "accepted")
    assert delivery.remote_id.startswith("testmodus-")

    sign_in(desktop, "hundesteuer.clerk@example.org", role="staff", areas=("hundesteuer",))
    clerk = desktop.new_page()
    clerk.goto(f"/sachbearbeitung/{application['reference']}")
    section = clerk.get_by_role("region", name="Übergabe an Fachverfahren")
    expect(
        section.get_by_role("heading", name="Fachverfahren Hundesteuer (FIT-Connect)")
    ).to_be_visible()
    expect(section).to_contain_text("Angenommen")
    expect(section).to_contain_text("Testmodus")
    expect(section).to_contain_text("an kein echtes Fachverfahren gesendet")
    expect(section).to_contain_text(delivery.remote_id)
    section.scroll_into_view_if_needed()
    assert_accessible(clerk, "handoff-case-test-mode")
    screenshot(clerk, "handoff-case-test-mode")

    # A simulated delivery that needs a look is marked in the console's list too.
    with db.connection_context():
        HandoffDelivery.update(state="failed", last_error="Testfehler").where(
            HandoffDelivery.id == delivery.id
        ).execute()
    sign_in(desktop, "uebergabe.testmodus@example.org", role="admin")
    page = desktop.new_page()
    page.goto("/verwaltung/uebergaben")
    row = (
        page.get_by_role("table", name="Übergaben")
        .get_by_role("row")
        .filter(has_text=application["reference"])
    )
    expect(row).to_contain_text("Fehlgeschlagen")
    expect(row).to_contain_text("Testmodus")
    assert_accessible(page, "handoff-console-test-mode")


def test_the_builder_shows_a_bad_webhook_address_at_its_input(desktop):
    sign_in(desktop, "uebergabe.webhook@example.org", role="admin")
    new_service(
        desktop,
        service_id="hundesteuer_webhook",
        title_de="Hund anmelden (Webhook)",
        title_en="Registering a dog (webhook)",
        area="hundesteuer",
    )
    page = desktop.new_page()
    page.goto("/verwaltung/dienste/hundesteuer_webhook/v/1/bearbeiten")
    page.get_by_role("navigation", name="Teile des Dienstes").get_by_role(
        "link", name="Übergabe an Fachverfahren"
    ).click()
    page.get_by_role("button", name="Ziel hinzufügen").click()
    target = page.get_by_role("group", name="Ziel 1: target_1")
    target.get_by_label("Übergabeweg").select_option("webhook")
    target.get_by_label("Wann übergeben wird").select_option("submitted")
    target.get_by_label("Name des Geheimnisses").fill("steueramt")
    address = target.get_by_label("Adresse des Fachverfahrens")
    address.fill("ftp://fachverfahren.example/antraege")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)

    problem = "must be an https:// address"
    error = page.locator("#def-handoff-0-settings-url-error")
    expect(error).to_contain_text("Einstellung des Übergabeverfahrens 'webhook'")
    expect(error).to_contain_text(problem)
    expect(address).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "builder-handoff-webhook-problem")

    address.fill("https://fachverfahren.example/antraege")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    expect(error).to_have_count(0)
    editor = desktop.request.get("/api/admin/services/hundesteuer_webhook/versions/1/editor")
    settings = editor.json()["definition"]["handoff"][0]["settings"]
    assert settings == {"url": "https://fachverfahren.example/antraege", "secret": "steueramt"}
