"""The built-in FIT-Connect destination of the demo ("Testmodus").

Outside production, when no ``FIT_CONNECT_SUBMISSION_URL`` is configured, a
``fit_connect`` target delivers here instead of to the Submission API: the data set,
every file and the metadata are encrypted exactly as for a real destination (a JWE for
the destination's public key, checked like a real one), then "received" by decrypting
them with the demo destination's private key and checking every hash the metadata
name, and accepted at once. Nothing leaves the portal. The delivery's remote id starts
with ``testmodus-`` and its progress says ``simulated``, so clerks see "Testmodus".

Production never simulates: a ``fit_connect`` target without configuration is a
problem when the definition is loaded there (``FitConnectBackend.check_target``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from jwcrypto import jwe, jwk

from app.handoff.base import Delivery, DeliveryFailed, Outcome
from app.handoff.fit_connect import envelope, keys

KID = "buergerportal-testmodus"
REMOTE_ID_PREFIX = "testmodus-"
# The demo destination offers the newest metadata version the sender writes.
METADATA_VERSION = envelope.METADATA_VERSIONS[0]

_key: jwk.JWK | None = None
_key_lock = threading.Lock()


def is_simulated(remote_id: str, progress: Mapping[str, Any] | None) -> bool:
    """Whether a delivery went to the built-in destination."""
    return bool((progress or {}).get("simulated")) or remote_id.startswith(REMOTE_ID_PREFIX)


def destination_key() -> jwk.JWK:
    """The demo destination's key pair (RSA 4096 like a real one), made once per
    process: only this process ever decrypts what was encrypted for it."""
    global _key
    with _key_lock:
        if _key is None:
            _key = jwk.JWK.generate(
                kty="RSA", size=keys.MIN_RSA_BITS, kid=KID, alg=keys.ENCRYPTION_ALG, use="enc"
            )
        return _key


def published_key() -> jwk.JWK:
    """The public encryption key as the demo destination publishes it, after the same
    checks a real destination's key must pass (no certificate: outside production)."""
    public = destination_key().export_public(as_dict=True)
    public.update(alg=keys.ENCRYPTION_ALG, key_ops=["wrapKey"])
    public.pop("use", None)
    return keys.encryption_key(public, KID, require_certificate=False)


def _open(compact: str, cty: str) -> bytes:
    token = jwe.JWE()
    token.deserialize(compact, key=destination_key())
    header = token.jose_header
    if header.get("alg") != keys.ENCRYPTION_ALG or header.get("enc") != (
        envelope.CONTENT_ENCRYPTION
    ):
        raise DeliveryFailed("FIT-Connect (Testmodus): unexpected encryption", retry=False)
    if header.get("kid") != KID or header.get("cty") != cty:
        raise DeliveryFailed("FIT-Connect (Testmodus): unexpected JWE header", retry=False)
    return token.payload


def _receive(metadata_jwe: str, data_jwe: str, attachments: Mapping[str, tuple[str, str]]) -> None:
    """What the receiving system does: decrypt everything and check every hash."""
    meta = json.loads(_open(metadata_jwe, "application/json"))
    data = _open(data_jwe, "application/json")
    structure = meta["contentStructure"]
    if structure["data"]["hash"]["content"] != hashlib.sha512(data).hexdigest():
        raise DeliveryFailed("FIT-Connect (Testmodus): the data set's hash differs", retry=False)
    described = {item["attachmentId"]: item for item in structure["attachments"]}
    if sorted(described) != sorted(attachments):
        raise DeliveryFailed(
            "FIT-Connect (Testmodus): the files differ from the described ones", retry=False
        )
    for attachment_id, (compact, media_type) in attachments.items():
        content = _open(compact, media_type)
        if described[attachment_id]["hash"]["content"] != hashlib.sha512(content).hexdigest():
            raise DeliveryFailed("FIT-Connect (Testmodus): a file's hash differs", retry=False)


def deliver(
    delivery: Delivery,
    document: Any,
    *,
    service_identifier: str,
    service_name: str,
    schema_uri: str,
) -> Outcome:
    """Encrypt ``document`` for the demo destination, receive and check it there, and
    answer ``accepted`` with a ``testmodus-`` remote id."""
    # First, so a delivery that fails here is shown as Testmodus too.
    delivery.record({"simulated": True})
    key = published_key()
    data_bytes = json.dumps(document.data, ensure_ascii=False, separators=(",", ":")).encode()
    encrypted: dict[str, tuple[str, str]] = {}
    described = []
    for attachment in document.attachments:
        content = attachment.read()
        if hashlib.sha256(content).hexdigest() != attachment.sha256:
            raise DeliveryFailed(
                "FIT-Connect: a stored file does not match its checksum", retry=False
            )
        attachment_id = str(uuid.uuid4())
        encrypted[attachment_id] = (
            envelope.encrypt(content, key, KID, attachment.media_type),
            attachment.media_type,
        )
        described.append(
            {
                "attachmentId": attachment_id,
                "purpose": "form" if attachment.kind == "receipt" else "attachment",
                "filename": attachment.filename,
                "mimeType": attachment.media_type,
                "sha512": hashlib.sha512(content).hexdigest(),
            }
        )
    meta = envelope.metadata(
        version=METADATA_VERSION,
        data=data_bytes,
        schema_uri=schema_uri,
        attachments=described,
        service_identifier=service_identifier,
        service_name=service_name,
    )
    metadata_jwe = envelope.encrypt(
        json.dumps(meta, ensure_ascii=False).encode(), key, KID, "application/json"
    )
    data_jwe = envelope.encrypt(data_bytes, key, KID, "application/json")
    _receive(metadata_jwe, data_jwe, encrypted)
    remote_id = f"{REMOTE_ID_PREFIX}{uuid.uuid4()}"
    delivery.record({"simulated": True, "submission_id": remote_id})
    return Outcome(
        "accepted",
        remote_id=remote_id,
        details={"simulated": True, "attachments": len(encrypted)},
    )
