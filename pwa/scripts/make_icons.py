"""Draws the app icons (town hall on the city blue) into pwa/public/icons.

Run after changing the design: ``.venv/bin/python pwa/scripts/make_icons.py``.
The PNGs are small and kept in the repository, so building the app needs no Python.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "public" / "icons"
BLUE = (0, 75, 118, 255)
WHITE = (255, 255, 255, 255)
SCALE = 4  # draw large, then shrink: smooth edges without an anti-aliasing library


def town_hall(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    """A pediment, four columns and steps inside ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.polygon([(x0 + w * 0.5, y0), (x1, y0 + h * 0.3), (x0, y0 + h * 0.3)], fill=WHITE)
    draw.rectangle([x0 + w * 0.04, y0 + h * 0.34, x1 - w * 0.04, y0 + h * 0.4], fill=WHITE)
    column_w = w * 0.12
    gap = (w * 0.84 - 4 * column_w) / 3
    for i in range(4):
        cx = x0 + w * 0.08 + i * (column_w + gap)
        draw.rectangle([cx, y0 + h * 0.44, cx + column_w, y0 + h * 0.84], fill=WHITE)
    draw.rectangle([x0 + w * 0.04, y0 + h * 0.88, x1 - w * 0.04, y0 + h * 0.93], fill=WHITE)
    draw.rectangle([x0, y0 + h * 0.95, x1, y1], fill=WHITE)


def document(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.rounded_rectangle([x0 + w * 0.15, y0, x1 - w * 0.15, y1], radius=w * 0.06, fill=WHITE)
    for i in range(4):
        y = y0 + h * (0.22 + i * 0.17)
        draw.rectangle([x0 + w * 0.27, y, x1 - w * 0.27, y + h * 0.06], fill=BLUE)


def envelope(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    top, bottom = y0 + h * 0.2, y1 - h * 0.2
    draw.rounded_rectangle([x0, top, x1, bottom], radius=w * 0.05, fill=WHITE)
    draw.line(
        [(x0, top), (x0 + w / 2, top + (bottom - top) * 0.55), (x1, top)],
        fill=BLUE,
        width=int(w * 0.07),
    )


def question(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.ellipse([x0, y0, x1, y1], fill=WHITE)
    stroke = int(w * 0.1)
    draw.arc(
        [x0 + w * 0.3, y0 + w * 0.18, x1 - w * 0.3, y0 + w * 0.58],
        start=180,
        end=90,
        fill=BLUE,
        width=stroke,
    )
    draw.rectangle([x0 + w * 0.45, y0 + w * 0.52, x0 + w * 0.55, y0 + w * 0.66], fill=BLUE)
    draw.ellipse([x0 + w * 0.44, y0 + w * 0.72, x0 + w * 0.56, y0 + w * 0.84], fill=BLUE)


def icon(size: int, glyph, inset: float, rounded: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.18, fill=BLUE)
    else:
        draw.rectangle([0, 0, big, big], fill=BLUE)
    margin = big * inset
    glyph(draw, (margin, margin, big - margin, big - margin))
    return image.resize((size, size), Image.LANCZOS)


def badge(size: int) -> Image.Image:
    """The notification badge: the town hall alone, white on transparent. Android shows
    only its shape (the alpha channel), tinted, in the status bar."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    margin = big * 0.08
    town_hall(ImageDraw.Draw(image), (margin, margin, big - margin, big - margin))
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, town_hall, 0.2, True).save(OUT / "icon-192.png", optimize=True)
    icon(512, town_hall, 0.2, True).save(OUT / "icon-512.png", optimize=True)
    # Maskable: full bleed, the glyph inside the central safe zone (80 % circle).
    icon(512, town_hall, 0.3, False).save(OUT / "maskable-512.png", optimize=True)
    icon(180, town_hall, 0.2, False).convert("RGB").save(
        OUT / "apple-touch-icon.png", optimize=True
    )
    icon(96, document, 0.18, True).save(OUT / "shortcut-applications-96.png", optimize=True)
    icon(96, envelope, 0.16, True).save(OUT / "shortcut-inbox-96.png", optimize=True)
    icon(96, question, 0.18, True).save(OUT / "shortcut-help-96.png", optimize=True)
    badge(72).save(OUT / "badge-72.png", optimize=True)


if __name__ == "__main__":
    main()
