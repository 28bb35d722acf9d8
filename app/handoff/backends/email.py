"""Hand-off by e-mail: the application to a department mailbox.

For a department without a specialist system that can receive applications: one mail
per application to the target's ``to`` address, with the receipt PDF (what the
citizen submitted, readable), ``application.json`` (the hand-off document, for
whatever the department imports it with) and the citizen's uploads. It goes out
through the portal's mail sending (SMTP, or the outbox folder in development).

The Message-ID is derived from the delivery's idempotency key, so a mail sent twice
after a worker died between sending and marking is the same message to the mail
system and to the department's mail program.
"""

from __future__ import annotations

import json
import smtplib
import unicodedata
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

from app.errors import DomainError
from app.handoff.base import Backend, Delivery, DeliveryFailed, Outcome
from app.mail import send_message

SETTINGS = ("to", "subject_prefix")


_CONTROL = "must not contain line breaks or other control characters"


def _has_control(text: str) -> bool:
    # A line break in a header value would start a header of its own (Bcc: ...).
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


def message_id(key: str, config: Mapping[str, Any]) -> str:
    """The Message-ID of the mail of delivery ``key`` (the same on every attempt)."""
    host = urlsplit(str(config.get("BASE_URL") or "")).hostname or "buergerportal"
    return f"<handoff.{key}@{host}>"


def _subject(settings: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    # The reference and the service only: the subject is shown in mail lists and logs.
    prefix = str(settings.get("subject_prefix") or "").strip()
    reference = data["application"].get("reference") or data["application"]["id"]
    subject = f"Antrag {reference} – {data['service']['title']}"
    return f"{prefix} {subject}" if prefix else subject


def _body(data: Mapping[str, Any]) -> str:
    application, service = data["application"], data["service"]
    lines = [
        "Guten Tag,",
        "",
        f"über das Bürgerportal ist ein Antrag eingegangen: {service['title']}.",
        "",
        f"Aktenzeichen im Portal: {application.get('reference') or application['id']}",
        f"Eingegangen: {application.get('submitted_at') or '-'}",
        f"Status: {application['status']}",
        "",
        "Im Anhang: die Eingangsbestätigung als PDF (lesbar), application.json",
        "(maschinenlesbar, Format buergerportal.application) und die Dateien des Antrags.",
        "",
        "Diese Nachricht wurde automatisch erstellt.",
    ]
    return "\n".join(lines)


class EmailBackend(Backend):
    """The application as a mail with attachments to a department mailbox."""

    def check_target(
        self, settings: Mapping[str, Any], definition: Mapping[str, Any] | None = None
    ) -> list[str]:
        """``to``: one address; optional ``subject_prefix``; nothing else."""
        from app.accounts.users import normalise_email

        problems = [f"{key}: unknown setting" for key in settings if key not in SETTINGS]
        to = settings.get("to")
        if not isinstance(to, str) or not to.strip():
            problems.append("to: the mailbox address is required")
        elif _has_control(to):
            problems.append(f"to: {_CONTROL}")
        else:
            try:
                normalise_email(to)
            except DomainError:
                problems.append("to: not an e-mail address")
        prefix = settings.get("subject_prefix")
        if prefix is not None and (not isinstance(prefix, str) or len(prefix) > 60):
            problems.append("subject_prefix: text of at most 60 characters")
        elif isinstance(prefix, str) and _has_control(prefix):
            problems.append(f"subject_prefix: {_CONTROL}")
        return problems

    def message(self, delivery: Delivery, document: Any) -> EmailMessage:
        """The mail of ``delivery``."""
        data = document.data
        message = EmailMessage()
        message["From"] = self.config["MAIL_FROM"]
        message["To"] = delivery.settings["to"]
        message["Subject"] = _subject(delivery.settings, data)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = message_id(delivery.key, self.config)
        message["X-Buergerportal-Delivery"] = delivery.key
        message.set_content(_body(data))
        receipt = [a for a in document.attachments if a.kind == "receipt"]
        uploads = [a for a in document.attachments if a.kind != "receipt"]
        for attachment in receipt:
            message.add_attachment(
                attachment.read(), "application", "pdf", filename=attachment.filename
            )
        message.add_attachment(
            json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
            "application",
            "json",
            filename="application.json",
        )
        for attachment in uploads:
            maintype, _, subtype = attachment.media_type.partition("/")
            message.add_attachment(
                attachment.read(),
                maintype or "application",
                subtype or "octet-stream",
                filename=attachment.filename,
            )
        return message

    def deliver(self, delivery: Delivery, document: Any) -> Outcome:
        """Send the mail; a mail server that is away or answers 4xx is tried again."""
        message = self.message(delivery, document)
        try:
            send_message(dict(self.config), message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _text in exc.recipients.values()})
            raise DeliveryFailed(
                f"mail server refused the mailbox (SMTP {codes})", retry=all(c < 500 for c in codes)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            # Only the code: the server's text may quote addresses.
            raise DeliveryFailed(
                f"mail server answered SMTP {exc.smtp_code}", retry=exc.smtp_code < 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"mail server not reachable ({type(exc).__name__})") from exc
        return Outcome("delivered", remote_id=message["Message-ID"])
