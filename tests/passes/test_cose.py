"""COSE_Sign1 primitives: layout, WebCrypto signature form and strict decoding."""

import hashlib

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from app.passes.cose import (
    CoseDecodeError,
    decode_sign1,
    protected_header,
    sig_structure,
    sign1,
    verify_signature,
)
from app.passes.keys import kid_for, spki_der

PAYLOAD = cbor2.dumps({1: "DN"})


def _sign(signing_key, payload=PAYLOAD):
    return sign1(payload, signing_key.private_key, signing_key.kid)


def _tagged(items, tag=18):
    return cbor2.dumps(cbor2.CBORTag(tag, items))


def test_layout_is_tag18_with_protected_alg_and_kid(signing_key):
    outer = cbor2.loads(_sign(signing_key))
    assert outer.tag == 18
    protected, unprotected, payload, signature = outer.value
    assert cbor2.loads(protected) == {1: -7, 4: signing_key.kid}
    assert dict(unprotected) == {}
    assert payload == PAYLOAD
    assert len(signature) == 64


def test_kid_is_sha256_prefix_of_spki(signing_key):
    public_key = signing_key.private_key.public_key()
    assert signing_key.kid == hashlib.sha256(spki_der(public_key)).digest()[:8]
    assert kid_for(public_key) == signing_key.kid


def test_sig_structure_matches_rfc9052():
    protected = protected_header(b"\x01" * 8)
    expected = (
        b"\x84"  # array(4)
        + b"\x6aSignature1"
        + bytes([0x40 + len(protected)])
        + protected
        + b"\x40"  # empty external_aad
        + bytes([0x40 + len(b"abc")])
        + b"abc"
    )
    assert sig_structure(protected, b"abc") == expected


def test_signature_is_raw_r_s_over_sig_structure(signing_key):
    # A WebCrypto verifier sees exactly this: r||s and the Sig_structure bytes.
    message = decode_sign1(_sign(signing_key))
    r = int.from_bytes(message.signature[:32], "big")
    s = int.from_bytes(message.signature[32:], "big")
    signing_key.private_key.public_key().verify(
        encode_dss_signature(r, s),
        sig_structure(message.protected, PAYLOAD),
        ec.ECDSA(hashes.SHA256()),
    )


def test_round_trip_verifies(signing_key):
    message = decode_sign1(_sign(signing_key))
    assert message.kid == signing_key.kid
    assert message.payload == PAYLOAD
    assert verify_signature(message, signing_key.private_key.public_key())


def test_other_key_does_not_verify(signing_key):
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert not verify_signature(decode_sign1(_sign(signing_key)), other)


def _parts(signing_key):
    return list(cbor2.loads(_sign(signing_key)).value)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda p: _tagged(p, tag=98), id="wrong-tag"),
        pytest.param(lambda p: cbor2.dumps(p), id="untagged"),
        pytest.param(lambda p: _tagged(p[:3]), id="three-elements"),
        pytest.param(lambda p: _tagged([*p, b""]), id="five-elements"),
        pytest.param(lambda p: _tagged([p[0], p[1], "text", p[3]]), id="payload-not-bytes"),
        pytest.param(lambda p: _tagged([cbor2.loads(p[0]), *p[1:]]), id="protected-not-bytes"),
        pytest.param(lambda p: _tagged([p[0], {4: b"x" * 8}, *p[2:]]), id="unprotected-header"),
        pytest.param(lambda p: _tagged([*p[:3], p[3][:63]]), id="short-signature"),
        pytest.param(lambda p: _tagged(p) + b"\x00", id="trailing-byte"),
        pytest.param(lambda p: _tagged({1: p}), id="map-instead-of-array"),
        pytest.param(
            lambda p: _tagged([cbor2.dumps({1: -35, 4: cbor2.loads(p[0])[4]}), *p[1:]]),
            id="alg-es384",
        ),
        pytest.param(
            lambda p: _tagged([cbor2.dumps({1: -7, 4: b"short"}), *p[1:]]), id="kid-length"
        ),
        pytest.param(
            lambda p: _tagged([cbor2.dumps({**cbor2.loads(p[0]), 3: 61}), *p[1:]]),
            id="extra-protected-param",
        ),
        pytest.param(
            lambda p: _tagged([cbor2.dumps({4: cbor2.loads(p[0])[4]}), *p[1:]]), id="no-alg"
        ),
    ],
)
def test_strict_decoding_rejects(signing_key, mutate):
    with pytest.raises(CoseDecodeError):
        decode_sign1(mutate(_parts(signing_key)))


def test_rejects_indefinite_length_array(signing_key):
    data = _sign(signing_key)
    assert data[:2] == b"\xd2\x84"
    indefinite = b"\xd2\x9f" + data[2:] + b"\xff"
    with pytest.raises(CoseDecodeError):
        decode_sign1(indefinite)


def test_rejects_overlong_length_head(signing_key):
    # Same values, but the protected bstr length written in two bytes instead of one.
    data = _sign(signing_key)
    assert data[2] == 0x4D  # bstr(13)
    overlong = data[:2] + b"\x58\x0d" + data[3:]
    with pytest.raises(CoseDecodeError):
        decode_sign1(overlong)


@pytest.mark.parametrize("data", [b"", b"\xd2", b"\xff" * 10, "text"])
def test_rejects_garbage(data):
    with pytest.raises(CoseDecodeError):
        decode_sign1(data)
