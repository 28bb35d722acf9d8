"""Public documents for pass scanners: the key set and the signed revocation list.

Formats: docs/pass-format.md (sections 7 and 8). Both are public (no sign-in), may be
fetched by other cities' scanners from other origins, and are cacheable: send the
``ETag`` back in ``If-None-Match`` and get ``304`` while nothing changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.parking import keys, revocation

blp = Blueprint(
    "passes",
    __name__,
    url_prefix="/api/passes",
    description="Parking pass key set and revocation list (public, for scanners)",
)

KEYSET_MAX_AGE = 300
REVOCATION_MAX_AGE = 60


class RevocationQuerySchema(Schema):
    since = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=2**53 - 1),
        metadata={"description": "The version the device holds; answer: a delta from it."},
    )


def _public(response: Response, etag: str, max_age: int) -> Response:
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = f"public, max-age={max_age}, must-revalidate"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, X-Revocation-Version, X-Revocation-Base-Version"
    )
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _not_modified(etag: str) -> bool:
    return request.if_none_match.contains_weak(etag)


@blp.route("/keyset", methods=["GET"])
@blp.doc(
    responses={
        200: {"description": "The key set JSON (docs/pass-format.md, section 7)"},
        304: {"description": "Not modified"},
    }
)
def keyset():
    """The public keys that verify passes: the current key and still-valid retired keys."""
    document: dict[str, Any] = keys.keyset()
    stable = {k: v for k, v in document.items() if k != "issued_at"}
    etag = hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:32]
    if _not_modified(etag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(
            json.dumps(document, ensure_ascii=False, indent=1) + "\n",
            mimetype="application/json",
        )
    return _public(response, etag, KEYSET_MAX_AGE)


@blp.route("/revocations", methods=["GET"])
@blp.arguments(RevocationQuerySchema, location="query")
@blp.doc(
    responses={
        200: {
            "description": "The signed list as COSE_Sign1 bytes (docs/pass-format.md, section 8)",
            "content": {"application/cose": {}},
        },
        304: {"description": "Not modified"},
    }
)
def revocations(query: dict[str, Any]):
    """The signed revocation list: full, or only what changed since ``since``.

    A device at an older version gets a delta (``base_version`` = ``since``); a device
    at the current or an unknown version gets the full list. ``X-Revocation-Version``
    and ``X-Revocation-Base-Version`` repeat the signed values for convenience.
    """
    signed = revocation.signed_list(query["since"])
    if _not_modified(signed.etag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(signed.body, mimetype="application/cose")
    response.headers["X-Revocation-Version"] = str(signed.version)
    response.headers["X-Revocation-Base-Version"] = str(signed.base_version)
    return _public(response, signed.etag, REVOCATION_MAX_AGE)
