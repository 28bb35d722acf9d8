"""Revocation entries and list versions kept by the parking module."""

from __future__ import annotations

from datetime import timedelta

from app.db import db
from app.models import ParkingPass, PassRevocation
from app.parking import keys, revocation
from app.passes import parse_keyset, parse_revocation_list, revocation_entry
from app.service_definitions.relative_dates import local_today
from tests.parking.support import answers, apply_and_pay, only_permit


def _passes(permit_id: str) -> list[ParkingPass]:
    return list(ParkingPass.select().where(ParkingPass.permit == permit_id))


def test_revoking_twice_adds_one_version(app, signed_in):
    citizen = signed_in("rv@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    with db.connection_context():
        start = revocation.current_version()
        first = revocation.revoke(_passes(permit["id"]), "test")
        assert first == start + 1
        assert revocation.revoke(_passes(permit["id"]), "test") is None
        assert revocation.current_version() == start + 1
        [row] = PassRevocation.select()
        assert row.entry == revocation_entry(permit["number"], 1).hex()
        assert row.valid_to.isoformat() == permit["valid_to"]


def test_lists_leave_out_passes_past_their_last_day(app, signed_in):
    citizen = signed_in("rv2@example.org")
    apply_and_pay(citizen, answers(plate="DN-RV 2"))
    permit = only_permit(citizen)
    with db.connection_context():
        version = revocation.revoke(_passes(permit["id"]), "test")
        keyset = parse_keyset(keys.keyset())
        valid_to = local_today() + timedelta(days=400)
        PassRevocation.update(valid_to=local_today() + timedelta(days=1)).execute()
        tomorrow = revocation.signed_list(today=local_today() + timedelta(days=1))
        later = revocation.signed_list(today=local_today() + timedelta(days=2))
        assert parse_revocation_list(tomorrow.body, keyset).entries
        expired = parse_revocation_list(later.body, keyset)
        assert expired.version == version and expired.entries == frozenset()
        assert tomorrow.etag != later.etag
        assert valid_to  # (the list never grows with expired passes)


def test_delta_and_full_lists(app, signed_in):
    citizen = signed_in("rv3@example.org")
    apply_and_pay(citizen, answers(plate="DN-RV 3"))
    permit = only_permit(citizen)
    with db.connection_context():
        base = revocation.current_version()
        revocation.revoke(_passes(permit["id"]), "test")
        keyset = parse_keyset(keys.keyset())
        delta = parse_revocation_list(revocation.signed_list(since=base).body, keyset)
        assert (delta.base_version, delta.version, len(delta.entries)) == (base, base + 1, 1)
        full = parse_revocation_list(revocation.signed_list().body, keyset)
        assert full.base_version == 0 and full.entries == delta.entries
        # since=0 means "I have nothing": a full list.
        assert revocation.signed_list(since=0).base_version == 0
