"""A software WebAuthn authenticator (ES256, "none" attestation) for API tests.

It builds the same JSON a browser's PublicKeyCredential.toJSON() gives, so the
server is tested with real signatures over real authenticator data.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40


def _b64(data: bytes) -> str:
    return bytes_to_base64url(data)


@dataclass
class Credential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    origin: str = "http://localhost:5000"
    credentials: list[Credential] = field(default_factory=list)
    aaguid: bytes = b"\x00" * 16

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            },
            separators=(",", ":"),
        ).encode()

    def create(
        self, options: dict[str, Any], origin: str | None = None, user_verified: bool = True
    ) -> dict[str, Any]:
        """Answer ``navigator.credentials.create`` for the options JSON."""
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose_key = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        cred = Credential(
            credential_id=secrets.token_bytes(16),
            private_key=key,
            rp_id=options["rp"]["id"],
            user_handle=base64url_to_bytes(options["user"]["id"]),
        )
        self.credentials.append(cred)
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if user_verified else 0)
        auth_data = (
            hashlib.sha256(cred.rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", cred.sign_count)
            + self.aaguid
            + struct.pack(">H", len(cred.credential_id))
            + cred.credential_id
            + cbor2.dumps(cose_key)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": _b64(cred.credential_id),
            "rawId": _b64(cred.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(client_data),
                "attestationObject": _b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(
        self,
        options: dict[str, Any],
        credential: Credential | None = None,
        origin: str | None = None,
        user_verified: bool = True,
    ) -> dict[str, Any]:
        """Answer ``navigator.credentials.get`` with a discoverable credential."""
        cred = credential or self.credentials[-1]
        cred.sign_count += 1
        flags = FLAG_UP | (FLAG_UV if user_verified else 0)
        auth_data = (
            hashlib.sha256(cred.rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", cred.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = cred.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": _b64(cred.credential_id),
            "rawId": _b64(cred.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(client_data),
                "authenticatorData": _b64(auth_data),
                "signature": _b64(signature),
                "userHandle": _b64(cred.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
