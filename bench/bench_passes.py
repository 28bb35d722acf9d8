"""Throughput of pass issuing and server-side verification.

Run with ``python bench/bench_passes.py [seconds-per-measurement]``. Each figure
is printed next to the bare cryptography operation it is built on, measured in
the same run, so results from different machines can be compared as ratios.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, date, datetime
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cryptography
import segno
from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from measure import rate, rates_in_turns

from app.passes import (
    encode_pass,
    generate_signing_key,
    new_claims,
    parse_keyset,
    revocation_entry,
    verify_pass,
)
from app.passes.cose import protected_header, sig_structure
from app.passes.keyset import STATUS_CURRENT, build_keyset, public_key_record
from app.passes.qr import make_qr


def main() -> None:
    """Print the machine baseline and the throughput figures."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    key = generate_signing_key()
    claims = new_claims(
        permit_no="DN-2026-004711",
        plates=["DN-AB 1234"],
        zone="A",
        valid_from=date(2026, 5, 1),
        valid_to=date(2027, 4, 30),
        sequence=1,
        issuer="DN",
        issued_at=datetime(2026, 4, 28, 9, 30, tzinfo=UTC),
    )
    record = public_key_record(key.private_key.public_key(), 0, None, STATUS_CURRENT)
    keyset = parse_keyset(build_keyset("DN", [record]))
    # A realistic list size; none of these entries matches the benchmarked pass.
    revoked = {revocation_entry(f"DN-2025-{n:06d}", 1) for n in range(10_000)}
    text = encode_pass(claims, key)
    today = date(2026, 6, 15)
    if not verify_pass(text, keyset, revoked, today=today).valid:
        raise SystemExit("benchmark pass does not verify")

    # The bare operations sign/verify a message of the same size as a real pass.
    message = sig_structure(protected_header(key.kid), claims.to_payload())
    algorithm = ec.ECDSA(hashes.SHA256())
    public_key = key.private_key.public_key()
    der_signature = key.private_key.sign(message, algorithm)

    print(
        f"baseline: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{os.cpu_count()} CPUs, {platform.platform()}, {platform.machine()}, "
        f"cryptography {cryptography.__version__}, {backend.openssl_version_text()}"
    )
    print(f"pass: {len(text)} chars, QR version {make_qr(text).version}, {seconds:g} s per figure")

    def issue() -> None:
        make_qr(encode_pass(claims, key))

    def bare_issue() -> None:
        # What issuing is built on: one signature and segno for the same text and level.
        key.private_key.sign(message, algorithm)
        segno.make(text, error="q", boost_error=False)

    issue_rate, bare_rate = rates_in_turns([issue, bare_issue], seconds)
    sign_rate = rate(lambda: key.private_key.sign(message, algorithm), seconds)
    encode_rate = rate(lambda: encode_pass(claims, key), seconds)
    ratio = bare_rate / issue_rate
    print(
        f"issue (sign+encode+QR matrix): {issue_rate:10.0f} passes/s   "
        f"| sign+encode only: {encode_rate:8.0f}/s   "
        f"| raw ECDSA P-256 sign: {sign_rate:8.0f}/s"
    )
    print(
        f"issue vs bare ECDSA sign + segno.make (fastest call, CPU time): "
        f"{issue_rate:8.0f}/s vs {bare_rate:8.0f}/s"
        f"   | ratio {ratio:4.2f}x (goal <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'})"
    )

    verify_rate = rate(lambda: verify_pass(text, keyset, revoked, today=today), seconds)
    raw_verify_rate = rate(lambda: public_key.verify(der_signature, message, algorithm), seconds)
    print(
        f"verify (decode+ES256+checks):  {verify_rate:10.0f} passes/s   "
        f"| raw ECDSA P-256 verify: {raw_verify_rate:8.0f}/s"
    )


if __name__ == "__main__":
    main()
