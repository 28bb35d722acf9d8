"""Resident parking: pass issuance and server-side verification per second.

Run with ``.venv/bin/python bench/bench_parking.py [seconds-per-figure]``. Each figure
of the portal (app.parking, with its database, key store and WeasyPrint) is printed
next to the bare library figure it is built on (app.passes, cryptography, WeasyPrint
alone), measured in the same run, so figures from different machines compare as
ratios. The portal runs on SQLite in a temporary instance folder.

Issuance (portal and bare called in turns, fastest call of each in CPU time; the ratio
is portal time / bare time):
  * sign: claims → ``BPA1:`` text with the instance's key store (app.parking.keys)
  * sign + QR: the same plus the QR matrix, against a raw ECDSA P-256 signature plus
    ``segno.make`` for the same text and error level (goal: at most 1.2x)
  * print@home PDF: the page with the vector QR code (WeasyPrint), against the bare
    libraries doing the same job: segno makes the SVG of the same pass text and bare
    WeasyPrint renders an equivalent page: the same page size, the same text in the
    same font family (regular and bold), the QR code 50 mm wide (goal: at most 1.5x);
    for information also against the bare page alone, its SVG made beforehand
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
import base64
import html
import io
import logging
import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cryptography
import segno
from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from measure import machine_baseline, rate, rates_in_turns


def line(label: str, value: float, bare_label: str, bare: float) -> str:
    return f"{label:<44} {value:10.1f}/s   | {bare_label:<34} {bare:10.1f}/s"


def against_goal(label: str, value: float, bare_label: str, bare: float, goal: float) -> str:
    """A figure next to its bare one, with the time ratio and whether it meets the goal."""
    ratio = bare / value
    verdict = "met" if ratio <= goal else "NOT met"
    return (
        f"{line(label, value, bare_label, bare)}   | "
        f"ratio {ratio:4.2f}x (goal <= {goal:g}x: {verdict})"
    )


def page_words(portal_html: str) -> str:
    """The text a reader sees on the print@home page."""
    body = re.sub(r"<(title|style)>.*?</\1>", "", portal_html, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def bare_qr_src(text: str) -> str:
    """The pass as segno makes it an SVG, 50 mm symbol plus quiet zone, as data URI."""
    qr = segno.make(text, error="q", boost_error=False)
    out = io.BytesIO()
    modules = qr.symbol_size(scale=1, border=0)[0]
    qr.save(out, kind="svg", scale=50 / modules, border=4, unit="mm", dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def equivalent_page(words: str, qr_src: str) -> str:
    """A plain page as fair baseline for the print@home page.

    The same page size (A4), the same text in the same font family, with bold and
    larger type as on the pass, and the QR code as an SVG image 57 mm wide (50 mm
    symbol plus quiet zone), all laid out as plain blocks.
    """
    head, tail = words[:160], words[160:]
    return (
        "<style>@page { size: A4; margin: 15mm; }"
        ' body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }'
        " h1 { font-size: 18pt; } .big { font-size: 20pt; font-weight: bold; }</style>"
        f'<h1>{html.escape(head[:40])}</h1><p class="big">{html.escape(head[40:])}</p>'
        f'<img src="{qr_src}" style="width: 57mm"><p>{html.escape(tail)}</p>'
    )


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

    words = page_words(printout.render_html(first, "de"))
    ready_page = equivalent_page(words, bare_qr_src(text))

    def bare_pdf() -> bytes:
        # The same job as the portal: the QR code from the pass text, then the page.
        return HTML(string=equivalent_page(words, bare_qr_src(text))).write_pdf()

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

    def bare_sign_and_qr() -> None:
        key.private_key.sign(message, algorithm)
        segno.make(text, error="q", boost_error=False)

    portal_issue, bare_issue = rates_in_turns(
        [lambda: make_qr(keys.sign(claims)), bare_sign_and_qr], seconds
    )
    print(
        against_goal(
            "  sign + QR matrix",
            portal_issue,
            "bare: ECDSA sign + segno.make",
            bare_issue,
            goal=1.2,
        )
    )
    portal_pdf, bare_pdf_rate, ready_pdf = rates_in_turns(
        [
            lambda: printout.render_pdf(first, "de"),
            bare_pdf,
            lambda: HTML(string=ready_page).write_pdf(),
        ],
        seconds * 1.5,
    )
    print(
        against_goal(
            "  print@home PDF (WeasyPrint, vector QR)",
            portal_pdf,
            "bare: segno SVG + WeasyPrint page",
            bare_pdf_rate,
            goal=1.5,
        )
    )
    print(
        f"{'':<44} {'':>12}   | {'bare: the page alone (SVG ready)':<34} {ready_pdf:10.1f}/s"
        f"   | ratio {ready_pdf / portal_pdf:4.2f}x (no goal)"
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
