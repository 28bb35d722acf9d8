"""Photos lose every piece of metadata on the server (GPS position, camera), are scaled
down, and only real images are taken."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.reports import photos
from app.reports.settings import PHOTO_MAX_SIDE
from tests.reports.photos import GPS_IFD, MAKE, jpeg_with_gps, png


def test_gps_and_camera_exif_are_stripped_and_the_photo_scaled_down():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the fixture really carries a position
        assert before.getexif()[MAKE] == "Phonemaker"
    cleaned = photos.clean(original, "photos.0")
    with Image.open(io.BytesIO(cleaned.data)) as after:
        assert after.format == "JPEG"
        assert not after.getexif()
        assert "exif" not in after.info and "icc_profile" not in after.info
        assert max(after.size) == PHOTO_MAX_SIDE == max(cleaned.width, cleaned.height)
    assert b"Phonemaker" not in cleaned.data and b"Camera 12" not in cleaned.data


def test_a_png_becomes_a_jpeg():
    cleaned = photos.clean(png(), "photos.0")
    assert cleaned.data.startswith(b"\xff\xd8") and (cleaned.width, cleaned.height) == (40, 30)


@pytest.mark.parametrize(
    "content",
    [b"GIF89a not really", b"%PDF-1.7 a document", b"", b"\xff\xd8\xff broken jpeg"],
)
def test_anything_but_a_photo_is_refused_for_its_field(content):
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.clean(content, "photos.1")
    assert (refused.value.error.field, refused.value.error.code) == (
        "photos.1",
        "report_photo_type",
    )


def test_a_gif_is_refused_even_though_it_is_an_image():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(photos.PhotoRefused):
        photos.clean(out.getvalue(), "photos.0")


def test_too_large_uploads_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100)
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.clean(jpeg_with_gps((200, 200)), "photos.0")
    assert refused.value.error.code == "report_photo_too_large"
