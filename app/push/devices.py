"""A citizen's devices: register (or update) a browser's push subscription, list, change, remove.

Registering is idempotent per endpoint, so the PWA can send its current
subscription whenever it starts and gets the same device id back. An endpoint
that another account registered before moves to the account that registers it
now (the same browser, someone else signed in), with its topics reset. When the
browser replaces its subscription (``pushsubscriptionchange``), sending the old
endpoint as ``old_endpoint`` keeps the device's label and topics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import peewee

from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import PushSubscription, User
from app.push.endpoints import EndpointNotAllowed, allows_plain_http, check_endpoint
from app.push.payload import LANGUAGES
from app.push.subscription import InvalidSubscription, validate_subscription

MAX_LABEL = 80

_BROWSERS = (
    ("Edg/", "Edge"),
    ("SamsungBrowser", "Samsung Internet"),
    ("OPR/", "Opera"),
    ("FxiOS", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def default_label(user_agent: str, language: str) -> str:
    """A label like "Chrome auf Android" from the User-Agent (only the names are kept)."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return translate("push.device.named", language, browser=browser, system=system)
    return browser or system or translate("push.device.unnamed", language)


def _invalid(field: str, code: str) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code)])


def _key_field(problem: str) -> tuple[str, str]:
    field = "keys.auth" if "auth" in problem else "keys.p256dh" if "p256dh" in problem else "keys"
    return field, (
        "required" if "missing" in problem or "no keys" in problem else "push_key_invalid"
    )


def check_topics(topics: Sequence[str], config: Mapping[str, Any]) -> list[str]:
    """The topics without repeats, refusing unknown ones (field ``topics``)."""
    known = set(config.get("PUSH_TOPICS") or ())
    if any(topic not in known for topic in topics):
        raise _invalid("topics", "push_topic_unknown")
    return sorted(set(topics))


def clean_label(label: str | None) -> str:
    """A label with whitespace collapsed, at most 80 characters."""
    return " ".join((label or "").split())[:MAX_LABEL]


def validated(data: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """Check a browser's subscription against the endpoint policy and RFC 8291's key sizes.

    Returns ``{"endpoint", "keys": {"p256dh", "auth"}}`` with canonical keys or raises
    a field-level ``invalid_input``.
    """
    allowed = config.get("PUSH_ALLOWED_HOSTS") or ()
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise _invalid("endpoint", "required")
    try:
        check_endpoint(endpoint, allowed)
    except InvalidSubscription as exc:
        raise _invalid("endpoint", "push_endpoint_invalid") from exc
    except EndpointNotAllowed as exc:
        raise _invalid("endpoint", "push_endpoint_not_allowed") from exc
    try:
        return validate_subscription(
            {"endpoint": endpoint, "keys": data.get("keys")},
            allow_insecure=allows_plain_http(allowed),
        )
    except InvalidSubscription as exc:
        field, code = _key_field(str(exc))
        raise _invalid(field, code) from exc


def register(
    user: User,
    data: Mapping[str, Any],
    config: Mapping[str, Any],
    *,
    user_agent: str = "",
    language: str = "de",
) -> tuple[PushSubscription, bool]:
    """Store the device or update it by endpoint; return it and whether it is new."""
    checked = validated(data, config)
    lang = data.get("language") or language
    lang = lang if lang in LANGUAGES else "de"
    topics = check_topics(data["topics"], config) if data.get("topics") is not None else None
    label = clean_label(data.get("label"))
    fields = {
        "p256dh": checked["keys"]["p256dh"],
        "auth": checked["keys"]["auth"],
        "language": lang,
        "updated_at": utcnow(),
        "failures": 0,
    }
    for _attempt in range(2):
        try:
            with db.atomic():
                return _store(
                    user, checked["endpoint"], data, fields, label, topics, config, user_agent
                )
        except peewee.IntegrityError:
            continue  # the same browser registered twice at once; the second one updates
    raise DomainError("conflict", kind="conflict")


def _store(
    user: User,
    endpoint: str,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    label: str,
    topics: list[str] | None,
    config: Mapping[str, Any],
    user_agent: str,
) -> tuple[PushSubscription, bool]:
    device = PushSubscription.get_or_none(PushSubscription.endpoint == endpoint)
    if device is None and data.get("old_endpoint"):
        # The browser replaced its subscription: keep the device, change the address.
        device = PushSubscription.get_or_none(
            (PushSubscription.endpoint == data["old_endpoint"]) & (PushSubscription.user == user)
        )
    if device is not None:
        moved = device.user_id != user.id
        changes = dict(fields, endpoint=endpoint, user=user)
        if label or moved:
            changes["label"] = label or default_label(user_agent, fields["language"])
        if topics is not None or moved:
            changes["topics"] = topics or []
        PushSubscription.update(changes).where(PushSubscription.id == device.id).execute()
        return PushSubscription.get_by_id(device.id), False
    _make_room(user, int(config.get("PUSH_MAX_DEVICES") or 20))
    device = PushSubscription.create(
        user=user,
        endpoint=endpoint,
        label=label or default_label(user_agent, fields["language"]),
        topics=topics or [],
        **fields,
    )
    return device, True


def _make_room(user: User, limit: int) -> None:
    """Forget the user's longest-silent devices so that one more fits under ``limit``."""
    devices = list(
        PushSubscription.select(PushSubscription.id)
        .where(PushSubscription.user == user)
        .order_by(
            peewee.fn.COALESCE(PushSubscription.last_success_at, PushSubscription.created_at).desc()
        )
    )
    surplus = [device.id for device in devices[max(0, limit - 1) :]]
    if surplus:
        PushSubscription.delete().where(PushSubscription.id.in_(surplus)).execute()


def list_for(user: User) -> list[PushSubscription]:
    """The user's devices, oldest first."""
    return list(
        PushSubscription.select()
        .where(PushSubscription.user == user)
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )


def get_own(user: User, device_id: str) -> PushSubscription:
    """One of the user's devices; someone else's is not found."""
    device = PushSubscription.get_or_none(
        (PushSubscription.id == device_id) & (PushSubscription.user == user)
    )
    if device is None:
        raise DomainError("not_found", kind="not_found")
    return device


def update(
    user: User, device_id: str, changes: Mapping[str, Any], config: Mapping[str, Any]
) -> PushSubscription:
    """Change a device's label, language or topics."""
    device = get_own(user, device_id)
    values: dict[str, Any] = {"updated_at": utcnow()}
    if "label" in changes:
        values["label"] = clean_label(changes["label"]) or device.label
    if "language" in changes:
        values["language"] = changes["language"]
    if "topics" in changes:
        values["topics"] = check_topics(changes["topics"], config)
    PushSubscription.update(values).where(PushSubscription.id == device.id).execute()
    return PushSubscription.get_by_id(device.id)


def remove(user: User, device_id: str) -> None:
    """Forget one of the user's devices (the browser's subscription stays until it unsubscribes)."""
    device = get_own(user, device_id)
    PushSubscription.delete().where(PushSubscription.id == device.id).execute()


def push_service(device: PushSubscription) -> str:
    """The push service's host name (shown instead of the endpoint, which is a secret)."""
    return urlsplit(device.endpoint).hostname or ""


def view(device: PushSubscription) -> dict[str, Any]:
    """What the account screen shows about a device."""
    return {
        "id": device.id,
        "label": device.label,
        "language": device.language,
        "topics": list(device.topics or []),
        "push_service": push_service(device),
        "created_at": device.created_at,
        "last_success_at": device.last_success_at,
    }
