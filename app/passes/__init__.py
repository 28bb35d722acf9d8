"""Parking-pass format: signed CWT in COSE_Sign1, Base45 text, QR code.

Pure domain code (no HTTP, no database). The binding wire format is
specified in ``docs/pass-format.md``.
"""

from app.passes.claims import PassClaims, new_claims
from app.passes.codec import PREFIX, DecodedPass, decode_pass, encode_pass
from app.passes.errors import (
    BadSignatureError,
    CoseDecodeError,
    PassFormatError,
    UnknownKeyError,
)
from app.passes.keys import SigningKey, generate_signing_key, kid_for
from app.passes.keyset import (
    PublicKey,
    PublicKeySet,
    build_keyset,
    parse_keyset,
    public_key_record,
)
from app.passes.keystore import KeyStore
from app.passes.revocation import (
    Revocation,
    RevocationList,
    apply_delta,
    build_delta_list,
    build_full_list,
    parse_revocation_list,
    revocation_entry,
)
from app.passes.verify import Verdict, verify_pass

__all__ = [
    "PREFIX",
    "BadSignatureError",
    "CoseDecodeError",
    "DecodedPass",
    "KeyStore",
    "PassClaims",
    "PassFormatError",
    "PublicKey",
    "PublicKeySet",
    "Revocation",
    "RevocationList",
    "SigningKey",
    "UnknownKeyError",
    "Verdict",
    "apply_delta",
    "build_delta_list",
    "build_full_list",
    "build_keyset",
    "decode_pass",
    "encode_pass",
    "generate_signing_key",
    "kid_for",
    "new_claims",
    "parse_keyset",
    "parse_revocation_list",
    "public_key_record",
    "revocation_entry",
    "verify_pass",
]
