"""Which account an ID card belongs to.

The card is known by its pseudonym (RestrictedID, stored hashed). The rules:

* A known pseudonym signs in to its account; the verified data is refreshed from the
  card (an address change is written onto the card by the Bürgerbüro).
* An unknown pseudonym is bound to an account whose owner proved it: by being signed in
  ("Konto mit Online-Ausweis bestätigen") or by an e-mail code right after the eID step
  (first eID sign-in, see docs/decisions/0002-eid-accounts.md). Binding needs names and
  a full date of birth: trust level "high" means the person is identified.
* A new ID card has a new pseudonym: it replaces the old one (re-binding) under the same
  proof, but only for the same person. The date of birth verified earlier must match;
  names may change (marriage).
* A pseudonym bound to one account is never bound to another: the citizen gets a clear
  refusal and the attempt is logged.

Binding raises the account's trust level to ``high`` and keeps the card's data on the
binding exactly as read (services such as the registration certificate rely on what the
card says). The profile is not touched: the citizen sees the card's data in normal case
next to the profile and confirms which fields to take over (``review``/``confirm``);
only taken fields become verified (source ``eid``).
"""

from __future__ import annotations

from typing import Any

import peewee

from app import events
from app.accounts import audit, privacy, profile, users
from app.bundid import binding as bundid_binding
from app.db import db, iso, iso_utc, utcnow
from app.eid.identity import VERIFIED_FIELDS, Identity
from app.errors import DomainError
from app.models import EidBinding, Profile, User

BOUND, REBOUND, CONFIRMED = "bound", "rebound", "confirmed"


def find_binding(restricted_id_hash: str) -> EidBinding | None:
    """The binding of a pseudonym, if any."""
    return EidBinding.get_or_none(EidBinding.restricted_id_hash == restricted_id_hash)


def binding_of(user: User) -> EidBinding | None:
    """The card bound to ``user``, if any."""
    return EidBinding.get_or_none(EidBinding.user == user)


def _card_json(identity: Identity) -> dict[str, Any]:
    """The card's verified fields as read, JSON-ready."""
    values = identity.profile_values()
    if values.get("date_of_birth"):
        values["date_of_birth"] = values["date_of_birth"].isoformat()
    return values


def _needs_review(user: User, identity: Identity) -> bool:
    """Whether the card says anything the profile does not already hold as verified."""
    stored = profile.get_profile(user)
    sources = stored.sources or {}
    return any(
        getattr(stored, name) != value or sources.get(name, {}).get("source") != "eid"
        for name, value in identity.display_values().items()
    )


def _apply(user: User, binding: EidBinding, identity: Identity, ip: str) -> None:
    """Keep the card's data for review and raise the trust level; the profile stays."""
    binding.card = _card_json(identity)
    binding.card_read_at = utcnow()
    binding.review_pending = _needs_review(user, identity)
    if user.trust_level != "high":
        before = user.trust_level
        user.trust_level = "high"
        user.save(only=[User.trust_level])
        audit.record("trust_level_changed", user, "user", user.id, ip, before=before, after="high")
    events.emit("eid.verified", user=user)


def card_identity(binding: EidBinding) -> Identity | None:
    """The identity the bound card gave when it was last read (None before any read)."""
    if not binding.card:
        return None
    return Identity.from_json({"restricted_id_hash": binding.restricted_id_hash, **binding.card})


def verified_data(user: User) -> dict[str, Any] | None:
    """What the user's card says (as read, capitals and all), for services that need it.

    Then what BundID read from the card at an Online-Ausweis sign-in; then the
    eID-verified profile fields of accounts bound before cards were kept on the
    binding. None when nothing is verified by a card.
    """
    bound = binding_of(user)
    identity = card_identity(bound) if bound is not None else None
    if identity is None:
        # The card read through BundID (its Online-Ausweis sign-in) counts the same.
        identity = bundid_binding.card_identity(user)
    if identity is not None:
        return identity.profile_values()
    stored = Profile.get_or_none(Profile.user == user)
    if stored is None:
        return None
    sources = stored.sources or {}
    values = {
        name: getattr(stored, name)
        for name in VERIFIED_FIELDS
        if sources.get(name, {}).get("source") == "eid"
    }
    return values or None


def verified_display(user: User) -> dict[str, Any]:
    """``verified_data`` in normal case, as forms state it (empty without a card)."""
    data = verified_data(user)
    if not data:
        return {}
    return Identity(restricted_id_hash="", **data).display_values()


def review(user: User) -> dict[str, Any] | None:
    """The card's data (normal case) next to the profile, field by field.

    None when no card has been read for this account.
    """
    bound = binding_of(user)
    identity = card_identity(bound) if bound is not None else None
    if identity is None:
        return None
    fields = profile.compare(user, identity.display_values(), "eid")
    return {"pending": bound.review_pending, "read_at": bound.card_read_at, "fields": fields}


def confirm(user: User, take: list[str], ip: str = "") -> Profile:
    """Take the card's values of the fields in ``take`` into the profile, as verified.

    Fields left out keep the citizen's own values. Names outside the card's data are
    refused (nothing changes); the pending review is closed either way.
    """
    bound = binding_of(user)
    identity = card_identity(bound) if bound is not None else None
    if identity is None:
        raise DomainError("eid_nothing_to_confirm", kind="conflict")
    chosen = profile.chosen(identity.display_values(), take)
    with db.atomic():
        stored = profile.set_verified(user, chosen, "eid", bound.card_read_at or utcnow())
        bound.review_pending = False
        bound.save(only=[EidBinding.review_pending])
        audit.record("eid_data_confirmed", user, "user", user.id, ip, fields=sorted(chosen))
    return stored


def login(identity: Identity, ip: str = "") -> User | None:
    """The account of a known pseudonym, with refreshed data; None for an unknown one."""
    binding = find_binding(identity.restricted_id_hash)
    if binding is None:
        return None
    with db.atomic():
        user = binding.user
        _apply(user, binding, identity, ip)
        binding.last_used_at = utcnow()
        binding.document_type = identity.document_type or binding.document_type
        binding.place_of_birth = identity.place_of_birth or binding.place_of_birth
        binding.save()
        audit.record("eid_login", user, "user", user.id, ip)
    return user


def _check_same_person(user: User, current: EidBinding, identity: Identity) -> None:
    before = card_identity(current)
    if before is not None:
        if before.date_of_birth and before.date_of_birth != identity.date_of_birth:
            raise DomainError("eid_identity_mismatch", kind="conflict")
        return
    stored = profile.get_profile(user)
    source = (stored.sources or {}).get("date_of_birth", {}).get("source")
    if source == "eid" and stored.date_of_birth and stored.date_of_birth != identity.date_of_birth:
        raise DomainError("eid_identity_mismatch", kind="conflict")


def bind(user: User, identity: Identity, ip: str = "") -> str:
    """Bind the card to ``user`` (whose ownership the caller checked).

    Returns ``bound`` (first card), ``rebound`` (new card replaced the old one) or
    ``confirmed`` (the same card again). Raises ``eid_already_bound`` when the card
    belongs to another account, ``eid_identity_mismatch`` when a new card shows another
    date of birth than the card before, ``eid_data_missing`` when the card gave too
    little to identify the person.
    """
    other = find_binding(identity.restricted_id_hash)
    if other is not None and other.user_id != user.id:
        audit.record("eid_conflict", user, "user", user.id, ip)
        raise DomainError("eid_already_bound", kind="conflict")
    current = binding_of(user)
    if current is not None and current.restricted_id_hash == identity.restricted_id_hash:
        outcome = CONFIRMED
    else:
        if not identity.identifies:
            raise DomainError("eid_data_missing")
        if current is not None:
            _check_same_person(user, current, identity)
        outcome = REBOUND if current is not None else BOUND
    now = utcnow()
    try:
        with db.atomic():
            if current is None:
                current = EidBinding(user=user, restricted_id_hash=identity.restricted_id_hash)
            elif outcome == REBOUND:
                current.restricted_id_hash = identity.restricted_id_hash
                current.bound_at = now
            current.document_type = identity.document_type or current.document_type
            current.place_of_birth = identity.place_of_birth or current.place_of_birth
            current.last_used_at = now
            _apply(user, current, identity, ip)
            current.save()
            action = {BOUND: "eid_bound", REBOUND: "eid_rebound", CONFIRMED: "eid_confirmed"}
            audit.record(action[outcome], user, "user", user.id, ip)
    except peewee.IntegrityError as exc:
        # Another request bound the same card at the same moment.
        raise DomainError("eid_already_bound", kind="conflict") from exc
    return outcome


def create_account(email: str, identity: Identity, ip: str = "") -> User:
    """Open an account for a confirmed ``email`` and bind the card to it."""
    if not identity.identifies:
        raise DomainError("eid_data_missing")
    with db.atomic():
        user = users.create_user(email)
        audit.record("account_created", user, "user", user.id, ip, method="eid")
        bind(user, identity, ip)
    return user


def export(user: User) -> dict[str, Any]:
    """The bound card as it appears in the citizen's data export (no pseudonym)."""
    binding = binding_of(user)
    if binding is None:
        return {"bound": False}
    return {
        "bound": True,
        "document_type": binding.document_type,
        "place_of_birth": binding.place_of_birth,
        "bound_at": iso_utc(binding.bound_at),
        "last_used_at": iso(binding.last_used_at),
        # What the card said when it was last read, kept whether or not the profile
        # took it over: stored personal data, so it is part of the export.
        "card": binding.card,
        "card_read_at": iso(binding.card_read_at),
    }


def register_builtin() -> None:
    """Add the eID binding to the data export.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    privacy.exporter("eid")(export)
