"""Defect reports for the clerks of the categories' departments: the queue and map,
one report with the reporter's contact (audit-logged), status changes with a public
comment, the moderation, merging duplicates and the photos."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import locale
from api.reports import OwnReportSchema, jpeg
from api.schemas import MAX_ID, file_response
from api.security import client_ip, require_user, roles_required
from app.errors import DomainError
from app.models import ReportPhoto
from app.reports import access, lifecycle, views, work
from app.reports.settings import COMMENT_MAX, VISIBILITIES

blp = Blueprint(
    "staff_reports", __name__, url_prefix="/api/staff/reports", description="Defect reports"
)

WORKING_ROLES = ("staff", "admin")


class ReporterSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["account", "email", "none"]))
    email = fields.String(required=True, allow_none=True)


class StaffReportSchema(OwnReportSchema):
    photos_public = fields.Boolean(required=True)
    source = fields.String(required=True, validate=validate.OneOf(["portal", "open311"]))
    next_statuses = fields.List(fields.String(), required=True)
    reporter = fields.Nested(
        ReporterSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Only when one report is opened (audit-logged)"},
    )


class QueueQuerySchema(Schema):
    status = fields.List(
        fields.String(validate=validate.OneOf(lifecycle.STATUSES)),
        load_default=list,
        metadata={"description": "Only these statuses (repeat for several)"},
    )
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))


class StatusInputSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(lifecycle.STAFF_STATUSES))
    comment = fields.String(
        load_default="",
        validate=validate.Length(max=COMMENT_MAX),
        metadata={"description": "Public: the reporter and the public list see it"},
    )


class ModerationInputSchema(Schema):
    visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    photos_public = fields.Boolean(load_default=False)


class MergeInputSchema(Schema):
    into_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    comment = fields.String(load_default="", validate=validate.Length(max=COMMENT_MAX))


def _worker():
    user = require_user()
    if not access.may_work(user):
        raise DomainError("forbidden", kind="forbidden")
    return user


@blp.route("", methods=["GET"])
@roles_required(*WORKING_ROLES)
@blp.arguments(QueueQuerySchema, location="query")
@blp.response(200, StaffReportSchema(many=True))
def report_queue(query: dict[str, Any]):
    """The reports of the signed-in clerk's departments, newest first (without the
    reporter's contact)."""
    lang = locale()
    found = work.queue(_worker(), query["status"], query.get("visibility"))
    known = views.related(found)
    return [views.staff(r, lang, with_reporter=False, known=known) for r in found]


@blp.route("/<int:report_id>", methods=["GET"])
@roles_required(*WORKING_ROLES)
@blp.response(200, StaffReportSchema)
def staff_report(report_id: int):
    """One report with the reporter's contact; the access is audit-logged."""
    report = work.open_report(_worker(), report_id, client_ip())
    return views.staff(report, locale(), with_reporter=True)


@blp.route("/<int:report_id>/status", methods=["POST"])
@roles_required(*WORKING_ROLES)
@blp.arguments(StatusInputSchema)
@blp.response(200, StaffReportSchema)
def change_status(data: dict[str, Any], report_id: int):
    """Set the status with a public comment; the reporter is told. 409
    ``report_transition_not_allowed`` for a change the lifecycle does not allow."""
    report = work.set_status(_worker(), report_id, data["status"], data["comment"], client_ip())
    return views.staff(report, locale(), with_reporter=False)


@blp.route("/<int:report_id>/moderation", methods=["POST"])
@roles_required(*WORKING_ROLES)
@blp.arguments(ModerationInputSchema)
@blp.response(200, StaffReportSchema)
def moderate(data: dict[str, Any], report_id: int):
    """Decide what the public sees: the report (``public``), nothing (``hidden``) or not
    yet (``pending``); the photos only with ``photos_public``."""
    report = work.moderate(
        _worker(), report_id, data["visibility"], data["photos_public"], client_ip()
    )
    return views.staff(report, locale(), with_reporter=False)


@blp.route("/<int:report_id>/merge", methods=["POST"])
@roles_required(*WORKING_ROLES)
@blp.arguments(MergeInputSchema)
@blp.response(200, StaffReportSchema)
def merge(data: dict[str, Any], report_id: int):
    """Close the report as a duplicate of ``into_id``; its reporter is told."""
    report = work.merge(_worker(), report_id, data["into_id"], data["comment"], client_ip())
    return views.staff(report, locale(), with_reporter=False)


@blp.route("/photos/<int:photo_id>", methods=["GET"])
@roles_required(*WORKING_ROLES)
@file_response(blp, ["image/jpeg"], "A photo of a report (JPEG without metadata)")
def staff_photo(photo_id: int):
    """A photo of a report of the clerk's departments (released or not)."""
    photo = ReportPhoto.get_or_none(ReportPhoto.id == photo_id)
    if photo is None:
        raise DomainError("not_found", kind="not_found")
    access.require_report(_worker(), photo.report_id)
    return jpeg(photo.data)
