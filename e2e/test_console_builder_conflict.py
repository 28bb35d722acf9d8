"""The builder never loses an admin's work silently.

Two admins edit the same draft: the one who saves second sees the conflict screen with
both versions side by side and decides which stays. A draft whose rule names a field
that no longer exists is refused on publishing; the problem is listed and its link puts
the focus on the rule's field picker, where the message stands too."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from e2e.conftest import (
    assert_accessible,
    new_service,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

SAVED = "Alle Änderungen sind gespeichert."


def _new_service(context, service_id: str) -> None:
    new_service(
        context,
        service_id=service_id,
        title_de="Baumschnitt anmelden",
        title_en="Book a tree cutting",
        area="abfall",
    )


def _editor(context, service_id: str) -> dict:
    return context.request.get(f"/api/admin/services/{service_id}/versions/1/editor").json()


def test_two_admins_on_one_draft_see_the_conflict_and_choose(desktop, browser, live_server):
    service = "baumschnitt_konflikt"
    sign_in(desktop, "erste.admin@example.org", role="admin")
    _new_service(desktop, service)
    second = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="de-DE"
    )
    try:
        sign_in(second, "zweite.admin@example.org", role="admin")
        path = f"/verwaltung/dienste/{service}/v/1/bearbeiten"
        first_page = desktop.new_page()
        first_page.goto(path)
        second_page = second.new_page()
        second_page.goto(path)
        expect(second_page.locator("#def-title-en")).to_have_value("Book a tree cutting")

        # The first admin changes the German title; it is saved.
        first_page.locator("#def-title-de").fill("Baumschnitt zur Abholung anmelden")
        expect(first_page.get_by_text(SAVED)).to_be_visible(timeout=15_000)

        # The second admin, who opened the draft before, changes the English title.
        second_page.locator("#def-title-en").fill("Book a pick-up of tree cuttings")
        heading = second_page.get_by_role(
            "heading", name="Jemand anderes hat diesen Entwurf inzwischen geändert"
        )
        expect(heading).to_be_focused(timeout=15_000)
        expect(second_page.get_by_text("erste.admin@example.org", exact=False)).to_be_visible()
        differences = second_page.get_by_role("table", name="Unterschiede (2)")
        expect(differences).to_contain_text("title.de")
        expect(differences).to_contain_text("Baumschnitt zur Abholung anmelden")
        expect(differences).to_contain_text("Book a pick-up of tree cuttings")
        assert_accessible(second_page, "builder-conflict")
        screenshot(second_page, "builder-conflict")
        # Nothing of the second admin's was stored.
        stored = _editor(desktop, service)["definition"]["title"]
        assert stored == {"de": "Baumschnitt zur Abholung anmelden", "en": "Book a tree cutting"}

        # The saved version is taken: the editor shows it, the second admin goes on.
        second_page.get_by_role(
            "button", name="Gespeicherte Fassung übernehmen (Ihre Änderungen verwerfen)"
        ).click()
        expect(second_page.locator("#def-title-de")).to_have_value(
            "Baumschnitt zur Abholung anmelden"
        )
        expect(second_page.locator("#def-title-en")).to_have_value("Book a tree cutting")
        second_page.locator("#def-title-en").fill("Book a pick-up of tree cuttings")
        expect(second_page.get_by_text(SAVED)).to_be_visible(timeout=15_000)

        # Now the first admin is behind, and keeps their own version knowingly.
        first_page.locator("#def-description-de").fill("Schnittgut aus Ihrem Garten.")
        expect(
            first_page.get_by_role(
                "heading", name="Jemand anderes hat diesen Entwurf inzwischen geändert"
            )
        ).to_be_focused(timeout=15_000)
        expect(first_page.get_by_text("zweite.admin@example.org", exact=False)).to_be_visible()
        first_page.get_by_role(
            "button", name="Ihre Fassung speichern (die andere überschreiben)"
        ).click()
        expect(first_page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
        stored = _editor(desktop, service)["definition"]
        assert stored["description"]["de"] == "Schnittgut aus Ihrem Garten."
        assert stored["title"]["en"] == "Book a tree cutting"
    finally:
        second.close()


def test_a_broken_rule_refuses_publishing_and_is_shown_at_its_field(desktop):
    service = "baumschnitt_regel"
    sign_in(desktop, "regel.admin@example.org", role="admin")
    _new_service(desktop, service)
    # A condition on a field that is not in the form (as after deleting that field).
    record = _editor(desktop, service)
    definition = record["definition"]
    definition["steps"][0]["fields"].append(
        {
            "id": "size",
            "type": "number",
            "label": {"de": "Menge in Kubikmetern", "en": "Amount in cubic metres"},
            "visible_if": {"field": "gibt_es_nicht", "equals": "ja"},
        }
    )
    csrf = desktop.request.get("/api/auth/session").json()["csrf_token"]
    saved = desktop.request.put(
        f"/api/admin/services/{service}/versions/1/editor",
        data=json.dumps({"definition": definition}),
        headers={
            "X-CSRF-Token": csrf,
            "Content-Type": "application/json",
            "If-Match": f'"{record["revision"]}"',
        },
    )
    assert saved.status == 200, saved.text()
    assert [p["field"] for p in saved.json()["problems"]] == ["steps[0].fields[1].visible_if.field"]

    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten")
    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    problems = page.get_by_role("region", name="Ein offenes Problem")
    expect(problems).to_contain_text("gibt_es_nicht")
    # Refused: the version is still a draft.
    versions = desktop.request.get(f"/api/admin/services/{service}/versions").json()
    assert [v["state"] for v in versions["versions"]] == ["draft"]
    assert_accessible(page, "builder-publish-refused")

    problems.get_by_role("link").first.click()
    picker = page.locator("#def-steps-0-fields-1-visible_if-field")
    expect(picker).to_be_focused()
    expect(page.locator("#def-steps-0-fields-1-editor")).to_contain_text("gibt_es_nicht")
    screenshot(page, "builder-problem-at-field")

    # Mended at the field, the version publishes.
    picker.select_option("request_text")
    page.locator("#def-steps-0-fields-1-visible_if").select_option("equals")
    page.locator("#def-steps-0-fields-1-visible_if-equals").fill("ja")
    expect(page.get_by_text("Keine offenen Probleme")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    expect(page.get_by_text("Fassung 1 ist veröffentlicht.")).to_be_visible()


def _post(context, path: str) -> int:
    csrf = context.request.get("/api/auth/session").json()["csrf_token"]
    return context.request.post(path, headers={"X-CSRF-Token": csrf}).status


def test_a_version_published_meanwhile_reloads_read_only_and_says_so(desktop):
    service = "baumschnitt_veroeffentlicht"
    sign_in(desktop, "dritte.admin@example.org", role="admin")
    _new_service(desktop, service)
    page = desktop.new_page()
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten")
    expect(page.locator("#def-title-en")).to_have_value("Book a tree cutting")
    # Another admin publishes the draft from the service's page.
    assert _post(desktop, f"/api/admin/services/{service}/versions/1/publish") == 200
    page.locator("#def-title-de").fill("Zu spät geändert")
    notice = page.get_by_role("status").filter(has_text="inzwischen veröffentlicht")
    expect(notice).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Diese Fassung ist nicht mehr änderbar.")).to_be_visible()
    expect(page.locator("#def-title-de")).to_have_value("Baumschnitt anmelden")
    expect(page.get_by_role("button", name="Speichern")).to_have_count(0)
    assert _editor(desktop, service)["definition"]["title"]["de"] == "Baumschnitt anmelden"
    assert_accessible(page, "builder-published-meanwhile")


def test_saves_go_out_one_at_a_time_each_with_its_own_revision(desktop):
    service = "baumschnitt_nacheinander"
    sign_in(desktop, "vierte.admin@example.org", role="admin")
    _new_service(desktop, service)
    page = desktop.new_page()
    tags: list[str] = []
    held: list = []

    def hold(route):
        # Saves wait here until the test lets them through, so that others queue up.
        if route.request.method == "PUT":
            tags.append(route.request.headers.get("if-match"))
            held.append(route)
        else:
            route.continue_()

    page.route("**/versions/1/editor", hold)
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten")
    title = page.locator("#def-title-de")
    expect(title).to_have_value("Baumschnitt anmelden")
    title.fill("Baumschnitt A")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_timeout(300)
    assert len(tags) == 1
    # While the first save is under way: one save by the button, one by the timer.
    title.fill("Baumschnitt AB")
    page.get_by_role("button", name="Speichern").click()
    title.fill("Baumschnitt ABC")
    page.wait_for_timeout(2000)  # the autosave's moment passes, its save waits too
    assert len(tags) == 1
    for _round in range(20):
        if held:
            held.pop(0).continue_()
        page.wait_for_timeout(400)
        if not held and page.get_by_text(SAVED).is_visible():
            break
    assert len(tags) >= 2 and len(set(tags)) == len(tags), tags
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_role("heading", name="Jemand anderes")).to_have_count(0)
    assert _editor(desktop, service)["definition"]["title"]["de"] == "Baumschnitt ABC"


def test_a_refused_tag_without_the_current_state_reloads_the_draft(desktop):
    service = "baumschnitt_etikett"
    sign_in(desktop, "fuenfte.admin@example.org", role="admin")
    _new_service(desktop, service)
    page = desktop.new_page()
    refused: list[str] = []

    def refuse_once(route):
        # A 412 that carries no current state (a tag the server could not read).
        if route.request.method == "PUT" and not refused:
            refused.append(route.request.url)
            route.fulfill(
                status=412,
                content_type="application/json",
                body=json.dumps(
                    {"status": 412, "code": "precondition_failed", "message": "x", "errors": []}
                ),
            )
        else:
            route.continue_()

    page.route("**/versions/1/editor", refuse_once)
    page.goto(f"/verwaltung/dienste/{service}/v/1/bearbeiten")
    title = page.locator("#def-title-de")
    expect(title).to_have_value("Baumschnitt anmelden")
    title.fill("Wird nicht gespeichert")
    # No conflict screen to crash: the draft is read again, as stored, and editable.
    expect(title).to_have_value("Baumschnitt anmelden", timeout=15_000)
    assert refused
    expect(page.get_by_role("heading", name="Jemand anderes")).to_have_count(0)
    title.fill("Baumschnitt danach")
    expect(page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    assert _editor(desktop, service)["definition"]["title"]["de"] == "Baumschnitt danach"
