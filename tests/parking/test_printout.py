"""The print@home PDF: vector QR at least 50 mm wide that decodes after printing,
black on white, with plates, zone, validity, number and authority."""

from __future__ import annotations

import math
import re

import pytest
import zxingcpp
from PIL import ImageChops

from app.db import db
from app.models import ParkingPermit
from app.parking import permits, printout
from app.passes import verify_pass
from tests.parking.support import (
    answers,
    apply,
    only_permit,
    pay,
    published_keyset,
    rasterise_pdf,
)

FOUR = {
    "more_vehicles": True,
    "further_plates": [
        {"further_plate": "DN-CD 5678E"},
        {"further_plate": "DN-EF 9012H"},
        {"further_plate": "DN-GH 3456E"},
    ],
    "justification": "Vier Fahrzeuge des Pflegedienstes, alle auf mich zugelassen.",
}


def _issued_with_four_plates(signed_in):
    citizen = signed_in("four@example.org")
    clerk = signed_in("clerk-four@example.org", "staff", ("parken",))
    application = apply(citizen, answers(plate="DN-AB 1234E", **FOUR))
    pay(application["id"])
    response = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions",
        json={"to": "approved", "message": "Nachweise liegen vor."},
    )
    assert response.status_code == 200, response.get_json()
    return citizen, only_permit(citizen)


def _width_mm(result, dpi: int) -> float:
    position = result.position
    dx = position.top_right.x - position.top_left.x
    dy = position.top_right.y - position.top_left.y
    return math.hypot(dx, dy) / dpi * 25.4


@pytest.mark.parametrize("dpi", [300, 150, 96])
def test_four_plate_pdf_decodes_at_print_resolutions(signed_in, make_client, dpi):
    citizen, permit = _issued_with_four_plates(signed_in)
    assert len(permit["plates"]) == 4
    pdf = citizen.get(f"/api/parking/permits/{permit['id']}/pdf").get_data()
    [page] = rasterise_pdf(pdf, dpi)
    results = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in results] == [permit["pass_text"]]
    # zxing reports the symbol's corners: the printed symbol is 50 mm wide.
    assert _width_mm(results[0], dpi) == pytest.approx(50, abs=1.0)
    verdict = verify_pass(results[0].text, published_keyset(make_client()), zone="A")
    assert verdict.valid and verdict.plates == tuple(permit["plates"])


def test_pdf_is_black_and_white_and_names_everything(signed_in):
    _citizen, permit = _issued_with_four_plates(signed_in)
    with db.connection_context():
        issued = permits.current_pass(ParkingPermit.get_by_id(permit["id"]))
        html = printout.render_html(issued, "de")
        html_en = printout.render_html(issued, "en")
        pdf = printout.render_pdf(issued, "de")
    for needle in (permit["number"], "Zone A", "DN-GH 3456E", "Stadt Düren", "Kennzeichen"):
        assert needle in html, needle
    assert "Resident parking permit" in html_en and "Licence plates" in html_en
    assert "image/svg+xml" in html
    style = printout.STYLESHEET.read_text()
    assert set(re.findall(r"#[0-9a-fA-F]{3,6}\b", style)) <= {"#000", "#fff"}
    [page] = rasterise_pdf(pdf, 100, grey=False)
    red, green, blue = page.split()
    # No pixel has a colour: every channel is the same everywhere.
    assert ImageChops.difference(red, green).getbbox() is None
    assert ImageChops.difference(green, blue).getbbox() is None


def test_svg_in_the_pdf_is_vector(signed_in):
    _citizen, permit = _issued_with_four_plates(signed_in)
    svg = printout.qr_svg(permit["pass_text"])
    width = float(re.search(r'width="([0-9.]+)mm"', svg).group(1))
    assert width == pytest.approx(50 * (65 + 8) / 65, abs=0.01)
    assert "<path" in svg and "<image" not in svg
