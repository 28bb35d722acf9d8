"""The city's street directory (admin): what is in use, and importing the official list.

The import takes the CSV as a ``text/csv`` body or a ``file`` upload. ``preview``
reports what would change (added, removed, renamed, changed) and changes nothing;
``import`` applies the same file atomically, refused when another import came first.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.errors import DomainError, FieldError
from app.service_definitions import search_streets
from app.service_definitions.streets import current_version_id, default_directory
from app.street_directory import importing

blp = Blueprint(
    "admin_streets",
    __name__,
    url_prefix="/api/admin/streets",
    description="The city's street directory and the import of its official list (admin)",
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class DirectoryQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DirectoryStreetSchema(Schema):
    name = fields.String()
    postal_code = fields.String()
    ranges = fields.List(fields.List(fields.Integer()))


class StreetImportSummarySchema(Schema):
    added = fields.Integer()
    removed = fields.Integer()
    renamed = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()
    total = fields.Integer()


class StreetImportVersionSchema(Schema):
    id = fields.Integer()
    file_name = fields.String()
    street_count = fields.Integer()
    summary = fields.Nested(StreetImportSummarySchema)
    created_at = UtcDateTime()
    created_by = fields.String(allow_none=True)


class DirectorySchema(Schema):
    city = fields.String()
    source = fields.String(metadata={"description": "import | shipped"})
    version = fields.Integer(allow_none=True)
    street_count = fields.Integer()
    streets = fields.List(fields.Nested(DirectoryStreetSchema))
    imports = fields.List(fields.Nested(StreetImportVersionSchema))


class StreetShapeSchema(Schema):
    postal_code = fields.String()
    ranges = fields.List(fields.List(fields.Integer()))


class StreetChangeSchema(Schema):
    name = fields.String()
    before = fields.Nested(StreetShapeSchema)
    after = fields.Nested(StreetShapeSchema)


class StreetRenameSchema(Schema):
    before = fields.String()
    after = fields.String()


class StreetImportReportSchema(Schema):
    base_version = fields.Integer(
        allow_none=True, metadata={"description": "send back as base_version to apply"}
    )
    added = fields.List(fields.String())
    removed = fields.List(fields.String())
    renamed = fields.List(fields.Nested(StreetRenameSchema))
    changed = fields.List(fields.Nested(StreetChangeSchema))
    unchanged = fields.Integer()
    total = fields.Integer()
    parking_ranges_left = fields.List(
        fields.String(), metadata={"description": "removed streets that still lie in a zone"}
    )


class StreetImportAppliedSchema(StreetImportReportSchema):
    version = fields.Nested(StreetImportVersionSchema)


class StreetImportQuerySchema(Schema):
    base_version = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "the preview's base_version; omitted: the shipped list"},
    )
    file_name = fields.String(load_default="", validate=validate.Length(max=200))


def _csv_upload() -> tuple[str, str]:
    """The uploaded CSV as text, and its file name."""
    upload = request.files.get("file")
    if upload is not None:
        raw, name = upload.read(MAX_UPLOAD_BYTES + 1), upload.filename or ""
    elif request.mimetype in ("text/csv", "text/plain", "application/csv"):
        raw, name = request.get_data(), ""
    else:
        raise DomainError("unsupported_media_type", kind="invalid")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("file", "streets_csv_too_large", {"max_mb": 2})],
        )
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError:
        # Office programs in Germany save CSV as Windows-1252.
        return raw.decode("cp1252", errors="replace"), name


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.arguments(DirectoryQuerySchema, location="query")
@blp.response(200, DirectorySchema)
def directory(query: dict[str, Any]):
    """The directory in use (streets matching ``q``) and the latest imports."""
    current = default_directory()
    found = (
        search_streets(query["q"], limit=query["limit"])
        if query["q"].strip()
        else list(current.streets[: query["limit"]])
    )
    version = current_version_id()
    return {
        "city": current.city,
        "source": "shipped" if version is None else "import",
        "version": version,
        "street_count": len(current.streets),
        "streets": [
            {
                "name": s.name,
                "postal_code": s.postal_code,
                "ranges": [[r.first, r.last] for r in s.ranges],
            }
            for s in found
        ],
        "imports": [importing.version_dict(v) for v in importing.history()],
    }


@blp.route("/import/preview", methods=["POST"])
@roles_required("admin")
@blp.response(200, StreetImportReportSchema)
def preview_import():
    """What importing this CSV would change; nothing is stored.

    Columns (``;`` or ``,``): ``strasse``, ``plz``, ``von``, ``bis``, optional
    ``schluessel`` (street code: renames are recognised by it) and ``zone``; one line
    per house-number range. Problems are named by line and column, in German and English.
    """
    text, _ = _csv_upload()
    result = importing.preview(text)
    return {"base_version": result.base_version, **result.report}


@blp.route("/import", methods=["POST"])
@roles_required("admin")
@blp.arguments(StreetImportQuerySchema, location="query")
@blp.response(200, StreetImportAppliedSchema)
def apply_import(query: dict[str, Any]):
    """Apply the CSV as the new street directory, all of it or nothing (audit-logged).

    Refused with 409 when the directory changed since the preview (``base_version``).
    """
    text, name = _csv_upload()
    version, result = importing.apply(
        text,
        require_user(),
        file_name=name or query["file_name"],
        base_version=query["base_version"],
        check_base=True,
        ip=client_ip(),
    )
    return {
        "base_version": result.base_version,
        **result.report,
        "version": importing.version_dict(version),
    }
