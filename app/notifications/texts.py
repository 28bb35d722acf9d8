"""The notification mails, in the style of GOV.UK Notify: short, what happened, what
to do next, one link to the case, and nothing personal beyond the reference.

The texts live in the message catalogues (``app/locales/<lang>/notifications.json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.i18n import DEFAULT_LOCALE, LOCALES, translate
from app.notifications.citizen_events import CitizenNotice

# Kinds that go out by e-mail; other status changes reach the citizen by push and inbox.
MAIL_KINDS = (
    "decision",
    "query",
    "document",
    "payment_due",
    "payment_failed",
    "refund_account",
    "instalment_due",
    "kita_offer",
)


@dataclass(frozen=True)
class MailText:
    """Subject and plain-text body of one notification mail."""

    subject: str
    body: str


def mail_language(locale: str | None) -> str:
    """The language to write in: the account's if the portal speaks it, else German."""
    return locale if locale in LOCALES else DEFAULT_LOCALE


def mail_text(notice: CitizenNotice, language: str, config: dict[str, Any]) -> MailText:
    """The mail about ``notice`` in ``language``, its link absolute to ``BASE_URL``."""
    if notice.kind not in MAIL_KINDS:
        raise ValueError(f"no mail for notifications of kind {notice.kind!r}")
    lang = mail_language(language)
    service = notice.service.get(lang) or notice.service.get(DEFAULT_LOCALE) or ""
    # A document without an application (e.g. a payment receipt) names no service.
    variant = "_plain" if notice.kind == "document" and not notice.reference else ""
    params = {
        "service": service,
        "reference": notice.reference,
        "url": str(config["BASE_URL"]).rstrip("/") + notice.path,
        "city": config["CITY_NAME"],
    }
    subject = translate(f"notifications.{notice.kind}.subject{variant}", lang, **params)
    body = translate(f"notifications.{notice.kind}.body{variant}", lang, **params)
    return MailText(subject=" ".join(subject.split())[:200], body=body)
