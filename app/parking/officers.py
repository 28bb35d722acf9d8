"""What enforcement officers ask the server: verify a pass, look up a licence plate.

Verification uses the same algorithm and verdicts as an offline scanner
(docs/pass-format.md, section 9), but revocations and the newest sequence of each
permit come straight from the database. The plate look-up shows permits without any
name; the API writes every look-up to the audit log.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date
from typing import Any

from app.models import ParkingPass, ParkingPermit, ParkingPlate, PassRevocation
from app.parking import keys, permits, zones
from app.passes import Verdict, verify_pass
from app.prepared import PreparedSelect
from app.service_definitions.relative_dates import local_today

# Both asked on every server-side verification; built once, as building costs more
# than running them.
_REVOKED_ENTRY = PreparedSelect(
    lambda entry: (
        PassRevocation.select(PassRevocation.entry).where(PassRevocation.entry == entry).limit(1)
    ),
    "entry",
)
# Only the one column: loading the whole permit row cost more than verifying.
_NEWEST_SEQUENCE = PreparedSelect(
    lambda number: (
        ParkingPermit.select(ParkingPermit.sequence).where(ParkingPermit.number == number).limit(1)
    ),
    "number",
)


class RevokedInDatabase(Collection):
    """Revocation entries, looked up one at a time (all ``verify_pass`` asks)."""

    def __contains__(self, entry: object) -> bool:
        if not isinstance(entry, bytes):
            return False
        return _REVOKED_ENTRY.first(entry=entry.hex()) is not None

    def __iter__(self) -> Iterator[bytes]:
        return iter(())

    def __len__(self) -> int:
        return 0


class LatestSequences(Mapping):
    """The newest sequence number of a permit number, from the database."""

    def __getitem__(self, number: str) -> int:
        permit = _NEWEST_SEQUENCE.first(number=number)
        if permit is None or permit.sequence is None:
            raise KeyError(number)
        return permit.sequence

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def verify(text: str, zone: str | None = None, today: date | None = None) -> Verdict:
    """Verify ``text`` against the published key set and the database's revocations."""
    return verify_pass(
        text,
        keys.parsed_keyset(),
        RevokedInDatabase(),
        zone=zone,
        today=today or local_today(),
        latest_sequences=LatestSequences(),
    )


_STATE_ORDER = {"valid": 0, "not_yet_valid": 1, "superseded": 2, "expired": 3, "revoked": 4}


def plate_lookup(plate: str, today: date | None = None) -> list[dict[str, Any]]:
    """Permits that carry or carried ``plate`` (stored form), valid ones first.

    ``state`` is ``superseded`` for a permit that is valid but no longer carries the
    plate (it was changed); ``plate_on_current_pass`` says whether it still does.
    """
    today = today or local_today()
    names = zones.zone_names()
    found: dict[str, dict[str, Any]] = {}
    rows = (
        ParkingPlate.select(ParkingPlate, ParkingPass, ParkingPermit)
        .join(ParkingPass)
        .join(ParkingPermit)
        .where(ParkingPlate.plate == plate)
    )
    for row in rows:
        permit = row.issued_pass.permit
        entry = found.setdefault(
            permit.id,
            {
                "number": permit.number,
                "zone": permit.zone,
                "zone_name": names.get(permit.zone, ""),
                "plates": list(permit.plates),
                "valid_from": permit.valid_from.isoformat(),
                "valid_to": permit.valid_to.isoformat(),
                "sequence": permit.sequence,
                "status": permit.status,
                "state": permits.state_of(permit, today),
                "plate_on_current_pass": False,
            },
        )
        if row.issued_pass.sequence == permit.sequence:
            entry["plate_on_current_pass"] = True
    results = list(found.values())
    for entry in results:
        if not entry["plate_on_current_pass"] and entry["state"] == "valid":
            entry["state"] = "superseded"
    results.sort(key=lambda e: (_STATE_ORDER.get(e["state"], 9), e["valid_to"]))
    return results
