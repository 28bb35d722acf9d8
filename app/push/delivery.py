"""Sending notifications to devices: once per device, retried with backoff, every attempt logged.

A *notification* is a plain dict (it travels through the job queue)::

    {"key": "status:812", "topic": "<32 chars>", "urgency": "normal",
     "ttl": 604800, "created": 1735689600.0,
     "payloads": {"de": {...}, "en": {...}}}

``key`` names the notification across jobs and retries. Each attempt to send it
to a device is claimed by inserting a :class:`~app.models.PushDelivery` row
(``notification, subscription, attempt`` is unique) *before* anything is sent, so
a job that runs twice, or a retry that is scheduled twice, sends nothing the
second time: at most one message per device and attempt. After the send the row
records the outcome:

* ``delivered`` (201): the device's ``last_success_at`` is set.
* ``gone`` (404/410): the subscription is deleted.
* ``retry`` (429, 5xx, no answer): a retry of this device alone is scheduled,
  after ``Retry-After`` when the push service says so, else with exponential
  backoff; the TTL shrinks by the time waited. After ``PUSH_MAX_ATTEMPTS`` the
  last attempt is recorded as ``failed``.
* ``failed`` (other refusals): counted; ``PUSH_MAX_FAILURES`` in a row delete
  the subscription (e.g. it was made for another VAPID key).
* ``superseded``: a retry found a newer notification with the same topic already
  sent to the device, which replaces this one anyway.
* ``expired``: the TTL ran out before a retry was due.

Nothing is lost when a push fails: the inbox message is the record.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import peewee
from huey import crontab

from app import metrics
from app.db import db, utcnow
from app.models import ApplicationEvent, InboxMessage, PushDelivery, PushSubscription
from app.push import endpoints, runtime
from app.push.message import MAX_TTL_SECONDS, SendOptions, Urgency
from app.push.payload import LANGUAGES
from app.push.transports import Outcome, SendResult
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

# Jobs return nothing: Huey would otherwise store every result in the queue.
# How long a job waits for the row that announced it (written in a transaction
# that may not be committed yet): 1 + 2 + 4 + 8 + 16 seconds, then it gives up
# (the transaction was rolled back, or the record is gone).
VISIBILITY_ROUNDS = 5
# A "new message" notification waits this long, then is dropped if a status message
# reached the citizen within STATUS_NEAR of it (documents issued with a decision,
# the receipt after submitting, a payment notice created on approval).
MESSAGE_DELAY_SECONDS = 15.0
STATUS_NEAR = datetime.timedelta(minutes=2)
SUCCESS_PRECISION = datetime.timedelta(minutes=1)
_LIVE = ("sending", "delivered", "retry")
_ROWS_WAITED_FOR = {"application_event": ApplicationEvent, "inbox_message": InboxMessage}


def notification(
    key: str,
    payloads: Mapping[str, dict[str, Any]],
    *,
    topic: str | None,
    urgency: str = "normal",
    ttl: int,
) -> dict[str, Any]:
    """Assemble a notification; ``payloads`` holds one payload per language."""
    if not payloads or "de" not in payloads:
        raise ValueError("a notification needs at least the German payload")
    SendOptions(ttl=ttl, urgency=Urgency(urgency), topic=topic)  # validates
    return {
        "key": key,
        "topic": topic,
        "urgency": str(Urgency(urgency)),
        "ttl": int(ttl),
        "created": time.time(),
        "payloads": {lang: dict(payloads[lang]) for lang in LANGUAGES if lang in payloads},
    }


@contextlib.contextmanager
def job_scope():
    """Run a job's database work in a savepoint when it runs inside a transaction.

    That happens in immediate mode (tests), where the job runs in the request
    that emitted the event: an error in the job must not spoil the caller's
    transaction. Outside a transaction each write commits on its own, so no
    database lock is held while waiting for a push service.
    """
    if db.in_transaction():
        with db.atomic():
            yield
    else:
        yield


def _visible(wait_for: tuple[str, Any] | list[Any] | None) -> bool:
    if not wait_for:
        return True
    model = _ROWS_WAITED_FOR[wait_for[0]]
    return model.select().where(model.id == wait_for[1]).exists()


def _visible_clause(wait_for: tuple[str, Any] | list[Any] | None) -> peewee.Expression:
    """``EXISTS (the announcing row)``, so devices and visibility take one query."""
    if not wait_for:
        return peewee.SQL("1 = 1")
    model = _ROWS_WAITED_FOR[wait_for[0]]
    return peewee.fn.EXISTS(model.select(model.id).where(model.id == wait_for[1]))


def _status_message_near(user_id: int, message_id: int) -> bool:
    """Whether the user got a status message within :data:`STATUS_NEAR` of this message."""
    message = InboxMessage.get_or_none(InboxMessage.id == message_id)
    if message is None:
        return False
    return (
        InboxMessage.select()
        .where(
            (InboxMessage.user == user_id)
            & (InboxMessage.created_at >= message.created_at - STATUS_NEAR)
            & (InboxMessage.created_at <= message.created_at + STATUS_NEAR)
            & (InboxMessage.kind == "status")
        )
        .exists()
    )


def _single_write():
    """A savepoint inside a transaction (immediate mode); else the statement commits alone."""
    return db.atomic() if db.in_transaction() else contextlib.nullcontext()


# --- the jobs ---------------------------------------------------------------------------


@huey.task()
def notify_user(
    note: dict[str, Any],
    user_id: int,
    wait_for: tuple[str, Any] | None = None,
    round_: int = 0,
    unless_status_near: bool = False,
) -> None:
    """Send ``note`` to every device of the user (job).

    ``wait_for`` (``("application_event", id)`` or ``("inbox_message", id)``) names
    the row that announced the notification: the event handler runs inside the
    publisher's transaction, so the job may start before the commit. It checks
    again after 1, 2, 4, 8 and 16 seconds, then gives up (rolled back: nothing
    happened that the citizen should hear about).

    ``unless_status_near`` (for inbox messages): send nothing when the citizen got
    a status message within :data:`STATUS_NEAR` of this message; the status
    notification already brings them to the portal, where the inbox shows both.
    """
    config = job_config()
    if not config.get("PUSH_ENABLED"):
        return
    with job_scope():
        devices = list(
            PushSubscription.select()
            .where((PushSubscription.user == user_id) & _visible_clause(wait_for))
            .order_by(PushSubscription.created_at)
        )
        if not devices and not _visible(wait_for):
            if round_ < VISIBILITY_ROUNDS:
                notify_user.schedule(
                    args=(note, user_id, wait_for, round_ + 1, unless_status_near),
                    delay=float(2**round_),
                )
            else:
                log.info("push %s: %s never became visible; nothing sent", note["key"], wait_for)
            return
        if unless_status_near and wait_for and _status_message_near(user_id, wait_for[1]):
            return
        send_to_devices(note, devices, config)


@huey.task()
def retry_delivery(note: dict[str, Any], subscription_id: str, attempt: int) -> None:
    """Attempt ``attempt`` of ``note`` to one device, scheduled after a 429/5xx (job)."""
    config = job_config()
    if not config.get("PUSH_ENABLED"):
        return
    with job_scope():
        device = PushSubscription.get_or_none(PushSubscription.id == subscription_id)
        if device is not None:
            deliver(note, device, attempt, config)


@huey.periodic_task(crontab(hour="3", minute="17"))
def prune_delivery_log() -> None:
    """Delete delivery log rows older than ``PUSH_LOG_RETENTION_DAYS`` (nightly job)."""
    days = int(job_config().get("PUSH_LOG_RETENTION_DAYS") or 90)
    cutoff = utcnow() - datetime.timedelta(days=days)
    removed = PushDelivery.delete().where(PushDelivery.at < cutoff).execute()
    log.info("push: pruned %s delivery log rows older than %s days", removed, days)


# --- sending ------------------------------------------------------------------------------


def send_to_devices(
    note: dict[str, Any], devices: Iterable[PushSubscription], config: Mapping[str, Any]
) -> Counter[str]:
    """First attempt of ``note`` to each device; returns how many ended how."""
    outcomes: Counter[str] = Counter()
    for device in devices:
        outcomes[deliver(note, device, 1, config)] += 1
    return outcomes


def deliver(
    note: dict[str, Any], device: PushSubscription, attempt: int, config: Mapping[str, Any]
) -> str:
    """Claim, send and record one attempt; return its outcome (``duplicate`` if claimed before).

    Delivered and finally failed attempts count in the metrics (``app.metrics``).
    """
    outcome = _attempt(note, device, attempt, config)
    metrics.push_outcome(outcome)
    return outcome


def _attempt(
    note: dict[str, Any], device: PushSubscription, attempt: int, config: Mapping[str, Any]
) -> str:
    key, topic = note["key"], note.get("topic") or ""
    try:
        with _single_write():
            row = PushDelivery.insert(
                subscription=device.id,
                notification=key,
                topic=topic,
                attempt=attempt,
                outcome="sending",
                at=utcnow(),
            ).execute()
    except peewee.IntegrityError:
        return "duplicate"

    if attempt > 1 and topic and _superseded(row, device, key, topic):
        return _finish(row, "superseded", reason="a newer notification replaced it")
    ttl = _remaining_ttl(note)
    if ttl <= 0:
        return _finish(row, "expired", reason="the TTL ran out before this attempt")
    if not endpoints.is_allowed(device.endpoint, config.get("PUSH_ALLOWED_HOSTS") or ()):
        return _fail(row, device, config, None, "push service not in PUSH_ALLOWED_HOSTS")

    payloads = note["payloads"]
    payload = payloads.get(device.language) or payloads["de"]
    options = SendOptions(ttl=ttl, urgency=Urgency(note["urgency"]), topic=note.get("topic"))
    try:
        result = runtime.transport(config).send(device.info, payload, options)
    except Exception as exc:  # a bug or an oversized payload: record it, never crash the job
        log.exception("push %s: sending failed", key)
        return _fail(row, device, config, None, f"error: {type(exc).__name__}")
    return _record(note, row, device, attempt, result, ttl, config)


def _record(
    note: dict[str, Any],
    row: int,
    device: PushSubscription,
    attempt: int,
    result: SendResult,
    ttl: int,
    config: Mapping[str, Any],
) -> str:
    if result.outcome is Outcome.DELIVERED:
        now = utcnow()
        last = device.last_success_at
        # Minute precision is plenty for "last notification received".
        if device.failures or last is None or now - last > SUCCESS_PRECISION:
            with db.atomic():
                _finish(row, "delivered", result.status, result.reason)
                PushSubscription.update(last_success_at=now, failures=0).where(
                    PushSubscription.id == device.id
                ).execute()
        else:
            with _single_write():
                _finish(row, "delivered", result.status, result.reason)
        return "delivered"
    if result.outcome is Outcome.GONE:
        with db.atomic():
            _finish(row, "gone", result.status, result.reason)
            PushSubscription.delete().where(PushSubscription.id == device.id).execute()
        return "gone"
    if result.outcome is Outcome.RETRY:
        delay = retry_delay(attempt, result.retry_after, config)
        max_attempts = int(config.get("PUSH_MAX_ATTEMPTS") or 5)
        if attempt >= max_attempts:
            reason = f"{result.reason}; gave up after {attempt} attempts"
            return _finish(row, "failed", result.status, reason)
        if delay >= ttl:
            return _finish(row, "expired", result.status, f"{result.reason}; TTL ends first")
        _finish(row, "retry", result.status, f"{result.reason}; next attempt in {delay:.0f} s")
        retry_delivery.schedule(args=(note, device.id, attempt + 1), delay=delay)
        return "retry"
    return _fail(row, device, config, result.status, result.reason)


def _fail(
    row: int,
    device: PushSubscription,
    config: Mapping[str, Any],
    status: int | None,
    reason: str,
) -> str:
    limit = int(config.get("PUSH_MAX_FAILURES") or 5)
    with db.atomic():
        _finish(row, "failed", status, reason)
        PushSubscription.update(failures=PushSubscription.failures + 1).where(
            PushSubscription.id == device.id
        ).execute()
        removed = (
            PushSubscription.delete()
            .where((PushSubscription.id == device.id) & (PushSubscription.failures >= limit))
            .execute()
        )
    if removed:
        log.info("push: removed a device after %s refusals in a row", limit)
    return "failed"


def _finish(row: int, outcome: str, status: int | None = None, reason: str = "") -> str:
    """Record the outcome of the attempt whose log row is ``row``."""
    PushDelivery.update(outcome=outcome, status_code=status, reason=reason[:200]).where(
        PushDelivery.id == row
    ).execute()
    return outcome


def _superseded(row: int, device: PushSubscription, key: str, topic: str) -> bool:
    """Whether a newer notification with the same topic went to the device meanwhile."""
    first = (
        PushDelivery.select(peewee.fn.MIN(PushDelivery.id))
        .where((PushDelivery.notification == key) & (PushDelivery.subscription == device.id))
        .scalar()
    )
    return (
        PushDelivery.select()
        .where(
            (PushDelivery.subscription == device.id)
            & (PushDelivery.topic == topic)
            & (PushDelivery.notification != key)
            & (PushDelivery.id > (first or row))
            & PushDelivery.outcome.in_(_LIVE)
        )
        .exists()
    )


def _remaining_ttl(note: dict[str, Any]) -> int:
    """The TTL minus the whole seconds since the notification was made (retries wait)."""
    elapsed = max(0.0, time.time() - float(note.get("created") or time.time()))
    return max(0, min(MAX_TTL_SECONDS, int(note["ttl"]) - int(elapsed)))


def retry_delay(attempt: int, retry_after: float | None, config: Mapping[str, Any]) -> float:
    """Seconds before attempt ``attempt + 1``: ``Retry-After`` if given, else backoff.

    Backoff doubles from ``PUSH_RETRY_BASE_SECONDS`` up to ``PUSH_RETRY_MAX_SECONDS``;
    up to 10 % jitter keeps devices that failed together from retrying together.
    A push service's ``Retry-After`` is honoured even when it is longer.
    """
    if retry_after is not None:
        base = max(1.0, float(retry_after))
    else:
        start = float(config.get("PUSH_RETRY_BASE_SECONDS") or 30)
        ceiling = float(config.get("PUSH_RETRY_MAX_SECONDS") or 3600)
        base = min(ceiling, start * 2 ** (attempt - 1))
    return base * (1 + random.random() / 10)  # noqa: S311 - jitter, not a secret
