"""The citizen's side of resident parking on a phone: apply, pay with the sandbox
provider, find the pass in the wallet and print it at home, all in one go (screens and
seconds printed); then the wallet offline, a plate change, renewal and giving the
permit back. The QR code the wallet draws is read back with ZXing and must be the
pass text the server signed."""

from __future__ import annotations

import base64
import datetime
import io
import re
import time

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from app.applications.lifecycle import enter_workflow
from app.db import db
from app.models import Application, ParkingPermit
from app.passes.qr import make_qr
from e2e.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_touch_targets,
    screenshot,
    sign_in,
    submit_application,
    wait_for_offline_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

PROFILE = {
    "given_names": "Paula",
    "family_name": "Parker",
    "street": "Markt",
    "house_number": "3",
    "postal_code": "52349",
    "city": "Düren",
}


def shown_qr_text(page) -> str:
    """The wallet's QR code, photographed from the screen and read with ZXing.

    The code is drawn after the pass arrives (from the network or, offline, the cache),
    so look again for a few seconds before giving up.
    """
    code = page.locator(".pass-qr__code")
    expect(code).to_be_visible()
    deadline = time.monotonic() + 8
    while True:
        image = Image.open(io.BytesIO(code.screenshot()))
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if len(found) == 1 or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert len(found) == 1, "no readable QR code on the screen"
    return found[0].text


def permits(context) -> list[dict]:
    return context.request.get("/api/parking/permits").json()


def test_apply_pay_and_print_at_home_in_one_go(phone):
    sign_in(phone, "citizen.wallet@example.org", **PROFILE)
    page = phone.new_page()
    screens: list[str] = []

    def screen(name: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screens.append(name)

    started = time.perf_counter()
    page.goto("/")
    screen("start")
    page.get_by_role("link", name="Bewohnerparkausweis beantragen").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bewohnerparkausweis")
    screen("service")
    page.get_by_role("button", name="Antrag starten").click()

    expect(page).to_have_url(re.compile(r"/antrag/[^/]+/residence_step$"))
    screen("residence")
    expect(page.get_by_label("Straße")).to_have_value("Markt")
    page.get_by_role(
        "checkbox", name="Ich bin unter dieser Anschrift mit Hauptwohnung gemeldet."
    ).check()
    page.get_by_role("button", name="Weiter").click()

    expect(page).to_have_url(re.compile(r"/vehicle_step(-\d+)?$"))
    screen("vehicle")
    page.get_by_label("Kennzeichen", exact=True).fill("DN-WA 301")
    page.get_by_role("radio", name="Auf mich").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page).to_have_url(re.compile(r"/validity_step(-\d+)?$"))
    screen("validity")
    page.get_by_label("Wie viele Monate soll der Ausweis gelten?").fill("12")
    page.get_by_role("button", name="Weiter").click()

    expect(page).to_have_url(re.compile(r"/confirm(-\d+)?$"))
    screen("confirm")
    page.get_by_role("checkbox", name="Meine Angaben sind richtig und vollständig.").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page).to_have_url(re.compile(r"/pruefen$"))
    screen("check")
    expect(page.locator("tfoot")).to_contain_text("30,00 €")
    page.get_by_role("button", name="Antrag verbindlich senden").click()
    expect(page.get_by_text("Ihr Antrag ist bei uns eingegangen.")).to_be_visible()
    screen("sent")

    # Pay with the sandbox provider (test mode): the provider's page, its pay button,
    # and back to the portal.
    page.get_by_role("link", name="Jetzt bezahlen").first.click()
    screen("payment method")
    page.get_by_role("radio", name=re.compile("Testzahlung")).check()
    page.get_by_role("button", name="Weiter zur Zahlung").click()
    expect(page).to_have_url(re.compile(r"/payment-sandbox/"))
    expect(page.get_by_text("Testmodus").first).to_be_visible()
    screen("provider")
    page.get_by_role("button", name="Bezahlen", exact=True).click()
    expect(page).to_have_url(re.compile(r"status="))
    expect(page.get_by_text("Die Zahlung ist erledigt.")).to_be_visible(timeout=15_000)
    screen("paid")

    # The pass is in the wallet.
    page.get_by_role("link", name="Parkausweis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Parkausweise")
    screen("wallet")
    [permit] = permits(phone)
    assert permit["state"] == "valid" and permit["plates"] == ["DN-WA 301"]
    card = page.locator(".permit-card")
    expect(card).to_contain_text("DN-WA 301")
    expect(card).to_contain_text("Gültig")
    card.get_by_role("link", name=f"Ausweis {permit['number']} anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bewohnerparkausweis")
    screen("pass")
    expect(
        page.get_by_role("img", name=f"QR-Code des Parkausweises {permit['number']}")
    ).to_be_visible()
    assert shown_qr_text(page) == permit["pass_text"]

    # print@home
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ausweis zum Ausdrucken herunterladen (PDF)").click()
    download = download_info.value
    pdf = download.path().read_bytes()
    elapsed = time.perf_counter() - started
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    assert download.suggested_filename.endswith(".pdf")
    print(
        f"\nresident parking, apply to printed pass: {len(screens)} screens "
        f"({', '.join(screens)}), {elapsed:.1f} s"
    )
    assert elapsed < 300, "five minutes"

    # The new screens, checked after the timed run.
    assert_accessible(page, "wallet-pass")
    assert_touch_targets(page, "wallet-pass")
    assert_no_horizontal_scroll(page, "wallet-pass")
    screenshot(page, "wallet-pass")
    page.get_by_role("link", name="Zurück zu Ihren Parkausweisen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Parkausweise")
    assert_accessible(page, "wallet")
    assert_touch_targets(page, "wallet")
    screenshot(page, "wallet")


def issue_permit(context, plate: str) -> dict:
    application = submit_application(
        context,
        "resident_parking",
        {
            "residence": {"street": "Markt", "house_number": "3"},
            "main_residence": True,
            "plate": plate,
            "holder": "registered",
            "months": 12,
            "truthful": True,
        },
    )
    with db.connection_context():
        enter_workflow(Application.get_by_id(application["id"]))
    [permit] = permits(context)
    return permit


def test_wallet_offline_plate_change_renewal_and_give_back(phone):
    sign_in(phone, "citizen.wallet2@example.org", **PROFILE)
    permit = issue_permit(phone, "DN-WA 401")
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)
    page.get_by_role("link", name="Parkausweis", exact=True).click()
    page.get_by_role("link", name=f"Ausweis {permit['number']} anzeigen").click()
    assert shown_qr_text(page) == permit["pass_text"]
    expect(page.get_by_text("Verlängern können Sie ab")).to_be_visible()

    # Offline: the wallet and the pass are still there (seen once), changes need network.
    phone.set_offline(True)
    page.reload()
    expect(page.get_by_text("Sie sind offline").first).to_be_visible()
    assert shown_qr_text(page) == permit["pass_text"]
    expect(page.locator(".kern-alert--warning").first).to_be_visible()
    page.get_by_role("link", name="Kennzeichen ändern").click()
    page.get_by_label("Neues Kennzeichen").fill("DN-WA 402")
    page.get_by_role("checkbox", name="Das Fahrzeug ist auf mich zugelassen.").check()
    page.get_by_role("button", name="Kennzeichen ändern und neuen Ausweis erhalten").click()
    expect(page.get_by_role("alert")).to_contain_text("Dafür brauchen Sie eine Internetverbindung")
    assert permits(phone)[0]["sequence"] == 1
    phone.set_offline(False)

    # The same plate again is caught on the device; the declaration is required.
    page.get_by_label("Neues Kennzeichen").fill("DN-WA 401")
    page.get_by_role("checkbox", name="Das Fahrzeug ist auf mich zugelassen.").uncheck()
    page.get_by_role("button", name="Kennzeichen ändern und neuen Ausweis erhalten").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte geben Sie ein anderes Kennzeichen ein als bisher.")
    expect(summary).to_contain_text(
        "Bitte bestätigen Sie, dass das Fahrzeug auf Sie zugelassen ist."
    )
    assert_accessible(page, "wallet-plates-error")
    screenshot(page, "wallet-plates-error")
    # A plate the server refuses: its message, at the field.
    page.get_by_label("Neues Kennzeichen").fill("XX")
    page.get_by_role("checkbox", name="Das Fahrzeug ist auf mich zugelassen.").check()
    page.get_by_role("button", name="Kennzeichen ändern und neuen Ausweis erhalten").click()
    expect(summary).to_contain_text("Bitte geben Sie ein deutsches Kennzeichen ein")
    page.get_by_label("Neues Kennzeichen").fill("DN-WA 402")
    page.get_by_role("button", name="Kennzeichen ändern und neuen Ausweis erhalten").click()
    expect(page.get_by_text("Ihr neuer Ausweis ist fertig")).to_be_visible()
    changed = permits(phone)[0]
    assert changed["sequence"] == 2 and changed["plates"] == ["DN-WA 402"]
    assert changed["pass_text"] != permit["pass_text"]
    expect(page.locator(".pass-qr__plates")).to_have_text("DN-WA 402")
    assert shown_qr_text(page) == changed["pass_text"]
    assert_accessible(page, "wallet-new-pass")
    screenshot(page, "wallet-new-pass")

    # Renewal opens 56 days before the end: move the end closer, as time would.
    with db.connection_context():
        ParkingPermit.update(valid_to=datetime.date.today() + datetime.timedelta(days=30)).where(
            ParkingPermit.id == permit["id"]
        ).execute()
    page.goto(f"/parkausweis/{permit['id']}")
    page.get_by_role("button", name="Ausweis verlängern").click()
    expect(page).to_have_url(re.compile(r"/antrag/[^/]+/[a-z_]+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    drafts = [a for a in phone.request.get("/api/applications").json() if a["status"] == "draft"]
    assert len(drafts) == 1 and drafts[0]["service_id"] == "resident_parking"
    page.goto(f"/parkausweis/{permit['id']}")
    expect(page.get_by_text("Ihre Verlängerung ist in Arbeit.")).to_be_visible()

    # Giving it back asks first; "no" changes nothing.
    page.get_by_role("link", name="Ausweis zurückgeben").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ausweis zurückgeben")
    expect(page.get_by_text("Das lässt sich nicht rückgängig machen.")).to_be_visible()
    assert_accessible(page, "wallet-give-back")
    assert_touch_targets(page, "wallet-give-back")
    screenshot(page, "wallet-give-back")
    page.get_by_role("link", name="Nein, Ausweis behalten").click()
    assert permits(phone)[0]["state"] == "valid"
    page.get_by_role("link", name="Ausweis zurückgeben").click()
    page.get_by_role("button", name="Ja, Ausweis jetzt zurückgeben").click()
    expect(page.get_by_text("Sie haben den Ausweis zurückgegeben")).to_be_visible()
    expect(page.get_by_text("Nicht mehr gültig").first).to_be_visible()
    expect(page.locator(".pass-qr")).to_have_count(0)
    expect(
        page.get_by_role("link", name="Ausweis zum Ausdrucken herunterladen (PDF)")
    ).to_have_count(0)
    assert permits(phone)[0]["state"] == "revoked"
    assert_accessible(page, "wallet-given-back")
    screenshot(page, "wallet-given-back")


def test_served_qr_svg_reads_on_a_dark_page(phone):
    """The SVG the portal serves, shown as viewers show SVGs (on a black page, which
    is what a transparent background turns into in dark mode), reads back as the pass."""
    sign_in(phone, "citizen.svg@example.org", **PROFILE)
    permit = issue_permit(phone, "DN-SV 412")
    response = phone.request.get(permit["links"]["qr_svg"])
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg")
    source = "data:image/svg+xml;base64," + base64.b64encode(response.body()).decode()
    page = phone.new_page()
    page.set_content(
        '<body style="margin:0;background:#000">'
        f'<img id="qr" alt="" src="{source}" style="width:300px;height:300px"></body>'
    )
    page.wait_for_function("() => document.getElementById('qr').complete")
    image = Image.open(io.BytesIO(page.locator("#qr").screenshot())).convert("L")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [permit["pass_text"]]
    # The quiet zone, four modules on every side, is painted white (not the black page).
    modules = make_qr(permit["pass_text"]).symbol_size(scale=1, border=0)[0]
    edge = int(image.width * 4 / (modules + 8)) - 1
    size = image.width
    margin = [
        image.getpixel((x, y))
        for x in range(size)
        for y in range(size)
        if min(x, y, size - 1 - x, size - 1 - y) < edge
    ]
    assert min(margin) > 200
