"""Passes the portal issued cannot be altered, copied onto another key, or reused after
a reissue: scanners with the published documents reject them with the right reason."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import base45

from app.passes import PREFIX, decode_pass, encode_pass, generate_signing_key, verify_pass
from app.passes.codec import text_to_cose
from app.service_definitions.relative_dates import local_today
from tests.parking.support import apply_and_pay, only_permit, published_keyset, revocation_list

MUTATIONS = 2000
SEED = 6


def test_mutated_issued_passes_never_verify(signed_in, make_client):
    citizen = signed_in("forger@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    keyset = published_keyset(make_client())
    original = text_to_cose(permit["pass_text"])
    rng = random.Random(SEED)
    reasons = Counter()
    for index in range(MUTATIONS):
        mutated = bytearray(original)
        position = rng.randrange(len(mutated))
        if index % 2:
            mutated[position] ^= 1 << rng.randrange(8)
        else:
            mutated[position] = (mutated[position] + rng.randrange(1, 256)) % 256
        text = PREFIX + base45.b45encode(bytes(mutated)).decode()
        verdict = verify_pass(text, keyset, zone="A")
        assert not verdict.valid, index
        reasons[verdict.reason] += 1
        if verdict.reason in ("malformed", "forged", "unknown_key"):
            assert verdict.plates == ()
    assert set(reasons) <= {"malformed", "forged", "unknown_key"}
    assert reasons["forged"] > MUTATIONS // 2


def test_unknown_key_expired_revoked_superseded(signed_in, make_client):
    citizen = signed_in("reasons@example.org")
    apply_and_pay(citizen)
    permit = only_permit(citizen)
    scanner = make_client()
    keyset = published_keyset(scanner)
    claims = decode_pass(permit["pass_text"]).claims
    # The same claims signed by a key the city never published.
    copied = encode_pass(claims, generate_signing_key())
    assert verify_pass(copied, keyset).reason == "unknown_key"
    later = local_today() + timedelta(days=800)
    assert verify_pass(permit["pass_text"], keyset, today=later).reason == "expired"
    changed = citizen.post(
        f"/api/parking/permits/{permit['id']}/plates",
        json={"plates": ["DN-NW 5"], "registered_to_me": True},
    ).get_json()
    listed = revocation_list(scanner, keyset)
    assert verify_pass(permit["pass_text"], keyset, listed).reason == "revoked"
    # A scanner that has seen the newer pass but not yet the list says "superseded".
    newer = {permit["number"]: changed["sequence"]}
    verdict = verify_pass(permit["pass_text"], keyset, latest_sequences=newer)
    assert verdict.reason == "superseded"
    assert verify_pass(changed["pass_text"], keyset, listed, latest_sequences=newer).valid
