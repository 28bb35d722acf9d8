"""What enforcement officers ask the server: verify a pass, look up a licence plate.

Verification uses the same algorithm and verdicts as an offline scanner
(docs/pass-format.md, section 9), but revocations and the newest sequence of each
permit come straight from the database. The plate look-up shows permits without any
name; the API writes every look-up to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from app.db import db
from app.models import ParkingCounter, ParkingPass, ParkingPermit, ParkingPlate, PassRevocation
from app.parking import keys, permits, revocation, zones
from app.passes import Verdict
from app.passes.verify import UNKNOWN_KEY, authenticate, judge
from app.prepared import PreparedSelect
from app.service_definitions.relative_dates import local_today

# What the server adds to the offline checks, in one statement (one round trip, one
# snapshot): whether the pass is revoked, its permit's newest sequence, and the
# revocation list's version that answer reflects.
_PASS_STATE = PreparedSelect(
    lambda entry, number, counter: peewee.Select(
        columns=[
            PassRevocation.select(PassRevocation.version)
            .where(PassRevocation.entry == entry)
            .limit(1)
            .alias("revoked_in"),
            ParkingPermit.select(ParkingPermit.sequence)
            .where(ParkingPermit.number == number)
            .limit(1)
            .alias("newest_sequence"),
            ParkingCounter.select(ParkingCounter.value)
            .where(ParkingCounter.name == counter)
            .limit(1)
            .alias("list_version"),
        ]
    ).bind(db),
    "entry",
    "number",
    "counter",
)


@dataclass(frozen=True)
class OnlineVerdict:
    """The server's verdict and the revocation list version it reflects."""

    verdict: Verdict
    revocation_version: int


def verify_online(text: str, zone: str | None = None, today: date | None = None) -> OnlineVerdict:
    """:func:`verify` with the revocation list's version, in one round trip to the
    database for an authentic pass (the version alone for any other)."""
    today = today or local_today()
    authentic = authenticate(text, keys.parsed_keyset())
    if isinstance(authentic, Verdict) and authentic.reason == UNKNOWN_KEY:
        # Perhaps signed by a key another node made a moment ago: look again.
        authentic = authenticate(text, keys.parsed_keyset(fresh=True))
    if isinstance(authentic, Verdict):
        return OnlineVerdict(authentic, revocation.current_version())
    claims = authentic.claims
    [(revoked_in, newest_sequence, list_version)] = _PASS_STATE.tuples(
        entry=authentic.revocation_entry.hex(),
        number=claims.permit_no,
        counter=revocation.VERSION_COUNTER,
    )
    verdict = judge(
        authentic,
        {authentic.revocation_entry} if revoked_in is not None else (),
        zone=zone,
        today=today,
        latest_sequences=(
            {claims.permit_no: int(newest_sequence)} if newest_sequence is not None else None
        ),
    )
    version = int(list_version) if list_version is not None else revocation.EMPTY_VERSION
    return OnlineVerdict(verdict, version)


def verify(text: str, zone: str | None = None, today: date | None = None) -> Verdict:
    """Verify ``text`` against the published key set and the database's revocations
    and newest sequences."""
    return verify_online(text, zone, today).verdict


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
