"""Resident parking: pass issuance and server-side verification per second.

Run with ``.venv/bin/python bench/bench_parking.py [seconds-per-figure]``. Each figure
of the portal (app.parking, with its database, key store and WeasyPrint) is printed
next to the bare library figure it is built on (app.passes, cryptography, WeasyPrint
alone), measured in the same run, so figures from different machines compare as
ratios. The portal runs on SQLite in a temporary instance folder.

Issuance:
  * sign: claims → ``BPA1:`` text with the instance's key store (app.parking.keys)
  * sign + QR: the same plus the QR matrix (segno)
  * print@home PDF: the page with the vector QR code (WeasyPrint)
  * full issuance: an approved application → permit and pass rows, signed pass,
    PDF stored, inbox message, application completed (what one citizen costs)

Verification:
  * server-side: pass text → verdict with revocations and sequences from the database
    (what ``POST /api/officer/passes/verify`` does), and through HTTP (Flask test client)
  * bare: app.passes.verify_pass with an in-memory list of 10,000 revocations, and the
    raw ECDSA P-256 verification
"""

from __future__ import annotations

import atexit
import logging
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cryptography
from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from measure import machine_baseline, rate


def line(label: str, value: float, bare_label: str, bare: float) -> str:
    return f"{label:<44} {value:10.1f}/s   | {bare_label:<34} {bare:10.1f}/s"


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    instance = tempfile.mkdtemp(prefix="bench-parking-")
    atexit.register(shutil.rmtree, instance, ignore_errors=True)
    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": instance,
        "DATABASE_URL": f"sqlite:///{instance}/bench.sqlite3",
        "PORTAL_BASE_URL": "http://localhost:5000",
    }

    from app import migrations
    from app.accounts import profile, sessions, users
    from app.applications import definitions
    from app.db import db
    from app.models import Application, PassRevocation
    from app.parking import counters, keys, officers, permits, printout, revocation
    from app.passes import (
        encode_pass,
        new_claims,
        parse_keyset,
        revocation_entry,
        verify_pass,
    )
    from app.passes.cose import protected_header, sig_structure
    from app.passes.qr import make_qr
    from app.service_definitions import validate_answers
    from portal import create_app

    logging.disable(logging.INFO)
    app = create_app(env)
    db.connect(reuse_if_open=True)
    migrations.upgrade(db.obj)
    definitions.sync_builtin()
    record = definitions.published("resident_parking")
    definition = definitions.definition_of(record)
    user = users.create_user("bench@example.org", "citizen", [])
    profile.update_profile(user, {"given_names": "Erika", "family_name": "Bench"})
    answers = validate_answers(
        definition,
        {
            "residence": {"street": "Markt", "house_number": "3"},
            "main_residence": True,
            "plate": "DN-AB 1234",
            "holder": "registered",
            "months": 12,
            "truthful": True,
        },
    ).answers
    counter = [0]

    def new_application() -> Application:
        counter[0] += 1
        return Application.create(
            user=user,
            definition=record,
            service_id="resident_parking",
            area="parken",
            status="approved",
            answers=answers,
            reference=f"B{counter[0]:07d}",
            fee_cents=3000,
        )

    # One issued permit as the subject of the component measurements.
    first = permits.issue_for_application(new_application())
    printout.deliver(first.id)
    key = keys.current_key()
    claims = new_claims(
        permit_no=first.permit.number,
        plates=["DN-AB 1234"],
        zone="A",
        valid_from=first.valid_from,
        valid_to=first.valid_to,
        sequence=1,
        issuer="DN",
        issued_at=datetime.now(UTC),
    )
    message = sig_structure(protected_header(key.kid), claims.to_payload())
    algorithm = ec.ECDSA(hashes.SHA256())
    der_signature = key.private_key.sign(message, algorithm)
    public_key = key.private_key.public_key()

    # 10,000 revoked passes in the database and in memory (none is the benchmarked one).
    others = [revocation_entry(f"DN-2025-{n:06d}", 1) for n in range(10_000)]
    with db.atomic():
        version = counters.next_value(revocation.VERSION_COUNTER, start=revocation.EMPTY_VERSION)
        PassRevocation.insert_many(
            [
                {
                    "entry": e.hex(),
                    "version": version,
                    "valid_to": first.valid_to,
                    "reason": "bench",
                    "created_at": datetime.now(UTC).replace(tzinfo=None),
                }
                for e in others
            ]
        ).execute()
    in_memory = frozenset(others)
    keyset = parse_keyset(keys.keyset())
    text = first.pass_text
    assert officers.verify(text, "A").valid, "benchmark pass does not verify"
    assert verify_pass(text, keyset, in_memory, zone="A").valid

    from weasyprint import HTML

    print(
        machine_baseline(
            f"cryptography {cryptography.__version__}, {backend.openssl_version_text()}"
        )
    )
    print(
        f"pass: {len(text)} chars, QR version {make_qr(text).version}, "
        f"{len(others)} revocations, {seconds:g} s per figure"
    )
    print("issuance")
    print(
        line(
            "  sign (app.parking.keys)",
            rate(lambda: keys.sign(claims), seconds),
            "bare: app.passes.encode_pass",
            rate(lambda: encode_pass(claims, key), seconds),
        )
    )
    print(
        line(
            "  sign + QR matrix",
            rate(lambda: make_qr(keys.sign(claims)), seconds),
            "bare: encode_pass + segno QR",
            rate(lambda: make_qr(encode_pass(claims, key)), seconds),
        )
    )
    print(
        line(
            "  print@home PDF (WeasyPrint, vector QR)",
            rate(lambda: printout.render_pdf(first, "de"), seconds),
            "bare: WeasyPrint one-line page",
            rate(lambda: HTML(string="<p>Bewohnerparkausweis</p>").write_pdf(), seconds),
        )
    )

    def issue_fully() -> None:
        issued = permits.issue_for_application(new_application())
        printout.deliver(issued.id)

    full = rate(issue_fully, seconds)
    print(
        line(
            "  full issuance (DB, sign, QR, PDF, inbox)",
            full,
            "bare: raw ECDSA P-256 sign",
            rate(lambda: key.private_key.sign(message, algorithm), seconds),
        )
    )
    print("verification")
    bare_verify = rate(lambda: verify_pass(text, keyset, in_memory, zone="A"), seconds)
    print(
        line(
            "  server-side (DB revocations + sequences)",
            rate(lambda: officers.verify(text, "A"), seconds),
            "bare: app.passes.verify_pass",
            bare_verify,
        )
    )
    token, _session = sessions.start_session(
        users.create_user("officer@bench.example", "officer", []), "email", "bench", 24
    )
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], token, domain="localhost")
    csrf = client.get("/api/auth/session").get_json()["csrf_token"]
    headers = {"Origin": "http://localhost:5000", "X-CSRF-Token": csrf}

    def over_http() -> None:
        response = client.post(
            "/api/officer/passes/verify", json={"text": text, "zone": "A"}, headers=headers
        )
        assert response.status_code == 200 and response.get_json()["valid"]

    print(
        line(
            "  HTTP POST /api/officer/passes/verify",
            rate(over_http, seconds),
            "bare: raw ECDSA P-256 verify",
            rate(lambda: public_key.verify(der_signature, message, algorithm), seconds),
        )
    )
    print(f"(revocation list version {revocation.current_version()}; {counter[0]} permits issued)")


if __name__ == "__main__":
    main()
