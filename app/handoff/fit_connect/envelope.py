"""The encrypted parts of a submission and its metadata.

Data set, attachments and metadata each travel as a JWE in compact serialisation,
encrypted for the destination's key: ``alg`` ``RSA-OAEP-256``, ``enc`` ``A256GCM``,
``kid`` of the key, no compression. The metadata (FIT-Connect metadata schema, version
1.x) describe the content: the data set's schema and SHA-512 hash, each attachment
with id, purpose, file name, media type and SHA-512 hash (of the plain bytes), the
public service (LeiKa/FIM identifier and name) and the reply channel.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from jwcrypto import jwe, jwk

from app.handoff.fit_connect.keys import ENCRYPTION_ALG

CONTENT_ENCRYPTION = "A256GCM"
# Metadata versions this sender writes, best first (the fields used exist in all).
METADATA_VERSIONS = ("1.2.0", "1.1.0", "1.0.0")
METADATA_SCHEMA = "https://schema.fitko.de/fit-connect/metadata/{version}/metadata.schema.json"


def encrypt(payload: bytes, key: jwk.JWK, kid: str, content_type: str = "") -> str:
    """``payload`` as a compact JWE for ``key``."""
    header: dict[str, str] = {"alg": ENCRYPTION_ALG, "enc": CONTENT_ENCRYPTION, "kid": kid}
    if content_type:
        header["cty"] = content_type
    token = jwe.JWE(payload, protected=json.dumps(header, separators=(",", ":")))
    token.add_recipient(key)
    return token.serialize(compact=True)


def authentication_tag(compact: str) -> str:
    """The last part of a compact JWE (the receiver's accept event quotes it)."""
    return compact.rsplit(".", 1)[-1]


def sha512(content: bytes) -> dict[str, str]:
    """A metadata hash object."""
    return {"type": "sha512", "content": hashlib.sha512(content).hexdigest()}


def metadata_version(offered: Iterable[str] | None) -> str | None:
    """The metadata version to write for a destination that supports ``offered``
    (None: it names none, the newest we write), or None when there is no common one."""
    offered = list(offered or [])
    if not offered:
        return METADATA_VERSIONS[0]
    for version in METADATA_VERSIONS:
        if version in offered:
            return version
    return None


def metadata(
    *,
    version: str,
    data: bytes,
    schema_uri: str,
    attachments: Iterable[Mapping[str, Any]],
    service_identifier: str,
    service_name: str,
    reply_email: str = "",
) -> dict[str, Any]:
    """The submission's metadata. ``attachments``: dicts with ``attachmentId``,
    ``purpose``, ``filename``, ``mimeType``, ``sha512`` (hex, of the plain bytes) and
    optionally ``description``."""
    described = []
    for item in attachments:
        entry = {
            "hash": {"type": "sha512", "content": item["sha512"]},
            "purpose": item["purpose"],
            "filename": item["filename"],
            "mimeType": item["mimeType"],
            "attachmentId": item["attachmentId"],
        }
        if item.get("description"):
            entry["description"] = item["description"]
        described.append(entry)
    found: dict[str, Any] = {
        "$schema": METADATA_SCHEMA.format(version=version),
        "contentStructure": {
            "data": {
                "hash": sha512(data),
                "submissionSchema": {"schemaUri": schema_uri, "mimeType": "application/json"},
            },
            "attachments": described,
        },
        "publicServiceType": {"identifier": service_identifier},
    }
    if service_name:
        found["publicServiceType"]["name"] = service_name
    if reply_email:
        found["replyChannel"] = {"eMail": {"address": reply_email}}
    return found
