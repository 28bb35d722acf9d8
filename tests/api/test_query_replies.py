"""A citizen answers a clerk's query with text and files: sent once, back to the clerk,
marked in the queue until a clerk opens the case, files never sent removed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app import storage
from app.applications import replies
from app.db import db, utcnow
from app.models import Application, ApplicationEvent, Attachment, AuditEvent
from tests.api.engine_helpers import submitted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("hundesteuer", "abfall"))


def _query(citizen, clerk, service_id: str = "waste_bins", key: str = "submit-1"):
    """A submitted application on which the clerk has asked a question."""
    application = submitted(citizen, service_id, key=key)
    ref = application["reference"]
    for to, message in (("in_review", ""), ("info_requested", "Bitte senden Sie den Beleg.")):
        response = clerk.post(
            f"/api/staff/applications/{ref}/transitions", json={"to": to, "message": message}
        )
        assert response.status_code == 200, response.get_json()
    return application


def _upload(api, application, content: bytes = PDF, name: str = "beleg.pdf"):
    return api.post(
        f"/api/applications/{application['id']}/reply-files",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _reply(api, application, message: str = "", upload_ids=(), key: str | None = "reply-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return api.post(
        f"/api/applications/{application['id']}/replies",
        json={"message": message, "upload_ids": list(upload_ids)},
        headers=headers,
    )


def _stored(app, attachment_id: str) -> bool:
    return storage.for_config(app.config).exists(f"attachments/{attachment_id}")


def _queue_item(clerk, reference: str) -> dict:
    items = clerk.get("/api/staff/applications?limit=200").get_json()["items"]
    return next(item for item in items if item["reference"] == reference)


def test_reply_with_files_goes_back_to_the_clerk(signed_in, clerk, app):
    citizen = signed_in("reply@example.org")
    application = _query(citizen, clerk)
    mine = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert mine["reply_to"] == "in_review"
    first = _upload(citizen, application, PDF, "../Beleg\x00.pdf")
    second = _upload(citizen, application, PNG, "foto.png")
    assert first.status_code == 201 and second.status_code == 201
    assert first.get_json()["filename"] == "Beleg.pdf"
    assert second.get_json()["content_type"] == "image/png"
    ids = [first.get_json()["upload_id"], second.get_json()["upload_id"]]
    unsent = citizen.get(f"/api/applications/{application['id']}/reply-files").get_json()
    assert [f["upload_id"] for f in unsent] == ids

    response = _reply(citizen, application, "  Hier ist der Beleg.  ", ids)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["message"] == "Hier ist der Beleg."
    assert [f["upload_id"] for f in body["files"]] == ids
    assert body["application"]["status"] == "in_review"
    assert body["application"]["reply_to"] is None
    assert citizen.get(f"/api/applications/{application['id']}/reply-files").get_json() == []

    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    reply = next(e for e in timeline if e["kind"] == "reply")
    assert reply["message"] == "Hier ist der Beleg." and reply["by"] == "citizen"
    assert [f["filename"] for f in reply["files"]] == ["Beleg.pdf", "foto.png"]
    # The status change follows the reply, once, along the workflow's citizen row.
    assert [e["to_status"] for e in timeline if e["kind"] == "status"][-1] == "in_review"
    # The citizen can fetch what they sent.
    own = citizen.get(f"/api/applications/{application['id']}/attachments/{ids[0]}")
    assert own.status_code == 200 and own.data == PDF

    assert _queue_item(clerk, application["reference"])["citizen_replied"] is True
    detail = clerk.get(f"/api/staff/applications/{application['reference']}").get_json()
    listed = {a["upload_id"]: a for a in detail["attachments"]}
    assert set(listed) == set(ids) and all(a["sent_with_reply"] for a in listed.values())
    staff_reply = next(e for e in detail["history"] if e["kind"] == "reply")
    assert staff_reply["message"] == "Hier ist der Beleg."
    assert [f["upload_id"] for f in staff_reply["files"]] == ids
    # Opening the case took the mark off the queue row.
    assert _queue_item(clerk, application["reference"])["citizen_replied"] is False


def test_a_retried_reply_is_sent_once(signed_in, clerk):
    citizen = signed_in("retry@example.org")
    application = _query(citizen, clerk)
    upload_id = _upload(citizen, application).get_json()["upload_id"]
    first = _reply(citizen, application, "Anbei.", [upload_id], key="same-key")
    again = _reply(citizen, application, "Anbei.", [upload_id], key="same-key")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["at"] == first.get_json()["at"]
    assert [f["upload_id"] for f in again.get_json()["files"]] == [upload_id]
    with db.connection_context():
        record = Application.get_by_id(application["id"])
        assert (
            ApplicationEvent.select()
            .where((ApplicationEvent.application == record) & (ApplicationEvent.kind == "reply"))
            .count()
            == 1
        )
        assert (
            ApplicationEvent.select()
            .where(
                (ApplicationEvent.application == record)
                & (ApplicationEvent.kind == "status")
                & (ApplicationEvent.from_status == "info_requested")
            )
            .count()
            == 1
        )
    # A second reply under a new key finds no open query.
    other = _reply(citizen, application, "Noch etwas.", key="other-key")
    assert other.status_code == 409 and other.get_json()["code"] == "no_open_query"


def test_no_reply_without_an_open_query(signed_in, clerk):
    citizen = signed_in("early@example.org")
    application = submitted(citizen, "waste_bins")
    mine = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert mine["reply_to"] is None
    refused = _reply(citizen, application, "Hallo?")
    assert refused.status_code == 409 and refused.get_json()["code"] == "no_open_query"
    upload = _upload(citizen, application)
    assert upload.status_code == 409
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "submitted"
        assert Attachment.select().count() == 0
        assert ApplicationEvent.select().where(ApplicationEvent.kind == "reply").count() == 0


def test_another_citizens_case_is_not_found(signed_in, clerk):
    owner, stranger = signed_in("owner@example.org"), signed_in("stranger@example.org")
    application = _query(owner, clerk)
    assert _upload(stranger, application).status_code == 404
    assert _reply(stranger, application, "Ich auch.").status_code == 404
    upload_id = _upload(owner, application).get_json()["upload_id"]
    assert (
        stranger.delete(
            f"/api/applications/{application['id']}/reply-files/{upload_id}"
        ).status_code
        == 404
    )
    # Nor can a stranger send the owner's file with a reply to their own query.
    own = _query(stranger, clerk, key="submit-2")
    foreign = _reply(stranger, own, "Fremde Datei", [upload_id])
    assert foreign.status_code == 422
    assert foreign.get_json()["errors"][0]["field"] == "upload_ids"
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "info_requested"
        assert Application.get_by_id(own["id"]).status == "info_requested"


def test_bad_files_get_field_errors_and_store_nothing(signed_in, clerk, app):
    citizen = signed_in("badfile@example.org")
    application = _query(citizen, clerk)
    disguised = _upload(citizen, application, b"MZ\x90\x00 program", "beleg.pdf")
    assert disguised.status_code == 422
    error = disguised.get_json()["errors"][0]
    assert error["field"] == "file" and error["code"] == "file_type"
    english = citizen.post(
        f"/api/applications/{application['id']}/reply-files",
        data={"file": (io.BytesIO(b"<html></html>"), "x.pdf")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert "Allowed" in english.get_json()["errors"][0]["message"]
    assert _upload(citizen, application, b"", "leer.pdf").get_json()["errors"][0]["code"] == (
        "file_empty"
    )
    limit = replies.accepted(_definition(application))[1]
    too_big = _upload(citizen, application, PDF + b"0" * limit)
    assert too_big.status_code in (413, 422)
    empty = _reply(citizen, application, "   ")
    assert empty.status_code == 422 and empty.get_json()["errors"][0]["code"] == "reply_empty"
    with db.connection_context():
        assert Attachment.select().count() == 0
        assert Application.get_by_id(application["id"]).status == "info_requested"
    assert not any(storage.for_config(app.config).keys("attachments/"))


def _definition(application):
    from app.applications import definitions

    with db.connection_context():
        return definitions.of_application(Application.get_by_id(application["id"]))


def test_too_many_files_are_refused(signed_in, clerk):
    citizen = signed_in("many@example.org")
    application = _query(citizen, clerk)
    for _ in range(replies.MAX_FILES):
        assert _upload(citizen, application).status_code == 201
    extra = _upload(citizen, application)
    assert extra.status_code == 422
    assert extra.get_json()["errors"][0]["code"] == "reply_too_many_files"


def test_files_removed_or_never_sent_do_not_stay(signed_in, clerk, app):
    citizen = signed_in("orphan@example.org")
    application = _query(citizen, clerk)
    removed = _upload(citizen, application).get_json()["upload_id"]
    kept = _upload(citizen, application).get_json()["upload_id"]
    left = _upload(citizen, application).get_json()["upload_id"]
    assert (
        citizen.delete(f"/api/applications/{application['id']}/reply-files/{removed}").status_code
        == 204
    )
    assert not _stored(app, removed)
    assert _reply(citizen, application, "Nur eine Datei.", [kept]).status_code == 201
    # The file uploaded but not sent went with the end of the query; the sent one stays.
    assert _stored(app, kept) and not _stored(app, left)
    with db.connection_context():
        assert {a.id for a in Attachment.select()} == {kept}
    # A sent file cannot be taken back.
    assert (
        citizen.delete(f"/api/applications/{application['id']}/reply-files/{kept}").status_code
        == 404
    )


def test_query_ended_by_the_clerk_discards_unsent_files(signed_in, clerk, app):
    citizen = signed_in("clerkends@example.org")
    application = _query(citizen, clerk)
    upload_id = _upload(citizen, application).get_json()["upload_id"]
    moved = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions",
        json={"to": "in_review"},
    )
    assert moved.status_code == 200
    assert not _stored(app, upload_id)
    with db.connection_context():
        assert Attachment.get_or_none(Attachment.id == upload_id) is None


def test_nightly_job_removes_left_over_unsent_files(signed_in, clerk, app):
    citizen = signed_in("nightly@example.org")
    application = _query(citizen, clerk)
    waiting = _upload(citizen, application).get_json()["upload_id"]
    stale = _upload(citizen, application).get_json()["upload_id"]
    with db.connection_context():
        old = utcnow() - timedelta(hours=2)
        Attachment.update(created_at=old).where(Attachment.id.in_([waiting, stale])).execute()
        # While the query is open the citizen may still send them.
        assert replies.discard_unsent() == 0
        # A status change that bypassed the clean-up (e.g. a direct database repair).
        Application.update(status="in_review").where(Application.id == application["id"]).execute()
        assert replies.discard_unsent() == 2
        assert replies.discard_unsent() == 0
        assert Attachment.select().count() == 0
    assert not _stored(app, waiting) and not _stored(app, stale)


def test_clerk_download_of_a_reply_file_is_audit_logged(signed_in, clerk):
    citizen = signed_in("audit@example.org")
    application = _query(citizen, clerk)
    upload_id = _upload(citizen, application).get_json()["upload_id"]
    assert _reply(citizen, application, "", [upload_id]).status_code == 201
    with db.connection_context():
        before = (
            AuditEvent.select()
            .where(
                (AuditEvent.action == "personal_data_viewed")
                & (AuditEvent.subject_id == application["id"])
            )
            .count()
        )
    download = clerk.get(
        f"/api/staff/applications/{application['reference']}/attachments/{upload_id}"
    )
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    with db.connection_context():
        after = (
            AuditEvent.select()
            .where(
                (AuditEvent.action == "personal_data_viewed")
                & (AuditEvent.subject_id == application["id"])
            )
            .count()
        )
    assert after == before + 1
    # Downloading is not opening the case: the queue still marks the reply.
    assert _queue_item(clerk, application["reference"])["citizen_replied"] is True


def test_clerk_of_another_area_sees_no_reply(signed_in, clerk):
    citizen = signed_in("area@example.org")
    application = _query(citizen, clerk)
    upload_id = _upload(citizen, application).get_json()["upload_id"]
    assert _reply(citizen, application, "Anbei", [upload_id]).status_code == 201
    outsider = signed_in("parking-clerk@example.org", "staff", ("parken",))
    ref = application["reference"]
    assert outsider.get(f"/api/staff/applications/{ref}").status_code == 404
    assert outsider.get(f"/api/staff/applications/{ref}/attachments/{upload_id}").status_code == (
        404
    )
    with db.connection_context():
        assert Application.get_by_id(application["id"]).citizen_replied_at is not None


def test_a_retry_racing_the_first_reply_finds_it(signed_in, clerk, monkeypatch):
    citizen = signed_in("race@example.org")
    application = _query(citizen, clerk)
    with db.connection_context():
        # The retry's request read the case before the first reply committed.
        stale = Application.get_by_id(application["id"])
        user = stale.user
    first = _reply(citizen, application, "Erste Antwort", key="race-key")
    assert first.status_code == 201
    real = replies._existing
    looked = []

    def too_early(found_for, key):
        looked.append(key)
        return None if len(looked) == 1 else real(found_for, key)

    monkeypatch.setattr(replies, "_existing", too_early)
    with db.connection_context():
        event, created = replies.send_reply(stale, user, "Erste Antwort", [], "race-key")
        assert created is False and event.message == "Erste Antwort"
        assert len(looked) == 2
        assert ApplicationEvent.select().where(ApplicationEvent.kind == "reply").count() == 1
        assert Application.get_by_id(application["id"]).status == "in_review"


def test_clerks_cannot_fetch_a_file_the_citizen_has_not_sent(signed_in, clerk):
    citizen = signed_in("unsent@example.org")
    application = _query(citizen, clerk)
    upload_id = _upload(citizen, application).get_json()["upload_id"]
    ref = application["reference"]
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    assert upload_id not in {a["upload_id"] for a in detail["attachments"]}
    assert clerk.get(f"/api/staff/applications/{ref}/attachments/{upload_id}").status_code == 404
    assert _reply(citizen, application, "Hier.", [upload_id]).status_code == 201
    assert clerk.get(f"/api/staff/applications/{ref}/attachments/{upload_id}").status_code == 200
