"""Status changes reach the citizen's devices: once each, decrypted, retried, cleaned up.

The local push service (tests/fakes/push_service.py) checks every request as a
real one would (VAPID JWT, headers) and decrypts the body with the device's keys.
"""

from __future__ import annotations

import datetime

import pytest
from huey.signals import SIGNAL_EXECUTING
from huey.utils import utcnow as huey_now

from app import tasks
from app.db import db
from app.models import (
    Application,
    ApplicationEvent,
    InboxMessage,
    PushDelivery,
    PushSubscription,
    User,
)
from app.push import delivery, runtime
from app.push.message import topic_for
from app.push.payload import status_change
from tests.api.engine_helpers import submitted
from tests.push.portal import (
    add_device,
    delivery_log,
    device_count,
    run_due_jobs,
    scheduled_etas,
    serve,
    set_config,
)

WEEK = 7 * 24 * 3600


@pytest.fixture
def push_portal(app, monkeypatch):
    """The local push service, allowed as a push service for this test."""
    yield from serve(app, monkeypatch)


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("hundesteuer", "abfall"))


@pytest.fixture
def executed_jobs():
    """Every job Huey starts, so a test can run one again (a retried job)."""
    seen = []

    def record(signal, task, *args):
        seen.append(task)

    tasks.huey.signal(SIGNAL_EXECUTING)(record)
    yield seen
    tasks.huey.disconnect_signal(record, SIGNAL_EXECUTING)


def _move(clerk, reference: str, to: str, message: str = "") -> None:
    response = clerk.post(
        f"/api/staff/applications/{reference}/transitions", json={"to": to, "message": message}
    )
    assert response.status_code == 200, response.get_json()


def _citizen_with_application(signed_in, email: str = "citizen@example.org"):
    citizen = signed_in(email)
    application = submitted(citizen, "dog_tax_registration")
    return citizen, application


def test_clerk_status_change_reaches_each_device_once_decrypted(
    app, signed_in, clerk, push_portal, executed_jobs
):
    citizen, application = _citizen_with_application(signed_in)
    ref, app_id = application["reference"], application["id"]
    # A question asked before the devices existed; the clerk then takes it back, which
    # the citizen hears of (taking a new case is internal and not announced).
    _move(clerk, ref, "info_requested", "Bitte senden Sie den Impfpass.")
    phone, _ = add_device(citizen, push_portal, language="de")
    laptop, _ = add_device(citizen, push_portal, language="en")
    assert push_portal.deliveries == []

    _move(clerk, ref, "in_review")

    deliveries = push_portal.deliveries
    assert sorted(d.subscription_id for d in deliveries) == sorted([phone.id, laptop.id])
    by_device = {d.subscription_id: d for d in deliveries}
    assert by_device[phone.id].payload == {
        "kind": "status",
        "title": f"Ihr Antrag {ref}",
        "body": "Neuer Status: In Bearbeitung",
        "url": f"/antraege/{app_id}",
        "tag": f"application-{app_id}",
        "lang": "de",
    }
    assert by_device[laptop.id].payload == status_change(
        application_id=app_id,
        reference=ref,
        status_label="In review",
        url=f"/antraege/{app_id}",
        language="en",
    )
    topic = topic_for(app_id, key=runtime.topic_key(app.config))
    for received in deliveries:
        assert received.ttl == WEEK
        assert received.urgency == "normal"
        assert received.topic == topic and app_id not in received.topic
        assert received.claims["sub"] == "mailto:buergerportal@stadt-dueren.de"
        assert received.claims["aud"] == push_portal.origin
        # Nothing personal travels through the push service.
        text = received.plaintext.decode()
        for private in ("citizen@example.org", "Mustermann", "Bello", "Labrador", "DE89"):
            assert private not in text

    # The inbox keeps the record; its status message did not make a second push.
    subjects = [m["subject"] for m in citizen.get("/api/inbox").get_json()]
    assert any("In Bearbeitung" in s for s in subjects)
    with db.connection_context():
        event = (
            ApplicationEvent.select()
            .where(ApplicationEvent.application == app_id)
            .order_by(ApplicationEvent.id.desc())
            .get()
        )
    log = delivery_log(f"status:{event.id}")
    assert [(row.attempt, row.outcome, row.status_code) for row in log] == [
        (1, "delivered", 201),
        (1, "delivered", 201),
    ]

    # The job runs again (a worker died after sending, Huey retries): nothing new.
    [job] = [t for t in executed_jobs if t.name.endswith("notify_user")]
    with db.connection_context():
        tasks.huey.execute(job)
    assert len(push_portal.deliveries) == 2
    assert len(delivery_log(f"status:{event.id}")) == 2

    # A question to the citizen is urgent; the topic stays the application's.
    _move(clerk, ref, "info_requested", "Bitte senden Sie den Impfpass.")
    latest = push_portal.deliveries[2:]
    assert len(latest) == 2
    assert {d.urgency for d in latest} == {"high"}
    assert {d.topic for d in latest} == {topic}
    assert {d.payload["body"] for d in latest} == {
        "Neuer Status: Rückfrage an Sie",
        "New status: Information requested",
    }
    assert "Impfpass" not in str([d.payload for d in latest])
    with db.connection_context():
        assert PushSubscription.get_by_id(_device_id(phone)).last_success_at is not None


def _device_id(browser) -> str:
    with db.connection_context():
        return PushSubscription.get(PushSubscription.endpoint == browser.endpoint).id


def test_approval_with_a_decision_notice_is_still_one_push(signed_in, clerk, push_portal):
    citizen, application = _citizen_with_application(signed_in, "approve@example.org")
    ref = application["reference"]
    add_device(citizen, push_portal)

    _move(clerk, ref, "approved")  # straight from "submitted", in one step
    run_due_jobs(after_seconds=60)  # the "new message" notifications wait 15 s

    [received] = push_portal.deliveries
    assert received.payload["body"] == "Neuer Status: Genehmigt"
    with db.connection_context():
        kinds = [m.kind for m in InboxMessage.select().order_by(InboxMessage.id)]
    # "Eingereicht" and the decision; the notice came with it.
    assert kinds.count("status") == 2 and "decision" in kinds, kinds
    assert [row.notification.split(":")[0] for row in delivery_log()] == ["status"]


@pytest.mark.parametrize("answer", [410, 404])
def test_gone_subscription_is_deleted_and_the_other_device_still_gets_it(
    signed_in, clerk, push_portal, answer
):
    citizen, application = _citizen_with_application(signed_in, f"gone{answer}@example.org")
    phone, _ = add_device(citizen, push_portal)
    laptop, _ = add_device(citizen, push_portal)
    if answer == 410:
        push_portal.unsubscribe(phone.id)
    else:
        push_portal.respond(404, subscription_id=phone.id)

    _move(clerk, application["reference"], "info_requested", "Frage")

    assert [d.subscription_id for d in push_portal.deliveries] == [laptop.id]
    assert device_count() == 1
    assert [d["push_service"] for d in citizen.get("/api/push/subscriptions").get_json()] == [
        "127.0.0.1"
    ]
    gone = [row for row in delivery_log("status:") if row.outcome == "gone"]
    assert len(gone) == 1 and gone[0].status_code == answer
    assert gone[0].subscription_id is None  # the log keeps the attempt

    # The next change goes to the remaining device only, and sends nothing to the old one.
    _move(clerk, application["reference"], "in_review")
    assert [d.subscription_id for d in push_portal.deliveries] == [laptop.id, laptop.id]


def test_429_and_500_are_retried_after_retry_after_or_backoff_then_delivered(
    signed_in, clerk, push_portal
):
    citizen, application = _citizen_with_application(signed_in, "retry@example.org")
    phone, _ = add_device(citizen, push_portal)
    laptop, _ = add_device(citizen, push_portal)
    push_portal.respond(429, subscription_id=phone.id, retry_after=120)
    push_portal.respond(500, subscription_id=laptop.id)
    before = huey_now()

    _move(clerk, application["reference"], "info_requested", "Frage")

    assert push_portal.deliveries == []
    first = delivery_log("status:")
    assert sorted((row.attempt, row.outcome, row.status_code) for row in first) == [
        (1, "retry", 429),
        (1, "retry", 500),
    ]
    backoff_eta, retry_after_eta = scheduled_etas()
    # 500: exponential backoff from 30 s (plus up to 10 % jitter).
    assert datetime.timedelta(seconds=30) <= backoff_eta - before < datetime.timedelta(seconds=40)
    # 429 with Retry-After: 120: not a second earlier.
    assert retry_after_eta - before >= datetime.timedelta(seconds=120)

    assert run_due_jobs(after_seconds=45) == 1
    assert [d.subscription_id for d in push_portal.deliveries] == [laptop.id]
    assert run_due_jobs(after_seconds=200) == 1
    assert sorted(d.subscription_id for d in push_portal.deliveries) == sorted(
        [phone.id, laptop.id]
    )
    # The retried message is the same notification, with the TTL it has left.
    assert all(WEEK - 5 <= d.ttl <= WEEK for d in push_portal.deliveries)
    assert run_due_jobs(after_seconds=100_000) == 0
    assert len(push_portal.deliveries) == 2
    log = delivery_log("status:")
    assert sorted((row.attempt, row.outcome) for row in log) == [
        (1, "retry"),
        (1, "retry"),
        (2, "delivered"),
        (2, "delivered"),
    ]


def test_a_retry_scheduled_twice_sends_once(signed_in, clerk, push_portal):
    citizen, application = _citizen_with_application(signed_in, "twice@example.org")
    phone, _ = add_device(citizen, push_portal)
    push_portal.respond(503, subscription_id=phone.id)
    _move(clerk, application["reference"], "info_requested", "Frage")
    [retry] = tasks.huey.scheduled()
    tasks.huey.add_schedule(retry)  # the same retry job ends up queued twice

    assert run_due_jobs() == 2
    assert len(push_portal.deliveries) == 1


def test_push_service_down_gives_up_after_the_attempts_and_loses_nothing(
    signed_in, clerk, push_portal
):
    citizen, application = _citizen_with_application(signed_in, "down@example.org")
    phone, _ = add_device(citizen, push_portal)
    push_portal.respond(503, times=None, subscription_id=phone.id)

    _move(clerk, application["reference"], "info_requested", "Frage")
    for _ in range(10):
        run_due_jobs(after_seconds=10_000)

    assert push_portal.deliveries == []
    log = delivery_log("status:")
    assert [row.attempt for row in log] == [1, 2, 3, 4, 5]
    assert [row.outcome for row in log] == ["retry"] * 4 + ["failed"]
    assert "gave up after 5 attempts" in log[-1].reason
    assert device_count() == 1  # an outage is no reason to forget the device
    # The inbox message is the record.
    assert any("Rückfrage an Sie" in m["subject"] for m in citizen.get("/api/inbox").get_json())


def test_an_older_status_is_not_sent_after_a_newer_one(signed_in, clerk, push_portal):
    citizen, application = _citizen_with_application(signed_in, "newer@example.org")
    phone, _ = add_device(citizen, push_portal)
    push_portal.respond(500, subscription_id=phone.id)
    _move(clerk, application["reference"], "info_requested", "Frage")  # fails, retry scheduled
    _move(clerk, application["reference"], "in_review")  # delivered

    run_due_jobs()

    assert [d.payload["body"] for d in push_portal.deliveries] == ["Neuer Status: In Bearbeitung"]
    assert [row.outcome for row in delivery_log("status:")] == [
        "retry",
        "delivered",
        "superseded",
    ]


def test_permanent_refusals_remove_the_device_after_a_few(
    app, monkeypatch, signed_in, clerk, push_portal
):
    set_config(app, monkeypatch, PUSH_MAX_FAILURES=2)
    citizen, application = _citizen_with_application(signed_in, "refused@example.org")
    phone, _ = add_device(citizen, push_portal)
    push_portal.respond(403, times=None, subscription_id=phone.id)

    _move(clerk, application["reference"], "info_requested", "Frage")
    assert device_count() == 1
    _move(clerk, application["reference"], "in_review")
    assert device_count() == 0
    assert [row.outcome for row in delivery_log("status:")] == ["failed", "failed"]
    assert tasks.huey.scheduled() == []


def test_citizen_s_own_steps_are_not_pushed(signed_in, clerk, push_portal):
    citizen = signed_in("own@example.org")
    add_device(citizen, push_portal)
    application = submitted(citizen, "dog_tax_registration")  # submitting: no push
    response = citizen.post(
        f"/api/applications/{application['id']}/transitions", json={"to": "withdrawn"}
    )
    assert response.status_code == 200, response.get_json()
    assert push_portal.deliveries == []
    with db.connection_context():
        assert PushDelivery.select().count() == 0


def test_a_new_inbox_message_without_a_status_change_is_announced(app, signed_in, push_portal):
    from app.applications import inbox

    citizen = signed_in("mail@example.org")
    add_device(citizen, push_portal, language="en")
    with db.connection_context():
        user = User.get(User.email == "mail@example.org")
        message = inbox.post(user, "notice", "Hundesteuerbescheid 2026 für Erika Mustermann", "…")
    # It waits a moment, in case a status change brings the citizen to the portal anyway.
    assert push_portal.deliveries == []
    [eta] = scheduled_etas()
    assert eta - huey_now() > datetime.timedelta(seconds=10)
    assert run_due_jobs(after_seconds=20) == 1

    [received] = push_portal.deliveries
    assert received.payload == {
        "kind": "message",
        "title": "New message in the citizen portal",
        "body": "There is a new message for you in your inbox.",
        "url": f"/postfach/{message.id}",
        "tag": "inbox",
        "lang": "en",
    }
    assert "Mustermann" not in received.plaintext.decode()
    inbox_topic = topic_for(user.id, namespace="inbox", key=runtime.topic_key(app.config))
    assert received.topic == inbox_topic


def test_job_waits_for_the_commit_and_gives_up_after_a_rollback(signed_in, push_portal):
    citizen, application = _citizen_with_application(signed_in, "wait@example.org")
    add_device(citizen, push_portal)
    payload = status_change(
        application_id=application["id"],
        reference=application["reference"],
        status_label="Genehmigt",
        url=f"/antraege/{application['id']}",
    )
    with db.connection_context():
        user_id = User.get(User.email == "wait@example.org").id
        event = ApplicationEvent.create(
            application=application["id"], actor_role="staff", kind="status", to_status="approved"
        )
        event_id = event.id
        event.delete_instance()  # as if its transaction had not committed yet
        note = delivery.notification(f"status:{event_id}", {"de": payload}, topic=None, ttl=WEEK)
        delivery.notify_user(note, user_id, ("application_event", event_id))
    assert push_portal.deliveries == [] and len(tasks.huey.scheduled()) == 1

    # Committed a moment later: the next look finds it and sends.
    with db.connection_context():
        ApplicationEvent.insert(
            id=event_id,
            application=application["id"],
            actor_role="staff",
            kind="status",
            to_status="approved",
            from_status="in_review",
            message="",
            internal=False,
        ).execute()
    assert run_due_jobs(after_seconds=5) == 1
    assert len(push_portal.deliveries) == 1

    # Never committed: five more looks, then nothing is sent.
    with db.connection_context():
        note = delivery.notification("status:999999", {"de": payload}, topic=None, ttl=WEEK)
        delivery.notify_user(note, user_id, ("application_event", 999_999))
    rounds = 0
    while run_due_jobs(after_seconds=60):
        rounds += 1
    assert rounds == delivery.VISIBILITY_ROUNDS
    assert len(push_portal.deliveries) == 1


def test_endpoint_no_longer_allowed_is_not_contacted(
    app, monkeypatch, signed_in, clerk, push_portal
):
    citizen, application = _citizen_with_application(signed_in, "policy@example.org")
    add_device(citizen, push_portal)
    set_config(app, monkeypatch, PUSH_ALLOWED_HOSTS=["fcm.googleapis.com"])

    _move(clerk, application["reference"], "info_requested", "Frage")

    assert push_portal.stats()["requests"] == 0
    [row] = delivery_log("status:")
    assert row.outcome == "failed" and "PUSH_ALLOWED_HOSTS" in row.reason


def test_no_devices_no_job(signed_in, clerk, push_portal, executed_jobs):
    _citizen, application = _citizen_with_application(signed_in, "nodevice@example.org")
    _move(clerk, application["reference"], "info_requested", "Frage")
    assert not [t for t in executed_jobs if t.name.endswith("notify_user")]
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "info_requested"
