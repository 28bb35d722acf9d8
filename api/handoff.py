"""Hand-off deliveries for staff: per case, the console's list, and "send again".

Clerks see the deliveries of the applications of their areas, administrators all. A
delivery holds no personal data (target, state, the receiver's case number, reasons),
so reading one is not an access to personal data; sending again is audit-logged.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import locale
from api.schemas import ErrorSchema, UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit
from app.applications import queue
from app.errors import DomainError
from app.handoff import outbox, states
from app.handoff.fit_connect import simulator
from app.models import Application, HandoffDelivery

blp = Blueprint(
    "handoff",
    __name__,
    url_prefix="/api/staff",
    description="Hand-off of applications to specialist systems",
)
STAFF = ("staff", "admin")
PAGE_SIZE = 50
# The console's filters: what needs a look.
FILTERS = {"failed": ("failed",), "rejected": ("rejected",), "open": states.OPEN}


class HandoffSchema(Schema):
    id = fields.Integer(required=True)
    target_id = fields.String(required=True)
    label = fields.String(
        required=True, metadata={"description": "The target's label in the reader's language"}
    )
    backend = fields.String(required=True)
    moment = fields.String(required=True, metadata={"description": "submitted, paid or decided"})
    state = fields.String(
        required=True,
        metadata={
            "description": "pending, sending, waiting (retry later), sent (waiting for the "
            "receiver's acknowledgement), delivered, accepted, rejected, failed"
        },
    )
    round = fields.Integer(required=True, metadata={"description": "1, then +1 per send again"})
    attempts = fields.Integer(required=True, metadata={"description": "attempts of this round"})
    next_attempt_at = UtcDateTime(required=True, allow_none=True)
    remote_id = fields.String(
        required=True,
        metadata={"description": "The receiver's id: case number, submission id, Message-ID"},
    )
    problems = fields.List(
        fields.String(), required=True, metadata={"description": "What a rejecting receiver found"}
    )
    last_error = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    sent_at = UtcDateTime(required=True, allow_none=True)
    finished_at = UtcDateTime(required=True, allow_none=True)
    can_retry = fields.Boolean(required=True)
    test_mode = fields.Boolean(
        required=True,
        metadata={
            "description": "Delivered to a simulated receiver (the demo's built-in "
            "FIT-Connect destination): shown as Testmodus, nothing reached a real system"
        },
    )


class HandoffListItemSchema(HandoffSchema):
    application_id = fields.String(required=True)
    reference = fields.String(required=True, allow_none=True)
    service_id = fields.String(required=True)


class HandoffPageSchema(Schema):
    items = fields.List(fields.Nested(HandoffListItemSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)


class HandoffQuerySchema(Schema):
    state = fields.String(
        validate=validate.OneOf(sorted(FILTERS)),
        metadata={"description": "failed, rejected or open (on their way); default: all three"},
    )
    service_id = fields.String(validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


def _label(row: HandoffDelivery, lang: str) -> str:
    label = row.label or {}
    return label.get(lang) or label.get("de") or row.target_id


def delivery_dict(row: HandoffDelivery, lang: str) -> dict[str, Any]:
    """A delivery as staff see it."""
    return {
        "id": row.id,
        "target_id": row.target_id,
        "label": _label(row, lang),
        "backend": row.backend,
        "moment": row.moment,
        "state": row.state,
        "round": row.round,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "remote_id": row.remote_id,
        "problems": list(row.problems or []),
        "last_error": row.last_error,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
        "finished_at": row.finished_at,
        "can_retry": row.state in states.RETRYABLE,
        "test_mode": row.backend == "fit_connect"
        and simulator.is_simulated(row.remote_id or "", row.progress),
    }


@blp.route("/applications/<string:application_id>/handoffs", methods=["GET"])
@roles_required(*STAFF)
@blp.response(200, HandoffSchema(many=True))
@blp.alt_response(404, schema=ErrorSchema, description="No such case in the reader's areas")
def application_handoffs(application_id: str):
    """The hand-off deliveries of one case (by id or reference), in target order."""
    application = queue.entitled_to(require_user(), application_id)
    lang = locale()
    rows = HandoffDelivery.select().where(HandoffDelivery.application == application.id)
    return [delivery_dict(row, lang) for row in rows.order_by(HandoffDelivery.id)]


def _entitled_delivery(delivery_id: int) -> HandoffDelivery:
    row = HandoffDelivery.get_or_none(HandoffDelivery.id == delivery_id)
    if row is None or not queue.may_work_on(require_user(), row.application):
        # Not entitled looks the same as not there.
        raise DomainError("not_found", kind="not_found")
    return row


@blp.route("/handoffs/<int:delivery_id>/retry", methods=["POST"])
@roles_required(*STAFF)
@blp.response(200, HandoffSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such delivery in the reader's areas")
@blp.alt_response(
    409, schema=ErrorSchema, description="Only failed or rejected deliveries can be sent again"
)
def retry(delivery_id: int):
    """Send a failed or rejected delivery again: a new round with a new idempotency
    key, the target's settings from the service's published version."""
    row = _entitled_delivery(delivery_id)
    user = require_user()
    try:
        row = outbox.retry(row, user)
    except outbox.RetryRefused:
        raise DomainError("handoff_not_retryable", kind="conflict") from None
    audit.record(
        "handoff_sent_again",
        user,
        "application",
        row.application_id,
        client_ip(),
        target_id=row.target_id,
        round=row.round,
    )
    return delivery_dict(HandoffDelivery.get_by_id(row.id), locale())


@blp.route("/handoffs", methods=["GET"])
@roles_required(*STAFF)
@blp.arguments(HandoffQuerySchema(), location="query")
@blp.response(200, HandoffPageSchema)
def list_handoffs(query: dict[str, Any]):
    """Deliveries that need a look (failed, rejected, still on their way), newest
    change first, 50 a page; clerks see those of their areas."""
    wanted = FILTERS.get(query.get("state", ""), states.RETRYABLE + states.OPEN)
    condition = HandoffDelivery.state.in_(wanted)
    if query.get("service_id"):
        condition &= HandoffDelivery.service_id == query["service_id"]
    areas = queue.areas_of(require_user())
    if areas is not None:
        condition &= Application.area.in_(areas or [""])
    base = (
        HandoffDelivery.select(HandoffDelivery, Application.reference)
        .join(Application)
        .where(condition)
    )
    total = base.count()
    page = query["page"]
    rows = (
        base.order_by(HandoffDelivery.updated_at.desc(), HandoffDelivery.id.desc())
        .paginate(page, PAGE_SIZE)
        .objects()
    )
    lang = locale()
    items = [
        delivery_dict(row, lang)
        | {
            "application_id": row.application_id,
            "reference": row.reference,
            "service_id": row.service_id,
        }
        for row in rows
    ]
    return {"items": items, "total": total, "page": page}
