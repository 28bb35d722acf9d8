"""Downloads stream from the storage (whichever the tests run with): headers as before,
the file in pieces, never whole in memory; only to the entitled reader."""

from __future__ import annotations

import hashlib
import tracemalloc

from app import storage
from app.db import db
from app.models import Document, User
from tests.app.storage.test_contract import MB, Pattern, expected


def _big_document(app, email: str, size: int) -> Document:
    with db.connection_context():
        user = User.get(User.email == email)
        document = Document.create(
            user=user,
            kind="decision_notice",
            filename="Bescheid.pdf",
            content_type="application/pdf",
            size=size,
            sha256="",
        )
    storage.for_config(app.config).put(f"documents/{document.id}", Pattern(size))
    return document


def test_a_20_mb_document_is_streamed_not_loaded(app, signed_in):
    citizen = signed_in("gross@example.org")
    size = 20 * MB
    document = _big_document(app, "gross@example.org", size)

    tracemalloc.start()
    try:
        response = citizen.get(f"/api/documents/{document.id}", buffered=False)
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str(size)
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert response.headers["Cache-Control"] == "private, no-store"
        digest, received, pieces = hashlib.sha256(), 0, 0
        for piece in response.response:
            digest.update(piece)
            received += len(piece)
            pieces += 1
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size and pieces > 20
    assert digest.hexdigest() == hashlib.sha256(expected(size)).hexdigest()
    assert peak < 6 * MB, peak


def test_only_the_owner_gets_the_document(app, signed_in):
    owner = signed_in("eigen@example.org")
    other = signed_in("fremd@example.org")
    document = _big_document(app, "eigen@example.org", 1000)
    assert other.get(f"/api/documents/{document.id}").status_code == 404
    assert owner.get(f"/api/documents/{document.id}").data == expected(1000)


def test_a_row_whose_file_is_gone_is_a_404_not_a_500(app, signed_in):
    owner = signed_in("weg@example.org")
    document = _big_document(app, "weg@example.org", 10)
    storage.for_config(app.config).delete(f"documents/{document.id}")
    assert owner.get(f"/api/documents/{document.id}").status_code == 404


def test_a_private_download_answers_if_none_match(app):
    from api.downloads import private_download

    storage.for_config(app.config).put("treasury/pain008-test.xml", b"<Document/>")
    with app.test_request_context("/"):
        first = private_download("treasury/pain008-test.xml", "application/xml", "pain008.xml")
        assert first.status_code == 200 and b"".join(first.response) == b"<Document/>"
        first.close()
        etag = first.headers["ETag"]
        assert first.headers["Content-Length"] == "11"
        assert first.headers["Cache-Control"] == "no-store"
        assert first.headers["Last-Modified"]
    with app.test_request_context("/", headers={"If-None-Match": etag}):
        again = private_download("treasury/pain008-test.xml", "application/xml", "pain008.xml")
        assert again.status_code == 304
        again.close()
    storage.for_config(app.config).put("treasury/pain008-test.xml", b"<Document>neu</Document>")
    with app.test_request_context("/", headers={"If-None-Match": etag}):
        changed = private_download("treasury/pain008-test.xml", "application/xml", "pain008.xml")
        assert changed.status_code == 200
        changed.close()
