"""Every step of an offer reaches the parent by push (as a new inbox message) and by
mail (read from a real SMTP server on loopback)."""

from __future__ import annotations

from datetime import timedelta

from app.db import db, utcnow
from app.kita import demo
from app.models import InboxMessage
from tests.api.engine_helpers import start
from tests.api.service_answers import complete_answers
from tests.api.test_notification_mails import push_portal, smtp  # noqa: F401 (fixtures)
from tests.push.portal import add_device, run_due_jobs


def test_offer_and_acceptance_are_pushed_and_mailed(signed_in, smtp, push_portal):  # noqa: F811
    parent = signed_in("push.eltern@example.org")
    add_device(parent, push_portal)
    with db.connection_context():
        facility = demo.seed()[0]
    answers = complete_answers("daycare_place")
    answers.update(facility_1=str(facility.id), facility_2="", facility_3="")
    draft = start(parent, "daycare_place", answers)
    sent = parent.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "p"})
    assert sent.status_code == 201, sent.get_json()
    run_due_jobs()
    with db.connection_context():
        # Offers come days after the submission; a status message minutes before would
        # make the push of a new message wait for it (app.push.delivery).
        InboxMessage.update(created_at=utcnow() - timedelta(hours=1)).execute()
    pushed_before = len(push_portal.deliveries)
    mails_before = len(smtp.messages_to("push.eltern@example.org"))

    clerk = signed_in("kita.push@example.org", "staff", ("kita",))
    offer = clerk.post(
        "/api/staff/kita/offers", json={"facility_id": facility.id, "application_id": draft["id"]}
    ).get_json()
    run_due_jobs()
    with db.connection_context():
        message = InboxMessage.select().where(InboxMessage.kind == "kita_offer").get()
    assert len(push_portal.deliveries) == pushed_before + 1
    assert f"/postfach/{message.id}".encode() in push_portal.deliveries[-1].plaintext
    mails = smtp.messages_to("push.eltern@example.org")
    assert len(mails) == mails_before + 1
    assert "Neuigkeiten zu Ihrem Kita-Antrag" in mails[-1]["Subject"]

    assert parent.post(f"/api/kita/offers/{offer['id']}/accept").status_code == 200
    run_due_jobs()
    assert len(push_portal.deliveries) == pushed_before + 2
    assert len(smtp.messages_to("push.eltern@example.org")) == mails_before + 2
