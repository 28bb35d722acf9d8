"""Health for monitoring (``/api/health``) and reachability (``/api/health/live``).

``/api/health`` runs every registered check (``app.health_checks``: database, Redis,
worker, storage) and answers 200 when all passed, 503 naming those that failed.
``/api/health/live`` only says that this process answers: the PWA's "am I online?"
probe and a proxy's liveness check, which must not fail because a worker is away.
"""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app import health_checks

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Health")


class CheckSchema(Schema):
    status = fields.String(
        required=True, metadata={"enum": ["ok", "failed"], "description": "the check's result"}
    )
    reason = fields.String(
        allow_none=True,
        metadata={"description": "why it failed, or a note (worker: immediate), in a few words"},
    )


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "failed"]})
    checks = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(CheckSchema),
        required=True,
        metadata={"description": "each check by name: database, redis, worker, storage"},
    )
    failed = fields.List(
        fields.String(), required=True, metadata={"description": "the checks that failed"}
    )


class LiveSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema, description="Every check passed")
@blp.alt_response(503, schema=HealthSchema, description="At least one check failed")
def health():
    """Whether the database, Redis, the worker and the file storage are usable."""
    outcomes = health_checks.run_all()
    failed = [name for name, outcome in outcomes.items() if not outcome.ok]
    body = {
        "status": "failed" if failed else "ok",
        "checks": {
            name: {"status": "ok" if outcome.ok else "failed", "reason": outcome.reason}
            for name, outcome in outcomes.items()
        },
        "failed": failed,
    }
    return body, 503 if failed else 200


@blp.route("/live", methods=["GET"])
@blp.response(200, LiveSchema)
def live():
    """This process answers (no other part is asked)."""
    return {"status": "ok"}
