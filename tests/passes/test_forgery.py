"""Tampering with a signed pass never yields a valid verdict."""

import random
from collections import Counter
from datetime import date

import base45
import cbor2

from app.passes import PREFIX, encode_pass, verify_pass
from app.passes.codec import text_to_cose

from .conftest import FOUR_PLATES, make_claims

TODAY = date(2026, 6, 15)
RANDOM_MUTATIONS = 3000
SEED = 20260428
REJECTIONS = {"malformed", "forged", "unknown_key"}


def _verdict(cose: bytes, keyset):
    return verify_pass(PREFIX + base45.b45encode(cose).decode(), keyset, today=TODAY)


def test_every_single_bit_flip_is_rejected(signing_key, keyset):
    original = text_to_cose(encode_pass(make_claims(plates=FOUR_PLATES), signing_key))
    assert _verdict(original, keyset).valid  # the untouched pass is fine
    reasons = Counter()
    for position in range(len(original) * 8):
        mutated = bytearray(original)
        mutated[position // 8] ^= 1 << (position % 8)
        verdict = _verdict(bytes(mutated), keyset)
        assert not verdict.valid, f"bit {position} flipped still verifies"
        reasons[verdict.reason] += 1
    assert set(reasons) <= REJECTIONS
    # Flips inside payload/signature must be caught by the signature, not only by parsing.
    assert reasons["forged"] > len(original) * 4


def test_random_bit_flips_and_byte_substitutions_are_rejected(signing_key, keyset):
    rng = random.Random(SEED)
    original = text_to_cose(encode_pass(make_claims(), signing_key))
    reasons = Counter()
    for i in range(RANDOM_MUTATIONS):
        mutated = bytearray(original)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(mutated))
            if i % 2:
                mutated[position] ^= 1 << rng.randrange(8)
            else:
                mutated[position] = rng.choice([b for b in range(256) if b != original[position]])
        if bytes(mutated) == original:
            continue
        verdict = _verdict(bytes(mutated), keyset)
        assert not verdict.valid, f"mutation {i} still verifies: {mutated.hex()}"
        reasons[verdict.reason] += 1
    assert set(reasons) <= REJECTIONS
    assert sum(reasons.values()) >= RANDOM_MUTATIONS - 5


def test_text_level_substitutions_are_rejected(signing_key, keyset):
    rng = random.Random(SEED + 1)
    text = encode_pass(make_claims(), signing_key)
    alphabet = base45.BASE45_CHARSET
    for _ in range(500):
        position = rng.randrange(len(PREFIX), len(text))
        char = rng.choice([c for c in alphabet if c != text[position]])
        mutated = text[:position] + char + text[position + 1 :]
        assert not verify_pass(mutated, keyset, today=TODAY).valid


def test_payload_swapped_between_two_genuine_passes_is_forged(signing_key, keyset):
    a = cbor2.loads(text_to_cose(encode_pass(make_claims(zone="A"), signing_key)))
    b = cbor2.loads(text_to_cose(encode_pass(make_claims(zone="B"), signing_key)))
    spliced = cbor2.dumps(cbor2.CBORTag(18, [a.value[0], {}, b.value[2], a.value[3]]))
    assert _verdict(spliced, keyset).reason == "forged"
