"""Server-side verification asks the database for revocations and newer passes."""

from __future__ import annotations

from app.db import db
from app.models import ParkingPass, ParkingPermit
from app.parking import officers, revocation
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
        assert officers.verify(permit["pass_text"], "A").valid


def test_the_verdict_names_the_revocation_version_it_reflects(app, signed_in):
    citizen = signed_in("sv3@example.org")
    apply_and_pay(citizen, answers(plate="DN-SV 3"))
    permit = only_permit(citizen)
    with db.connection_context():
        before = officers.verify_online(permit["pass_text"], "A")
        assert before.verdict.valid
        assert before.revocation_version == revocation.current_version()
        # A damaged pass is refused before the database is asked about it; the answer
        # still names the list's version.
        damaged = officers.verify_online(permit["pass_text"][:-4], "A")
        assert damaged.verdict.reason == "malformed"
        assert damaged.revocation_version == before.revocation_version
        version = revocation.revoke(
            ParkingPass.select().join(ParkingPermit).where(ParkingPermit.id == permit["id"]), "test"
        )
        after = officers.verify_online(permit["pass_text"], "A")
    assert version == before.revocation_version + 1
    assert after.verdict.reason == "revoked"
    assert after.revocation_version == version
