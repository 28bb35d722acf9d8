"""Which events become push notifications (``register_builtin`` subscribes them).

* ``application.status_changed`` → a *status* notification to the citizen's
  devices: "Ihr Antrag K7P49QX2 — Neuer Status: Genehmigt", with a ``Topic`` per
  application (a newer status replaces an older undelivered one) and Urgency
  ``high`` when the new status waits for the citizen (the workflow lets them act
  and the step does not end the application), else ``normal``.
* ``inbox.message_created`` → a *message* notification ("a new message is in
  your inbox"), except for status messages: every status change writes one, and
  the status notification above already covers it, so one change makes one push.
  The message notification waits 15 seconds and is dropped when the citizen got
  a status message within two minutes of it: documents issued with a decision,
  the receipt right after submitting, a payment notice created on approval, a
  parking pass issued just before the application is completed all arrive with
  a status change, and one notification per change is enough (the inbox lists
  them all).

Not pushed: anything to a citizen who switched push off in the account
(``app.notifications.preferences``); changes the citizen made themselves
(withdrawing, answering a question) and the submission itself (from a draft); the
citizen is looking at the screen. A status message without a status change
(waiting for payment right after submitting) is likewise the citizen's own step.

Handlers run inside the publisher's transaction. They only collect what the job
needs (ids, the texts in both languages) and enqueue it; the job waits until the
announcing row is committed (see :func:`app.push.delivery.notify_user`). Nothing
here may break the status change: errors are logged and swallowed.
"""

from __future__ import annotations

import logging
from typing import Any

from app import events, links
from app.accounts.privacy import exporter
from app.applications import definitions, lifecycle
from app.db import iso
from app.models import Application, ApplicationEvent, InboxMessage, PushSubscription, User
from app.notifications import preferences
from app.notifications.citizen_events import announces_status_change, citizen_must_act
from app.push import delivery, devices, payload, runtime
from app.push.message import topic_for
from app.tasks import config as job_config

log = logging.getLogger(__name__)


def application_path(application_id: str) -> str:
    """The application's page in the PWA, opened by a click on the notification."""
    return links.application_page(application_id)


def _has_devices(user_id: int) -> bool:
    """Whether the citizen has devices and wants to be told by push."""
    return PushSubscription.select().where(
        PushSubscription.user == user_id
    ).exists() and preferences.wants(user_id, "push")


def status_notification(
    application: Application, event: ApplicationEvent, config: dict[str, Any]
) -> dict[str, Any]:
    """The notification for one status change, in every language."""
    definition = definitions.of_application(application)
    payloads = {
        lang: payload.status_change(
            application_id=application.id,
            reference=application.reference or "",
            status_label=lifecycle.status_text(definition, event.to_status, lang),
            url=application_path(application.id),
            language=lang,
        )
        for lang in payload.LANGUAGES
    }
    return delivery.notification(
        f"status:{event.id}",
        payloads,
        topic=topic_for(application.id, key=runtime.topic_key(config)),
        urgency="high" if citizen_must_act(definition, event.to_status) else "normal",
        ttl=int(config.get("PUSH_TTL_SECONDS") or 7 * 24 * 3600),
    )


def on_status_changed(application: Application, event: ApplicationEvent) -> None:
    """Enqueue the status notification (see the module docstring for what is skipped)."""
    config = job_config()
    if not config.get("PUSH_ENABLED"):
        return
    if not announces_status_change(event):
        return
    try:
        if not _has_devices(application.user_id):
            return
        note = status_notification(application, event, config)
        delivery.notify_user(note, application.user_id, ("application_event", event.id))
    except Exception:
        log.exception("push: could not enqueue the notification for event %s", event.id)


def on_message_created(message: InboxMessage) -> None:
    """Enqueue a "new message" notification, unless a status notification covers it."""
    config = job_config()
    if not config.get("PUSH_ENABLED") or message.kind == "status":
        return
    try:
        if not _has_devices(message.user_id):
            return
        note = delivery.notification(
            f"message:{message.id}",
            {
                lang: payload.inbox_message(message_id=message.id, language=lang)
                for lang in payload.LANGUAGES
            },
            topic=topic_for(message.user_id, namespace="inbox", key=runtime.topic_key(config)),
            urgency="normal",
            ttl=int(config.get("PUSH_TTL_SECONDS") or 7 * 24 * 3600),
        )
        delivery.notify_user.schedule(
            args=(note, message.user_id, ("inbox_message", message.id), 0, True),
            delay=delivery.MESSAGE_DELAY_SECONDS,
        )
    except Exception:
        log.exception("push: could not enqueue the notification for message %s", message.id)


def export_devices(user: User) -> list[dict[str, Any]]:
    """The devices that receive notifications (the endpoint itself is a secret of the device)."""
    return [
        {key: iso(value) for key, value in devices.view(device).items()}
        for device in devices.list_for(user)
    ]


def register_builtin() -> None:
    """Notify devices on status changes and new messages; add devices to the data export.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.status_changed")(on_status_changed)
    events.subscribe("inbox.message_created")(on_message_created)
    exporter("push_devices")(export_devices)
