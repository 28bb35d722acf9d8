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

Binding marks names, date of birth and address as verified (source ``eid``) and raises
the account's trust level to ``high``.
"""

from __future__ import annotations

from typing import Any

import peewee

from app import events
from app.accounts import audit, privacy, profile, users
from app.db import db, iso, iso_utc, utcnow
from app.eid.identity import Identity
from app.errors import DomainError
from app.models import EidBinding, User

BOUND, REBOUND, CONFIRMED = "bound", "rebound", "confirmed"


def find_binding(restricted_id_hash: str) -> EidBinding | None:
    """The binding of a pseudonym, if any."""
    return EidBinding.get_or_none(EidBinding.restricted_id_hash == restricted_id_hash)


def binding_of(user: User) -> EidBinding | None:
    """The card bound to ``user``, if any."""
    return EidBinding.get_or_none(EidBinding.user == user)


def _apply(user: User, identity: Identity, ip: str) -> None:
    """Write the verified data into the profile and raise the trust level."""
    profile.set_verified(user, identity.profile_values(), "eid", utcnow())
    if user.trust_level != "high":
        before = user.trust_level
        user.trust_level = "high"
        user.save(only=[User.trust_level])
        audit.record("trust_level_changed", user, "user", user.id, ip, before=before, after="high")
    events.emit("eid.verified", user=user)


def login(identity: Identity, ip: str = "") -> User | None:
    """The account of a known pseudonym, with refreshed data; None for an unknown one."""
    binding = find_binding(identity.restricted_id_hash)
    if binding is None:
        return None
    with db.atomic():
        user = binding.user
        _apply(user, identity, ip)
        binding.last_used_at = utcnow()
        binding.document_type = identity.document_type or binding.document_type
        binding.place_of_birth = identity.place_of_birth or binding.place_of_birth
        binding.save()
        audit.record("eid_login", user, "user", user.id, ip)
    return user


def _check_same_person(user: User, identity: Identity) -> None:
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
            _check_same_person(user, identity)
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
            current.save()
            _apply(user, identity, ip)
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


@privacy.exporter("eid")
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
    }
