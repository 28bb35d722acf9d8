"""Payables: what can be paid, and the registry that finds one by subject.

A payable is described by the part of the portal that owns it. The services engine
registers a resolver for ``application``; payments itself resolves ``notice`` and
``instalment``::

    from app.payments import payables

    @payables.register("application")
    def resolve_application(subject_id: str, user) -> payables.Payable | None:
        ...  # None: unknown, not the user's, or nothing to pay (any more)

A resolver must return ``None`` for a subject that is not ``user``'s: the API answers
404 then, without telling whether the subject exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.errors import DomainError, FieldError

SUBJECT_TYPES = ("application", "notice", "instalment")
MAX_AMOUNT_CENTS = 99_999_999  # 999 999,99 EUR: the XBezahldienste grosAmount maximum
PURPOSE_MAX = 27
DESCRIPTION_MAX = 250

# The characters allowed in the Verwendungszweck (``purpose``). XBezahldienste limits it
# to 27 characters that survive every booking system down to the bank statement. We use
# the SEPA basic Latin set (EPC217-08) plus the German umlauts and ß that the German
# banking industry (DK) admits: a-z A-Z 0-9 space / - ? : ( ) . , ' + Ä Ö Ü ä ö ü ß.
PURPOSE_PATTERN = re.compile(r"^[A-Za-z0-9 /\-?:().,'+ÄÖÜäöüß]{1,27}$")
_REPLACEMENTS = {
    "&": "+",
    "_": "-",
    "–": "-",
    "—": "-",
    "„": "'",
    "“": "'",
    "”": "'",
    "‘": "'",
    "’": "'",
    "\u00a0": " ",
    "#": "",
    "§": "",
}


def clean_purpose(text: str) -> str:
    """Best-effort conversion of ``text`` into the allowed purpose character set.

    Accents outside German are dropped (é -> e), separators mapped, anything else
    removed, whitespace collapsed, the result cut to 27 characters.
    """
    out = []
    for char in text or "":
        char = _REPLACEMENTS.get(char, char)
        if not char:
            continue
        if PURPOSE_PATTERN.match(char) or char == " ":
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append("".join(c for c in base if PURPOSE_PATTERN.match(c)))
    return re.sub(r"\s+", " ", "".join(out)).strip()[:PURPOSE_MAX].strip()


def purpose_problem(purpose: str) -> str | None:
    """The field error code for an unusable purpose, or None when it is fine."""
    if not purpose or len(purpose) > PURPOSE_MAX:
        return "payment_purpose_length"
    if not PURPOSE_PATTERN.match(purpose):
        return "payment_purpose_characters"
    return None


@dataclass(frozen=True)
class PayableItem:
    """One position of a payable, with the booking data the treasury needs for it.

    ``booking_data`` goes unchanged into the XBezahldienste item (``bookingData``), e.g.
    ``{"Haushaltsstelle": "1.110.4321", "Objektnummer": "HUND-2025"}``.
    """

    reference: str
    description: str
    amount_cents: int
    quantity: int = 1
    booking_data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Payable:
    """Something a citizen can pay: the contract between payments and its subjects.

    ``purpose`` is the Verwendungszweck (≤ 27 characters, see :data:`PURPOSE_PATTERN`);
    ``description`` a plain sentence for the provider's page and the receipt.
    ``kassenzeichen`` is the treasury's cash reference (used for bank transfers and
    printed on the receipt); ``due_date`` when it is due (transfers, SEPA collection).
    ``items`` default to one item for the whole amount. ``allowed_providers`` limits the
    providers offered (None: every enabled one). ``covers`` is internal to notices.
    """

    subject_type: str
    subject_id: str
    user_id: int
    amount_cents: int
    purpose: str
    description: str
    items: tuple[PayableItem, ...] = ()
    booking_data: Mapping[str, str] = field(default_factory=dict)
    kassenzeichen: str = ""
    due_date: date | None = None
    allowed_providers: tuple[str, ...] | None = None
    covers: tuple[str, ...] = ()

    def all_items(self) -> tuple[PayableItem, ...]:
        """The items, or one item for the whole amount."""
        if self.items:
            return self.items
        return (
            PayableItem(
                reference=self.subject_id,
                description=self.description,
                amount_cents=self.amount_cents,
                booking_data=dict(self.booking_data),
            ),
        )

    def validate(self) -> None:
        """Raise a DomainError naming every problem; payments refuse bad payables."""
        errors: list[FieldError] = []
        if self.subject_type not in SUBJECT_TYPES:
            errors.append(FieldError("subject_type", "invalid_choice"))
        if not self.subject_id or len(self.subject_id) > 64:
            errors.append(FieldError("subject_id", "invalid_value"))
        if not isinstance(self.amount_cents, int) or not (
            0 < self.amount_cents <= MAX_AMOUNT_CENTS
        ):
            errors.append(FieldError("amount_cents", "payment_amount_range"))
        problem = purpose_problem(self.purpose)
        if problem:
            errors.append(FieldError("purpose", problem))
        if not self.description or len(self.description) > DESCRIPTION_MAX:
            errors.append(FieldError("description", "invalid_value"))
        if self.items and sum(i.amount_cents * i.quantity for i in self.items) != (
            self.amount_cents
        ):
            errors.append(FieldError("items", "payment_items_sum"))
        if errors:
            raise DomainError("payment_payable_invalid", field_errors=errors)


Resolver = Callable[[str, Any], Payable | None]
_RESOLVERS: dict[str, Resolver] = {}


def register(subject_type: str) -> Callable[[Resolver], Resolver]:
    """Decorator: ``resolver(subject_id, user) -> Payable | None`` for ``subject_type``."""
    if subject_type not in SUBJECT_TYPES:
        raise ValueError(f"unknown subject type {subject_type!r} (one of {SUBJECT_TYPES})")

    def decorator(resolver: Resolver) -> Resolver:
        known = _RESOLVERS.get(subject_type)
        if known is not None and known is not resolver:
            raise ValueError(f"payable {subject_type!r} has a resolver already ({known!r})")
        _RESOLVERS[subject_type] = resolver
        return resolver

    return decorator


@contextmanager
def replaced(subject_type: str, resolver: Resolver) -> Iterator[Resolver]:
    """Use ``resolver`` for ``subject_type`` inside a ``with`` block (tests playing
    another module); the one registered before comes back afterwards."""
    before = _RESOLVERS.pop(subject_type, None)
    _RESOLVERS[subject_type] = resolver
    try:
        yield resolver
    finally:
        _RESOLVERS.pop(subject_type, None)
        if before is not None:
            _RESOLVERS[subject_type] = before


def resolvers() -> dict[str, Resolver]:
    """The registered resolvers (for diagnostics and tests)."""
    return dict(_RESOLVERS)


def resolve(subject_type: str, subject_id: str, user: Any) -> Payable:
    """The payable for the subject, or a 404-style DomainError."""
    resolver = _RESOLVERS.get(subject_type)
    if resolver is None:
        raise DomainError("payment_subject_unknown", kind="not_found")
    payable = resolver(str(subject_id), user)
    if payable is None or payable.user_id != user.id:
        raise DomainError("payment_subject_unknown", kind="not_found")
    return payable


# A payment's description is stored in the language it was started in (providers show
# it then); the portal shows it again in the reader's language, worded afresh from its
# subject by the module that knows the subject.
Describer = Callable[[str, str], str | None]
_DESCRIBERS: dict[str, Describer] = {}


def describer(subject_type: str) -> Callable[[Describer], Describer]:
    """Decorator: ``describe(subject_id, locale) -> str | None`` for ``subject_type``."""

    def decorator(describe: Describer) -> Describer:
        known = _DESCRIBERS.get(subject_type)
        if known is not None and known is not describe:
            raise ValueError(f"payable {subject_type!r} has a describer already ({known!r})")
        _DESCRIBERS[subject_type] = describe
        return describe

    return decorator


def description_in(subject_type: str, subject_id: str, stored: str, locale: str) -> str:
    """The payment's description in ``locale``; the stored one when it cannot be redone."""
    describe = _DESCRIBERS.get(subject_type)
    fresh = describe(str(subject_id), locale) if describe is not None else None
    return fresh or stored
