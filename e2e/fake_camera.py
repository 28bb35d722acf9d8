"""A fake camera for Chromium: a short Y4M video of a QR code image.

Chromium plays the file instead of a camera when launched with
``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file.y4m>``
(and ``--use-fake-ui-for-media-stream`` to skip the permission prompt). The QR image is
drawn with segno exactly as the portal prints it, placed on a grey "windscreen"
background with a little sensor noise, so the reader does real work on every frame.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from app.passes.qr import make_qr

WIDTH, HEIGHT = 640, 480
FPS = 10


def qr_image(text: str, scale: int = 5) -> Image.Image:
    """The pass text as a black-on-white QR code with its 4-module quiet zone."""
    out = io.BytesIO()
    make_qr(text).save(out, kind="png", scale=scale, border=4)
    out.seek(0)
    return Image.open(out).convert("L")


def camera_frames(image: Image.Image, frames: int = 10, seed: int = 7) -> list[Image.Image]:
    """``frames`` slightly different RGB frames with ``image`` near the middle."""
    rng = random.Random(seed)
    if image.width > HEIGHT - 40:
        size = HEIGHT - 40
        image = image.resize((size, size), Image.NEAREST)
    result = []
    for index in range(frames):
        frame = Image.new("L", (WIDTH, HEIGHT), 150)
        dx, dy = rng.randint(-6, 6), rng.randint(-6, 6)
        frame.paste(image, ((WIDTH - image.width) // 2 + dx, (HEIGHT - image.height) // 2 + dy))
        # A touch of blur and noise, as from a phone camera behind glass.
        frame = frame.filter(ImageFilter.GaussianBlur(0.6 + 0.1 * (index % 3)))
        frame = ImageChops.add(frame, Image.effect_noise((WIDTH, HEIGHT), 8), 1.0, -128)
        result.append(frame.convert("RGB"))
    return result


def write_y4m(path: Path, frames: list[Image.Image], fps: int = FPS) -> Path:
    """Write RGB frames as a 4:2:0 Y4M file (the format Chromium's fake camera reads)."""
    width, height = frames[0].size
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for frame in frames:
            y, cb, cr = frame.convert("YCbCr").split()
            half = (width // 2, height // 2)
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize(half, Image.BILINEAR).tobytes())
            out.write(cr.resize(half, Image.BILINEAR).tobytes())
    return path


def fake_camera_video(text: str, path: Path) -> Path:
    """A Y4M video showing the QR code of ``text``; returns ``path``."""
    return write_y4m(path, camera_frames(qr_image(text)))
