"""COSE_Sign1 (RFC 9052) with ES256, restricted to what the pass format needs.

Only one shape is accepted: tag 18 around ``[protected bstr, {}, payload bstr,
signature bstr]`` whose protected header is exactly ``{1: -7, 4: kid}``.
Everything else is rejected with :class:`CoseDecodeError`, so that every pass
has exactly one valid byte representation and a scanner never has to guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from app.passes.errors import CoseDecodeError

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_ES256 = -7
KID_LENGTH = 8
# P-256 scalars are 32 bytes; WebCrypto expects r || s without DER wrapping.
COORD_LENGTH = 32
SIGNATURE_LENGTH = 2 * COORD_LENGTH


@dataclass(frozen=True)
class Sign1:
    """A decoded COSE_Sign1 message. ``protected`` is kept as the exact signed bytes."""

    protected: bytes
    kid: bytes
    payload: bytes
    signature: bytes

    def to_be_signed(self) -> bytes:
        """Return the Sig_structure bytes the signature covers."""
        return sig_structure(self.protected, self.payload)


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """Encode ``["Signature1", protected, b"", payload]`` (RFC 9052, section 4.4)."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def protected_header(kid: bytes) -> bytes:
    """Encode the protected header ``{1: -7, 4: kid}`` as CBOR bytes."""
    if len(kid) != KID_LENGTH:
        raise ValueError(f"kid must be {KID_LENGTH} bytes")
    return cbor2.dumps({HEADER_ALG: ALG_ES256, HEADER_KID: kid})


def sign1(payload: bytes, private_key: ec.EllipticCurvePrivateKey, kid: bytes) -> bytes:
    """Sign ``payload`` with ES256 and return the tagged COSE_Sign1 bytes."""
    if not isinstance(private_key.curve, ec.SECP256R1):
        raise ValueError("ES256 needs a P-256 key")
    protected = protected_header(kid)
    der = private_key.sign(sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(COORD_LENGTH, "big") + s.to_bytes(COORD_LENGTH, "big")
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def strict_loads(data: bytes, what: str) -> object:
    """Decode one CBOR item that fills ``data`` exactly, in preferred encoding.

    Rejects indefinite lengths, duplicate map keys, overlong length heads and
    trailing bytes with :class:`CoseDecodeError` (``what`` names the item in the message).
    """
    try:
        value = cbor2.loads(data, allow_indefinite=False, allow_duplicate_keys=False, max_depth=8)
    except Exception as exc:
        # cbor2's built-in semantic tag decoders (dates, decimals, regexes, ...) raise
        # assorted exception types on hostile input; all of them mean "malformed".
        raise CoseDecodeError(f"{what}: not valid CBOR") from exc
    # cbor2 silently ignores trailing bytes and accepts overlong heads; re-encoding
    # and comparing rejects both and keeps the encoding unique.
    try:
        canonical = cbor2.dumps(value)
    except Exception as exc:
        raise CoseDecodeError(f"{what}: unsupported CBOR content") from exc
    if canonical != data:
        raise CoseDecodeError(f"{what}: trailing bytes or non-preferred CBOR encoding")
    return value


def decode_sign1(data: bytes) -> Sign1:
    """Strictly decode tagged COSE_Sign1 bytes without checking the signature.

    Raises :class:`CoseDecodeError` on a wrong tag, a wrong number of elements,
    non-bytes elements, a non-empty unprotected header, an algorithm other than
    ES256, a kid that is not 8 bytes, extra header parameters or trailing bytes.
    """
    if not isinstance(data, bytes | bytearray):
        raise CoseDecodeError("COSE_Sign1: expected bytes")
    outer = strict_loads(bytes(data), "COSE_Sign1")
    if not isinstance(outer, cbor2.CBORTag) or outer.tag != COSE_SIGN1_TAG:
        raise CoseDecodeError("COSE_Sign1: missing tag 18")
    items = outer.value
    if not isinstance(items, list | tuple) or len(items) != 4:
        raise CoseDecodeError("COSE_Sign1: expected an array of 4 elements")
    protected, unprotected, payload, signature = items
    if not all(isinstance(x, bytes) for x in (protected, payload, signature)):
        raise CoseDecodeError("COSE_Sign1: protected, payload and signature must be byte strings")
    # Unprotected parameters are not covered by the signature; allowing them would
    # let anyone alter a pass's bytes without invalidating it.
    if not isinstance(unprotected, Mapping) or unprotected:
        raise CoseDecodeError("COSE_Sign1: unprotected header must be an empty map")
    if len(signature) != SIGNATURE_LENGTH:
        raise CoseDecodeError("COSE_Sign1: ES256 signature must be 64 bytes")
    header = strict_loads(protected, "protected header")
    if not isinstance(header, Mapping) or set(header) != {HEADER_ALG, HEADER_KID}:
        raise CoseDecodeError("protected header: expected exactly alg (1) and kid (4)")
    alg = header[HEADER_ALG]
    if type(alg) is not int or alg != ALG_ES256:
        raise CoseDecodeError("protected header: alg must be ES256 (-7)")
    kid = header[HEADER_KID]
    if not isinstance(kid, bytes) or len(kid) != KID_LENGTH:
        raise CoseDecodeError(f"protected header: kid must be {KID_LENGTH} bytes")
    return Sign1(protected=protected, kid=kid, payload=payload, signature=signature)


def verify_signature(message: Sign1, public_key: ec.EllipticCurvePublicKey) -> bool:
    """Return True when ``message.signature`` is a valid ES256 signature by ``public_key``."""
    if not isinstance(public_key.curve, ec.SECP256R1) or len(message.signature) != SIGNATURE_LENGTH:
        return False
    r = int.from_bytes(message.signature[:COORD_LENGTH], "big")
    s = int.from_bytes(message.signature[COORD_LENGTH:], "big")
    try:
        public_key.verify(
            encode_dss_signature(r, s), message.to_be_signed(), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        return False
    return True
