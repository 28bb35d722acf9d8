"""The console's start page: what needs an admin's attention (admin)."""

from __future__ import annotations

from dataclasses import asdict

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from api.security import roles_required
from app.console import attention

blp = Blueprint(
    "admin_overview", __name__, url_prefix="/api/admin/overview", description="Console (admin)"
)


class OverviewSchema(Schema):
    open_feedback = fields.Integer(required=True, metadata={"description": "Not yet handled"})
    failed_mails = fields.Integer(
        required=True, metadata={"description": "Notification mails given up, last 14 days"}
    )
    failed_pushes = fields.Integer(
        required=True, metadata={"description": "Push messages given up, last 14 days"}
    )
    draft_services = fields.Integer(
        required=True, metadata={"description": "Service versions being drafted"}
    )
    service_problems = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Stored versions naming plugins this installation lacks"},
    )
    total = fields.Integer(required=True, metadata={"description": "Everything that waits"})


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.response(200, OverviewSchema)
def overview():
    """What needs attention now."""
    found = attention.attention()
    return asdict(found) | {"total": found.total}
