"""QR symbol: parameters, version, and decoding by a real decoder at print resolutions."""

import io
import re
from datetime import date

import pytest
import zxingcpp
from PIL import Image

from app.passes import encode_pass, verify_pass
from app.passes.qr import (
    MIN_PRINT_WIDTH_MM,
    make_qr,
    png_bytes,
    qr_version,
    scale_for_print,
    svg_text,
)

from .conftest import FOUR_PLATES, ONE_PLATE, make_claims

TODAY_IN_RANGE = date(2026, 6, 15)


def test_symbol_parameters(signing_key):
    qr = make_qr(encode_pass(make_claims(), signing_key))
    assert qr.mode == "alphanumeric"
    assert qr.error == "Q"
    assert qr.designator.endswith("-Q")
    assert not qr.is_micro


@pytest.mark.parametrize("plates", [ONE_PLATE, (*ONE_PLATE, "DN-C 4711")], ids=["1", "2"])
def test_version_for_one_and_two_plates(signing_key, plates):
    text = encode_pass(make_claims(plates=plates), signing_key)
    assert 9 <= qr_version(text) <= 11


@pytest.mark.parametrize(
    "plates",
    [FOUR_PLATES[:3], FOUR_PLATES, ("DN-AB 1234E", "DN-CD 5678E", "DN-EF 9012H", "DN-GH 3456E")],
    ids=["3", "4", "4-longest"],
)
def test_version_for_three_and_four_plates(signing_key, plates):
    # QR 11-Q holds 259 alphanumeric characters; three or four plates written with
    # the usual space need 262-286, so these passes use version 12 (65 modules).
    text = encode_pass(make_claims(plates=plates), signing_key)
    assert 9 <= qr_version(text) <= 12


def test_non_alphanumeric_text_refused():
    with pytest.raises(ValueError):
        make_qr("bpa1:lowercase")


@pytest.mark.parametrize("dpi", [300, 150, 96])
@pytest.mark.parametrize("plates", [ONE_PLATE, FOUR_PLATES], ids=["1-plate", "4-plates"])
def test_png_decodes_to_identical_text_and_verifies(signing_key, keyset, dpi, plates):
    text = encode_pass(make_claims(plates=plates), signing_key)
    qr = make_qr(text)
    scale = scale_for_print(qr, MIN_PRINT_WIDTH_MM, dpi)
    modules = qr.symbol_size(scale=1, border=0)[0]
    assert modules * scale / dpi * 25.4 >= MIN_PRINT_WIDTH_MM
    image = Image.open(io.BytesIO(png_bytes(qr, scale)))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in results] == [text]
    assert verify_pass(results[0].text, keyset, today=TODAY_IN_RANGE).valid


def test_scale_for_print():
    qr = make_qr("BPA1:" + "A" * 220)
    modules = qr.symbol_size(scale=1, border=0)[0]
    assert modules == 61  # version 11
    assert scale_for_print(qr, 35, 96) == 3  # 35 mm at 96 dpi = 132.3 px
    assert scale_for_print(qr, 35, 300) == 7  # 413.4 px


def test_svg_is_vector_at_print_size(signing_key):
    qr = make_qr(encode_pass(make_claims(), signing_key))
    svg = svg_text(qr, width_mm=40)
    modules = qr.symbol_size(scale=1, border=0)[0]
    width = float(re.search(r'width="([0-9.]+)mm"', svg).group(1))
    # 40 mm symbol plus 4 modules of quiet zone on each side.
    assert width == pytest.approx(40 * (modules + 8) / modules, abs=0.01)
    assert "<path" in svg and "<image" not in svg
    with pytest.raises(ValueError):
        svg_text(qr, width_mm=20)


def _dark_rows(svg: str) -> list[tuple[float, float, float]]:
    """The dark runs (x from, x to, row) that segno's SVG path draws, in modules."""
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    runs = []
    for command, args in re.findall(r"([MmHh])([-0-9. ]+)", path):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            runs.append((x, x + numbers[0], y))
            x += numbers[0]
    return runs


def test_svg_has_white_background_and_quiet_zone(signing_key):
    # Without a painted background the light modules and the quiet zone are
    # transparent: on a dark page or in a dark-mode viewer nothing can read the code.
    qr = make_qr(encode_pass(make_claims(), signing_key))
    svg = svg_text(qr)
    modules = qr.symbol_size(scale=1, border=0)[0]
    total = modules + 8
    background = re.search(r'<path fill="(#fff|#ffffff|white)" d="([^"]+)"', svg)
    assert background, "the SVG paints no white background"
    assert background.group(2).replace(".0", "") == f"M0 0h{total}v{total}h-{total}z"
    assert 'stroke="#000"' in svg
    runs = _dark_rows(svg)
    # Stroked rows are centred half a module below the row's top edge.
    left = min(start for start, _end, _row in runs)
    right = total - max(end for _start, end, _row in runs)
    top = min(row for _s, _e, row in runs) - 0.5
    bottom = total - (max(row for _s, _e, row in runs) + 0.5)
    assert min(left, right, top, bottom) >= 4
