"""Citizens hear about decisions, questions, documents and payments by e-mail.

Mails go through a real SMTP server on loopback (tests/fakes/smtp_server.py); the
tests read what arrived there, as the citizen's mail program would.
"""

from __future__ import annotations

import datetime

import pytest

from app import tasks
from app.applications import decisions
from app.applications.references import display
from app.db import db, utcnow
from app.models import Application, InboxMessage, Notice, NotificationMail, User
from app.notifications import sending
from tests.api.engine_helpers import submitted
from tests.fakes.smtp_server import SmtpServer
from tests.payments.helpers import create_notice, sandbox_decide
from tests.push.portal import add_device, run_due_jobs, serve, set_config

BASE_URL = "http://localhost:5000"
CITIZEN = "citizen@example.org"


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
        )
        yield server
    tasks.huey.storage.flush_all()


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("hundesteuer", "abfall"))


@pytest.fixture
def push_portal(app, monkeypatch):
    yield from serve(app, monkeypatch)


def _move(clerk, reference: str, to: str, message: str = "") -> None:
    response = clerk.post(
        f"/api/staff/applications/{reference}/transitions", json={"to": to, "message": message}
    )
    assert response.status_code == 200, response.get_json()


def _citizen(signed_in, email: str = CITIZEN, locale: str = "de"):
    citizen = signed_in(email)
    if locale != "de":
        assert citizen.patch("/api/account", json={"locale": locale}).status_code == 200
    return citizen


def _in_review(signed_in, clerk, email: str = CITIZEN, locale: str = "de"):
    citizen = _citizen(signed_in, email, locale)
    application = submitted(citizen, "dog_tax_registration")
    _move(clerk, application["reference"], "in_review")
    return citizen, application


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_approval_sends_exactly_one_mail_and_one_push(signed_in, clerk, smtp, push_portal):
    citizen, application = _in_review(signed_in, clerk)
    add_device(citizen, push_portal)
    assert smtp.messages == []  # submitting and "in review" are not mailed

    _move(clerk, application["reference"], "approved")

    [mail] = smtp.messages_to(CITIZEN)
    reference = display(application["reference"])
    assert mail["Subject"] == (
        f"Hund zur Hundesteuer anmelden: Entscheidung zu Ihrem Antrag {reference}"
    )
    body = _text(mail)
    assert "wurde entschieden" in body
    assert "Was Sie jetzt tun" in body
    assert f"{BASE_URL}/antraege/{application['id']}" in body
    assert body.count("http") == 1  # one link, to the case
    assert len(push_portal.deliveries) == 1
    assert smtp.messages_to("clerk@example.org") == []
    with db.connection_context():
        # The decision brought its notice and a payment notice: both are in the inbox,
        # neither made a mail of its own.
        kinds = [m.kind for m in InboxMessage.select().order_by(InboxMessage.id)]
        assert kinds[-3:] == ["status", "notice", "decision"], kinds
        assert Notice.select().where(Notice.source == "application").count() == 1
        assert [m.kind for m in NotificationMail.select()] == ["decision"]


def test_the_mail_carries_no_personal_data(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    _move(clerk, application["reference"], "approved", "Ihr Hund Bello ist angemeldet.")

    [mail] = smtp.messages
    text = mail["Subject"] + _text(mail)
    assert "Bello" not in text
    assert CITIZEN not in text
    assert application["reference"][:4] in text


def test_approval_in_english_for_an_english_account(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk, "reader@example.org", "en")
    _move(clerk, application["reference"], "approved")

    [mail] = smtp.messages_to("reader@example.org")
    reference = display(application["reference"])
    assert mail["Subject"] == (
        f"Register a dog for dog tax: decision on your application {reference}"
    )
    body = _text(mail)
    assert "a decision has been made" in body
    assert "What to do next" in body
    assert f"{BASE_URL}/antraege/{application['id']}" in body


def test_rejection_is_a_decision_too(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    _move(clerk, application["reference"], "rejected", "Die Angaben fehlen.")

    [mail] = smtp.messages
    assert "Entscheidung zu Ihrem Antrag" in mail["Subject"]


def test_push_only_citizens_get_no_mail(signed_in, clerk, smtp, push_portal):
    citizen, application = _in_review(signed_in, clerk)
    add_device(citizen, push_portal)
    response = citizen.put("/api/account/notifications", json={"email": False, "push": True})
    assert response.status_code == 200, response.get_json()

    _move(clerk, application["reference"], "approved")

    assert smtp.messages == []
    assert len(push_portal.deliveries) == 1


def test_mail_only_citizens_get_no_push(signed_in, clerk, smtp, push_portal):
    citizen, application = _in_review(signed_in, clerk)
    add_device(citizen, push_portal)
    response = citizen.put("/api/account/notifications", json={"email": True, "push": False})
    assert response.status_code == 200, response.get_json()

    _move(clerk, application["reference"], "approved")

    assert len(smtp.messages) == 1
    assert push_portal.deliveries == []


def test_a_question_to_the_citizen_is_mailed(signed_in, clerk, smtp):
    citizen, application = _in_review(signed_in, clerk)
    _move(clerk, application["reference"], "info_requested", "Bitte reichen Sie den Chip nach.")

    [mail] = smtp.messages_to(CITIZEN)
    assert mail["Subject"] == (
        "Hund zur Hundesteuer anmelden: Rückfrage zu Ihrem Antrag "
        + display(application["reference"])
    )
    assert "Chip" not in _text(mail)  # the question itself is read in the portal
    assert f"{BASE_URL}/antraege/{application['id']}" in _text(mail)

    # The citizen's answer moves the case on; that is their own step, not mailed.
    response = citizen.post(
        f"/api/applications/{application['id']}/transitions",
        json={"to": "in_review", "message": "Chipnummer 123"},
    )
    assert response.status_code == 200, response.get_json()
    assert len(smtp.messages) == 1


def test_a_document_on_its_own_is_mailed_with_a_link_to_the_inbox(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    with db.connection_context():
        # The status messages of submitting and review are long past.
        InboxMessage.update(created_at=utcnow() - datetime.timedelta(hours=1)).execute()
        with db.atomic():
            record = Application.get_by_id(application["id"])
            document = {"kind": "certificate", "title": {"de": "Bescheinigung", "en": "Cert"}}
            stored = decisions.post_document(record, document, b"%PDF-1.4 test")
        message = InboxMessage.get(InboxMessage.document == stored.id)

    [mail] = smtp.messages_to(CITIZEN)
    assert mail["Subject"] == (
        "Hund zur Hundesteuer anmelden: Neues Dokument zu " + display(application["reference"])
    )
    assert f"{BASE_URL}/postfach/{message.id}" in _text(mail)


def test_a_document_right_after_a_status_change_comes_with_it(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    with db.connection_context(), db.atomic():
        record = Application.get_by_id(application["id"])
        document = {"kind": "certificate", "title": {"de": "Bescheinigung", "en": "Cert"}}
        decisions.post_document(record, document, b"%PDF-1.4 test")

    assert smtp.messages == []


def test_a_payment_notice_is_mailed(signed_in, smtp):
    staff = signed_in("kasse@example.org", "staff", ("hundesteuer",))
    _citizen(signed_in, "zahler@example.org", "en")
    notice = create_notice(staff, "zahler@example.org")

    [mail] = smtp.messages_to("zahler@example.org")
    assert mail["Subject"] == "Citizen portal Düren: payment due – reference HST-2027-0001"
    assert f"{BASE_URL}/zahlungen/{notice['id']}" in _text(mail)
    assert "84,00" not in _text(mail) and "€" not in _text(mail)  # amounts stay in the portal


def test_a_failed_payment_is_mailed(signed_in, smtp):
    staff = signed_in("kasse@example.org", "staff", ("hundesteuer",))
    citizen = _citizen(signed_in, "pech@example.org")
    notice = create_notice(staff, "pech@example.org")
    body = {
        "subject_type": "instalment",
        "subject_id": notice["instalments"][1]["id"],
        "provider": "sandbox",
    }
    payment = citizen.post("/api/payments", json=body).get_json()
    sandbox_decide(citizen, payment, "fail")

    mails = smtp.messages_to("pech@example.org")
    assert [m["Subject"].split(":")[1].split("–")[0].strip() for m in mails] == [
        "Zahlung fällig",
        "Zahlung nicht möglich",
    ]
    assert f"{BASE_URL}/zahlungen/{notice['id']}" in _text(mails[1])


def test_a_refusing_mail_server_is_retried_and_the_mail_arrives_once(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    smtp.refuse_next(2)

    _move(clerk, application["reference"], "approved")
    assert smtp.messages == []
    with db.connection_context():
        [row] = NotificationMail.select()
        assert (row.state, row.attempts) == ("retry", 1)

    assert run_due_jobs(after_seconds=sending.MAIL_RETRY_DELAY_SECONDS + 1) == 1
    assert smtp.messages == []
    assert run_due_jobs(after_seconds=2 * sending.MAIL_RETRY_DELAY_SECONDS + 1) == 1
    assert len(smtp.messages) == 1
    assert run_due_jobs(after_seconds=100_000) == 0
    with db.connection_context():
        [row] = NotificationMail.select()
        assert (row.state, row.attempts) == ("sent", 3)
    assert "Entscheidung" in smtp.messages[0]["Subject"]


def test_a_retry_queued_twice_and_a_job_run_again_send_once(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    smtp.refuse_next(1)
    _move(clerk, application["reference"], "approved")
    [retry] = tasks.huey.scheduled()
    tasks.huey.add_schedule(retry)  # the same retry ends up queued twice

    assert run_due_jobs(after_seconds=100_000) == 2
    assert len(smtp.messages) == 1
    with db.connection_context():
        [row] = NotificationMail.select()
    sending.send_notification_mail(row.id)  # and the job once more
    assert len(smtp.messages) == 1


def test_a_mail_server_that_never_answers_gives_up_after_the_retries(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    smtp.refuse_next(100)
    _move(clerk, application["reference"], "approved")
    while run_due_jobs(after_seconds=100_000):
        pass
    with db.connection_context():
        [row] = NotificationMail.select()
    assert (row.state, row.attempts) == ("failed", sending.MAIL_RETRIES + 1)
    assert smtp.messages == []


def test_nothing_is_sent_for_a_change_that_is_rolled_back(signed_in, clerk, smtp):
    _citizen_api, application = _in_review(signed_in, clerk)
    from app.applications import lifecycle

    with db.connection_context():
        with pytest.raises(RuntimeError), db.atomic():
            record = Application.get_by_id(application["id"])
            clerk_user = User.get(User.email == "clerk@example.org")
            lifecycle.change_status(record, "approved", clerk_user, "staff")
            raise RuntimeError("the clerk's request fails after the change")
        assert NotificationMail.select().count() == 0
    assert smtp.messages == []


def test_without_an_smtp_server_the_mail_lands_in_the_outbox(app, signed_in, clerk):
    from app.mail import read_outbox

    _citizen_api, application = _in_review(signed_in, clerk)
    _move(clerk, application["reference"], "approved")
    mails = read_outbox(app.config["INSTANCE_PATH"], CITIZEN)
    assert [m["subject"].split(":")[1].strip()[:12] for m in mails] == ["Entscheidung"]


def test_the_portal_can_leave_mail_notifications_off(app, signed_in, clerk, smtp, monkeypatch):
    set_config(app, monkeypatch, NOTIFY_BY_EMAIL=False)
    _citizen_api, application = _in_review(signed_in, clerk)
    _move(clerk, application["reference"], "approved")
    assert smtp.messages == []


def test_a_receipt_for_the_citizen_s_own_payment_is_not_mailed(signed_in, smtp):
    staff = signed_in("kasse@example.org", "staff", ("hundesteuer",))
    citizen = _citizen(signed_in, "bezahlt@example.org")
    notice = create_notice(staff, "bezahlt@example.org")
    body = {"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"}
    payment = citizen.post("/api/payments", json=body).get_json()
    sandbox_decide(citizen, payment, "pay")

    with db.connection_context():
        assert InboxMessage.select().where(InboxMessage.kind == "receipt").count() == 1
    assert [m["Subject"] for m in smtp.messages_to("bezahlt@example.org")] == [
        "Bürgerportal Düren: Zahlung fällig – Kassenzeichen HST-2027-0001"
    ]
