"""Defect reports (Mängelmelder) for citizens and the public: the categories and the
map's settings, filing a report (signed in or anonymous, with photos), the public list
and map, the reporter's own reports; and the admins' categories and Open311 keys."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import idempotency_key
from api.errors import locale
from api.limits import limiter
from api.schemas import UtcDateTime, file_response
from api.security import client_ip, current_user, require_user, roles_required
from app.db import utcnow
from app.errors import DomainError, FieldError
from app.reports import (
    api_keys,
    categories,
    erasure,
    lifecycle,
    public,
    submit,
    tracking,
    views,
)
from app.reports.settings import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    VISIBILITIES,
    map_settings,
)

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Defect reports")
admin_blp = Blueprint(
    "admin_reports", __name__, url_prefix="/api/admin/reports", description="Defect reports"
)

CODE = validate.Regexp(r"^[a-z0-9_]{1,40}$")


class MapConfigSchema(Schema):
    tile_url = fields.String(required=True, metadata={"description": "{z}/{x}/{y} template"})
    attribution = fields.String(required=True)
    bbox = fields.List(
        fields.Float(), required=True, metadata={"description": "south, west, north, east"}
    )
    center = fields.List(fields.Float(), required=True)
    max_photos = fields.Integer(required=True)
    personal_data_days = fields.Integer(
        required=True,
        metadata={"description": "Days after a report is closed until the reporter's data goes"},
    )


class CategorySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Open311 service_code"})
    name = fields.String(required=True)
    description = fields.String(required=True)
    group = fields.String(required=True)


class CategoriesQuerySchema(Schema):
    withdrawn = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also the withdrawn categories (to name what waits in a device's "
            "outbox, refused because its category was withdrawn)"
        },
    )


class ReportFormSchema(Schema):
    category = fields.String(required=True, validate=validate.Length(max=40))
    description = fields.String(required=True, validate=validate.Length(max=DESCRIPTION_MAX))
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    address = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={"description": "Anonymous reporters: where updates go (optional)"},
    )


class FiledSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(lifecycle.STATUSES))
    token = fields.String(required=True, metadata={"description": "Open311 token"})
    tracking_token = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Anonymous reporters: opens /api/reports/track/{token}"},
    )


class HistorySchema(Schema):
    status = fields.String(required=True)
    comment = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class PublicReportSchema(Schema):
    id = fields.Integer(required=True)
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    department = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(lifecycle.STATUSES))
    open311_status = fields.String(required=True, validate=validate.OneOf(["open", "closed"]))
    street = fields.String(required=True)
    lat = fields.Float(required=True, allow_none=True, metadata={"description": "Rounded"})
    lon = fields.Float(required=True, allow_none=True, metadata={"description": "Rounded"})
    description = fields.String(required=True)
    public_comment = fields.String(required=True)
    photo_ids = fields.List(fields.Integer(), required=True)
    duplicate_of = fields.Integer(required=True, allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class OwnReportSchema(PublicReportSchema):
    address = fields.String(required=True)
    visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    history = fields.List(fields.Nested(HistorySchema), required=True)


class PublicQuerySchema(Schema):
    category = fields.String(validate=validate.Length(max=40))
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
    after = fields.String(
        validate=validate.Length(max=200),
        metadata={
            "description": "Cursor: the `next` of the page before (opaque). Without it, "
            "the first page. An unknown cursor is a field error on `after`."
        },
    )
    limit = fields.Integer(
        load_default=public.PAGE_SIZE,
        validate=validate.Range(min=1, max=public.MAX_PAGE_SIZE),
        metadata={"description": "Reports per page"},
    )


class PublicReportPageSchema(Schema):
    items = fields.List(fields.Nested(PublicReportSchema), required=True)
    next = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Cursor of the next page, to send as `after`; null on the last "
            "page. Keyset on (created, id): reports added meanwhile do not shift it."
        },
    )


class AdminCategorySchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name_de = fields.String(required=True)
    name_en = fields.String(required=True)
    description_de = fields.String(required=True)
    description_en = fields.String(required=True)
    group = fields.String(required=True)
    keywords = fields.String(required=True)
    department = fields.String(required=True, metadata={"description": "Staff area"})
    position = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class AdminCategoryInputSchema(Schema):
    name_de = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=100))
    description_de = fields.String(load_default="", validate=validate.Length(max=500))
    description_en = fields.String(load_default="", validate=validate.Length(max=500))
    group = fields.String(load_default="", validate=validate.Length(max=100))
    keywords = fields.String(load_default="", validate=validate.Length(max=300))
    department = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_-]{1,40}$"))
    position = fields.Integer(load_default=0, validate=validate.Range(0, 1000))
    active = fields.Boolean(load_default=True)


class KeyInputSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class KeySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "The key's first letters"})
    created_at = UtcDateTime(required=True)
    last_used_at = UtcDateTime(required=True, allow_none=True)
    revoked_at = UtcDateTime(required=True, allow_none=True)


class NewKeySchema(KeySchema):
    key = fields.String(required=True, metadata={"description": "Shown this once"})


def _settings():
    return map_settings(current_app.config)


def filed_view(filed: submit.Filed) -> dict[str, Any]:
    """The answer to a new report (the same for its retries)."""
    report = filed.report
    anonymous = report.reporter_id is None
    return {
        "id": report.id,
        "status": report.status,
        "token": report.token,
        "tracking_token": (
            tracking.token_for(report, current_app.config["SECRET_KEY"]) if anonymous else None
        ),
    }


def photos_of_request() -> list[bytes]:
    """The uploaded photos (multipart field ``photos``, repeated), read up to the limit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"] + 1
    return [upload.read(limit) for upload in request.files.getlist("photos")]


@blp.route("/config", methods=["GET"])
@blp.response(200, MapConfigSchema)
def map_config():
    """The map's tile server, attribution and the city's extent."""
    found = _settings()
    return {
        "tile_url": found.tile_url,
        "attribution": found.attribution,
        "bbox": list(found.bbox),
        "center": list(found.center()),
        "max_photos": MAX_PHOTOS,
        "personal_data_days": erasure.keep_days(current_app.config),
    }


@blp.route("/categories", methods=["GET"])
@blp.arguments(CategoriesQuerySchema, location="query")
@blp.response(200, CategorySchema(many=True))
def category_list(query: dict[str, Any]):
    """The categories a citizen can choose, in the request's language (with
    ``withdrawn``, the withdrawn ones too)."""
    lang = locale()
    return [
        {
            "code": c.code,
            "name": categories.name(c, lang),
            "description": c.description_en if lang == "en" else c.description_de,
            "group": c.group,
        }
        for c in categories.listed(active_only=not query["withdrawn"])
    ]


@blp.route("", methods=["POST"])
# Per client address: several people behind one mobile network's address may report.
@limiter.limit("20 per hour; 100 per day")
@blp.arguments(ReportFormSchema, location="form")
@blp.response(201, FiledSchema)
@blp.alt_response(200, schema=FiledSchema, description="A retry: the report made before")
def file_report(data: dict[str, Any]):
    """File a defect report (multipart form; photos in the repeated field ``photos``,
    up to three). Signed in or anonymous with an optional e-mail address for updates.
    Send ``Idempotency-Key``: a retry answers 200 with the same report."""
    filed = submit.file(
        submit.NewReport(**data, photos=photos_of_request(), locale=locale()),
        current_user(),
        _settings(),
        idempotency_key(),
    )
    return filed_view(filed), 201 if filed.created else 200


@blp.route("", methods=["GET"])
@blp.arguments(PublicQuerySchema, location="query")
@blp.response(200, PublicReportPageSchema)
def public_list(query: dict[str, Any]):
    """A page of the released reports of the last 90 days, newest first (no reporter,
    rough location); pass ``next`` as ``after`` for the next page."""
    filters = public.Filters(
        service_codes=(query["category"],) if query.get("category") else (),
        open311_status=(query["status"],) if query.get("status") else (),
    )
    lang = locale()
    found, after = public.page(filters, utcnow(), query.get("after"), query["limit"])
    known = views.related(found, with_history=False)
    return {"items": [views.public(r, lang, known) for r in found], "next": after}


@blp.route("/mine", methods=["GET"])
@roles_required("citizen")
@blp.response(200, OwnReportSchema(many=True))
def my_reports():
    """The signed-in citizen's reports with their history."""
    lang = locale()
    found = public.own(require_user())
    known = views.related(found)
    return [views.own(r, lang, known) for r in found]


@blp.route("/track/<string:tracking_token>", methods=["GET"])
@limiter.limit("60 per hour")
@blp.response(200, OwnReportSchema)
def tracked_report(tracking_token: str):
    """An anonymous reporter's report, by the link from their mail."""
    report = tracking.find(tracking_token[:100], current_app.config["SECRET_KEY"])
    if report is None:
        raise DomainError("not_found", kind="not_found")
    return views.own(report, locale())


@blp.route("/<int:report_id>", methods=["GET"])
@blp.response(200, PublicReportSchema)
def public_report(report_id: int):
    """One released report."""
    report = public.released(report_id)
    if report is None:
        raise DomainError("not_found", kind="not_found")
    return views.public(report, locale())


@blp.route("/photos/<int:photo_id>", methods=["GET"])
@file_response(blp, ["image/jpeg"], "A released photo (JPEG without metadata)")
def public_photo(photo_id: int):
    """A photo the moderation released."""
    photo = public.public_photo(photo_id)
    if photo is None:
        raise DomainError("not_found", kind="not_found")
    return jpeg(photo.data)


def jpeg(data: bytes) -> Response:
    """A stored photo as an answer."""
    response = Response(bytes(data), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- admins: categories and Open311 keys ------------------------------------------


@admin_blp.route("/categories", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, AdminCategorySchema(many=True))
def admin_categories():
    """Every category, active or not."""
    return [categories.as_dict(c) for c in categories.listed(active_only=False)]


@admin_blp.route("/categories/<string:code>", methods=["PUT"])
@roles_required("admin")
@admin_blp.arguments(AdminCategoryInputSchema)
@admin_blp.response(200, AdminCategorySchema)
def admin_save_category(data: dict[str, Any], code: str):
    """Create or change the category ``code`` (its Open311 service_code: lower-case
    letters, digits, underscores); every field is set as sent."""
    if not CODE.regex.match(code):
        raise DomainError("invalid_input", field_errors=[FieldError("code", "invalid_format")])
    return categories.as_dict(categories.save(code, data))


@admin_blp.route("/open311-keys", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, KeySchema(many=True))
def admin_keys():
    """The Open311 apps' keys (never the keys themselves)."""
    return api_keys.listed()


@admin_blp.route("/open311-keys", methods=["POST"])
@roles_required("admin")
@admin_blp.arguments(KeyInputSchema)
@admin_blp.response(201, NewKeySchema)
def admin_new_key(data: dict[str, Any]):
    """A new key for an Open311 app; the answer shows it this once."""
    row, key = api_keys.create(require_user(), data["name"], client_ip())
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at,
        "last_used_at": row.last_used_at,
        "revoked_at": row.revoked_at,
        "key": key,
    }


@admin_blp.route("/open311-keys/<int:key_id>/revoke", methods=["POST"])
@roles_required("admin")
@admin_blp.response(200, KeySchema)
def admin_revoke_key(key_id: int):
    """Revoke a key; apps using it are refused from now on."""
    row = api_keys.revoke(require_user(), key_id, client_ip())
    if row is None:
        raise DomainError("not_found", kind="not_found")
    return row
