"""Jobs queued inside a transaction reach the queue only after the commit.

A worker is a separate process with its own connection: a job it picks up before the
transaction that queued it has committed cannot see the new rows. The tests use a real
queue (SQLite, in a temporary folder) and a worker that runs each job the moment it is
queued, in another thread with its own database connection: the worst case of a fast
consumer, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

import pytest
from huey.storage import SqliteStorage

from app.db import db, on_commit
from app.models import Document, Payment, User
from app.payments import states
from app.payments.service import apply_report
from app.payments.states import StatusReport
from app.tasks import huey


class EagerWorkerStorage(SqliteStorage):
    """A real queue whose worker takes every job at once, in its own thread."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.picked_up = 0

    def enqueue(self, data: bytes, priority: int | None = None) -> None:
        super().enqueue(data, priority)

        def work() -> None:
            with db.connection_context():
                message = self.dequeue()
                if message is not None:
                    self.picked_up += 1
                    huey.execute(huey.deserialize_task(message))

        worker = threading.Thread(target=work)
        worker.start()
        worker.join(timeout=60)


@pytest.fixture
def worker(app, monkeypatch, tmp_path) -> Iterator[EagerWorkerStorage]:
    storage = EagerWorkerStorage(huey.name, filename=str(tmp_path / "queue.sqlite3"))
    monkeypatch.setattr(huey, "_immediate", False)
    monkeypatch.setattr(huey, "storage", storage)
    with app.app_context(), db.connection_context():
        yield storage
    storage.close()


class Rollback(Exception):
    pass


def _redirected_payment() -> Payment:
    user = User.create(email=f"zahler-{secrets.token_hex(3)}@example.org")
    return Payment.create(
        user=user,
        subject_type="application",
        subject_id=secrets.token_hex(4),
        amount_cents=3000,
        purpose="BP 1",
        description="Bewohnerparkausweis",
        kassenzeichen="9000000001",
        provider="transfer",
        return_path="/",
        state=states.REDIRECTED,
        details={"items": [{"amount_cents": 3000, "description": "Ausweis"}]},
    )


def test_a_rolled_back_transaction_queues_nothing(worker):
    from app.payments.tasks import render_receipt

    with pytest.raises(Rollback), db.atomic():
        payment = _redirected_payment()
        render_receipt(payment.id)
        with db.atomic():
            on_commit(lambda: render_receipt(payment.id))
        raise Rollback
    assert worker.picked_up == 0 and huey.pending_count() == 0
    assert huey.scheduled_count() == 0


def test_a_rolled_back_savepoint_drops_its_jobs_but_the_transaction_keeps_the_rest(worker):
    from app.payments.tasks import render_receipt

    ran: list[str] = []
    with db.atomic():
        on_commit(lambda: ran.append("kept"))
        with pytest.raises(Rollback), db.atomic():
            on_commit(lambda: ran.append("dropped"))
            render_receipt(0)
            raise Rollback
        assert ran == []
    assert ran == ["kept"] and worker.picked_up == 0


def test_the_receipt_job_runs_after_the_commit_and_sees_the_paid_payment(worker):
    payment = _redirected_payment()
    # The transition commits, then the receipt jobs reach the worker (which reads the
    # payment through its own connection): the inbox gets the receipt at the first run.
    paid = apply_report(payment, StatusReport(states.PAID, "RECEIVED"), "staff")
    assert paid.state == states.PAID
    assert worker.picked_up == 2  # render_receipt and the inbox's receipt job
    assert huey.scheduled_count() == 0  # no job had to wait for a retry
    document = Document.get(Document.user == payment.user_id)
    assert document.kind == "payment_receipt"
