"""Signed revocation lists: entry hash, signature, tampering, full and delta lists."""

import hashlib
from datetime import date

import cbor2
import pytest

from app.passes import (
    BadSignatureError,
    PassFormatError,
    Revocation,
    UnknownKeyError,
    apply_delta,
    build_delta_list,
    build_full_list,
    encode_pass,
    generate_signing_key,
    parse_revocation_list,
    revocation_entry,
    verify_pass,
)
from app.passes.codec import text_to_cose
from app.passes.cose import sign1

from .conftest import make_claims

ISSUED = 1_780_000_000


def _history():
    # Version 1 revoked two passes, version 2 one more, version 3 two more.
    specs = [
        ("DN-2026-000001", 1, 1),
        ("DN-2026-000002", 3, 1),
        ("DN-2026-000003", 1, 2),
        ("DN-2026-004711", 1, 3),
        ("DN-2026-000005", 2, 3),
    ]
    return [Revocation(revocation_entry(p, s), v) for p, s, v in specs]


def test_entry_is_truncated_sha256_of_permit_and_sequence():
    expected = hashlib.sha256(b"DN-2026-004711|1").digest()[:16]
    assert revocation_entry("DN-2026-004711", 1) == expected
    assert len(expected) == 16
    assert revocation_entry("DN-2026-004711", 2) != expected


def test_full_list_round_trip(signing_key, keyset):
    data = build_full_list(_history(), 3, signing_key, ISSUED)
    parsed = parse_revocation_list(data, keyset)
    assert (parsed.version, parsed.base_version, parsed.issued_at) == (3, 0, ISSUED)
    assert not parsed.is_delta
    assert parsed.entries == {r.entry for r in _history()}
    assert parsed.kid == signing_key.kid


def test_payload_layout(signing_key):
    data = build_full_list(_history(), 3, signing_key, ISSUED)
    payload = cbor2.loads(cbor2.loads(data).value[2])
    assert set(payload) == {1, 2, 3, 4}
    assert payload[1] == 3 and payload[2] == ISSUED and payload[4] == 0
    assert payload[3] == sorted(payload[3])


def test_full_list_at_older_version_omits_later_entries(signing_key, keyset):
    parsed = parse_revocation_list(build_full_list(_history()[:3], 2, signing_key, 1), keyset)
    assert len(parsed.entries) == 3


def test_delta_contains_only_new_entries(signing_key, keyset):
    history = _history()
    delta = parse_revocation_list(build_delta_list(history, 1, 3, signing_key, ISSUED), keyset)
    assert delta.is_delta
    assert (delta.base_version, delta.version) == (1, 3)
    assert delta.entries == {r.entry for r in history if r.version > 1}
    assert not delta.entries & {r.entry for r in history if r.version <= 1}


def test_apply_delta_reaches_full_state(signing_key, keyset):
    history = _history()
    full_v1 = parse_revocation_list(build_full_list(history[:2], 1, signing_key, 1), keyset)
    delta = parse_revocation_list(build_delta_list(history, 1, 3, signing_key, 2), keyset)
    merged = apply_delta(full_v1, delta)
    full_v3 = parse_revocation_list(build_full_list(history, 3, signing_key, 2), keyset)
    assert (merged.version, merged.entries) == (3, full_v3.entries)
    assert not merged.is_delta


def test_apply_delta_with_gap_refused(signing_key, keyset):
    history = _history()
    full_v1 = parse_revocation_list(build_full_list(history[:2], 1, signing_key, 1), keyset)
    delta = parse_revocation_list(build_delta_list(history, 2, 3, signing_key, 2), keyset)
    with pytest.raises(ValueError, match="starts at version 2"):
        apply_delta(full_v1, delta)


def test_tampered_list_rejected(signing_key, keyset):
    data = build_full_list(_history(), 3, signing_key, ISSUED)
    outer = cbor2.loads(data).value
    payload = cbor2.loads(outer[2])
    payload[3] = payload[3][1:]  # quietly un-revoke one pass
    tampered = cbor2.dumps(cbor2.CBORTag(18, [outer[0], {}, cbor2.dumps(payload), outer[3]]))
    with pytest.raises(BadSignatureError):
        parse_revocation_list(tampered, keyset)
    flipped = bytearray(data)
    flipped[-70] ^= 0x01  # inside the payload's entries
    with pytest.raises(BadSignatureError):
        parse_revocation_list(bytes(flipped), keyset)


def test_list_from_unknown_key_rejected(keyset):
    stranger = generate_signing_key()
    with pytest.raises(UnknownKeyError):
        parse_revocation_list(build_full_list(_history(), 3, stranger, ISSUED), keyset)


def test_signed_pass_is_not_a_revocation_list(signing_key, keyset):
    cose = text_to_cose(encode_pass(make_claims(), signing_key))
    with pytest.raises(PassFormatError):
        parse_revocation_list(cose, keyset)


@pytest.mark.parametrize(
    "body",
    [
        {1: 1, 2: 0, 3: [b"x" * 15], 4: 0},
        {1: 1, 2: 0, 3: [b"x" * 16, b"x" * 16], 4: 0},
        {1: 1, 2: 0, 3: [], 4: 1},
        {1: 0, 2: 0, 3: [], 4: 0},
        {1: 1, 2: 0, 3: []},
    ],
)
def test_signed_but_malformed_list_rejected(signing_key, keyset, body):
    data = sign1(cbor2.dumps(body), signing_key.private_key, signing_key.kid)
    with pytest.raises(PassFormatError):
        parse_revocation_list(data, keyset)


def test_verify_pass_uses_parsed_list(signing_key, keyset):
    text = encode_pass(make_claims(), signing_key)
    revocations = parse_revocation_list(build_full_list(_history(), 3, signing_key, 1), keyset)
    verdict = verify_pass(text, keyset, revocations, today=date(2026, 6, 15))
    assert verdict.reason == "revoked"


def test_build_refuses_entries_newer_than_version(signing_key):
    with pytest.raises(ValueError):
        build_full_list(_history(), 2, signing_key, ISSUED)
