"""Pass claims and their CWT (RFC 8392) representation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import cbor2

from app.passes.cose import strict_loads
from app.passes.errors import PassFormatError

# Registered CWT claim keys (RFC 8392, section 3.1).
CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_IAT = 6
# First key of the CWT private-use range (< -65536). -260 is registered for the
# EU health certificate (hcert) and must not be reused.
CLAIM_PERMIT = -65537

# Keys inside the permit claim map.
PERMIT_NO = 1
PERMIT_PLATES = 2
PERMIT_ZONE = 3
PERMIT_VALID_FROM = 4
PERMIT_VALID_TO = 5
PERMIT_SEQUENCE = 6

MAX_PLATES = 4
MAX_PERMIT_NO_LENGTH = 24
MAX_PLATE_LENGTH = 12
MAX_ZONE_LENGTH = 8
MAX_ISSUER_LENGTH = 32

# Largest integer a JavaScript scanner can hold exactly in a Number.
MAX_SAFE_INT = 2**53 - 1

EPOCH = date(1970, 1, 1)
SECONDS_PER_DAY = 86400
_MAX_DAYS = (date.max - EPOCH).days


def date_to_days(day: date) -> int:
    """Days since 1970-01-01 (the wire form of valid-from and valid-to)."""
    return (day - EPOCH).days


def days_to_date(days: int) -> date:
    """Inverse of :func:`date_to_days`."""
    return EPOCH + timedelta(days=days)


def expiry_for(valid_to: date) -> int:
    """NumericDate for ``exp``: 00:00 UTC on the day after ``valid_to``.

    That instant is after the end of ``valid_to`` in German local time (UTC+1/+2),
    so ``exp`` never cuts a pass's last day short.
    """
    return (date_to_days(valid_to) + 1) * SECONDS_PER_DAY


def _check_text(value: object, name: str, max_length: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise PassFormatError(f"{name} must be a non-empty string of at most {max_length} chars")
    if not value.isprintable():
        raise PassFormatError(f"{name} contains control characters")
    return value


def _check_int(value: object, name: str) -> int:
    # bool is an int subclass in Python but a distinct CBOR type; reject it.
    if type(value) is not int or not 0 <= value <= MAX_SAFE_INT:
        raise PassFormatError(f"{name} must be an integer from 0 to 2^53-1")
    return value


def _check_days(value: object, name: str) -> date:
    days = _check_int(value, name)
    if days > _MAX_DAYS:
        raise PassFormatError(f"{name} is out of range")
    return days_to_date(days)


@dataclass(frozen=True)
class PassClaims:
    """Everything a parking pass asserts. Dates are calendar days, both inclusive.

    ``issued_at`` and ``expires_at`` are NumericDates (seconds since the epoch, UTC).
    Construction validates all fields and raises :class:`PassFormatError`.
    """

    permit_no: str
    plates: tuple[str, ...]
    zone: str
    valid_from: date
    valid_to: date
    sequence: int
    issuer: str
    issued_at: int
    expires_at: int

    def __post_init__(self) -> None:
        _check_text(self.permit_no, "permit number", MAX_PERMIT_NO_LENGTH)
        _check_text(self.zone, "zone", MAX_ZONE_LENGTH)
        _check_text(self.issuer, "issuer", MAX_ISSUER_LENGTH)
        if not isinstance(self.plates, tuple) or not 1 <= len(self.plates) <= MAX_PLATES:
            raise PassFormatError(f"a pass carries 1 to {MAX_PLATES} licence plates")
        for plate in self.plates:
            _check_text(plate, "licence plate", MAX_PLATE_LENGTH)
        if len(set(self.plates)) != len(self.plates):
            raise PassFormatError("licence plates must be distinct")
        for name in ("valid_from", "valid_to"):
            value = getattr(self, name)
            if type(value) is not date or value < EPOCH:
                raise PassFormatError(f"{name} must be a date on or after 1970-01-01")
        if self.valid_from > self.valid_to:
            raise PassFormatError("valid_from is after valid_to")
        _check_int(self.sequence, "sequence")
        _check_int(self.issued_at, "issued_at")
        _check_int(self.expires_at, "expires_at")
        if self.issued_at > self.expires_at:
            raise PassFormatError("issued_at is after expires_at")

    def to_cwt(self) -> dict[int, object]:
        """Return the CWT claims map (integer keys, see docs/pass-format.md)."""
        return {
            CLAIM_ISS: self.issuer,
            CLAIM_EXP: self.expires_at,
            CLAIM_IAT: self.issued_at,
            CLAIM_PERMIT: {
                PERMIT_NO: self.permit_no,
                PERMIT_PLATES: list(self.plates),
                PERMIT_ZONE: self.zone,
                PERMIT_VALID_FROM: date_to_days(self.valid_from),
                PERMIT_VALID_TO: date_to_days(self.valid_to),
                PERMIT_SEQUENCE: self.sequence,
            },
        }

    @classmethod
    def from_cwt(cls, cwt: object) -> PassClaims:
        """Build claims from a decoded CWT map; raises :class:`PassFormatError`."""
        if not isinstance(cwt, Mapping) or set(cwt) != {
            CLAIM_ISS,
            CLAIM_EXP,
            CLAIM_IAT,
            CLAIM_PERMIT,
        }:
            raise PassFormatError("CWT: expected exactly the claims 1, 4, 6 and -65537")
        permit = cwt[CLAIM_PERMIT]
        if not isinstance(permit, Mapping) or set(permit) != set(range(1, 7)):
            raise PassFormatError("permit claim: expected exactly the keys 1 to 6")
        plates = permit[PERMIT_PLATES]
        if not isinstance(plates, list | tuple):
            raise PassFormatError("permit claim: plates must be an array")
        return cls(
            permit_no=permit[PERMIT_NO],
            plates=tuple(plates),
            zone=permit[PERMIT_ZONE],
            valid_from=_check_days(permit[PERMIT_VALID_FROM], "valid_from"),
            valid_to=_check_days(permit[PERMIT_VALID_TO], "valid_to"),
            sequence=permit[PERMIT_SEQUENCE],
            issuer=cwt[CLAIM_ISS],
            issued_at=cwt[CLAIM_IAT],
            expires_at=cwt[CLAIM_EXP],
        )

    def to_payload(self) -> bytes:
        """Encode the CWT claims as CBOR bytes (deterministic: sorted keys, shortest forms)."""
        return cbor2.dumps(self.to_cwt(), canonical=True)

    @classmethod
    def from_payload(cls, payload: bytes) -> PassClaims:
        """Decode CBOR payload bytes into claims; raises :class:`PassFormatError`."""
        return cls.from_cwt(strict_loads(payload, "CWT payload"))


def new_claims(
    *,
    permit_no: str,
    plates: Iterable[str],
    zone: str,
    valid_from: date,
    valid_to: date,
    sequence: int,
    issuer: str,
    issued_at: datetime | int,
) -> PassClaims:
    """Build claims for a new pass, deriving ``exp`` from ``valid_to`` (see :func:`expiry_for`)."""
    if isinstance(issued_at, datetime):
        if issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        issued_at = int(issued_at.timestamp())
    return PassClaims(
        permit_no=permit_no,
        plates=tuple(plates),
        zone=zone,
        valid_from=valid_from,
        valid_to=valid_to,
        sequence=sequence,
        issuer=issuer,
        issued_at=issued_at,
        expires_at=expiry_for(valid_to),
    )
