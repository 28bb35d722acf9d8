"""Retention (admin): the dry run — what the next daily run would delete per service and
how many defect reports' personal data it would erase — and the last runs."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from api.schemas import TextSchema, UtcDateTime
from api.security import roles_required
from app.retention import holds, runs

blp = Blueprint(
    "admin_retention",
    __name__,
    url_prefix="/api/admin/retention",
    description="Retention of applications (admin)",
)


class HeldBySchema(Schema):
    open_payment = fields.Integer(required=True)
    open_refund = fields.Integer(required=True)
    pending_handoff = fields.Integer(required=True)


class ServiceRetentionSchema(Schema):
    service_id = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    version = fields.Integer(
        required=True, metadata={"description": "The definition version the rule is read from"}
    )
    drafts_days = fields.Integer(required=True)
    closed_days = fields.Integer(required=True)
    defaulted = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Which of the two periods the definition leaves to defaults"},
    )
    drafts = fields.Integer(required=True, metadata={"description": "Drafts a run would delete"})
    closed = fields.Integer(
        required=True, metadata={"description": "Closed applications a run would delete"}
    )
    held = fields.Integer(required=True, metadata={"description": "Expired but kept by a hold"})
    held_by = fields.Nested(HeldBySchema, required=True)
    oldest = UtcDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the period of the longest-expired one started"},
    )


class RetentionRunSchema(Schema):
    id = fields.Integer(required=True)
    started_at = UtcDateTime(required=True)
    finished_at = UtcDateTime(
        required=True, allow_none=True, metadata={"description": "Empty: stopped half-way"}
    )
    started_by = fields.String(required=True, metadata={"description": "schedule or cli"})
    deleted_drafts = fields.Integer(required=True)
    deleted_closed = fields.Integer(required=True)
    held = fields.Integer(required=True)
    erased_reports = fields.Integer(
        required=True, metadata={"description": "Defect reports whose reporter's data it erased"}
    )


class ReportsRetentionSchema(Schema):
    days = fields.Integer(
        required=True,
        metadata={"description": "Days after a report is over until its reporter's data goes"},
    )
    due = fields.Integer(required=True, metadata={"description": "Reports a run would erase"})
    oldest = UtcDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the longest-closed of them was closed"},
    )


class RetentionReportSchema(Schema):
    services = fields.List(fields.Nested(ServiceRetentionSchema), required=True)
    reports = fields.Nested(
        ReportsRetentionSchema,
        required=True,
        metadata={"description": "Defect reports: the reporter's data, erased after closing"},
    )
    runs = fields.List(
        fields.Nested(RetentionRunSchema), required=True, metadata={"description": "Newest first"}
    )


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.response(200, RetentionReportSchema)
def retention_report():
    """What the next run would delete per service, and how many defect reports' personal
    data it would erase (a dry run: nothing is deleted)."""
    services = [
        {
            "service_id": entry.rule.service_id,
            "title": entry.rule.title,
            "version": entry.rule.version,
            "drafts_days": entry.rule.drafts_days,
            "closed_days": entry.rule.closed_days,
            "defaulted": list(entry.rule.defaulted),
            "drafts": entry.drafts,
            "closed": entry.closed,
            "held": entry.held,
            "held_by": {reason: entry.held_by.get(reason, 0) for reason in holds.REASONS},
            "oldest": entry.oldest,
        }
        for entry in runs.report()
    ]
    reports = runs.reports_report()
    return {
        "services": services,
        "reports": {"days": reports.days, "due": reports.erased, "oldest": reports.oldest},
        "runs": runs.last_runs(),
    }
