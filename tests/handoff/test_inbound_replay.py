"""The same report sent twice at once is applied once: the second waits for the first
and is refused (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

from app.db import db
from app.errors import DomainError
from app.handoff import inbound
from app.models import Application, ApplicationEvent, HandoffDelivery, HandoffInboundReport
from tests.api.engine_helpers import submitted

TARGET = inbound.Target(
    service_id="dog_tax_registration",
    target_id="steueramt",
    label={"de": "Steueramt", "en": "Tax office"},
    secret="steueramt",
)


def test_a_report_sent_twice_at_once_is_applied_once(app, signed_in):
    application = submitted(signed_in("parallel@example.org"), "dog_tax_registration")
    with db.connection_context():
        # Handed off to the target, which may therefore report on it.
        HandoffDelivery.create(
            application=application["id"],
            service_id=TARGET.service_id,
            target_id=TARGET.target_id,
            backend="webhook",
            moment="submitted",
            state="delivered",
        )
    report = inbound.Report(application_id=application["id"], status="in_review")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        with app.app_context(), db.connection_context():
            start.wait()
            try:
                inbound.apply(TARGET, "same-id", report)
                outcomes.append("applied")
            except DomainError as refused:
                outcomes.append(refused.code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["applied", "handoff_replayed"]
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "in_review"
        assert HandoffInboundReport.select().count() == 1
        moves = ApplicationEvent.select().where(
            (ApplicationEvent.application == application["id"])
            & (ApplicationEvent.to_status == "in_review")
        )
        assert moves.count() == 1
