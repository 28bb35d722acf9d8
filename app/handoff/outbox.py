"""The hand-off outbox: each application reaches each target of its service once.

When an application enters the workflow, its fee payment succeeds or it reaches a
decision, the handlers here write one :class:`~app.models.HandoffDelivery` per target
of its definition that waits for that moment, inside the transaction of that change
(domain events run inside the publisher's transaction): a change that is rolled back
leaves no delivery, and one that commits always has its deliveries. The job that
delivers a row is queued when the transaction commits; a periodic sweep picks up what a
lost job, a retry or a crashed worker left behind.

Exactly once: a worker claims a row with one conditional update (state and lease), so
two workers, or a job run twice, never send the same row at the same time. A worker
that dies between sending and marking leaves its lease to expire; the next attempt
sends again with the same idempotency key and the progress the backend recorded, and
the receiver recognises it (webhook id, FIT-Connect submission id, Message-ID).
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

import peewee
from huey import crontab

from app import events
from app.applications import definitions
from app.db import db, utcnow
from app.handoff import states
from app.handoff.base import REGISTRY, Delivery, DeliveryFailed, Outcome
from app.models import Application, ApplicationEvent, HandoffDelivery, User
from app.service_definitions import workflow
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

# How long a worker's claim lasts unless HANDOFF_LEASE_SECONDS says otherwise: longer
# than any backend's timeouts, so only a worker that died loses it.
LEASE_SECONDS = 600
# How long a ``sent`` delivery waits for the receiver's acknowledgement unless
# HANDOFF_ACKNOWLEDGEMENT_DAYS says otherwise; then it is ``failed`` (staff may send again).
ACKNOWLEDGEMENT_DAYS = 7
# The most rows one sweep queues of each kind: a backlog is worked off over several
# minutes instead of flooding the queue at once.
SWEEP_BATCH = 500
# The longest pause between two attempts.
MAX_RETRY_SECONDS = 3600
# Statuses an application leaves when it enters the workflow.
_BEFORE_WORKFLOW = ("draft", "awaiting_payment")


# --- Writing deliveries, inside the event's transaction --------------------------------


def _targets(application: Application, moment: str) -> list[dict[str, Any]]:
    definition = definitions.of_application(application)
    return [t for t in definition.data.get("handoff") or [] if t["on"] == moment]


def record(application: Application, moment: str) -> list[HandoffDelivery]:
    """Write a delivery for every target of ``application`` that waits for ``moment``
    (none twice) and queue each once the transaction commits. Returns the new rows."""
    created = []
    with db.atomic():
        for target in _targets(application, moment):
            exists = (
                HandoffDelivery.select()
                .where(
                    (HandoffDelivery.application == application.id)
                    & (HandoffDelivery.target_id == target["id"])
                )
                .exists()
            )
            if exists:
                continue
            now = utcnow()
            try:
                # A savepoint: the same event handled at once elsewhere (two payment
                # reports) loses on the unique key without spoiling the transaction.
                with db.atomic():
                    row = HandoffDelivery.create(
                        application=application.id,
                        service_id=application.service_id,
                        target_id=target["id"],
                        backend=target["backend"],
                        moment=moment,
                        label=target.get("label") or {},
                        settings=target.get("settings") or {},
                        next_attempt_at=now,
                        created_at=now,
                        updated_at=now,
                    )
            except peewee.IntegrityError:
                continue
            created.append(row)
    for row in created:
        deliver_handoff(row.id)
    return created


def _on_status_changed(application: Application, event: ApplicationEvent) -> None:
    if event.from_status in _BEFORE_WORKFLOW and event.to_status not in _BEFORE_WORKFLOW:
        record(application, "submitted")
    definition = definitions.of_application(application)
    if workflow.decision_of(definition, event.to_status) is not None:
        record(application, "decided")


def _on_payment_succeeded(payment: Any) -> None:
    from app.applications.payment_link import application_of_payment

    application = application_of_payment(payment)
    if application is not None:
        record(application, "paid")


def _on_case_number_reported(application: Application, target_id: str, case_number: str) -> None:
    # The specialist system's own number for the case, shown to clerks with the delivery.
    HandoffDelivery.update(remote_id=case_number[:200], updated_at=utcnow()).where(
        (HandoffDelivery.application == application.id) & (HandoffDelivery.target_id == target_id)
    ).execute()


def register_builtin() -> None:
    """Write deliveries on the events that call for them, and keep the case number a
    specialist system reports back on its delivery.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.status_changed")(_on_status_changed)
    events.subscribe("payment.succeeded")(_on_payment_succeeded)
    events.subscribe("handoff.case_number_reported")(_on_case_number_reported)


# --- Delivering -------------------------------------------------------------------------


@contextlib.contextmanager
def _connection() -> Iterator[None]:
    # The worker opens one per job; in immediate mode the caller's is reused.
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


def _settings() -> Mapping[str, Any]:
    return job_config()


def backoff_seconds(attempt: int, config: Mapping[str, Any] | None = None) -> int:
    """The pause after failed attempt number ``attempt`` (1, 2, …): doubling from
    ``HANDOFF_RETRY_SECONDS``, at most an hour."""
    base = int((config or _settings()).get("HANDOFF_RETRY_SECONDS") or 30)
    return min(base * 2 ** max(attempt - 1, 0), MAX_RETRY_SECONDS)


def _max_attempts() -> int:
    return int(_settings().get("HANDOFF_MAX_ATTEMPTS") or 8)


def _follow_up_seconds() -> int:
    return int(_settings().get("HANDOFF_FOLLOW_UP_SECONDS") or 60)


def _acknowledgement_days() -> int:
    return int(_settings().get("HANDOFF_ACKNOWLEDGEMENT_DAYS") or ACKNOWLEDGEMENT_DAYS)


def lease_seconds() -> int:
    """How long a worker's claim on a row lasts (``HANDOFF_LEASE_SECONDS``)."""
    return int(_settings().get("HANDOFF_LEASE_SECONDS") or LEASE_SECONDS)


def pause_seconds(attempt: int, retry_after: float | None) -> float:
    """The pause after failed attempt number ``attempt``: the backoff, or what the
    receiver asked for (its ``Retry-After``) when that is longer; at most an hour."""
    pause = float(backoff_seconds(attempt))
    if retry_after is not None:
        pause = max(pause, float(retry_after))
    return min(pause, MAX_RETRY_SECONDS)


def _clock(fixed: datetime | None) -> Callable[[], datetime]:
    """The time everything of one attempt is stamped with: ``fixed`` when the caller
    gave one (a sweep run for a moment), else the clock's time at each step."""
    if fixed is None:
        return utcnow
    return lambda: fixed


def _claim(delivery_id: int, now: datetime) -> HandoffDelivery | None:
    """Take the row for one attempt, or None when it is not ours to send."""
    claimed = (
        HandoffDelivery.update(
            state="sending",
            attempts=HandoffDelivery.attempts + 1,
            lease_until=now + timedelta(seconds=lease_seconds()),
            updated_at=now,
        )
        .where(
            (HandoffDelivery.id == delivery_id)
            & HandoffDelivery.state.in_(states.sources("sending"))
            # A job queued twice (on commit and by the sweep) must not skip the pause a
            # failed attempt set: only a row that is due is claimed.
            & (HandoffDelivery.next_attempt_at.is_null() | (HandoffDelivery.next_attempt_at <= now))
        )
        .execute()
    )
    return HandoffDelivery.get_by_id(delivery_id) if claimed == 1 else None


def _mark(row: HandoffDelivery, to_state: str, at: datetime | None = None, **changes: Any) -> bool:
    """Move the row on from ``sending`` if it is still this attempt's (a worker whose
    lease ran out must not overwrite the one that took over); ``at``: the attempt's time."""
    states.require("sending", to_state)
    changes.update(state=to_state, lease_until=None, updated_at=at or utcnow())
    updated = (
        HandoffDelivery.update(**changes)
        .where(
            (HandoffDelivery.id == row.id)
            & (HandoffDelivery.state == "sending")
            & (HandoffDelivery.attempts == row.attempts)
            & (HandoffDelivery.round == row.round)
        )
        .execute()
    )
    return updated == 1


def _recorder(row: HandoffDelivery) -> Any:
    def store(progress: Mapping[str, Any]) -> None:
        # Committed at once: a worker that dies right after must find it next time.
        current = HandoffDelivery.get_by_id(row.id)
        if (current.state, current.attempts, current.round) != ("sending", row.attempts, row.round):
            return
        merged = dict(current.progress or {}) | dict(progress)
        with db.atomic():
            HandoffDelivery.update(progress=merged, updated_at=utcnow()).where(
                (HandoffDelivery.id == row.id) & (HandoffDelivery.attempts == row.attempts)
            ).execute()

    return store


def delivery_of(row: HandoffDelivery) -> Delivery:
    """The row as a backend sees it."""
    return Delivery(
        id=row.id,
        key=row.key,
        application_id=row.application_id,
        service_id=row.service_id,
        target_id=row.target_id,
        backend=row.backend,
        moment=row.moment,
        settings=dict(row.settings or {}),
        attempt=row.attempts,
        progress=dict(row.progress or {}),
        remote_id=row.remote_id,
        record=_recorder(row),
    )


def _reason(exc: BaseException) -> str:
    # Only the kind of an unexpected error: its text may quote what was sent.
    return f"unexpected error ({type(exc).__name__})"


def _log_broken(what: str, exc: BaseException) -> None:
    """Log an unexpected error with where it happened but without its text, which may
    quote the application (names, addresses): the kind and the stack's code lines."""
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s broke: %s\n%s", what, type(exc).__name__, where)


def _after_failure(
    row: HandoffDelivery,
    reason: str,
    retry: bool,
    now: datetime,
    retry_after: float | None = None,
) -> str | None:
    """Mark a failed attempt ``waiting`` or ``failed``; None when the row is no longer
    this attempt's (its lease ran out and another worker took over)."""
    if retry and row.attempts < _max_attempts():
        written = _mark(
            row,
            "waiting",
            at=now,
            last_error=reason[:500],
            next_attempt_at=now + timedelta(seconds=pause_seconds(row.attempts, retry_after)),
        )
        return "waiting" if written else None
    written = _mark(
        row, "failed", at=now, last_error=reason[:500], next_attempt_at=None, finished_at=now
    )
    return "failed" if written else None


def _after_outcome(row: HandoffDelivery, outcome: Outcome, now: datetime) -> str | None:
    changes: dict[str, Any] = {
        "remote_id": (outcome.remote_id or row.remote_id)[:200],
        "problems": list(outcome.problems),
        "last_error": "",
        "sent_at": row.sent_at or now,
    }
    if outcome.state == "sent":
        changes["next_attempt_at"] = now + timedelta(seconds=_follow_up_seconds())
    else:
        changes["next_attempt_at"] = None
        changes["finished_at"] = now
    return outcome.state if _mark(row, outcome.state, at=now, **changes) else None


def attempt(delivery_id: int, now: datetime | None = None) -> str | None:
    """One attempt at delivery ``delivery_id``: claim, deliver, mark. Returns the state
    it left the row in, or None when there was nothing to claim. ``now`` (default: the
    clock) is also when the attempt counts as ended."""
    clock = _clock(now)
    now = clock()
    with _connection():
        row = _claim(delivery_id, now)
        if row is None:
            return None
        cls = REGISTRY.find(row.backend)
        if cls is None:
            state = _after_failure(row, f"backend {row.backend!r} is not registered", False, now)
            return state
        try:
            application = Application.get_by_id(row.application_id)
            from app.handoff.document import build

            document = build(application)
            outcome = cls(_settings()).deliver(delivery_of(row), document)
            if outcome.state not in states.TRANSITIONS["sending"]:
                raise DeliveryFailed(f"backend answered {outcome.state!r}", retry=False)
        except DeliveryFailed as exc:
            state = _after_failure(row, exc.reason, exc.retry, clock(), exc.retry_after)
        except Exception as exc:
            _log_broken(f"hand-off {row.id} ({row.backend}): attempt {row.attempts}", exc)
            state = _after_failure(row, _reason(exc), True, clock())
        else:
            state = _after_outcome(row, outcome, clock())
        log.info(
            "hand-off %s to %s (%s): attempt %s -> %s",
            row.id,
            row.target_id,
            row.backend,
            row.attempts,
            state or "taken over by another worker",
        )
        return state


def _moment(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


@huey.task()
def deliver_handoff(delivery_id: int, at: str | None = None) -> None:
    """Deliver ``delivery_id`` unless it is delivered or being delivered already (``at``:
    the moment a sweep for a given time found it due, as ISO text; else the clock's)."""
    attempt(delivery_id, _moment(at))


def _claim_follow_up(delivery_id: int, now: datetime) -> HandoffDelivery | None:
    lease = now + timedelta(seconds=lease_seconds())
    claimed = (
        HandoffDelivery.update(lease_until=lease, updated_at=now)
        .where(
            (HandoffDelivery.id == delivery_id)
            & (HandoffDelivery.state == "sent")
            & (HandoffDelivery.lease_until.is_null() | (HandoffDelivery.lease_until < now))
        )
        .execute()
    )
    return HandoffDelivery.get_by_id(delivery_id) if claimed == 1 else None


def follow_up(delivery_id: int, now: datetime | None = None) -> str | None:
    """Ask the receiver of a ``sent`` delivery for its acknowledgement; returns the new
    state, ``sent`` while there is none, or None when there was nothing to ask."""
    clock = _clock(now)
    now = clock()
    with _connection():
        row = _claim_follow_up(delivery_id, now)
        if row is None:
            return None
        cls = REGISTRY.find(row.backend)
        outcome = None
        try:
            if cls is not None:
                outcome = cls(_settings()).follow_up(delivery_of(row))
        except DeliveryFailed as exc:
            if not exc.retry:
                # The receiver will never answer (the case is gone, our access revoked):
                # staff see why and may send again.
                return _give_up(row, exc.reason, clock())
            HandoffDelivery.update(last_error=exc.reason[:500]).where(
                HandoffDelivery.id == row.id
            ).execute()
        except Exception as exc:
            _log_broken(f"hand-off {row.id} ({row.backend}): follow-up", exc)
            HandoffDelivery.update(last_error=_reason(exc)).where(
                HandoffDelivery.id == row.id
            ).execute()
        if outcome is not None and outcome.state in states.TRANSITIONS["sent"]:
            HandoffDelivery.update(
                state=outcome.state,
                remote_id=(outcome.remote_id or row.remote_id)[:200],
                problems=list(outcome.problems),
                last_error="",
                lease_until=None,
                next_attempt_at=None,
                finished_at=clock(),
                updated_at=clock(),
            ).where((HandoffDelivery.id == row.id) & (HandoffDelivery.state == "sent")).execute()
            log.info("hand-off %s to %s: %s", row.id, row.target_id, outcome.state)
            return outcome.state
        days = _acknowledgement_days()
        if row.sent_at is not None and clock() - row.sent_at > timedelta(days=days):
            return _give_up(row, f"no acknowledgement within {days} days", clock())
        later = clock() + timedelta(seconds=_follow_up_seconds())
        HandoffDelivery.update(lease_until=None, next_attempt_at=later).where(
            (HandoffDelivery.id == row.id) & (HandoffDelivery.state == "sent")
        ).execute()
        return "sent"


def _give_up(row: HandoffDelivery, reason: str, now: datetime) -> str | None:
    """A ``sent`` delivery whose acknowledgement will not come: ``failed``."""
    states.require("sent", "failed")
    written = (
        HandoffDelivery.update(
            state="failed",
            last_error=reason[:500],
            lease_until=None,
            next_attempt_at=None,
            finished_at=now,
            updated_at=now,
        )
        .where((HandoffDelivery.id == row.id) & (HandoffDelivery.state == "sent"))
        .execute()
    )
    log.info("hand-off %s to %s: failed waiting for its acknowledgement", row.id, row.target_id)
    return "failed" if written else None


@huey.task()
def follow_up_handoff(delivery_id: int, at: str | None = None) -> None:
    """Ask for the acknowledgement of ``delivery_id`` if it still waits for one (``at``
    as for :func:`deliver_handoff`)."""
    follow_up(delivery_id, _moment(at))


def _release_expired(now: datetime) -> list[int]:
    """Rows whose worker died while sending: tried again with the same key, unless
    that was their last attempt."""
    expired = list(
        HandoffDelivery.select().where(
            (HandoffDelivery.state == "sending") & (HandoffDelivery.lease_until < now)
        )
    )
    released = []
    for row in expired:
        reason = "the attempt did not finish (the worker stopped)"
        if _after_failure(row, reason, True, now) == "waiting":
            # Due at once: the pause is for receivers, and this one may never have heard.
            HandoffDelivery.update(next_attempt_at=now).where(
                (HandoffDelivery.id == row.id) & (HandoffDelivery.state == "waiting")
            ).execute()
            released.append(row.id)
    return released


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Queue what is due: retries whose pause is over, rows a crashed worker left
    ``sending``, pending rows whose job was lost, and follow-ups of ``sent``."""
    given = now
    now = now or utcnow()
    with _connection():
        released = _release_expired(now)
        due = [
            row.id
            for row in HandoffDelivery.select(HandoffDelivery.id)
            .where(
                HandoffDelivery.state.in_(states.CLAIMABLE)
                & (HandoffDelivery.next_attempt_at <= now)
            )
            .order_by(HandoffDelivery.next_attempt_at)
            .limit(SWEEP_BATCH)
        ]
        follow_ups = [
            row.id
            for row in HandoffDelivery.select(HandoffDelivery.id)
            .where((HandoffDelivery.state == "sent") & (HandoffDelivery.next_attempt_at <= now))
            .order_by(HandoffDelivery.next_attempt_at)
            .limit(SWEEP_BATCH)
        ]
    # A sweep run for a given moment (an operator's catch-up, a test's clock) has its
    # jobs work at that moment too: what it found due is due for them.
    at = given.isoformat() if given is not None else None
    for delivery_id in due:
        deliver_handoff(delivery_id, at)
    for delivery_id in follow_ups:
        follow_up_handoff(delivery_id, at)
    return {"released": len(released), "due": len(due), "follow_ups": len(follow_ups)}


@huey.periodic_task(crontab(minute="*"))
def sweep_handoffs() -> None:
    """Every minute: queue the hand-off work that is due."""
    sweep()


# --- Staff ------------------------------------------------------------------------------


class RetryRefused(Exception):
    """ "Send again" for a delivery that is not failed or rejected."""


def _current_target(row: HandoffDelivery) -> dict[str, Any] | None:
    # A city that fixed a target's settings in a newer version means those to be used.
    try:
        record = definitions.published(row.service_id)
    except Exception:
        return None
    definition = definitions.definition_of(record)
    for target in definition.data.get("handoff") or []:
        if target["id"] == row.target_id and target["backend"] == row.backend:
            return target
    return None


def retry(delivery: HandoffDelivery, actor: User | None) -> HandoffDelivery:
    """Staff's "send again" for a failed or rejected delivery: a new round with a new
    key and fresh progress, queued once the transaction commits, with the target's
    settings from the service's published version if it still has that target (a fix
    made there counts). Raises :class:`RetryRefused` in any other state. The caller
    records ``actor`` in the audit log."""
    target = _current_target(delivery)
    now = utcnow()
    changes: dict[str, Any] = {
        "state": "pending",
        "round": HandoffDelivery.round + 1,
        "attempts": 0,
        "progress": {},
        "remote_id": "",
        "problems": [],
        "last_error": "",
        "next_attempt_at": now,
        "lease_until": None,
        "sent_at": None,
        "finished_at": None,
        "updated_at": now,
    }
    if target is not None:
        changes["settings"] = target.get("settings") or {}
        changes["label"] = target.get("label") or delivery.label
    with db.atomic():
        updated = (
            HandoffDelivery.update(**changes)
            .where(
                (HandoffDelivery.id == delivery.id)
                & HandoffDelivery.state.in_(states.sources("pending"))
            )
            .execute()
        )
        if updated != 1:
            raise RetryRefused(delivery.id)
        row = HandoffDelivery.get_by_id(delivery.id)
        deliver_handoff(row.id)
    log.info(
        "hand-off %s to %s: sent again (round %s) by %s",
        row.id,
        row.target_id,
        row.round,
        actor.id if actor else "-",
    )
    return row
