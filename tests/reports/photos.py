"""Photos for the tests: real JPEGs made with Pillow, one carrying GPS and camera EXIF."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
MAKE, MODEL = 0x010F, 0x0110


def jpeg_with_gps(size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A JPEG as a phone takes it: camera make and model, and a GPS position."""
    image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[MAKE] = "Phonemaker"
    exif[MODEL] = "Camera 12"
    exif[GPS_IFD] = {1: "N", 2: (50.0, 48.0, 12.5), 3: "E", 4: (6.0, 29.0, 3.1)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    """A small PNG (as the PWA's canvas may send)."""
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, "PNG")
    return out.getvalue()
