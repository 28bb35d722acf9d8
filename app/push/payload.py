"""The notifications the service worker shows: status changes, inbox messages, broadcasts.

A push message passes through the browser vendor's push service and may sit on a
lock screen, so a status notification carries only the reference number and the
status label, and an inbox notification only says that a message is waiting: no
name, address, fee or free text. Everything else the citizen reads in the portal
after a tap. The fields are fixed; nothing a caller passes ends up in an extra key.
The texts live in the message catalogues (``app/locales/<lang>/push.json``).

Every payload has ``kind`` (``status``, ``message`` or ``broadcast``), ``title``,
``body``, ``url`` (a path inside the portal), ``tag`` (the device replaces an
older notification with the same tag) and ``lang``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.i18n import LOCALES, translate
from app.push.message import MAX_PAYLOAD_BYTES, PayloadTooLarge

# The languages a payload can be written in: the configured ones.
LANGUAGES = LOCALES
# A status notification is a few hundred bytes; the guard keeps it well under the
# protocol limit so a longer translation can never make a send fail.
STATUS_PAYLOAD_LIMIT = 1024
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_STATUS_LABEL = 80
MAX_BROADCAST_TITLE = 80
MAX_BROADCAST_BODY = 300
# 80 + 300 characters of up to 4 bytes each plus the fixed fields stay below this.
BROADCAST_PAYLOAD_LIMIT = 2048


def status_change(
    *,
    application_id: str | int,
    reference: str,
    status_label: str,
    url: str,
    language: str = "de",
) -> dict[str, Any]:
    """Build the payload for a status change of one application.

    ``status_label`` is the already translated label; ``url`` is the application's
    page as a path inside the portal (e.g. ``/antraege/42``), which the service
    worker opens on a click. Unknown languages fall back to German. Raises
    ``ValueError`` when an argument could carry more than it should.
    """
    if not _IDENTIFIER.match(str(application_id)):
        raise ValueError("application_id must be a plain identifier")
    if not _REFERENCE.match(reference):
        raise ValueError("reference must be a reference number (letters, digits, ./_-)")
    status = " ".join(status_label.split())
    if not status or len(status) > _MAX_STATUS_LABEL:
        raise ValueError(f"status_label must be 1-{_MAX_STATUS_LABEL} characters")
    lang = language if language in LANGUAGES else "de"
    payload = {
        "kind": "status",
        "title": translate("push.status.title", lang, reference=reference),
        "body": translate("push.status.body", lang, status=status),
        "url": portal_path(url),
        # The same tag makes the device replace an older notification about the
        # same application instead of stacking them.
        "tag": f"application-{application_id}",
        "lang": lang,
    }
    check_size(payload, limit=STATUS_PAYLOAD_LIMIT)
    return payload


def inbox_message(*, message_id: str | int, language: str = "de") -> dict[str, Any]:
    """Build the payload announcing a new inbox message (subject and text stay in the portal)."""
    if not _IDENTIFIER.match(str(message_id)):
        raise ValueError("message_id must be a plain identifier")
    lang = language if language in LANGUAGES else "de"
    payload = {
        "kind": "message",
        "title": translate("push.message.title", lang),
        "body": translate("push.message.body", lang),
        "url": f"/postfach/{message_id}",
        # One "new message" notification on the device, however many arrived.
        "tag": "inbox",
        "lang": lang,
    }
    check_size(payload, limit=STATUS_PAYLOAD_LIMIT)
    return payload


def broadcast(
    *,
    broadcast_id: str | int,
    title: str,
    body: str,
    url: str,
    language: str = "de",
) -> dict[str, Any]:
    """Build the payload of an admin broadcast (texts written by the city, no personal data)."""
    if not _IDENTIFIER.match(str(broadcast_id)):
        raise ValueError("broadcast_id must be a plain identifier")
    title = " ".join(title.split())
    body = " ".join(body.split())
    if not title or len(title) > MAX_BROADCAST_TITLE:
        raise ValueError(f"title must be 1-{MAX_BROADCAST_TITLE} characters")
    if not body or len(body) > MAX_BROADCAST_BODY:
        raise ValueError(f"body must be 1-{MAX_BROADCAST_BODY} characters")
    lang = language if language in LANGUAGES else "de"
    payload = {
        "kind": "broadcast",
        "title": title,
        "body": body,
        "url": portal_path(url),
        "tag": f"broadcast-{broadcast_id}",
        "lang": lang,
    }
    check_size(payload, limit=BROADCAST_PAYLOAD_LIMIT)
    return payload


def portal_path(url: str) -> str:
    """Return ``url`` if it is a plain path inside the portal, else raise ``ValueError``.

    Only a path is allowed: another origin would let a notification lead off the
    portal, and a query string could carry personal data to the push service.
    """
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or any(char in url for char in "?#")
        or any(ord(char) < 0x21 or ord(char) == 0x7F for char in url)
        or len(url) > 200
    ):
        raise ValueError("url must be a path inside the portal, e.g. /antraege/42")
    return url


def check_size(payload: dict[str, Any], *, limit: int = MAX_PAYLOAD_BYTES) -> int:
    """Return the encoded size of ``payload``; raise :class:`PayloadTooLarge` above ``limit``."""
    size = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > min(limit, MAX_PAYLOAD_BYTES):
        raise PayloadTooLarge(f"notification payload is {size} bytes; the limit is {limit}")
    return size
