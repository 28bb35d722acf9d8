"""P-256 signing keys and their key identifiers (kid)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.passes.cose import KID_LENGTH


@dataclass(frozen=True)
class SigningKey:
    """A private P-256 key together with its kid, ready to sign passes."""

    kid: bytes
    private_key: ec.EllipticCurvePrivateKey


def spki_der(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Return the SubjectPublicKeyInfo DER encoding (what WebCrypto imports as 'spki')."""
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def kid_for(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Return the kid: the first 8 bytes of SHA-256 over the SPKI DER of ``public_key``."""
    return hashlib.sha256(spki_der(public_key)).digest()[:KID_LENGTH]


def signing_key_from_private(private_key: ec.EllipticCurvePrivateKey) -> SigningKey:
    """Wrap an existing P-256 private key, computing its kid."""
    if not isinstance(private_key.curve, ec.SECP256R1):
        raise ValueError("pass keys must be P-256")
    return SigningKey(kid=kid_for(private_key.public_key()), private_key=private_key)


def generate_signing_key() -> SigningKey:
    """Generate a fresh P-256 signing key."""
    return signing_key_from_private(ec.generate_private_key(ec.SECP256R1()))


def private_key_to_pem(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """Serialise a private key as unencrypted PKCS#8 PEM (protect it with file permissions)."""
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def private_key_from_pem(pem: bytes) -> ec.EllipticCurvePrivateKey:
    """Load a PKCS#8 PEM private key and check that it is a P-256 key."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("pass keys must be P-256")
    return key


def public_key_from_spki(der: bytes) -> ec.EllipticCurvePublicKey:
    """Load a SubjectPublicKeyInfo DER public key and check that it is a P-256 key."""
    key = serialization.load_der_public_key(der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("pass keys must be P-256")
    return key
