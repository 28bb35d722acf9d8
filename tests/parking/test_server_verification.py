"""Server-side verification asks the database for revocations and newer passes."""

from __future__ import annotations

from app.db import db
from app.models import ParkingPermit
from app.parking import officers
from tests.parking.support import answers, apply_and_pay, only_permit


def test_pass_with_a_newer_sequence_in_the_database_is_superseded(app, signed_in):
    citizen = signed_in("sv@example.org")
    apply_and_pay(citizen, answers(plate="DN-SV 1"))
    permit = only_permit(citizen)
    with db.connection_context():
        assert officers.verify(permit["pass_text"], "A").valid
        # A reissue whose revocation has not been written: the newer sequence alone
        # must make the old printout fail.
        ParkingPermit.update(sequence=ParkingPermit.sequence + 1).where(
            ParkingPermit.id == permit["id"]
        ).execute()
        verdict = officers.verify(permit["pass_text"], "A")
    assert not verdict.valid
    assert verdict.reason == "superseded"


def test_unknown_permit_number_is_no_newer_pass(app, signed_in):
    citizen = signed_in("sv2@example.org")
    apply_and_pay(citizen, answers(plate="DN-SV 2"))
    permit = only_permit(citizen)
    with db.connection_context():
        ParkingPermit.update(number="DN-2000-999999").where(
            ParkingPermit.id == permit["id"]
        ).execute()
        assert officers.LatestSequences().get(permit["number"]) is None
        assert officers.verify(permit["pass_text"], "A").valid
