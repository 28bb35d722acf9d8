"""Helpers of the resident parking tests: answers, applying, the simulated payment,
the published documents as a scanner gets them, QR decoding and PDF rasterising."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from app.applications.lifecycle import enter_workflow
from app.db import db
from app.models import Application
from app.passes import parse_keyset, parse_revocation_list

SERVICE = "resident_parking"

ANSWERS: dict[str, Any] = {
    "residence": {"street": "Markt", "house_number": "3"},
    "main_residence": True,
    "plate": "DN-AB 123",
    "holder": "registered",
    "months": 12,
    "truthful": True,
}


def answers(**changes: Any) -> dict[str, Any]:
    """Complete answers (Markt 3, zone A, one plate registered to the applicant) with changes."""
    result = copy.deepcopy(ANSWERS)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def draft(api, given: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post(
        "/api/applications", json={"service_id": SERVICE, "answers": given or answers()}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def submit(api, application_id: str, key: str = "parking-1"):
    return api.post(f"/api/applications/{application_id}/submit", headers={"Idempotency-Key": key})


def apply(api, given: dict[str, Any] | None = None, key: str = "parking-1") -> dict[str, Any]:
    """Draft and submit; the application then waits for the fee."""
    created = draft(api, given)
    response = submit(api, created["id"], key)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "awaiting_payment"
    return body


def pay(application_id: str) -> None:
    """Simulate the successful payment: exactly what the payment hook does."""
    with db.connection_context():
        enter_workflow(Application.get_by_id(application_id))


def apply_and_pay(api, given: dict[str, Any] | None = None, key: str = "parking-1"):
    application = apply(api, given, key)
    pay(application["id"])
    return api.get(f"/api/applications/{application['id']}").get_json()


def only_permit(api) -> dict[str, Any]:
    permits = api.get("/api/parking/permits").get_json()
    assert len(permits) == 1, permits
    return permits[0]


def published_keyset(client):
    """The key set exactly as served (and nothing else: no private key material)."""
    response = client.get("/api/passes/keyset")
    assert response.status_code == 200
    return parse_keyset(response.get_data(as_text=True))


def revocation_list(client, keyset, since: int | None = None):
    path = "/api/passes/revocations" + (f"?since={since}" if since is not None else "")
    response = client.get(path)
    assert response.status_code == 200, response.get_data()
    assert response.mimetype == "application/cose"
    return parse_revocation_list(response.get_data(), keyset)


def decode_qr(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp finds in the image."""
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [r.text for r in results]


def png_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def rasterise_pdf(pdf: bytes, dpi: int, grey: bool = True) -> list[Image.Image]:
    """The PDF's pages as images, greyscale unless ``grey`` is False (pypdfium2;
    Poppler's pdftoppm as fallback)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        pdfium = None
    if pdfium is not None:
        document = pdfium.PdfDocument(pdf)
        try:
            pages = [page.render(scale=dpi / 72, grayscale=grey).to_pil() for page in document]
            return [page.convert("L" if grey else "RGB") for page in pages]
        finally:
            document.close()
    if shutil.which("pdftoppm") is None:
        pytest.fail("rasterising the PDF needs pypdfium2 (pip) or pdftoppm (poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pass.pdf"
        source.write_bytes(pdf)
        options = ["-r", str(dpi), "-png", *(["-gray"] if grey else [])]
        subprocess.run(["pdftoppm", *options, str(source), str(Path(folder) / "p")], check=True)
        mode = "L" if grey else "RGB"
        return [Image.open(path).convert(mode) for path in sorted(Path(folder).glob("p*.png"))]
