"""Pass text form: ``BPA1:`` + Base45 (RFC 9285) of the COSE_Sign1 bytes."""

from __future__ import annotations

from dataclasses import dataclass

import base45

from app.passes.claims import PassClaims
from app.passes.cose import Sign1, decode_sign1, sign1
from app.passes.errors import PassFormatError
from app.passes.keys import SigningKey

PREFIX = "BPA1:"
_BASE45_ALPHABET = frozenset(base45.BASE45_CHARSET)


@dataclass(frozen=True)
class DecodedPass:
    """A pass taken apart but NOT authenticated: check the signature before trusting it."""

    message: Sign1
    claims: PassClaims

    @property
    def kid(self) -> bytes:
        """Key identifier from the protected header."""
        return self.message.kid


def encode_pass(claims: PassClaims, signing_key: SigningKey) -> str:
    """Sign ``claims`` and return the pass text ``BPA1:<Base45>``."""
    cose = sign1(claims.to_payload(), signing_key.private_key, signing_key.kid)
    return PREFIX + base45.b45encode(cose).decode("ascii")


def text_to_cose(text: str) -> bytes:
    """Strip the prefix and Base45-decode; raises :class:`PassFormatError`."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise PassFormatError(f"pass text must start with {PREFIX}")
    body = text[len(PREFIX) :]
    # The base45 package tolerates a trailing newline; the format does not.
    if not body or not _BASE45_ALPHABET.issuperset(body):
        raise PassFormatError("pass text contains characters outside the Base45 alphabet")
    try:
        return base45.b45decode(body)
    except ValueError as exc:
        raise PassFormatError("pass text is not valid Base45") from exc


def unwrap_pass(text: str) -> Sign1:
    """Turn pass text into its COSE_Sign1 message (no signature check)."""
    return decode_sign1(text_to_cose(text))


def decode_pass(text: str) -> DecodedPass:
    """Decode pass text into message and claims WITHOUT verifying the signature.

    Use :func:`app.passes.verify.verify_pass` to decide whether a pass is valid.
    Raises :class:`PassFormatError` for anything that is not a well-formed pass.
    """
    message = unwrap_pass(text)
    return DecodedPass(message=message, claims=PassClaims.from_payload(message.payload))
