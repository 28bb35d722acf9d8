"""SEPA core direct debit: IBAN check, online mandate, pre-notification, pain.008 export.

Flow: the citizen chooses "Lastschrift"; the portal shows the mandate text (creditor,
creditor identifier, mandate reference, the authorisation, the 8-week refund notice and
the shortened pre-notification period); the citizen enters account holder and IBAN and
consents. We store the mandate with the exact text and the consent time, schedule a
debit (collection date = due date, at the earliest after the pre-notification period,
on a TARGET2 business day), pre-notify the citizen (event + mail), and the payment
counts as succeeded. The treasury exports due debits as pain.008 (sepaxml) and hands
the file to the bank.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from schwifty import IBAN, registry
from schwifty import exceptions as iban_errors

from app import storage
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import NoticeInstalment, Payment, SepaDebit, SepaExport, SepaMandate, User

log = logging.getLogger(__name__)

MANDATE_REFERENCE_MAX = 35
# Mandate references and end-to-end ids: the SEPA "Id" character set, no spaces.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9+?/\-:().,']{1,35}$")
CREDITOR_ID_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GERMAN = str.maketrans(
    {"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
)


@dataclass(frozen=True)
class CheckedIban:
    """A valid IBAN: compact form, grouped for display, country, bank (when known)."""

    compact: str
    formatted: str
    country: str
    bic: str
    bank_name: str

    @property
    def masked(self) -> str:
        """For screens and receipts: country and check digits, last four digits."""
        return f"{self.compact[:4]} •••• {self.compact[-4:]}"


def mask(iban: str) -> str:
    """``DE89 •••• 3000`` for any stored IBAN."""
    return f"{iban[:4]} •••• {iban[-4:]}" if len(iban) > 8 else "••••"


def check_iban(raw: str, countries: list[str] | tuple[str, ...]) -> CheckedIban:
    """Validate an IBAN as typed (spaces, lower case allowed); raise a field error that
    tells the citizen what is wrong (length, typo in the check digits, country)."""
    text = re.sub(r"[\s\u00a0\-]", "", raw or "").upper()

    def fail(code: str, **params: Any) -> DomainError:
        return DomainError("invalid_input", field_errors=[FieldError("iban", code, params)])

    if not text:
        raise fail("required")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", text):
        raise fail("iban_format")
    country = text[:2]
    try:
        spec = registry.get_iban_spec(country)
    except iban_errors.InvalidCountryCode:
        raise fail("iban_country_unknown", country=country) from None
    if len(text) != spec.iban_length:
        raise fail("iban_length", country=country, expected=spec.iban_length, length=len(text))
    try:
        iban = IBAN(text)
    except iban_errors.InvalidChecksumDigits:
        raise fail("iban_checksum") from None
    except iban_errors.SchwiftyException:
        raise fail("iban_invalid") from None
    if not iban.in_sepa_zone:
        raise fail("iban_not_sepa", country=country)
    if countries and country not in countries:
        raise fail("iban_country_not_allowed", country=country)
    try:
        bank_name, bic = str(iban.bank_name or ""), str(iban.bic or "")
    except iban_errors.SchwiftyException:
        bank_name, bic = "", ""
    return CheckedIban(
        compact=iban.compact,
        formatted=iban.formatted,
        country=country,
        bic=bic,
        bank_name=bank_name,
    )


def check_account_holder(raw: str) -> str:
    """1-70 characters, at least one letter."""
    holder = re.sub(r"\s+", " ", raw or "").strip()
    if not holder:
        raise DomainError("invalid_input", field_errors=[FieldError("account_holder", "required")])
    if len(holder) > 70 or not any(c.isalpha() for c in holder):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("account_holder", "sepa_account_holder")]
        )
    return holder


def transliterate(text: str) -> str:
    """German umlauts the German way (ü -> ue), for bank files."""
    return (text or "").translate(_GERMAN)


def new_mandate_reference(prefix: str) -> str:
    """A unique mandate reference like ``BP-M-2025-7K3QX9RZ2A`` (≤ 35 characters)."""
    clean = re.sub(r"[^A-Za-z0-9]", "", prefix or "BP")[:10] or "BP"
    for _ in range(10):
        token = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        reference = f"{clean}-M-{utcnow().year}-{token}"
        if not SepaMandate.select().where(SepaMandate.reference == reference).exists():
            return reference
    raise RuntimeError("could not find a free mandate reference")


def creditor(config: Mapping[str, Any]) -> dict[str, str]:
    """The city as creditor, from the configuration."""
    return {
        "name": str(config["SEPA_CREDITOR_NAME"]),
        "creditor_id": str(config["SEPA_CREDITOR_ID"]),
        "iban": str(config["SEPA_CREDITOR_IBAN"]).replace(" ", ""),
        "bic": str(config.get("SEPA_CREDITOR_BIC") or "").replace(" ", ""),
    }


def mandate_text(
    config: Mapping[str, Any],
    locale: str,
    reference: str,
    account_holder: str = "",
    iban: str = "",
) -> str:
    """The mandate exactly as shown to (and consented to by) the citizen."""
    info = creditor(config)
    days = int(config["SEPA_PRE_NOTIFICATION_DAYS"])
    parts = [
        translate("payments.sepa.mandate_title", locale),
        translate(
            "payments.sepa.mandate_creditor",
            locale,
            creditor=info["name"],
            creditor_id=info["creditor_id"],
            reference=reference,
        ),
        translate("payments.sepa.mandate_authorisation", locale, creditor=info["name"]),
        translate("payments.sepa.mandate_refund", locale),
        translate("payments.sepa.mandate_pre_notification", locale, days=days),
    ]
    if account_holder or iban:
        parts.append(
            translate("payments.sepa.mandate_account", locale, holder=account_holder, iban=iban)
        )
    return "\n\n".join(parts)


def business_day_on_or_after(day: date) -> date:
    """Skip weekends and the fixed TARGET2 holidays (1 Jan, 1 May, 25/26 Dec).

    Easter (Good Friday, Easter Monday) is not computed here; banks move such a
    collection date to the next business day themselves.
    """
    while day.weekday() >= 5 or (day.month, day.day) in ((1, 1), (5, 1), (12, 25), (12, 26)):
        day += timedelta(days=1)
    return day


def collection_date(config: Mapping[str, Any], due: date | None, today: date | None = None) -> date:
    """The day to collect: the due date, but not before the pre-notification period."""
    today = today or utcnow().date()
    earliest = today + timedelta(days=int(config["SEPA_PRE_NOTIFICATION_DAYS"]) + 1)
    return business_day_on_or_after(max(due or earliest, earliest))


def active_mandates(user: User) -> list[SepaMandate]:
    """The user's mandates that may still be used."""
    return list(
        SepaMandate.select()
        .where((SepaMandate.user == user) & SepaMandate.revoked_at.is_null())
        .order_by(SepaMandate.created_at.desc())
    )


def revoke_mandate(user: User, reference: str) -> SepaMandate:
    """The citizen withdraws a mandate for future payments.

    Debits already scheduled and pre-notified stay (the citizen was told the date and
    the service was granted); the portal never uses the mandate again.
    """
    mandate = SepaMandate.get_or_none(
        (SepaMandate.reference == reference) & (SepaMandate.user == user)
    )
    if mandate is None:
        raise DomainError("not_found", kind="not_found")
    with db.atomic():
        if mandate.revoked_at is None:
            mandate.revoked_at = utcnow()
            mandate.save()
    return mandate


def create_mandate(
    config: Mapping[str, Any],
    user: User,
    account_holder: str,
    iban: CheckedIban,
    locale: str,
    ip: str = "",
    reference: str | None = None,
) -> SepaMandate:
    """Store a mandate with the text the citizen saw and the time they consented."""
    info = creditor(config)
    reference = reference or new_mandate_reference(config["SEPA_MANDATE_PREFIX"])
    now = utcnow()
    return SepaMandate.create(
        reference=reference,
        user=user,
        account_holder=account_holder,
        iban=iban.compact,
        bic=iban.bic,
        creditor_id=info["creditor_id"],
        creditor_name=info["name"][:70],
        mandate_text=mandate_text(config, locale, reference, account_holder, iban.formatted),
        signed_at=now,
        ip=(ip or "")[:45],
        created_at=now,
    )


def schedule_debit(
    config: Mapping[str, Any], payment: Payment, mandate: SepaMandate, due: date | None
) -> SepaDebit:
    """The debit for ``payment`` (one per payment)."""
    collect = collection_date(config, due)
    remittance = transliterate(f"{payment.purpose} {payment.description}")[:140]
    debit, _created = SepaDebit.get_or_create(
        payment=payment,
        defaults={
            "mandate": mandate,
            "amount_cents": payment.amount_cents,
            "collection_date": collect,
            "sequence_type": "RCUR" if mandate.first_used_at else "FRST",
            "end_to_end_id": f"BP-{payment.public_id[:20].upper()}",
            "remittance": remittance,
        },
    )
    mandate.last_used_at = utcnow()
    mandate.save()
    return debit


def pre_notification(config: Mapping[str, Any], debit: SepaDebit, locale: str) -> str:
    """The pre-notification (Vorabankündigung): amount, date, mandate, creditor id."""
    mandate = debit.mandate
    return translate(
        "payments.sepa.pre_notification",
        locale,
        amount=format_amount(debit.amount_cents, locale),
        date=format_date(debit.collection_date, locale),
        iban=mask(mandate.iban),
        reference=mandate.reference,
        creditor=mandate.creditor_name,
        creditor_id=mandate.creditor_id,
        purpose=debit.payment.purpose,
    )


def format_amount(cents: int, locale: str = "de") -> str:
    """``84,00 €`` (German) or ``€84.00`` (English)."""
    euros, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if locale == "en":
        return f"{sign}€{euros:,}.{rest:02d}"
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"


def format_date(day: date, locale: str = "de") -> str:
    return day.strftime("%d.%m.%Y") if locale != "en" else day.isoformat()


# --- treasury export --------------------------------------------------------------------


def due_debits(until: date) -> list[SepaDebit]:
    """Debits not yet exported or cancelled, to be collected by ``until``."""
    return list(
        SepaDebit.select(SepaDebit, SepaMandate, Payment)
        .join(SepaMandate)
        .switch(SepaDebit)
        .join(Payment)
        .where(
            SepaDebit.export.is_null()
            & SepaDebit.cancelled_at.is_null()
            & (SepaDebit.collection_date <= until)
        )
        .order_by(SepaDebit.collection_date, SepaDebit.id)
    )


def build_pain008(
    config: Mapping[str, Any], debits: list[SepaDebit], today: date | None = None
) -> tuple[bytes, str]:
    """The pain.008 document for ``debits`` and its message id (validated by sepaxml)."""
    from sepaxml import SepaDD

    info = creditor(config)
    schema = str(config.get("SEPA_PAIN_VERSION") or "pain.008.001.08")
    sepa_config: dict[str, Any] = {
        "name": transliterate(info["name"])[:70],
        "IBAN": info["iban"],
        "batch": True,
        "creditor_id": info["creditor_id"],
        "currency": "EUR",
    }
    if info["bic"]:
        sepa_config["BIC"] = info["bic"]
    elif schema == "pain.008.001.02":
        raise DomainError("sepa_creditor_bic_required", kind="conflict")
    document = SepaDD(sepa_config, schema=schema, clean=True)
    earliest = business_day_on_or_after((today or utcnow().date()) + timedelta(days=1))
    seen: set[int] = set()
    for debit in debits:
        mandate = debit.mandate
        first = mandate.first_used_at is None and mandate.id not in seen
        seen.add(mandate.id)
        collect = max(debit.collection_date, earliest)
        if collect != debit.collection_date:
            log.warning(
                "SEPA debit %s was due %s; requesting %s instead",
                debit.end_to_end_id,
                debit.collection_date,
                collect,
            )
        entry: dict[str, Any] = {
            "name": transliterate(mandate.account_holder)[:70],
            "IBAN": mandate.iban,
            "amount": debit.amount_cents,
            "type": "FRST" if first else "RCUR",
            "collection_date": collect,
            "mandate_id": mandate.reference,
            "mandate_date": mandate.signed_at.date(),
            "description": debit.remittance,
            "endtoend_id": debit.end_to_end_id,
        }
        if schema == "pain.008.001.02" and mandate.bic:
            entry["BIC"] = mandate.bic
        debit.sequence_type = entry["type"]
        document.add_payment(entry)
    xml = document.export(validate=True, pretty_print=True)
    return xml, document.msg_id


def export_due_debits(
    config: Mapping[str, Any], until: date | None = None, actor: User | None = None
) -> SepaExport | None:
    """Write every due debit into one pain.008 file in the storage.

    Each debit is exported exactly once (the export row links it); None when nothing
    is due. The file is stored as ``treasury/<file name>``, inside the transaction: on
    the database storage it commits with the export row.
    """
    until = until or utcnow().date() + timedelta(days=14)
    with db.atomic():
        debits = due_debits(until)
        if not debits:
            return None
        xml, message_id = build_pain008(config, debits)
        file_name = f"pain008-{message_id}.xml"
        export = SepaExport.create(
            message_id=message_id[:35],
            pain_schema=str(config.get("SEPA_PAIN_VERSION") or "pain.008.001.08"),
            file_name=file_name,
            debit_count=len(debits),
            total_cents=sum(d.amount_cents for d in debits),
            collection_until=until,
            created_by=actor,
        )
        now = utcnow()
        mandate_ids = {d.mandate_id for d in debits}
        for debit in debits:
            SepaDebit.update(export=export, sequence_type=debit.sequence_type).where(
                SepaDebit.id == debit.id
            ).execute()
        SepaMandate.update(first_used_at=now).where(
            SepaMandate.id.in_(mandate_ids) & SepaMandate.first_used_at.is_null()
        ).execute()
        # A notice's instalment collected by this file counts as paid from now on.
        NoticeInstalment.update(paid_at=now).where(
            NoticeInstalment.payment.in_([d.payment_id for d in debits])
            & NoticeInstalment.paid_at.is_null()
        ).execute()
        storage.for_config(config).put(export_file(config, export), xml)
    return export


def export_file(config: Mapping[str, Any], export: SepaExport) -> str:
    """The storage key of an export's pain.008 file."""
    return f"treasury/{export.file_name}"
