"""The treasury's refund transfers: pain.001 files of notice refunds (staff)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from api.downloads import private_download
from api.payments import require_treasury
from api.schemas import UtcDateTime, file_response
from api.security import client_ip
from app.accounts import audit
from app.errors import DomainError
from app.models import NoticeRefund, RefundExport
from app.payments import refunds

blp = Blueprint(
    "refund_exports",
    __name__,
    url_prefix="/api/staff/payments/refund-exports",
    description="Refund transfers (treasury)",
)


class RefundExportSchema(Schema):
    id = fields.Integer(required=True)
    message_id = fields.String(required=True)
    pain_schema = fields.String(required=True)
    refund_count = fields.Integer(required=True)
    total_cents = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    file_url = fields.String(required=True)


class RefundOverviewSchema(Schema):
    waiting_for_account = fields.Integer(
        required=True, metadata={"description": "Refunds whose citizen has not named an account"}
    )
    ready = fields.Integer(required=True, metadata={"description": "Refunds the next file sends"})
    ready_cents = fields.Integer(required=True)
    exports = fields.List(fields.Nested(RefundExportSchema), required=True)


def _export_dict(record: RefundExport) -> dict[str, Any]:
    return {
        "id": record.id,
        "message_id": record.message_id,
        "pain_schema": record.pain_schema,
        "refund_count": record.refund_count,
        "total_cents": record.total_cents,
        "created_at": record.created_at,
        "file_url": f"/api/staff/payments/refund-exports/{record.id}/file",
    }


@blp.route("", methods=["GET"])
@blp.response(200, RefundOverviewSchema)
def overview():
    """Refunds waiting for an account or for the next file, and the files made so far."""
    require_treasury()
    open_rows = list(NoticeRefund.select().where(NoticeRefund.export.is_null()))
    ready = [row for row in open_rows if row.iban]
    made = RefundExport.select().order_by(RefundExport.id.desc()).limit(100)
    return {
        "waiting_for_account": sum(1 for row in open_rows if not row.iban),
        "ready": len(ready),
        "ready_cents": sum(row.amount_cents for row in ready),
        "exports": [_export_dict(record) for record in made],
    }


@blp.route("", methods=["POST"])
@blp.response(201, RefundExportSchema)
def create_export():
    """Transfer every refund that has an account: one pain.001 file, each refund once."""
    actor = require_treasury()
    export = refunds.export_due(current_app.config, actor)
    if export is None:
        raise DomainError("refund_nothing_due", kind="conflict")
    audit.record("refunds_exported", actor, "refund_export", export.record.id, client_ip())
    return _export_dict(export.record)


@blp.route("/<int:export_id>/file", methods=["GET"])
@file_response(blp, ["application/xml"], "The pain.001 file")
def export_file(export_id: int):
    """The pain.001 XML of a refund export."""
    actor = require_treasury()
    record = RefundExport.get_or_none(RefundExport.id == export_id)
    if record is None:
        raise DomainError("not_found", kind="not_found")
    audit.record("refund_export_downloaded", actor, "refund_export", record.id, client_ip())
    return private_download(
        refunds.export_path(current_app.config, record), "application/xml", record.file_name
    )
