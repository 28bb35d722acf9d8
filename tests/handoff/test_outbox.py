"""The hand-off outbox: one delivery per application and target, delivered once,
retried with backoff, failed with its reason, resumed after a crash, sent again."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app import tasks
from app.applications import lifecycle
from app.db import db, utcnow
from app.handoff import outbox, states
from app.models import Application, HandoffDelivery, User
from tests.api.engine_helpers import submitted
from tests.api.test_application_payments import pay
from tests.handoff.support import DeliveryFailed, Outcome, publish_with, recording, target


@pytest.fixture
def backend(app):
    assert tasks.huey.immediate, "the outbox tests run jobs in immediate mode"
    with recording() as cls:
        yield cls


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("abfall", "standesamt"))


def _rows(application_id: str | None = None) -> list[HandoffDelivery]:
    with db.connection_context():
        query = HandoffDelivery.select().order_by(HandoffDelivery.target_id)
        if application_id:
            query = query.where(HandoffDelivery.application == application_id)
        return list(query)


def _row(delivery_id: int) -> HandoffDelivery:
    with db.connection_context():
        return HandoffDelivery.get_by_id(delivery_id)


def _move(clerk, application, to: str) -> None:
    response = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions", json={"to": to}
    )
    assert response.status_code == 200, response.get_json()


def _sweep(after_seconds: float) -> dict[str, int]:
    with db.connection_context():
        return outbox.sweep(utcnow() + timedelta(seconds=after_seconds))


def test_submission_writes_one_delivery_per_target_of_that_moment(backend, signed_in):
    publish_with("waste_bins", target("fach"), target("archiv"), target("later", on="decided"))
    citizen = signed_in("bins@example.org")
    application = submitted(citizen, "waste_bins")

    rows = _rows(application["id"])
    assert [(r.target_id, r.moment, r.state) for r in rows] == [
        ("archiv", "submitted", "delivered"),
        ("fach", "submitted", "delivered"),
    ]
    keys = sorted(delivery.key for delivery, _document in backend.calls)
    assert keys == [f"{application['id']}.archiv", f"{application['id']}.fach"]
    delivery, document = backend.calls[0]
    assert delivery.settings == {"mailbox": "fach"} and delivery.attempt == 1
    assert document.data["application"]["id"] == application["id"]
    assert rows[0].remote_id == "R-1" and rows[0].attempts == 1
    assert rows[0].sent_at is not None and rows[0].finished_at is not None


def test_a_definition_without_handoff_writes_nothing(backend, signed_in):
    submitted(signed_in("plain@example.org"), "waste_bins")
    assert _rows() == [] and backend.calls == []


def test_a_decision_hands_off_once(backend, signed_in, clerk):
    publish_with("waste_bins", target("entscheid", on="decided"))
    application = submitted(signed_in("decided@example.org"), "waste_bins")
    assert _rows() == []
    _move(clerk, application, "in_review")
    assert _rows() == []
    _move(clerk, application, "approved")
    [row] = _rows()
    assert (row.target_id, row.moment, row.state) == ("entscheid", "decided", "delivered")
    _move(clerk, application, "completed")
    assert len(_rows()) == 1 and len(backend.calls) == 1


def test_payment_first_services_hand_off_on_payment(backend, signed_in):
    publish_with("civil_status_certificate", target("eingang"), target("kasse", on="paid"))
    citizen = signed_in("payer@example.org")
    application = submitted(citizen, "civil_status_certificate")
    assert application["status"] == "awaiting_payment"
    assert _rows() == []  # not in the workflow before the fee is in

    pay(citizen, application["id"], "fail")
    assert _rows() == []
    pay(citizen, application["id"])
    assert [(r.target_id, r.moment, r.state) for r in _rows()] == [
        ("eingang", "submitted", "delivered"),
        ("kasse", "paid", "delivered"),
    ]


def test_a_change_that_is_rolled_back_leaves_no_delivery(backend, signed_in):
    publish_with("waste_bins", target("entscheid", on="decided"))
    application = submitted(signed_in("rollback@example.org"), "waste_bins")
    clerk_user_email = "rollback-clerk@example.org"
    with db.connection_context():
        from app.accounts import users

        clerk_user = users.create_user(clerk_user_email, "staff", ["abfall"])
        record = Application.get_by_id(application["id"])
        lifecycle.change_status(record, "in_review", clerk_user, "staff")
        with pytest.raises(RuntimeError), db.atomic():
            record = Application.get_by_id(application["id"])
            lifecycle.change_status(record, "approved", clerk_user, "staff")
            assert HandoffDelivery.select().count() == 1  # written inside the change
            raise RuntimeError("the clerk's request fails after the change")
        assert HandoffDelivery.select().count() == 0
    assert backend.calls == []


def test_a_job_run_again_sends_nothing_twice(backend, signed_in):
    publish_with("waste_bins", target())
    application = submitted(signed_in("twice@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert outbox.attempt(row.id) is None
    outbox.deliver_handoff(row.id)
    assert _sweep(100_000) == {"released": 0, "due": 0, "follow_ups": 0}
    assert len(backend.calls) == 1


def test_two_workers_racing_send_once(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("receiver down")]
    application = submitted(signed_in("race@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "waiting"

    backend.pause = 0.3
    results: list[str | None] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        results.append(outbox.attempt(row.id, row.next_attempt_at))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [None, "delivered"]
    assert len(backend.calls) == 2  # the first failed attempt and one of the two
    assert _row(row.id).attempts == 2


def test_failures_are_retried_with_backoff_and_then_failed(backend, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(tasks.config(), "HANDOFF_RETRY_SECONDS", 30)
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed(f"HTTP 503 ({n})") for n in (1, 2, 3)]
    before = utcnow()
    application = submitted(signed_in("retry@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert (row.state, row.attempts, row.last_error) == ("waiting", 1, "HTTP 503 (1)")
    assert timedelta(seconds=29) < row.next_attempt_at - before < timedelta(seconds=40)

    assert _sweep(10)["due"] == 0  # the pause is not over
    assert len(backend.calls) == 1
    assert _sweep(31)["due"] == 1
    row = _row(row.id)
    assert (row.state, row.attempts, row.last_error) == ("waiting", 2, "HTTP 503 (2)")
    # Doubled: 60 seconds after the second attempt.
    pause = row.next_attempt_at - row.updated_at
    assert timedelta(seconds=59) < pause < timedelta(seconds=61)

    assert _sweep(31 + 61)["due"] == 1  # the second attempt ran at +31 s
    row = _row(row.id)
    assert (row.state, row.attempts, row.last_error) == ("failed", 3, "HTTP 503 (3)")
    assert row.finished_at is not None and row.next_attempt_at is None
    assert _sweep(100_000)["due"] == 0
    assert len(backend.calls) == 3
    assert {delivery.key for delivery, _ in backend.calls} == {f"{application['id']}.fach"}


def test_the_backoff_doubles_up_to_an_hour():
    config = {"HANDOFF_RETRY_SECONDS": 30}
    assert [outbox.backoff_seconds(n, config) for n in (1, 2, 3, 7, 8, 20)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_a_refusal_that_will_not_change_fails_at_once(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("HTTP 400: schema mismatch", retry=False)]
    application = submitted(signed_in("refused@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert (row.state, row.attempts, row.last_error) == ("failed", 1, "HTTP 400: schema mismatch")


def test_an_unexpected_error_is_retried_without_its_text(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [ValueError("Erika Mustermann, Heidestraße 17")]
    application = submitted(signed_in("bug@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "waiting"
    assert row.last_error == "unexpected error (ValueError)"


class _Crash(BaseException):
    """The worker process dies: nothing after this line of the attempt runs."""


def test_after_a_crash_the_next_attempt_resumes_with_the_same_key(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("receiver down")]
    application = submitted(signed_in("crash@example.org"), "waste_bins")
    [row] = _rows(application["id"])

    def send_then_die(delivery):
        delivery.record({"submission_id": "S-77"})
        raise _Crash

    backend.script = [send_then_die]
    with db.connection_context(), pytest.raises(_Crash):
        outbox.attempt(row.id, row.next_attempt_at)  # when the pause is over
    crashed = _row(row.id)
    assert crashed.state == "sending" and crashed.progress == {"submission_id": "S-77"}

    assert _sweep(60)["released"] == 0  # the lease still runs
    assert _sweep(30 + outbox.LEASE_SECONDS + 1)["released"] == 1
    row = _row(row.id)
    assert (row.state, row.attempts) == ("delivered", 3)
    resumed, _document = backend.calls[-1]
    assert resumed.key == f"{application['id']}.fach"
    assert resumed.progress == {"submission_id": "S-77"}


def test_a_late_worker_does_not_overwrite_the_one_that_took_over(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("receiver down")]
    application = submitted(signed_in("late@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    with db.connection_context():
        claimed = outbox._claim(row.id, row.next_attempt_at)
        # Its lease runs out; another worker delivers the row meanwhile.
        HandoffDelivery.update(lease_until=utcnow() - timedelta(seconds=1)).where(
            HandoffDelivery.id == row.id
        ).execute()
    _sweep(0)
    assert _row(row.id).state == "delivered"
    with db.connection_context():
        assert outbox._mark(claimed, "failed", last_error="late") is False
    assert _row(row.id).state == "delivered"


def test_a_receiver_acknowledges_later(backend, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_FOLLOW_UP_SECONDS", 60)
    publish_with("waste_bins", target())
    backend.script = [Outcome("sent", remote_id="S-9")]
    backend.follow_up_script = [None, Outcome("rejected", problems=("schema",))]
    application = submitted(signed_in("ack@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert (row.state, row.remote_id, row.finished_at) == ("sent", "S-9", None)

    assert _sweep(30)["follow_ups"] == 0
    assert _sweep(61)["follow_ups"] == 1
    assert _row(row.id).state == "sent"
    assert _sweep(200)["follow_ups"] == 1
    row = _row(row.id)
    assert (row.state, row.problems) == ("rejected", ["schema"])
    assert backend.follow_ups[-1].remote_id == "S-9"


def test_send_again_starts_a_new_round_with_a_new_key(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("HTTP 400", retry=False)]
    application = submitted(signed_in("again@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "failed"

    with db.connection_context():
        admin = User.get(User.email == "handoff-admin@example.org")
        again = outbox.retry(row, admin)
    assert (again.round, again.key) == (2, f"{application['id']}.fach-2")
    row = _row(row.id)
    assert (row.state, row.round, row.attempts, row.last_error) == ("delivered", 2, 1, "")
    assert backend.calls[-1][0].key == f"{application['id']}.fach-2"
    assert backend.calls[-1][0].progress == {}

    with db.connection_context(), pytest.raises(outbox.RetryRefused):
        outbox.retry(row, admin)


def test_send_again_takes_the_settings_of_the_published_version(backend, signed_in):
    publish_with("waste_bins", target(mailbox="old"))
    backend.script = [DeliveryFailed("no such mailbox", retry=False)]
    application = submitted(signed_in("fixed@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    publish_with("waste_bins", target(mailbox="new"))
    with db.connection_context():
        outbox.retry(row, None)
    assert backend.calls[-1][0].settings == {"mailbox": "new"}


def test_a_backend_no_longer_registered_fails_with_its_name(app, signed_in):
    with recording() as cls:
        publish_with("waste_bins", target())
        cls.script = [DeliveryFailed("down")]
        application = submitted(signed_in("gone@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "waiting"
    _sweep(100_000)
    row = _row(row.id)
    assert (row.state, row.last_error) == ("failed", "backend 'recording' is not registered")


def test_the_transition_table():
    assert states.allowed("pending", "sending")
    assert states.allowed("failed", "pending") and states.allowed("rejected", "pending")
    assert not states.allowed("delivered", "pending")
    assert states.allowed("sent", "failed")  # no acknowledgement will come
    assert not states.allowed("sent", "pending")
    assert set(states.sources("sending")) == set(states.CLAIMABLE)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(states.STATES)
    with pytest.raises(states.TransitionRefused):
        states.require("accepted", "sending")


def test_an_event_announced_twice_writes_one_delivery(backend, signed_in):
    publish_with("waste_bins", target())
    application = submitted(signed_in("again-event@example.org"), "waste_bins")
    with db.connection_context():
        record = Application.get_by_id(application["id"])
        assert outbox.record(record, "submitted") == []
    assert len(_rows(application["id"])) == 1 and len(backend.calls) == 1


def test_a_receiver_s_retry_after_is_waited_for(backend, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_RETRY_SECONDS", 30)
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("HTTP 429", retry_after=300)]
    before = utcnow()
    application = submitted(signed_in("busy@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert (row.state, row.last_error) == ("waiting", "HTTP 429")
    assert timedelta(seconds=299) < row.next_attempt_at - before < timedelta(seconds=310)
    assert _sweep(60)["due"] == 0  # the backoff alone would be over
    assert len(backend.calls) == 1
    assert _sweep(301)["due"] == 1
    assert _row(row.id).state == "delivered"


def test_a_retry_after_shorter_than_the_backoff_or_beyond_the_cap(monkeypatch, app):
    monkeypatch.setitem(tasks.config(), "HANDOFF_RETRY_SECONDS", 30)
    assert outbox.pause_seconds(1, 5) == 30  # the backoff is longer
    assert outbox.pause_seconds(1, None) == 30
    assert outbox.pause_seconds(2, 90.5) == 90.5
    assert outbox.pause_seconds(1, 86_400) == outbox.MAX_RETRY_SECONDS


def test_the_lease_is_the_configured_one(backend, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_LEASE_SECONDS", 5)
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("receiver down")]
    application = submitted(signed_in("lease@example.org"), "waste_bins")
    [row] = _rows(application["id"])

    def die(delivery):
        raise _Crash

    backend.script = [die]
    with db.connection_context(), pytest.raises(_Crash):
        outbox.attempt(row.id, row.next_attempt_at)
    crashed = _row(row.id)
    assert timedelta(seconds=4) < crashed.lease_until - crashed.updated_at <= timedelta(seconds=5)
    assert _sweep(30 + 6)["released"] == 1  # long before the default 600 seconds
    assert _row(row.id).state == "delivered"


def test_a_reported_case_number_lands_on_that_delivery(backend, signed_in):
    from app import events

    publish_with("waste_bins", target("fach"), target("archiv"))
    application = submitted(signed_in("number@example.org"), "waste_bins")
    with db.connection_context():
        stored = Application.get_by_id(application["id"])
        events.emit(
            "handoff.case_number_reported",
            application=stored,
            target_id="fach",
            case_number="AZ 7/26",
        )
    rows = {row.target_id: row.remote_id for row in _rows(application["id"])}
    assert rows == {"fach": "AZ 7/26", "archiv": "R-1"}


def test_a_job_queued_twice_keeps_the_pause(backend, signed_in):
    """The job queued on commit and the one the sweep queued both run: the second must
    not send before the pause a failed attempt set is over."""
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("receiver down")]
    application = submitted(signed_in("queued-twice@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "waiting"

    outbox.deliver_handoff(row.id)  # a second job, at once
    assert outbox.attempt(row.id) is None
    assert (_row(row.id).state, _row(row.id).attempts, len(backend.calls)) == ("waiting", 1, 1)
    assert outbox.attempt(row.id, row.next_attempt_at) == "delivered"


def test_an_acknowledgement_that_never_comes_fails_the_delivery(backend, signed_in, monkeypatch):
    monkeypatch.setitem(tasks.config(), "HANDOFF_ACKNOWLEDGEMENT_DAYS", 2)
    publish_with("waste_bins", target())
    backend.script = [Outcome("sent", remote_id="S-1")]
    application = submitted(signed_in("no-ack@example.org"), "waste_bins")
    [row] = _rows(application["id"])
    assert row.state == "sent"

    assert _sweep(86_400)["follow_ups"] == 1
    assert _row(row.id).state == "sent"
    assert _sweep(2 * 86_400 + 120)["follow_ups"] == 1
    row = _row(row.id)
    assert (row.state, row.last_error) == ("failed", "no acknowledgement within 2 days")
    assert row.finished_at is not None and row.next_attempt_at is None
    with db.connection_context():
        admin = User.get(User.email == "handoff-admin@example.org")
        assert outbox.retry(row, admin).round == 2  # staff may send it again


def test_a_receiver_that_will_never_answer_fails_the_delivery(backend, signed_in):
    publish_with("waste_bins", target())
    backend.script = [Outcome("sent", remote_id="S-2")]
    backend.follow_up_script = [
        DeliveryFailed("event log: HTTP 503"),
        DeliveryFailed("event log: HTTP 404", retry=False),
    ]
    application = submitted(signed_in("gone-case@example.org"), "waste_bins")
    [row] = _rows(application["id"])

    _sweep(61)
    assert (_row(row.id).state, _row(row.id).last_error) == ("sent", "event log: HTTP 503")
    _sweep(200)
    assert (_row(row.id).state, _row(row.id).last_error) == ("failed", "event log: HTTP 404")


def test_an_unexpected_error_leaves_no_personal_data_in_the_log(backend, signed_in, caplog):
    publish_with("waste_bins", target())
    backend.script = [ValueError("Erika Mustermann, Heidestraße 17")]
    with caplog.at_level("DEBUG"):
        submitted(signed_in("log@example.org"), "waste_bins")
    logged = "\n".join(
        record.getMessage() + (caplog.handler.format(record) if record.exc_info else "")
        for record in caplog.records
    )
    assert "ValueError" in logged
    assert "Mustermann" not in logged and "Heidestraße" not in logged


def test_a_sweep_queues_a_backlog_in_batches(backend, signed_in, monkeypatch):
    monkeypatch.setattr(outbox, "SWEEP_BATCH", 2)
    publish_with("waste_bins", target())
    backend.script = [DeliveryFailed("down") for _ in range(3)]
    citizen = signed_in("backlog@example.org")
    for number in range(3):
        submitted(citizen, "waste_bins", key=f"backlog-{number}")
    assert [row.state for row in _rows()] == ["waiting"] * 3
    assert _sweep(31)["due"] == 2
    assert _sweep(31)["due"] == 1
    assert [row.state for row in _rows()] == ["delivered"] * 3
