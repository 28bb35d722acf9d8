"""Verification of pass text against the published key set only."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.passes.claims import PassClaims
from app.passes.codec import unwrap_pass
from app.passes.cose import verify_signature
from app.passes.errors import PassFormatError
from app.passes.keyset import PublicKeySet, b64url, parse_keyset
from app.passes.revocation import revocation_entry

VALID = "valid"
MALFORMED = "malformed"
UNKNOWN_KEY = "unknown_key"
FORGED = "forged"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
WRONG_ZONE = "wrong_zone"
REVOKED = "revoked"
SUPERSEDED = "superseded"
REASONS = (
    VALID,
    MALFORMED,
    UNKNOWN_KEY,
    FORGED,
    NOT_YET_VALID,
    EXPIRED,
    WRONG_ZONE,
    REVOKED,
    SUPERSEDED,
)

# Validity days are German calendar days.
LOCAL_TIMEZONE_NAME = "Europe/Berlin"


@dataclass(frozen=True)
class Verdict:
    """Outcome of :func:`verify_pass`.

    ``claims`` is set only once the signature has been verified, so an
    unauthenticated pass never shows plates or a zone.
    """

    valid: bool
    reason: str
    detail: str = ""
    kid: bytes | None = None
    claims: PassClaims | None = None

    @property
    def permit_no(self) -> str | None:
        """Permit number, if authenticated."""
        return self.claims.permit_no if self.claims else None

    @property
    def plates(self) -> tuple[str, ...]:
        """Licence plates, if authenticated (else empty)."""
        return self.claims.plates if self.claims else ()

    @property
    def zone(self) -> str | None:
        """Zone, if authenticated."""
        return self.claims.zone if self.claims else None

    @property
    def valid_from(self) -> date | None:
        """First valid day, if authenticated."""
        return self.claims.valid_from if self.claims else None

    @property
    def valid_to(self) -> date | None:
        """Last valid day, if authenticated."""
        return self.claims.valid_to if self.claims else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready representation for display."""
        claims = self.claims
        return {
            "valid": self.valid,
            "reason": self.reason,
            "detail": self.detail,
            "kid": b64url(self.kid) if self.kid else None,
            "permit_no": claims.permit_no if claims else None,
            "plates": list(claims.plates) if claims else [],
            "zone": claims.zone if claims else None,
            "valid_from": claims.valid_from.isoformat() if claims else None,
            "valid_to": claims.valid_to.isoformat() if claims else None,
            "sequence": claims.sequence if claims else None,
        }


def _reject(
    reason: str, detail: str, kid: bytes | None = None, claims: PassClaims | None = None
) -> Verdict:
    return Verdict(valid=False, reason=reason, detail=detail, kid=kid, claims=claims)


@dataclass(frozen=True)
class AuthenticPass:
    """A pass whose signature checked out against the key set: the first stage of
    :func:`verify_pass`; :func:`judge` decides the rest."""

    kid: bytes
    claims: PassClaims

    @property
    def revocation_entry(self) -> bytes:
        """The pass's entry on a revocation list."""
        return revocation_entry(self.claims.permit_no, self.claims.sequence)


def authenticate(
    text: str, keyset: PublicKeySet | Mapping[str, Any] | str
) -> AuthenticPass | Verdict:
    """The pass's signed claims, or the :class:`Verdict` that refuses it (malformed,
    unknown key, forged): the checks of :func:`verify_pass` that need nothing but the
    key set."""
    if not isinstance(keyset, PublicKeySet):
        keyset = parse_keyset(keyset)
    try:
        message = unwrap_pass(text)
    except PassFormatError as exc:
        return _reject(MALFORMED, str(exc))
    key = keyset.get(message.kid)
    if key is None:
        return _reject(UNKNOWN_KEY, "kid not in key set", message.kid)
    if not verify_signature(message, key.public_key):
        return _reject(FORGED, "signature does not match", message.kid)
    try:
        claims = PassClaims.from_payload(message.payload)
    except PassFormatError as exc:
        return _reject(MALFORMED, f"signed payload: {exc}", message.kid)
    if claims.issuer != keyset.issuer:
        return _reject(UNKNOWN_KEY, "issuer differs from key set", message.kid)
    if not key.covers(claims.expires_at):
        return _reject(UNKNOWN_KEY, "pass outlives its signing key", message.kid)
    return AuthenticPass(message.kid, claims)


def judge(
    authentic: AuthenticPass,
    revoked_entries: Collection[bytes] = (),
    zone: str | None = None,
    today: date | None = None,
    latest_sequences: Mapping[str, int] | None = None,
) -> Verdict:
    """The verdict on an authentic pass: revoked, superseded, outside its days or its
    zone, else valid (the parameters as for :func:`verify_pass`)."""
    if today is None:
        # Resolved here, not at import, so hosts without tz data can still pass `today`.
        today = datetime.now(ZoneInfo(LOCAL_TIMEZONE_NAME)).date()
    kid, claims = authentic.kid, authentic.claims
    if authentic.revocation_entry in revoked_entries:
        return _reject(REVOKED, "pass is on the revocation list", kid, claims)
    # Not `latest_sequences or {}`: a mapping that looks rows up on demand (the
    # server's) cannot list its entries and counts as empty, yet must be asked.
    latest = latest_sequences.get(claims.permit_no) if latest_sequences is not None else None
    if latest is not None and claims.sequence < latest:
        return _reject(SUPERSEDED, f"newer pass exists (sequence {latest})", kid, claims)
    if today < claims.valid_from:
        return _reject(NOT_YET_VALID, f"valid from {claims.valid_from}", kid, claims)
    if today > claims.valid_to:
        return _reject(EXPIRED, f"valid until {claims.valid_to}", kid, claims)
    if zone is not None and zone != claims.zone:
        return _reject(WRONG_ZONE, f"pass is for zone {claims.zone}", kid, claims)
    return Verdict(valid=True, reason=VALID, kid=kid, claims=claims)


def verify_pass(
    text: str,
    keyset: PublicKeySet | Mapping[str, Any] | str,
    revoked_entries: Collection[bytes] = (),
    zone: str | None = None,
    today: date | None = None,
    latest_sequences: Mapping[str, int] | None = None,
) -> Verdict:
    """Verify pass text and return a :class:`Verdict`; never raises for bad passes.

    ``keyset`` is the published key set (parsed, or its JSON). ``revoked_entries``
    holds 16-byte revocation entries (a set or a
    :class:`~app.passes.revocation.RevocationList`). ``zone`` is the zone being
    checked, ``today`` the local date (default: today in Europe/Berlin) and
    ``latest_sequences`` the newest known sequence number per permit number.
    The checks run in the order documented in docs/pass-format.md: those of
    :func:`authenticate`, then those of :func:`judge`.
    """
    authentic = authenticate(text, keyset)
    if isinstance(authentic, Verdict):
        return authentic
    return judge(authentic, revoked_entries, zone, today, latest_sequences)
