"""The console's feedback (status, reply by e-mail, close and reopen) and the audit
log's filters, answering "who saw whose data when".

Replies are read from a real SMTP server on loopback, as the citizen's mail program
would read them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import tasks
from app.db import db, utcnow
from app.models import AuditEvent, Feedback, FeedbackReply
from tests.api.engine_helpers import submitted
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import set_config


@pytest.fixture
def smtp(app, monkeypatch):
    """The portal sends its mail to a local SMTP server for this test."""
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    tasks.huey.storage.flush_all()
    with SmtpServer() as server:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
            FEEDBACK_EMAIL=None,
        )
        yield server
    tasks.huey.storage.flush_all()


@pytest.fixture
def admin(signed_in):
    return signed_in("admin@example.org", "admin")


def _feedback(**values) -> Feedback:
    with db.connection_context():
        return Feedback.create(**{"kind": "general", "message": "Hallo", **values})


def test_a_reply_is_mailed_once_in_plain_text_and_marks_the_feedback_answered(app, smtp, admin):
    item = _feedback(
        kind="accessibility",
        message="The calendar cannot be used with the keyboard.",
        email="reader@example.org",
        locale="en",
    )
    response = admin.post(
        f"/api/admin/feedback/{item.id}/replies",
        json={"body": "Thank you, we have fixed the calendar.\n\nYour city"},
    )
    assert response.status_code == 201, response.get_json()
    reply = response.get_json()
    assert reply["author"] == "admin@example.org" and reply["sent_to"] == "reader@example.org"
    [mail] = smtp.messages
    assert mail["To"] == "reader@example.org"
    assert mail["From"] == app.config["MAIL_FROM"]
    assert mail["Subject"] == f"Reply to your feedback on the citizen portal (no. {item.id})"
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content().replace("\r\n", "\n").strip() == (
        "Thank you, we have fixed the calendar.\n\nYour city"
    )
    shown = admin.get(f"/api/admin/feedback/{item.id}").get_json()
    assert shown["status"] == "answered" and not shown["overdue"]
    assert [r["body"] for r in shown["replies"]] == [reply["body"]]
    assert shown["replies"][0]["created_at"].endswith("Z")
    # Running the queue again sends nothing more.
    tasks.huey.storage.flush_all()
    assert len(smtp.messages) == 1
    with db.connection_context():
        actions = [
            e.action for e in AuditEvent.select().where(AuditEvent.subject_type == "feedback")
        ]
    assert "feedback_replied" in actions and "feedback_viewed" in actions


def test_a_reply_goes_out_in_german_for_german_feedback_with_the_admins_subject(smtp, admin):
    item = _feedback(email="leserin@example.org")
    response = admin.post(
        f"/api/admin/feedback/{item.id}/replies",
        json={"body": "Danke für Ihren Hinweis.", "subject": "Ihr Hinweis"},
    )
    assert response.status_code == 201
    [mail] = smtp.messages_to("leserin@example.org")
    assert mail["Subject"] == "Ihr Hinweis"
    response = admin.post(f"/api/admin/feedback/{item.id}/replies", json={"body": "Nachtrag"})
    assert response.status_code == 201
    assert smtp.messages[-1]["Subject"] == (
        f"Antwort auf Ihre Rückmeldung zum Bürgerportal (Nr. {item.id})"
    )
    assert len(smtp.messages) == 2


def test_no_reply_without_an_address(smtp, admin, make_client):
    item = _feedback(message="Anonym")
    response = admin.post(f"/api/admin/feedback/{item.id}/replies", json={"body": "Danke"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "feedback_no_address"
    assert smtp.messages == []
    with db.connection_context():
        assert Feedback.get_by_id(item.id).status == "new"
        assert FeedbackReply.select().count() == 0


def test_bad_replies_are_refused_field_by_field(smtp, signed_in):
    admin = signed_in("admin-en@example.org", "admin")
    item = _feedback(email="x@example.org")
    response = admin.post(
        f"/api/admin/feedback/{item.id}/replies",
        json={"body": "   ", "subject": "x" * 201},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"subject"}
    response = admin.post(f"/api/admin/feedback/{item.id}/replies", json={"body": "   "})
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "body" and error["message"]
    assert admin.post("/api/admin/feedback/999999/replies", json={"body": "x"}).status_code == 404
    assert smtp.messages == []


def test_close_and_reopen_and_the_start_page_counts_only_new(admin):
    fresh = _feedback(message="neu")
    replied = _feedback(message="beantwortet", email="a@example.org", status="answered")
    with db.connection_context():
        FeedbackReply.create(feedback=replied, subject="s", body="b", sent_to="a@example.org")
    assert admin.get("/api/admin/overview").get_json()["open_feedback"] == 1
    closed = admin.post(f"/api/admin/feedback/{replied.id}/close").get_json()
    assert closed["status"] == "closed" and closed["handled_at"]
    assert admin.post(f"/api/admin/feedback/{replied.id}/reopen").get_json()["status"] == "answered"
    assert admin.post(f"/api/admin/feedback/{fresh.id}/close").get_json()["status"] == "closed"
    assert admin.get("/api/admin/overview").get_json()["open_feedback"] == 0
    reopened = admin.post(f"/api/admin/feedback/{fresh.id}/reopen").get_json()
    assert reopened["status"] == "new" and reopened["handled_at"] is None
    assert admin.get("/api/admin/overview").get_json()["open_feedback"] == 1


def test_the_list_filters_by_status_and_kind_newest_first_in_pages(admin):
    old = _feedback(kind="accessibility", created_at=utcnow() - timedelta(days=15))
    _feedback(kind="accessibility", created_at=utcnow() - timedelta(days=15), status="answered")
    general = _feedback(kind="general", created_at=utcnow() - timedelta(days=20))
    newest = _feedback(kind="accessibility")
    _feedback(kind="general", status="closed")
    listed = admin.get(
        "/api/admin/feedback", query_string={"status": "new", "kind": "accessibility"}
    ).get_json()
    assert [f["id"] for f in listed] == [newest.id, old.id]
    assert [f["overdue"] for f in listed] == [False, True]
    assert listed[1]["age_days"] == 15
    both = admin.get(
        "/api/admin/feedback", query_string=[("status", "new"), ("status", "answered")]
    )
    assert len(both.get_json()) == 4
    page = admin.get("/api/admin/feedback", query_string={"limit": 2}).get_json()
    rest = admin.get(
        "/api/admin/feedback", query_string={"limit": 2, "before_id": page[-1]["id"]}
    ).get_json()
    ids = [f["id"] for f in page + rest]
    assert ids == sorted(ids, reverse=True) and len(ids) == 4
    row = next(f for f in admin.get("/api/admin/feedback").get_json() if f["id"] == general.id)
    assert row["overdue"] is False  # only accessibility feedback has the legal deadline
    bad = admin.get("/api/admin/feedback", query_string={"status": "offen"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "status.0"


def test_the_audit_log_answers_who_saw_whose_data_when(signed_in, admin):
    citizen = signed_in("erika@example.org")
    other = signed_in("otto@example.org")
    mine = submitted(citizen, "dog_tax_registration", key="a-1")
    theirs = submitted(other, "dog_tax_registration", key="a-2")
    clerk = signed_in("clerk@example.org", "staff", ("hundesteuer",))
    assert clerk.get(f"/api/staff/applications/{mine['reference']}").status_code == 200
    assert clerk.get(f"/api/staff/applications/{theirs['reference']}").status_code == 200

    seen = admin.get("/api/admin/audit", query_string={"citizen": "Erika@Example.org"}).get_json()
    views = [e for e in seen if e["action"] == "personal_data_viewed"]
    assert [(e["actor_email"], e["subject_id"]) for e in views] == [
        ("clerk@example.org", str(mine["id"]))
    ]
    by_clerk = admin.get(
        "/api/admin/audit",
        query_string={"actor": "clerk@example.org", "action": "personal_data_viewed"},
    ).get_json()
    assert {e["subject_id"] for e in by_clerk} == {str(mine["id"]), str(theirs["id"])}
    one = admin.get(
        "/api/admin/audit",
        query_string={"subject_type": "application", "subject_id": str(theirs["id"])},
    ).get_json()
    assert {e["actor_email"] for e in one if e["action"] == "personal_data_viewed"} == {
        "clerk@example.org"
    }
    later = (utcnow() + timedelta(hours=1)).isoformat() + "Z"
    assert admin.get("/api/admin/audit", query_string={"since": later}).get_json() == []
    earlier = (utcnow() - timedelta(hours=1)).isoformat() + "Z"
    assert admin.get("/api/admin/audit", query_string={"until": earlier}).get_json() == []
    assert (
        admin.get("/api/admin/audit", query_string={"citizen": "nobody@example.org"}).get_json()
        == []
    )
    assert "personal_data_viewed" in admin.get("/api/admin/audit/actions").get_json()["actions"]
    bad = admin.get("/api/admin/audit", query_string={"since": "gestern"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "since"


def test_a_repeated_reply_request_mails_nothing_again(smtp, admin):
    item = _feedback(email="twice@example.org")
    first = admin.post(
        f"/api/admin/feedback/{item.id}/replies",
        json={"body": "Danke"},
        headers={"Idempotency-Key": "reply-1"},
    )
    again = admin.post(
        f"/api/admin/feedback/{item.id}/replies",
        json={"body": "Danke"},
        headers={"Idempotency-Key": "reply-1"},
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert len(smtp.messages_to("twice@example.org")) == 1
    with db.connection_context():
        assert FeedbackReply.select().count() == 1


def test_the_list_leaves_addresses_out_and_opening_one_is_logged(admin):
    item = _feedback(email="privat@example.org")
    [row] = [f for f in admin.get("/api/admin/feedback").get_json() if f["id"] == item.id]
    assert "email" not in row and row["has_address"] is True
    assert admin.get(f"/api/admin/feedback/{item.id}").get_json()["email"] == "privat@example.org"
    with db.connection_context():
        viewed = AuditEvent.get(AuditEvent.action == "feedback_viewed")
    assert viewed.subject_id == str(item.id) and viewed.actor.email == "admin@example.org"


def test_looking_up_a_citizens_accesses_is_logged_too(signed_in, admin):
    signed_in("gesucht@example.org")
    admin.get("/api/admin/audit", query_string={"citizen": "gesucht@example.org"})
    seen = admin.get("/api/admin/audit", query_string={"citizen": "gesucht@example.org"})
    searches = [e for e in seen.get_json() if e["action"] == "audit_citizen_searched"]
    assert len(searches) == 2 and {e["actor_email"] for e in searches} == {"admin@example.org"}
