"""Queued jobs carry the request id and their queueing time beside Huey's message."""

from __future__ import annotations

import time

from app import log_context
from app.tasks import PortalSqliteHuey


def _queue(tmp_path):
    queue = PortalSqliteHuey("envelope-test", filename=str(tmp_path / "queue.sqlite3"))

    @queue.task(name="work")
    def work(number: int) -> int:
        return number

    return queue, work


def test_a_job_keeps_the_request_id_through_the_queue_and_a_retry(tmp_path):
    queue, work = _queue(tmp_path)
    with log_context.bound(log_context.LogContext(request_id="request-abc-123")):
        work(1)
    taken = queue.dequeue()
    assert taken.portal_meta["request_id"] == "request-abc-123"
    first_queued = taken.portal_meta["enqueued_at"]
    assert abs(first_queued - time.time()) < 60
    # A retry queues the same job again, from the worker, outside any request.
    time.sleep(0.01)
    queue.enqueue(taken)
    again = queue.dequeue()
    assert again.portal_meta["request_id"] == "request-abc-123"
    assert again.portal_meta["enqueued_at"] > first_queued


def test_a_job_queued_before_the_envelope_still_runs(tmp_path):
    queue, work = _queue(tmp_path)
    task = work.s(41)
    # What an earlier version of the portal left in the queue: Huey's bare message.
    plain = queue.serializer.serialize(queue._registry.create_message(task))
    queue.storage.enqueue(plain, 0)
    taken = queue.dequeue()
    assert taken.args == (41,)
    assert taken.portal_meta == {}
    assert queue.execute(taken) == 41


def test_outside_a_request_a_job_has_no_request_id(tmp_path):
    queue, work = _queue(tmp_path)
    work(2)
    assert queue.dequeue().portal_meta["request_id"] is None
