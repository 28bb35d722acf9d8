"""Which account a BundID account belongs to, and what its data does to the profile.

BundID names a person by a pseudonym per service provider (bPK2); the portal keeps only
its SHA-256. The rules follow the eID binding (``app.eid.binding``):

* A known pseudonym signs in to its account.
* An unknown pseudonym is bound to an account whose owner proved it: by being signed in
  (linking from the account page) or by an e-mail code right after the BundID step. No
  account is found or taken over by an e-mail address BundID sends.
* A pseudonym bound to one account is never bound to another; an account bound to
  another BundID account whose verified date of birth differs is refused too.

The sign-in's level of assurance raises the account's trust level (never lowers it).
The data BundID vouches for (levels 3 and 4) is kept on the binding; the citizen
compares it with the profile and chooses what to take (``review``/``confirm``), as for
the ID card. A password sign-in vouches for nothing, so it offers no data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from app.accounts import audit, privacy, profile, users
from app.bundid import profile as bundid_profile
from app.bundid.saml import Answer
from app.db import db, iso, iso_utc, utcnow
from app.eid.identity import Identity, split_street
from app.errors import DomainError
from app.models import BundidBinding, Profile, User, trust_at_least

BOUND, REBOUND, CONFIRMED = "bound", "rebound", "confirmed"
SOURCE = "bundid"


@dataclass(frozen=True)
class Person:
    """A citizen as BundID describes them at one sign-in."""

    pseudonym_hash: str
    trust_level: str
    identity: Identity
    email: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "pseudonym_hash": self.pseudonym_hash,
            "trust_level": self.trust_level,
            "identity": self.identity.to_json(),
            "email": self.email,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(
            pseudonym_hash=data["pseudonym_hash"],
            trust_level=data["trust_level"],
            identity=Identity.from_json(data["identity"]),
            email=data.get("email", ""),
        )


def hash_pseudonym(value: str) -> str:
    """The stored form of a bPK2."""
    return hashlib.sha256(b"bundid-bpk2|" + value.encode()).hexdigest()


def _first(attributes: dict[str, list[str]], name: str, limit: int) -> str:
    values = attributes.get(name) or [""]
    return " ".join(values[0].split())[:limit]


def person_from(answer: Answer) -> Person:
    """The person a checked answer describes; refuses an answer without a pseudonym."""
    attributes = answer.attributes
    pseudonym = _first(attributes, bundid_profile.BPK2, 500)
    if not pseudonym:
        raise DomainError("bundid_data_missing")
    level = bundid_profile.TRUST_LEVEL[answer.level]
    email = _first(attributes, bundid_profile.MAIL, 254)
    if level == "basic":
        # Typed in by the citizen at BundID, not verified: nothing to take over.
        identity = Identity(restricted_id_hash=hash_pseudonym(pseudonym))
        return Person(hash_pseudonym(pseudonym), level, identity, email)
    born_text = _first(attributes, bundid_profile.BIRTH_DATE, 10)
    try:
        born = date.fromisoformat(born_text) if born_text else None
    except ValueError:
        born = None
    country = _first(attributes, bundid_profile.COUNTRY, 3).upper()
    street = house_number = postal_code = city = ""
    if country in ("", "D", "DE", "DEU"):
        street, house_number = split_street(_first(attributes, bundid_profile.POSTAL_ADDRESS, 220))
        code = _first(attributes, bundid_profile.POSTAL_CODE, 10)
        postal_code = code if len(code) == 5 and code.isdigit() else ""
        city = _first(attributes, bundid_profile.LOCALITY, 100)
    identity = Identity(
        restricted_id_hash=hash_pseudonym(pseudonym),
        given_names=_first(attributes, bundid_profile.GIVEN_NAME, 200),
        family_name=_first(attributes, bundid_profile.SURNAME, 200),
        date_of_birth=born,
        place_of_birth=_first(attributes, bundid_profile.PLACE_OF_BIRTH, 200),
        street=street[:200],
        house_number=house_number[:20],
        postal_code=postal_code,
        city=city,
    )
    return Person(hash_pseudonym(pseudonym), level, identity, email)


def find_binding(pseudonym_hash: str) -> BundidBinding | None:
    """The binding of a pseudonym, if any."""
    return BundidBinding.get_or_none(BundidBinding.pseudonym_hash == pseudonym_hash)


def binding_of(user: User) -> BundidBinding | None:
    """The BundID account bound to ``user``, if any."""
    return BundidBinding.get_or_none(BundidBinding.user == user)


def _data_json(person: Person) -> dict[str, Any] | None:
    values = person.identity.profile_values()
    if not values:
        return None
    if values.get("date_of_birth"):
        values["date_of_birth"] = values["date_of_birth"].isoformat()
    return values


def _identity(bound: BundidBinding) -> Identity | None:
    if not bound.data:
        return None
    return Identity.from_json({"restricted_id_hash": bound.pseudonym_hash, **bound.data})


def card_identity(user: User) -> Identity | None:
    """What BundID read from the citizen's ID card (a sign-in with the Online-Ausweis,
    level 4), for services that rely on the card's data; None otherwise."""
    bound = binding_of(user)
    if bound is None or bound.level != "high":
        return None
    return _identity(bound)


def _needs_review(user: User, identity: Identity) -> bool:
    stored = profile.get_profile(user)
    sources = stored.sources or {}
    return any(
        getattr(stored, name) != value or sources.get(name, {}).get("source") != SOURCE
        for name, value in identity.display_values().items()
    )


def raise_trust_level(user: User, level: str, ip: str) -> None:
    """Raise ``user``'s trust level to ``level`` (a lower one leaves it as it is)."""
    if trust_at_least(user.trust_level, level):
        return
    before = user.trust_level
    user.trust_level = level
    user.save(only=[User.trust_level])
    audit.record("trust_level_changed", user, "user", user.id, ip, before=before, after=level)


def _apply(user: User, bound: BundidBinding, person: Person, ip: str) -> None:
    data = _data_json(person)
    if data is not None:
        bound.data = data
        bound.data_read_at = utcnow()
        bound.review_pending = _needs_review(user, person.identity)
    bound.level = person.trust_level
    bound.last_used_at = utcnow()
    raise_trust_level(user, person.trust_level, ip)


def login(person: Person, ip: str = "") -> User | None:
    """The account of a known pseudonym, its data refreshed; None for an unknown one."""
    bound = find_binding(person.pseudonym_hash)
    if bound is None:
        return None
    with db.atomic():
        user = bound.user
        _apply(user, bound, person, ip)
        bound.save()
        audit.record("bundid_login", user, "user", user.id, ip, level=person.trust_level)
    return user


def _check_same_person(current: BundidBinding, person: Person) -> None:
    before = _identity(current)
    born = person.identity.date_of_birth
    if before is not None and before.date_of_birth and born and before.date_of_birth != born:
        raise DomainError("bundid_identity_mismatch", kind="conflict")


def bind(user: User, person: Person, ip: str = "") -> str:
    """Bind the BundID account to ``user`` (whose ownership the caller checked).

    Returns ``bound``, ``rebound`` (another BundID account of the same person replaced
    the old one) or ``confirmed`` (the same one again). Raises ``bundid_already_bound``
    when the BundID account belongs to another portal account.
    """
    other = find_binding(person.pseudonym_hash)
    if other is not None and other.user_id != user.id:
        audit.record("bundid_conflict", user, "user", user.id, ip)
        raise DomainError("bundid_already_bound", kind="conflict")
    current = binding_of(user)
    if current is not None and current.pseudonym_hash == person.pseudonym_hash:
        outcome = CONFIRMED
    else:
        if current is not None:
            _check_same_person(current, person)
        outcome = REBOUND if current is not None else BOUND
    try:
        with db.atomic():
            if current is None:
                current = BundidBinding(
                    user=user, pseudonym_hash=person.pseudonym_hash, level=person.trust_level
                )
            elif outcome == REBOUND:
                current.pseudonym_hash = person.pseudonym_hash
                current.bound_at = utcnow()
                current.data = None
            _apply(user, current, person, ip)
            current.save()
            action = {
                BOUND: "bundid_bound",
                REBOUND: "bundid_rebound",
                CONFIRMED: "bundid_confirmed",
            }
            audit.record(action[outcome], user, "user", user.id, ip)
    except peewee.IntegrityError as exc:
        # Another request bound the same BundID account at the same moment.
        raise DomainError("bundid_already_bound", kind="conflict") from exc
    return outcome


def create_account(email: str, person: Person, ip: str = "") -> User:
    """Open an account for a confirmed ``email`` and bind the BundID account to it."""
    with db.atomic():
        user = users.create_user(email)
        audit.record("account_created", user, "user", user.id, ip, method="bundid")
        bind(user, person, ip)
    return user


def review(user: User) -> dict[str, Any] | None:
    """BundID's data (normal case) next to the profile, field by field (None: no data)."""
    bound = binding_of(user)
    identity = _identity(bound) if bound is not None else None
    if identity is None:
        return None
    fields = profile.compare(user, identity.display_values(), SOURCE)
    return {"pending": bound.review_pending, "read_at": bound.data_read_at, "fields": fields}


def confirm(user: User, take: list[str], ip: str = "") -> Profile:
    """Take BundID's values of the fields in ``take`` into the profile, as verified."""
    bound = binding_of(user)
    identity = _identity(bound) if bound is not None else None
    if identity is None:
        raise DomainError("bundid_nothing_to_confirm", kind="conflict")
    chosen = profile.chosen(identity.display_values(), take)
    with db.atomic():
        stored = profile.set_verified(user, chosen, SOURCE, bound.data_read_at or utcnow())
        bound.review_pending = False
        bound.save(only=[BundidBinding.review_pending])
        audit.record("bundid_data_confirmed", user, "user", user.id, ip, fields=sorted(chosen))
    return stored


def export(user: User) -> dict[str, Any]:
    """The bound BundID account as it appears in the citizen's data export (no pseudonym)."""
    bound = binding_of(user)
    if bound is None:
        return {"bound": False}
    return {
        "bound": True,
        "level": bound.level,
        "bound_at": iso_utc(bound.bound_at),
        "last_used_at": iso(bound.last_used_at),
        "data": bound.data,
        "data_read_at": iso(bound.data_read_at),
    }


def register_builtin() -> None:
    """Add the BundID binding to the data export (idempotent)."""
    privacy.exporter("bundid")(export)
