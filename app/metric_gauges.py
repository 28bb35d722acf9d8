"""Gauges read at scrape time: job queue, worker heartbeat, hand-offs, payments.

They describe the state of the whole portal (its database and queue), so every node
answers the same figures; take ``max`` over instances rather than ``sum``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import peewee
from prometheus_client.core import GaugeMetricFamily

from app import job_queue_stats, worker_heartbeat
from app.db import db
from app.handoff.states import STATES as HANDOFF_STATES
from app.models import HandoffDelivery, Payment
from app.payments.states import INTERNAL_STATES as PAYMENT_STATES

log = logging.getLogger(__name__)


def _by_state(model: Any, states: tuple[str, ...]) -> dict[str, int]:
    """Rows of ``model`` per state; every known state appears, with 0 if it has none."""
    counts = dict.fromkeys(states, 0)
    query = model.select(model.state, peewee.fn.COUNT(model.id)).group_by(model.state).tuples()
    for state, count in query:
        counts[state] = count
    return counts


class PortalState:
    """A prometheus_client collector for the portal's state, read when scraped."""

    def __init__(self, huey: Any) -> None:
        self.huey = huey

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield every state gauge, and ``portal_state_up``: 0 when the database or the
        queue did not answer (the other gauges are then left out, not reported as 0)."""
        try:
            families = list(self._jobs()) + list(self._rows())
        except Exception:  # the scrape still serves the counters; the cause goes to the log
            log.warning("metrics: the portal's state could not be read", exc_info=True)
            families = []
        yield from families
        yield GaugeMetricFamily(
            "portal_state_up",
            "Whether the database and the job queue answered this scrape",
            value=1 if families else 0,
        )

    def _rows(self) -> Iterator[GaugeMetricFamily]:
        # The scrape's request holds a connection already; elsewhere one is opened.
        opened_here = db.is_closed()
        if opened_here:
            db.connect()
        try:
            handoffs = _by_state(HandoffDelivery, HANDOFF_STATES)
            payments = _by_state(Payment, PAYMENT_STATES)
        finally:
            if opened_here:
                db.close()
        family = GaugeMetricFamily(
            "portal_handoff_deliveries",
            "Hand-off deliveries to specialist systems, by state (failed: need staff)",
            labels=("state",),
        )
        for state, count in handoffs.items():
            family.add_metric((state,), count)
        yield family
        family = GaugeMetricFamily(
            "portal_payments", "Payments by internal state", labels=("state",)
        )
        for state, count in payments.items():
            family.add_metric((state,), count)
        yield family

    def _jobs(self) -> Iterator[GaugeMetricFamily]:
        stats = job_queue_stats.read(self.huey)
        yield GaugeMetricFamily(
            "portal_jobs_queued", "Jobs waiting for a worker", value=stats.queued
        )
        yield GaugeMetricFamily(
            "portal_jobs_scheduled",
            "Jobs scheduled for later (retries, delays)",
            value=stats.scheduled,
        )
        yield GaugeMetricFamily(
            "portal_jobs_oldest_age_seconds",
            "How long the longest-waiting queued job has waited (0: none waiting)",
            value=stats.oldest_age_seconds or 0.0,
        )
        if not self.huey.immediate:
            last = worker_heartbeat.last_beat(self.huey)
            age = time.time() - last if last is not None else float("inf")
            yield GaugeMetricFamily(
                "portal_worker_heartbeat_age_seconds",
                "Seconds since a worker last wrote its heartbeat (+Inf: never)",
                value=age,
            )
