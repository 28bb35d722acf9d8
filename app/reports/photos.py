"""Photos of defect reports: checked by their content (not the name or the type the
client claims), turned upright, scaled down and stored as a fresh JPEG, which carries
none of the original's metadata (GPS position, camera, owner)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.errors import FieldError
from app.reports.settings import MAX_PHOTO_BYTES, PHOTO_MAX_SIDE

# Formats a phone camera or the PWA's canvas produces.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Refuse images that decode to absurd sizes (decompression bombs) before decoding.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: JPEG bytes without metadata, and its size."""

    data: bytes
    width: int
    height: int


def clean(content: bytes, field: str) -> CleanPhoto:
    """Check one upload and re-encode it; a ``FieldError`` on ``field`` when it is not
    a photo we take (too large, not an image, an unknown format)."""
    if len(content) > MAX_PHOTO_BYTES:
        raise PhotoRefused(FieldError(field, "report_photo_too_large", {"max_mb": 8}))
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRefused(FieldError(field, "report_photo_type"))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(FieldError(field, "report_photo_too_large", {"max_mb": 8}))
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoRefused(FieldError(field, "report_photo_type")) from exc
    upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the new file carries no metadata at all.
    upright.save(out, "JPEG", quality=82, optimize=True)
    return CleanPhoto(out.getvalue(), upright.width, upright.height)


class PhotoRefused(Exception):
    """An upload that is not a photo we take."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.code)
        self.error = error
