"""Revoked passes and the signed revocation list (full, or a delta since a version).

List versions come from the counter ``revocation_version``: version 1 is the empty list
before anything was revoked; every revocation (of one or several passes at once) raises
it by one and records its entries with the new version. A full list holds the entries
of passes whose valid-to day has not passed; a delta since version *v* holds those
added after *v*. The format is docs/pass-format.md, section 8.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.db import db
from app.models import ParkingPass, PassRevocation
from app.parking import counters, keys
from app.passes import Revocation, build_delta_list, build_full_list, revocation_entry
from app.service_definitions.relative_dates import local_today

VERSION_COUNTER = "revocation_version"
EMPTY_VERSION = 1


def current_version() -> int:
    """The version of the list as committed now (1 while nothing is revoked)."""
    return counters.current_value(VERSION_COUNTER, EMPTY_VERSION)


def entry_for(permit_number: str, sequence: int) -> bytes:
    """The 16-byte entry of one pass."""
    return revocation_entry(permit_number, sequence)


def revoke(passes: Iterable[ParkingPass], reason: str) -> int | None:
    """Put the passes on the list (one new version); return it, or None if nothing new.

    Passes already on the list are left alone, so calling this twice changes nothing.
    """
    with db.atomic():
        wanted = {}
        for issued in passes:
            entry = entry_for(issued.permit.number, issued.sequence).hex()
            wanted[entry] = issued
        known = (
            {
                row.entry
                for row in PassRevocation.select(PassRevocation.entry).where(
                    PassRevocation.entry.in_(list(wanted))
                )
            }
            if wanted
            else set()
        )
        fresh = {entry: issued for entry, issued in wanted.items() if entry not in known}
        if not fresh:
            return None
        version = counters.next_value(VERSION_COUNTER, start=EMPTY_VERSION)
        for entry, issued in sorted(fresh.items()):
            PassRevocation.create(
                entry=entry, version=version, valid_to=issued.valid_to, reason=reason[:24]
            )
        return version


@dataclass(frozen=True)
class SignedList:
    """A signed list ready to send, with what the HTTP layer needs for caching."""

    body: bytes
    version: int
    base_version: int
    entries: int
    etag: str


def _rows(version: int, since: int, today: date) -> list[Revocation]:
    query = PassRevocation.select(PassRevocation.entry, PassRevocation.version).where(
        (PassRevocation.version <= version)
        & (PassRevocation.version > since)
        & (PassRevocation.valid_to >= today)
    )
    return [Revocation(bytes.fromhex(row.entry), row.version) for row in query]


def signed_list(since: int | None = None, today: date | None = None, now: int | None = None):
    """The current list as COSE bytes: a delta when ``since`` is an older version, else full.

    A device at the current (or an unknown, newer) version gets a full list, which it
    can always apply.
    """
    today = today or local_today()
    now = int(time.time()) if now is None else now
    version = current_version()
    delta = since is not None and 1 <= since < version
    base = since if delta else 0
    rows = _rows(version, base, today)
    key = keys.current_key()
    digest = hashlib.sha256()
    digest.update(f"{version}|{base}|{key.kid.hex()}|".encode())
    for entry in sorted(r.entry for r in rows):
        digest.update(entry)
    if delta:
        body = build_delta_list(rows, base, version, key, now)
    else:
        body = build_full_list(rows, version, key, now)
    return SignedList(body, version, base, len(rows), digest.hexdigest()[:32])
