"""Uploads: type from the bytes, size limit, owner-only, referenced from the answers."""

from __future__ import annotations

import io

from tests.api.engine_helpers import save, start

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(api, draft, content: bytes, name: str = "datei.pdf", field_id: str = "proof"):
    return api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": field_id, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_upload_use_download_remove(signed_in):
    api = signed_in("up@example.org")
    draft = start(api, "dog_tax_deregistration", {"reason": "given_away"})
    response = upload(api, draft, PDF, "../../etc/Übergabe\x00.pdf")
    assert response.status_code == 201
    meta = response.get_json()
    assert meta["content_type"] == "application/pdf" and meta["filename"] == "Übergabe.pdf"
    saved = save(
        api,
        draft,
        {
            "reason": "given_away",
            "proof": [
                {
                    "upload_id": meta["upload_id"],
                    "filename": "x",
                    "content_type": "text/html",
                    "size": 1,
                }
            ],
        },
    )
    assert saved.status_code == 200
    # The server's record wins over what the client claims.
    assert saved.get_json()["answers"]["proof"][0]["content_type"] == "application/pdf"
    download = api.get(f"/api/applications/{draft['id']}/attachments/{meta['upload_id']}")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert (
        api.delete(f"/api/applications/{draft['id']}/attachments/{meta['upload_id']}").status_code
        == 204
    )
    assert (
        api.get(f"/api/applications/{draft['id']}/attachments/{meta['upload_id']}").status_code
        == 404
    )


def test_disguised_and_empty_files_are_refused(signed_in):
    api = signed_in("fake@example.org")
    draft = start(api, "dog_tax_deregistration")
    disguised = upload(api, draft, b"MZ\x90\x00 this is a program", "rechnung.pdf")
    assert disguised.status_code == 422 and disguised.get_json()["errors"][0]["code"] == "file_type"
    html = upload(api, draft, b"<html><script>alert(1)</script></html>", "bild.png")
    assert html.status_code == 422
    assert upload(api, draft, b"", "leer.pdf").get_json()["errors"][0]["code"] == "file_empty"
    assert upload(api, draft, PDF, field_id="dog_name").status_code == 422
    missing = api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof"},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422


def test_oversized_upload_is_refused(signed_in, app):
    api = signed_in("big@example.org")
    draft = start(api, "dog_tax_deregistration")
    big = PDF + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = upload(api, draft, big)
    assert response.status_code in (413, 422)


def test_foreign_upload_id_cannot_be_referenced(signed_in):
    alice, bob = signed_in("a@example.org"), signed_in("b@example.org")
    alice_draft = start(alice, "dog_tax_deregistration")
    meta = upload(alice, alice_draft, PDF).get_json()
    bob_draft = start(bob, "dog_tax_deregistration")
    response = save(bob, bob_draft, {"proof": [{"upload_id": meta["upload_id"]}]})
    assert (
        response.status_code == 422 and response.get_json()["errors"][0]["code"] == "file.invalid"
    )
