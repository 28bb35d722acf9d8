"""Liveness and readiness for the reverse proxy and monitoring."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app import migrations
from app.db import db

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Health")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()
    pending_migrations = fields.List(fields.String())


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema)
def health():
    """Whether the database answers and the schema is current."""
    pending = migrations.pending(db.obj)
    return {
        "status": "ok" if not pending else "degraded",
        "database": "ok",
        "pending_migrations": pending,
    }
