"""No stored file outlives its row: every way rows that own files are deleted.

Each test uploads real files through the API, deletes through one path and checks the
storage (whichever backend the tests run with): the files of deleted rows are gone,
every other file still has its row, and a deletion that rolls back keeps rows and files
together.
"""

from __future__ import annotations

import io
import os
import re
import time
from datetime import UTC, datetime

import pytest

from app import events, storage
from app.db import db
from app.models import Application, Attachment, Document, Payment, StoredFile, User
from app.storage.local import LocalStorage
from tests.api.engine_helpers import save, start
from tests.api.service_answers import complete_answers

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class Rollback(Exception):
    pass


def upload(api, draft, content: bytes = PDF, name: str = "nachweis.pdf") -> str:
    response = api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["upload_id"]


def ref(upload_id: str) -> dict:
    """A file answer as the form sends it (the server fills in its own metadata)."""
    return {"upload_id": upload_id, "filename": "x", "content_type": "x", "size": 1}


def stored(app, kind: str) -> set[str]:
    return {key.split("/", 1)[1] for key in storage.for_config(app.config).keys(f"{kind}/")}


def age(app, key: str, seconds: int) -> None:
    """Make the stored file ``key`` look ``seconds`` old."""
    store = storage.for_config(app.config)
    moment = time.time() - seconds
    if isinstance(store, LocalStorage):
        os.utime(store.path(key), (moment, moment))
        return
    with db.connection_context():
        StoredFile.update(
            modified_at=datetime.fromtimestamp(moment, UTC).replace(tzinfo=None)
        ).where(StoredFile.key == key).execute()


def orphaned(app) -> list[str]:
    """Files under the storage folders whose owning row does not exist."""
    found = []
    with db.connection_context():
        for name in stored(app, "attachments"):
            if Attachment.get_or_none(Attachment.id == name) is None:
                found.append(f"attachments/{name}")
        for name in stored(app, "documents"):
            receipt = re.fullmatch(r"payment-receipt-(.+)\.pdf", name)
            owner = (
                Payment.get_or_none(Payment.public_id == receipt[1])
                if receipt
                else Document.get_or_none(Document.id == name)
            )
            if owner is None:
                found.append(f"documents/{name}")
    return found


def _draft_with_proof(api) -> tuple[dict, str]:
    draft = start(api, "dog_tax_deregistration", {"reason": "given_away"})
    return draft, upload(api, draft)


def test_deleting_a_draft_deletes_its_uploads(signed_in, app):
    citizen = signed_in("entwurf@example.org")
    other = signed_in("nachbar@example.org")
    draft, first = _draft_with_proof(citizen)
    second = upload(citizen, draft, PNG, "foto.png")
    _kept_draft, kept = _draft_with_proof(other)
    assert {first, second, kept} <= stored(app, "attachments")

    assert citizen.delete(f"/api/applications/{draft['id']}").status_code == 204

    assert stored(app, "attachments") == {kept}
    assert orphaned(app) == []


def test_a_draft_deletion_that_rolls_back_keeps_its_files(signed_in, app):
    from app.applications import drafts

    citizen = signed_in("zurueckgerollt@example.org")
    draft, proof = _draft_with_proof(citizen)
    with app.app_context(), db.connection_context():
        user = User.get(User.email == "zurueckgerollt@example.org")
        with pytest.raises(Rollback), db.atomic():
            drafts.delete_draft(user, draft["id"])
            raise Rollback
        assert Application.get_or_none(Application.id == draft["id"]) is not None
    assert proof in stored(app, "attachments")
    assert citizen.get(f"/api/applications/{draft['id']}/attachments/{proof}").data == PDF


def test_removing_or_replacing_an_upload_deletes_its_file(signed_in, app):
    from app.applications import attachments

    citizen = signed_in("ersetzen@example.org")
    draft, old = _draft_with_proof(citizen)
    # Removed through the API.
    url = f"/api/applications/{draft['id']}/attachments/{old}"
    assert citizen.delete(url).status_code == 204
    assert old not in stored(app, "attachments")
    # Replaced in the form: the answers named one file, now another.
    first = upload(citizen, draft)
    draft = save(citizen, draft, {"reason": "given_away", "proof": [ref(first)]})
    draft = draft.get_json()
    second = upload(citizen, draft, PNG, "besser.png")
    pending = upload(citizen, draft)  # uploaded, its answer not saved yet
    replaced = save(citizen, draft, {"reason": "given_away", "proof": [ref(second)]})
    assert replaced.status_code == 200
    assert stored(app, "attachments") == {second, pending}
    assert orphaned(app) == []
    # A removal that rolls back keeps the file.
    with app.app_context(), db.connection_context():
        application = Application.get_by_id(draft["id"])
        with pytest.raises(Rollback), db.atomic():
            attachments.remove_attachment(application, second)
            raise Rollback
    assert second in stored(app, "attachments")


def test_uploads_the_answers_do_not_use_go_at_submission(signed_in, app):
    citizen = signed_in("abgeben@example.org")
    answers = complete_answers("dog_tax_deregistration")
    draft = start(citizen, "dog_tax_deregistration", answers)
    used = upload(citizen, draft)
    unused = upload(citizen, draft, PNG, "vergessen.png")
    draft = save(citizen, draft, answers | {"proof": [ref(used)]}).get_json()
    submitted = citizen.post(f"/api/applications/{draft['id']}/submit")
    assert submitted.status_code == 201, submitted.get_json()
    assert stored(app, "attachments") == {used}
    assert unused not in stored(app, "attachments")
    assert orphaned(app) == []
    clerk = signed_in("sachbearbeitung@example.org", "staff", ("hundesteuer",))
    reference = submitted.get_json()["reference"]
    detail = clerk.get(f"/api/staff/applications/{reference}").get_json()
    assert [a["upload_id"] for a in detail["attachments"]] == [used]


def test_withdrawing_keeps_the_files_with_the_record(signed_in, app):
    citizen = signed_in("zurueckziehen@example.org")
    answers = complete_answers("dog_tax_deregistration")
    draft = start(citizen, "dog_tax_deregistration", answers)
    proof = upload(citizen, draft)
    draft = save(citizen, draft, answers | {"proof": [ref(proof)]}).get_json()
    assert citizen.post(f"/api/applications/{draft['id']}/submit").status_code == 201
    withdrawn = citizen.post(
        f"/api/applications/{draft['id']}/transitions", json={"to": "withdrawn"}
    )
    assert withdrawn.status_code == 200, withdrawn.get_json()
    # The withdrawn application is a filed record the city keeps: its rows stay, so do
    # their files (they go when the rows go).
    assert proof in stored(app, "attachments")
    assert orphaned(app) == []


def _account_with_files(signed_in, app, email: str) -> dict[str, str]:
    from app.applications.documents import store_document

    citizen = signed_in(email)
    answers = complete_answers("dog_tax_deregistration")
    filed = start(citizen, "dog_tax_deregistration", answers)
    filed_proof = upload(citizen, filed)
    filed = save(citizen, filed, answers | {"proof": [ref(filed_proof)]}).get_json()
    assert citizen.post(f"/api/applications/{filed['id']}/submit").status_code == 201
    _draft, draft_proof = _draft_with_proof(citizen)
    with app.app_context(), db.connection_context():
        user = User.get(User.email == email)
        own = store_document(user, "payment_receipt", "Zahlungsbeleg.pdf", PDF)
        receipt = Document.get(Document.application == filed["id"])
    return {
        "filed_proof": filed_proof,
        "draft_proof": draft_proof,
        "own_document": own.id,
        "filed_receipt": receipt.id,
    }


def test_account_deletion_deletes_the_files_of_what_goes(signed_in, app):
    email = "konto-weg@example.org"
    files = _account_with_files(signed_in, app, email)
    citizen = signed_in(email)

    assert citizen.delete("/api/account", json={"confirm_email": email}).status_code == 204

    # The filed application stays with the city (closed record), with its files.
    assert stored(app, "attachments") == {files["filed_proof"]}
    assert stored(app, "documents") == {files["filed_receipt"]}
    assert orphaned(app) == []


def test_an_account_deletion_that_fails_keeps_every_file(signed_in, app):
    from app.accounts import privacy

    email = "konto-bleibt@example.org"
    files = _account_with_files(signed_in, app, email)
    before = (stored(app, "attachments"), stored(app, "documents"))

    def fail(user) -> None:
        raise RuntimeError("a later step of the deletion failed")

    events.subscribe("account.deleting")(fail)
    try:
        with app.app_context(), db.connection_context():
            user = User.get(User.email == email)
            with pytest.raises(RuntimeError):
                privacy.delete_account(user, email)
            assert User.get_or_none(User.email == email) is not None
    finally:
        events._handlers["account.deleting"].remove(fail)
    assert (stored(app, "attachments"), stored(app, "documents")) == before
    assert files["draft_proof"] in before[0] and files["own_document"] in before[1]
    assert orphaned(app) == []


def test_the_sweep_removes_old_orphans_only(signed_in, app):
    from app import stored_files

    citizen = signed_in("sweep@example.org")
    draft, owned = _draft_with_proof(citizen)
    lost = upload(citizen, draft, PNG, "verwaist.png")
    # A crash between the commit and the unlink: the row is gone, the file is not.
    with db.connection_context():
        Attachment.delete().where(Attachment.id == lost).execute()
    store = storage.for_config(app.config)
    old_orphans = [
        f"attachments/{lost}",
        "documents/ohne-zeile",
        "documents/payment-receipt-gibtesnicht.pdf",
    ]
    young_orphan = "attachments/gerade-geschrieben"
    for key in [*old_orphans[1:], young_orphan]:
        store.put(key, PDF)
    for key in [*old_orphans, f"attachments/{owned}"]:
        age(app, key, 2 * 3600)

    with app.app_context(), db.connection_context():
        removed = stored_files.sweep_orphaned_files.call_local()

    assert removed == 3
    assert not any(store.exists(key) for key in old_orphans)
    # A young file may belong to a row whose transaction has not committed yet.
    assert store.exists(young_orphan)
    store.delete(young_orphan)
    assert stored(app, "attachments") == {owned}
    assert orphaned(app) == []
