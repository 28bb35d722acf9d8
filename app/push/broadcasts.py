"""Admin broadcasts: one message to every device that opted into a topic (e.g. waste collection).

The broadcast is stored first (with who sent it), committed, and then a job sends
it page by page. Each device gets it at most once, even if a page job runs again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.languages import BASE_LANGUAGES
from app.models import PushBroadcast, PushDelivery, PushSubscription, User
from app.push import payload, runtime
from app.push.delivery import job_scope, notification, send_to_devices
from app.push.message import topic_for
from app.tasks import config as job_config
from app.tasks import huey

# Devices per broadcast job; the next page is a job of its own.
BROADCAST_PAGE = 200


def topics(config: Mapping[str, Any], language: str) -> list[dict[str, str]]:
    """The topics citizens can opt into, with their labels."""
    return [
        {"id": topic, "label": translate(f"push.topic.{topic}", language)}
        for topic in config.get("PUSH_TOPICS") or ()
    ]


def opted_in(
    topic: str, *, after: str = "", limit: int | None = None
) -> Iterator[PushSubscription]:
    """Devices that opted into ``topic``, in id order, from after ``after``."""
    # topics is a JSON list; the LIKE narrows it down, the check in Python decides.
    query = PushSubscription.select().where(
        PushSubscription.topics.contains(f'"{topic}"') & (PushSubscription.id > after)
    )
    query = query.order_by(PushSubscription.id)
    if limit:
        query = query.limit(limit)
    for device in query:
        if topic in (device.topics or []):
            yield device


def count_opted_in(topic: str) -> int:
    """How many devices opted into ``topic``."""
    return PushSubscription.select().where(PushSubscription.topics.contains(f'"{topic}"')).count()


# The city writes a broadcast in German and English; readers of other languages get German.
AUTHORED = BASE_LANGUAGES


def _payloads(broadcast_id: int | str, title: dict, body: dict, url: str) -> dict[str, dict]:
    return {
        lang: payload.broadcast(
            broadcast_id=broadcast_id,
            title=title.get(lang) or title["de"],
            body=body.get(lang) or body["de"],
            url=url,
            language=lang,
        )
        for lang in payload.LANGUAGES
    }


def broadcast_notification(broadcast: PushBroadcast, config: Mapping[str, Any]) -> dict[str, Any]:
    """The notification a broadcast sends (same key on every page and every retry)."""
    return notification(
        f"broadcast:{broadcast.id}",
        _payloads(broadcast.id, broadcast.title, broadcast.body, broadcast.url),
        topic=topic_for(broadcast.id, namespace="broadcast", key=runtime.topic_key(config)),
        urgency="normal",
        ttl=int(config.get("PUSH_TTL_SECONDS") or 7 * 24 * 3600),
    )


def _check(title: dict, body: dict, url: str) -> None:
    errors: list[FieldError] = []
    for lang in AUTHORED:
        for name, texts, limit in (
            ("title", title, payload.MAX_BROADCAST_TITLE),
            ("body", body, payload.MAX_BROADCAST_BODY),
        ):
            text = " ".join(str(texts.get(lang) or "").split())
            if not text:
                errors.append(FieldError(f"{name}.{lang}", "required"))
            elif len(text) > limit:
                errors.append(FieldError(f"{name}.{lang}", "too_long", {"max": limit}))
    try:
        payload.portal_path(url)
    except ValueError:
        errors.append(FieldError("url", "push_url_invalid"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)


def create(
    user: User,
    topic: str,
    title: dict[str, str],
    body: dict[str, str],
    url: str,
    config: Mapping[str, Any],
    ip: str = "",
) -> PushBroadcast:
    """Store a broadcast, record it in the audit log, and start sending it after the commit."""
    if not config.get("PUSH_ENABLED"):
        raise DomainError("push_unavailable", kind="conflict")
    if topic not in (config.get("PUSH_TOPICS") or ()):
        raise DomainError("invalid_input", field_errors=[FieldError("topic", "push_topic_unknown")])
    _check(title, body, url)
    with db.atomic():
        broadcast = PushBroadcast.create(
            topic=topic,
            title={lang: " ".join(title[lang].split()) for lang in AUTHORED},
            body={lang: " ".join(body[lang].split()) for lang in AUTHORED},
            url=url,
            created_by=user,
            devices=count_opted_in(topic),
        )
        audit.record(
            "push_broadcast",
            user,
            "push_broadcast",
            broadcast.id,
            ip,
            topic=topic,
            devices=broadcast.devices,
        )
    send_broadcast(broadcast.id)
    return PushBroadcast.get_by_id(broadcast.id)


def recent(limit: int = 50) -> list[PushBroadcast]:
    """The latest broadcasts, newest first."""
    return list(PushBroadcast.select().order_by(PushBroadcast.id.desc()).limit(limit))


def view(broadcast: PushBroadcast) -> dict[str, Any]:
    """A broadcast with how many devices it reached so far."""
    delivered = (
        PushDelivery.select()
        .where(
            (PushDelivery.notification == f"broadcast:{broadcast.id}")
            & (PushDelivery.outcome == "delivered")
        )
        .count()
    )
    return {
        "id": broadcast.id,
        "topic": broadcast.topic,
        "title": broadcast.title,
        "body": broadcast.body,
        "url": broadcast.url,
        "created_at": broadcast.created_at,
        "created_by": broadcast.created_by.email if broadcast.created_by_id else None,
        "devices": broadcast.devices,
        "delivered": delivered,
        "finished_at": broadcast.finished_at,
    }


@huey.task()
def send_broadcast(broadcast_id: int, after: str = "") -> None:
    """Send a broadcast to the next page of opted-in devices, then queue the next page (job).

    Pages run one after the other; a page that runs twice sends nothing twice.
    """
    config = job_config()
    broadcast = PushBroadcast.get_or_none(PushBroadcast.id == broadcast_id)
    if broadcast is None or not config.get("PUSH_ENABLED"):
        return
    note = broadcast_notification(broadcast, config)
    with job_scope():
        page = list(opted_in(broadcast.topic, after=after, limit=BROADCAST_PAGE))
        send_to_devices(note, page, config)
        if len(page) == BROADCAST_PAGE:
            send_broadcast(broadcast_id, page[-1].id)
        else:
            PushBroadcast.update(finished_at=utcnow()).where(
                (PushBroadcast.id == broadcast_id) & PushBroadcast.finished_at.is_null()
            ).execute()
