"""The flyer (A5) and poster (A4) of a campaign: one page of the right size, tagged
PDF/UA, the service's title in the reader's language, a QR code that decodes to exactly
the landing address with the tag, the fee and the ID card where the service needs it,
Arabic right to left with its font embedded, and a very long title still on one page."""

from __future__ import annotations

import copy
import io

import pikepdf
import pypdfium2 as pdfium
import pytest

from app import flyers
from app.applications import definitions
from app.db import db
from app.models import User
from tests.parking.support import decode_qr, rasterise_pdf
from tests.pdf_structure import assert_accessible
from tests.pdf_text import pdf_text

BASE = "/api/admin/campaigns"
MM = 72 / 25.4


@pytest.fixture
def admin(signed_in):
    admin = signed_in("admin@example.org", "admin")
    for tag, service_id in (
        ("flyer-abfall-2027", "waste_bins"),
        ("flyer-melde", "registration_certificate"),
        ("aushang-rathaus", None),
    ):
        response = admin.post(BASE, json={"tag": tag, "name": tag, "service_id": service_id})
        assert response.status_code == 201, response.get_json()
    return admin


def _pdf(admin, tag: str, paper: str = "a5", lang: str = "de") -> bytes:
    response = admin.get(f"{BASE}/{tag}/flyer.pdf?format={paper}&lang={lang}")
    assert response.status_code == 200, response.get_data()[:300]
    assert response.mimetype == "application/pdf"
    return response.get_data()


def _page_sizes(data: bytes) -> list[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(data)) as document:
        return [
            (round(float(page.MediaBox[2]) / MM), round(float(page.MediaBox[3]) / MM))
            for page in document.pages
        ]


def _fonts(data: bytes) -> set[str]:
    names = set()
    with pikepdf.open(io.BytesIO(data)) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.add(str(font.BaseFont))
    return names


def _arabic_boxes(data: bytes) -> list[tuple[float, float]]:
    """Left and right edge of every Arabic letter on the first page (points)."""
    document = pdfium.PdfDocument(data)
    try:
        text = document[0].get_textpage()
        boxes = []
        for index in range(text.count_chars()):
            if "\u0600" <= text.get_text_range(index, 1)[:1] <= "\u06ff":
                left, _bottom, right, _top = text.get_charbox(index)
                boxes.append((left, right))
        return boxes
    finally:
        document.close()


def test_a5_flyer_is_one_accessible_page_with_title_fee_and_qr(admin):
    data = _pdf(admin, "flyer-abfall-2027")
    assert _page_sizes(data) == [(148, 210)]
    assert_accessible(data, "flyer")
    text = " ".join(pdf_text(data).split())
    assert "Abfallbehälter" in text or "Abfall" in text
    assert "QR-Code scannen oder Adresse eingeben" in text
    assert "kostenlos" in text
    address = "http://localhost:5000/leistungen/waste_bins?q=flyer-abfall-2027"
    assert address in text
    [page] = rasterise_pdf(data, dpi=200)
    assert decode_qr(page) == [address]


def test_a4_poster_is_one_page_and_the_portal_flyer_leads_to_the_start_page(admin):
    data = _pdf(admin, "aushang-rathaus", "a4")
    assert _page_sizes(data) == [(210, 297)]
    assert_accessible(data, "poster")
    [page] = rasterise_pdf(data, dpi=150)
    assert decode_qr(page) == ["http://localhost:5000/?q=aushang-rathaus"]


def test_a_service_of_the_high_trust_level_names_the_id_card_and_its_fee(admin):
    text = " ".join(pdf_text(_pdf(admin, "flyer-melde")).split())
    assert "Personalausweis" in text
    assert "ab 5,00 €" in text


def test_a_service_of_the_substantial_trust_level_names_bundid_and_the_id_card(admin):
    with db.connection_context():
        staff = User.get(User.email == "admin@example.org")
        data = copy.deepcopy(definitions.published("waste_bins").data)
        data["version"] += 1
        data["trust_level"] = "substantial"
        data["trust_note"] = {"de": "Wegen der Steuerdaten.", "en": "Because of tax data."}
        definitions.publish_draft(definitions.create_version(data, staff), staff)
    text = " ".join(pdf_text(_pdf(admin, "flyer-abfall-2027")).split())
    assert "Mit BundID (ELSTER-Zertifikat) oder Personalausweis anmelden" in text
    assert "ELSTER-Zertifikat oder Ihren Personalausweis mit Online-Funktion" in text


def test_english_title_and_arabic_right_to_left_with_its_font_embedded(admin):
    english = " ".join(pdf_text(_pdf(admin, "flyer-abfall-2027", lang="en")).split())
    assert "Scan the QR code or type in the address" in english
    arabic = _pdf(admin, "flyer-abfall-2027", lang="ar")
    with pikepdf.open(io.BytesIO(arabic)) as document:
        assert str(document.Root.Lang) == "ar"
    assert_accessible(arabic, "Arabic flyer")
    assert any("Arabic" in name for name in _fonts(arabic))
    boxes = _arabic_boxes(arabic)
    assert len(boxes) > 100
    # Right to left: the Arabic lines hug the right margin (10 mm), and the short ones
    # (the heading, the steps) leave the left half empty.
    width = 148 * MM
    assert max(right for _left, right in boxes) > width - 12 * MM
    assert sum((left + right) / 2 for left, right in boxes) / len(boxes) > width / 2
    [page] = rasterise_pdf(arabic, dpi=200)
    assert decode_qr(page) == ["http://localhost:5000/leistungen/waste_bins?q=flyer-abfall-2027"]


def test_unknown_language_and_format_are_refused(admin):
    assert admin.get(f"{BASE}/flyer-abfall-2027/flyer.pdf?lang=fr").status_code == 422
    assert admin.get(f"{BASE}/flyer-abfall-2027/flyer.pdf?format=a3").status_code == 422
    assert admin.get(f"{BASE}/nope/flyer.pdf").status_code == 404


def test_a_very_long_title_still_fits_on_one_page(admin):
    from app.models import Campaign, ServiceDefinitionRecord

    with db.connection_context():
        record = (
            ServiceDefinitionRecord.select()
            .where(
                (ServiceDefinitionRecord.service_id == "waste_bins")
                & (ServiceDefinitionRecord.state == "published")
            )
            .get()
        )
        long_title = "Antrag auf Bereitstellung zusätzlicher Abfallbehälter " * 6
        record.data = {**record.data, "title": {"de": long_title, "en": long_title}}
        record.save()
        campaign = Campaign.get(Campaign.tag == "flyer-abfall-2027")
        for paper in ("a5", "a4"):
            data = flyers.render_pdf(campaign, paper, "de")
            assert len(_page_sizes(data)) == 1, paper
            assert "zusätzlicher" in pdf_text(data)
