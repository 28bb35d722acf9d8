"""The keys of a FIT-Connect exchange and the checks they must pass.

A destination publishes one RSA public key to encrypt for (``encryptionKid``): RSA
4096 bit, ``alg`` ``RSA-OAEP-256``, ``key_ops`` ``wrapKey``. In production that key
comes with its certificate chain (``x5c``) up to a root the city trusts
(``FIT_CONNECT_TRUST_ANCHORS``); a key that fails a check is never used, because the
citizen's data would be readable by whoever slipped it in.

Event-log entries are signed (``PS512``): those of the Submission Service with a key
from its JSON Web Key Set, those of the receiving system with a signature key of the
destination (``key_ops`` ``verify``).
"""

from __future__ import annotations

import base64
import datetime
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

ENCRYPTION_ALG = "RSA-OAEP-256"
SIGNATURE_ALG = "PS512"
MIN_RSA_BITS = 4096


class KeyRefused(Exception):
    """A key that must not be used; the message names the check (no key material)."""


def _rsa_public(data: Mapping[str, Any]) -> jwk.JWK:
    if data.get("kty") != "RSA":
        raise KeyRefused("not an RSA key")
    if any(name in data for name in ("d", "p", "q", "dp", "dq", "qi")):
        raise KeyRefused("a private key was published")
    try:
        key = jwk.JWK(**dict(data))
    except (ValueError, TypeError, jwk.InvalidJWKValue) as exc:
        raise KeyRefused("not a valid JSON Web Key") from exc
    if _numbers(key).n.bit_length() < MIN_RSA_BITS:
        raise KeyRefused(f"shorter than {MIN_RSA_BITS} bit")
    return key


def _number(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def _numbers(key: jwk.JWK) -> rsa.RSAPublicNumbers:
    public = key.export_public(as_dict=True)
    return rsa.RSAPublicNumbers(e=_number(public["e"]), n=_number(public["n"]))


def encryption_key(
    data: Mapping[str, Any],
    kid: str,
    *,
    require_certificate: bool,
    trust_anchors: Sequence[x509.Certificate] = (),
    now: datetime.datetime | None = None,
) -> jwk.JWK:
    """The destination's public encryption key ``data`` (a JWK) after every check, or
    :class:`KeyRefused`."""
    if data.get("kid") != kid:
        raise KeyRefused("its kid is not the destination's encryptionKid")
    if data.get("alg") != ENCRYPTION_ALG:
        raise KeyRefused(f"alg is not {ENCRYPTION_ALG}")
    if list(data.get("key_ops") or []) != ["wrapKey"]:
        raise KeyRefused("key_ops is not [wrapKey]")
    key = _rsa_public(data)
    chain = data.get("x5c") or []
    # Outside production a chain is checked when there is something to check it against.
    if require_certificate or (chain and trust_anchors):
        check_chain(key, chain, trust_anchors, now=now, usage="key_encipherment")
    return key


def signature_key(
    data: Mapping[str, Any],
    kid: str,
    *,
    require_certificate: bool = False,
    trust_anchors: Sequence[x509.Certificate] = (),
    now: datetime.datetime | None = None,
) -> jwk.JWK:
    """A public key that checks event-log signatures, or :class:`KeyRefused`.

    With ``require_certificate`` (a receiving system's key, in production) the key must
    come with a chain (``x5c``) to one of ``trust_anchors`` that certifies it for
    signing; outside production a chain is checked when there is something to check
    it against, as for the encryption key."""
    if data.get("kid") != kid:
        raise KeyRefused("its kid is not the one the event names")
    if data.get("alg") not in (None, SIGNATURE_ALG):
        raise KeyRefused(f"alg is not {SIGNATURE_ALG}")
    ops = data.get("key_ops")
    if ops is not None and "verify" not in ops:
        raise KeyRefused("key_ops has no verify")
    if data.get("use") not in (None, "sig"):
        raise KeyRefused("use is not sig")
    key = _rsa_public(dict(data, key_ops=["verify"]))
    chain = data.get("x5c") or []
    if require_certificate or (chain and trust_anchors):
        check_chain(key, chain, trust_anchors, now=now, usage="digital_signature")
    return key


def check_chain(
    key: jwk.JWK,
    chain: Sequence[str],
    trust_anchors: Sequence[x509.Certificate],
    *,
    now: datetime.datetime | None = None,
    usage: str = "key_encipherment",
) -> None:
    """``chain`` (``x5c``: base64 DER, the key's own certificate first) is valid now,
    each certificate issued by the next, the last by one of ``trust_anchors`` (or one
    of them), and the first certifies exactly ``key`` for ``usage`` (a
    :class:`~cryptography.x509.KeyUsage` attribute: ``key_encipherment`` for an
    encryption key, ``digital_signature`` for a signature key).

    Every issuer, the trust anchor included, must be a certification authority
    (BasicConstraints ``cA``, KeyUsage ``keyCertSign``) whose path length allows the
    authorities below it: otherwise anyone holding an ordinary certificate of the
    PKI could certify a key of their own.
    """
    if not chain:
        raise KeyRefused("no certificate chain (x5c)")
    if not trust_anchors:
        raise KeyRefused("no trust anchors to check the certificate chain against")
    try:
        certificates = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in chain]
    except ValueError as exc:
        raise KeyRefused("the certificate chain cannot be read") from exc
    moment = now or datetime.datetime.now(datetime.UTC)
    for certificate in certificates:
        if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
            raise KeyRefused("a certificate of the chain is not valid now")
    leaf = certificates[0]
    leaf_key = leaf.public_key()
    if not isinstance(leaf_key, rsa.RSAPublicKey) or leaf_key.public_numbers() != _numbers(key):
        raise KeyRefused("the certificate is not the key's")
    _check_leaf_usage(leaf, usage)
    for below, (child, parent) in enumerate(itertools.pairwise(certificates)):
        _issued_by(child, parent, below)
    last = certificates[-1]
    below = len(certificates) - 1
    for anchor in trust_anchors:
        if last.fingerprint(last.signature_hash_algorithm) == anchor.fingerprint(
            last.signature_hash_algorithm
        ):
            return
        try:
            _issued_by(last, anchor, below)
            return
        except KeyRefused:
            continue
    raise KeyRefused("the certificate chain does not end at a trusted root")


def _check_leaf_usage(leaf: x509.Certificate, usage: str) -> None:
    try:
        key_usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise KeyRefused(f"the key's certificate has no key usage {usage}") from None
    if not getattr(key_usage, usage):
        raise KeyRefused(f"the key's certificate has no key usage {usage}")


def _check_authority(parent: x509.Certificate, below: int) -> None:
    """``parent`` may issue a certificate that has ``below`` intermediate
    authorities under it (0: the key's own certificate)."""
    try:
        constraints = parent.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise KeyRefused("a certificate of the chain is signed by one that is no authority")
    try:
        key_usage = parent.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        key_usage = None
    if key_usage is None or not key_usage.key_cert_sign:
        raise KeyRefused("a certificate of the chain is signed by one without keyCertSign")
    if constraints.path_length is not None and below > constraints.path_length:
        raise KeyRefused("the certificate chain is longer than an authority's path length")


def _issued_by(child: x509.Certificate, parent: x509.Certificate, below: int) -> None:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise KeyRefused("a certificate of the chain is not signed by the next") from exc
    _check_authority(parent, below)


def load_trust_anchors(path: str) -> list[x509.Certificate]:
    """The PEM certificates in the file at ``path`` (empty path: none)."""
    if not path:
        return []
    with open(path, "rb") as handle:
        return x509.load_pem_x509_certificates(handle.read())
