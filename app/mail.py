"""Outgoing mail: SMTP when configured, otherwise files in the instance outbox.

The outbox is how development and tests read the codes a real user would get by mail.
"""

from __future__ import annotations

import json
import secrets
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from app.db import iso_utc, utcnow
from app.private_files import private_dir


def outbox_dir(instance_path: str) -> Path:
    """Where development mail is written (owner-only: the mails hold sign-in codes)."""
    return private_dir(Path(instance_path) / "outbox")


def build_message(config: dict[str, Any], to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message with the portal as sender."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="buergerportal")
    message.set_content(body)
    return message


def deliver(config: dict[str, Any], to: str, subject: str, body: str) -> None:
    """Send one mail now (called from the background queue)."""
    send_message(config, build_message(config, to, subject, body))


def send_message(config: dict[str, Any], message: EmailMessage) -> None:
    """Send a finished message now: over SMTP when configured, else into the outbox
    (with the names of its attachments, which the outbox page lists)."""
    if config.get("SMTP_HOST"):
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
        return
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{secrets.token_hex(4)}"
    folder = outbox_dir(config["INSTANCE_PATH"])
    (folder / f"{name}.eml").write_bytes(bytes(message))
    text = message.get_body(preferencelist=("plain",))
    record: dict[str, Any] = {
        "id": name,
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "body": text.get_content() if text is not None else "",
        "sent_at": iso_utc(utcnow()),
    }
    files = [part.get_filename() for part in message.iter_attachments()]
    if files:
        record["attachments"] = files
    # Written aside and renamed into place: a reader of the outbox never meets a
    # half-written record (rename is atomic within one folder).
    partial = folder / f".{name}.json.partial"
    partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    partial.replace(folder / f"{name}.json")


def read_outbox(instance_path: str, to: str | None = None) -> list[dict[str, Any]]:
    """Development outbox messages, newest first, optionally for one recipient."""
    records = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(outbox_dir(instance_path).glob("*.json"), reverse=True)
    ]
    return [r for r in records if to is None or r["to"] == to]
