"""QR rendering of pass text: alphanumeric mode, error correction level Q.

Base45 and the ``BPA1:`` prefix only use QR alphanumeric characters, so the
whole text fits the 5.5 bits/char alphanumeric mode. Level Q (25 % recovery)
survives creases and dirt on a windscreen print; ``boost_error=False`` keeps the
level fixed so every pass of the same size has a predictable symbol version.
"""

from __future__ import annotations

import io
import math
import os

import segno

ERROR_LEVEL = "q"
QUIET_ZONE = 4  # modules; the minimum ISO/IEC 18004 requires
MM_PER_INCH = 25.4
MIN_PRINT_WIDTH_MM = 35.0
DARK = "#000"
LIGHT = "#fff"
ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def make_qr(text: str) -> segno.QRCode:
    """Build the QR symbol for pass text (raises ValueError for non-alphanumeric text)."""
    if not ALPHANUMERIC.issuperset(text):
        raise ValueError("pass text must consist of QR alphanumeric characters")
    return segno.make(text, mode="alphanumeric", error=ERROR_LEVEL, boost_error=False, micro=False)


def qr_version(text: str) -> int:
    """Return the QR version (1-40) the pass text needs."""
    return int(make_qr(text).version)


def scale_for_print(qr: segno.QRCode, width_mm: float, dpi: int) -> int:
    """Pixels per module so that the symbol (without quiet zone) is at least ``width_mm`` wide."""
    modules = qr.symbol_size(scale=1, border=0)[0]
    return max(1, math.ceil(width_mm / MM_PER_INCH * dpi / modules))


def png_bytes(qr: segno.QRCode, scale: int, border: int = QUIET_ZONE) -> bytes:
    """Render the symbol as a black-on-white PNG with ``scale`` pixels per module."""
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def write_png(
    qr: segno.QRCode, path: str | os.PathLike[str], scale: int, border: int = QUIET_ZONE
) -> None:
    """Write the symbol as PNG to ``path``."""
    qr.save(path, kind="png", scale=scale, border=border)


def svg_text(
    qr: segno.QRCode, width_mm: float = MIN_PRINT_WIDTH_MM, border: int = QUIET_ZONE
) -> str:
    """Return a standalone SVG whose symbol (quiet zone excluded) is ``width_mm`` wide.

    Sizes are in millimetres so a PDF renderer prints the code at its true size.
    The light modules and the quiet zone are painted white: left transparent, a code
    shown on a dark page or a dark-mode viewer has no contrast and no quiet zone, and
    scanners cannot read it.
    """
    if width_mm < MIN_PRINT_WIDTH_MM:
        raise ValueError(f"print the pass QR at least {MIN_PRINT_WIDTH_MM} mm wide")
    modules = qr.symbol_size(scale=1, border=0)[0]
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=width_mm / modules,
        border=border,
        dark=DARK,
        light=LIGHT,
        unit="mm",
        xmldecl=False,
        title="Parkausweis-QR-Code",
    )
    return out.getvalue().decode("utf-8")
