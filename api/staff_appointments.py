"""The Bürgerbüro's staff: the day plan per counter, marks at the counter (arrived, done,
no-show), blocked times, and the utilisation and no-show figures for the console.

Staff of the area ``buergerbuero`` and admins work here; the figures (numbers only) are
also open to the role ``statistics``. Opening a day plan (names and addresses) is
recorded in the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.appointments import DAY_RANGE, ZonedInstant, utc_naive
from api.errors import locale
from api.schemas import MAX_ID, ErrorSchema, UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit
from app.appointments import booking, catalogue, lifecycle, staff
from app.appointments.slots import local_day
from app.db import utcnow
from app.errors import DomainError, FieldError
from app.models import Appointment, AppointmentBlock

blp = Blueprint(
    "staff_appointments",
    __name__,
    url_prefix="/api/staff/appointments",
    description="Bürgerbüro day plans",
)

WORKING_ROLES = ("staff", "admin")
MAX_FIGURE_DAYS = 366


class AppointmentCounterSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    active = fields.Boolean(required=True)


class AppointmentPlanQuerySchema(Schema):
    day = fields.Date(required=True, validate=DAY_RANGE)
    counter_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))


class AppointmentPlanEntrySchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(lifecycle.STATUSES))
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    services = fields.List(
        fields.String(), required=True, metadata={"description": "Names of the counter services"}
    )
    actions = fields.List(
        fields.String(validate=validate.OneOf(lifecycle.STAFF_MARKS)), required=True
    )


class AppointmentBlockSchema(Schema):
    id = fields.Integer(required=True)
    counter_id = fields.Integer(required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    reason = fields.String(required=True)


class AppointmentPlanSchema(Schema):
    day = fields.Date(required=True)
    counter = fields.Nested(AppointmentCounterSchema, required=True)
    appointments = fields.List(fields.Nested(AppointmentPlanEntrySchema), required=True)
    blocks = fields.List(fields.Nested(AppointmentBlockSchema), required=True)


class AppointmentMarkSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(lifecycle.STAFF_MARKS))


class AppointmentBlockInSchema(Schema):
    counter_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    starts_at = ZonedInstant(required=True)
    ends_at = ZonedInstant(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class AppointmentFiguresQuerySchema(Schema):
    first = fields.Date(load_default=None, validate=DAY_RANGE)
    last = fields.Date(load_default=None, validate=DAY_RANGE)


class AppointmentRatesSchema(Schema):
    open_minutes = fields.Integer(required=True)
    booked_minutes = fields.Integer(required=True)
    utilisation = fields.Float(required=True, metadata={"description": "Booked / open minutes"})
    appointments = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    no_show_rate = fields.Float(
        required=True, metadata={"description": "No-shows / (done + no-shows)"}
    )


class AppointmentCounterRatesSchema(AppointmentRatesSchema):
    counter = fields.String(required=True)


class AppointmentFiguresSchema(Schema):
    first = fields.Date(required=True)
    last = fields.Date(required=True)
    total = fields.Nested(AppointmentRatesSchema, required=True)
    counters = fields.List(fields.Nested(AppointmentCounterRatesSchema), required=True)


def _worker():
    return staff.require_worker(require_user())


def _counter_dict(counter) -> dict[str, Any]:
    return {"id": counter.id, "name": counter.name, "active": counter.active}


def _service_names(slugs: list[str]) -> list[str]:
    lang = locale()
    by_slug = {s.slug: s for s in catalogue.services(active_only=False)}
    return [catalogue.service_dict(by_slug[s], lang)["name"] if s in by_slug else s for s in slugs]


def _entry(appointment: Appointment) -> dict[str, Any]:
    return {
        "id": appointment.id,
        "reference": appointment.reference,
        "status": appointment.status,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "name": appointment.name,
        "email": appointment.email,
        "services": _service_names(appointment.service_slugs),
        "actions": [
            a for a in lifecycle.allowed_actions(appointment.status) if a in lifecycle.STAFF_MARKS
        ],
    }


def _block_dict(found: AppointmentBlock) -> dict[str, Any]:
    return {
        "id": found.id,
        "counter_id": found.counter_id,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "reason": found.reason,
    }


@blp.route("/counters", methods=["GET"])
@roles_required(*WORKING_ROLES)
@blp.response(200, AppointmentCounterSchema(many=True))
def counters():
    """The Bürgerbüro's counters."""
    _worker()
    return [_counter_dict(c) for c in catalogue.counters()]


@blp.route("/plan", methods=["GET"])
@roles_required(*WORKING_ROLES)
@blp.arguments(AppointmentPlanQuerySchema, location="query")
@blp.response(200, AppointmentPlanSchema)
def plan(query: dict[str, Any]):
    """One counter's day: bookings by time with the marks allowed, and blocked times
    (audit-logged: the plan shows names and addresses)."""
    user = _worker()
    counter = staff.counter(query["counter_id"])
    found = staff.day_plan(query["day"], counter.id)
    audit.record(
        "appointments_plan_viewed",
        user,
        "appointment_counter",
        counter.id,
        client_ip(),
        day=query["day"].isoformat(),
    )
    return {
        "day": query["day"],
        "counter": _counter_dict(counter),
        "appointments": [_entry(a) for a in found["appointments"]],
        "blocks": [_block_dict(b) for b in found["blocks"]],
    }


@blp.route("/<int:appointment_id>/mark", methods=["POST"])
@roles_required(*WORKING_ROLES)
@blp.arguments(AppointmentMarkSchema)
@blp.response(200, AppointmentPlanEntrySchema)
@blp.alt_response(409, schema=ErrorSchema, description="Not allowed from the current status")
def mark(data: dict[str, Any], appointment_id: int):
    """Mark a booking arrived, done or no-show (by the lifecycle table)."""
    user = _worker()
    found = staff.get(appointment_id)
    if local_day(found.starts_at) > local_day(utcnow()):
        # A slip of the finger on a later day's plan must not mark anyone.
        raise DomainError("appointment_transition", kind="conflict", current=found.status)
    changed = booking.change_status(found, data["action"], current_app.config)
    audit.record(
        "appointment_marked", user, "appointment", found.id, client_ip(), mark=data["action"]
    )
    return _entry(changed)


@blp.route("/blocks", methods=["POST"])
@roles_required(*WORKING_ROLES)
@blp.arguments(AppointmentBlockInSchema)
@blp.response(201, AppointmentBlockSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Bookings or a block in that time")
def create_block(data: dict[str, Any]):
    """Block a time on one counter's calendar (refused where bookings lie)."""
    user = _worker()
    found = staff.block(
        data["counter_id"],
        utc_naive(data["starts_at"]),
        utc_naive(data["ends_at"]),
        data["reason"],
        user,
    )
    audit.record("appointment_block_created", user, "appointment_block", found.id, client_ip())
    return _block_dict(found)


@blp.route("/blocks/<int:block_id>", methods=["DELETE"])
@roles_required(*WORKING_ROLES)
@blp.response(204)
def delete_block(block_id: int):
    """Give a blocked time back to the calendar."""
    user = _worker()
    staff.unblock(block_id)
    audit.record("appointment_block_deleted", user, "appointment_block", block_id, client_ip())
    return ""


@blp.route("/figures", methods=["GET"])
@roles_required("staff", "admin", "statistics")
@blp.arguments(AppointmentFiguresQuerySchema, location="query")
@blp.response(200, AppointmentFiguresSchema)
def figures(query: dict[str, Any]):
    """Utilisation and no-show rate between two days (default: the last 30 days)."""
    user = require_user()
    if user.role == "staff":
        staff.require_worker(user)
    today = local_day(utcnow())
    last = query["last"] or today
    first = query["first"] or last - timedelta(days=29)
    if first > last or (last - first).days >= MAX_FIGURE_DAYS:
        raise DomainError("invalid_input", field_errors=[FieldError("first", "invalid_value")])
    return staff.figures(first, last)


# --- console: the Bürgerbüro's configuration ----------------------------------------

admin_blp = Blueprint(
    "admin_appointments",
    __name__,
    url_prefix="/api/admin/appointments",
    description="Bürgerbüro configuration",
)

HHMM = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
SLUG = validate.Regexp(r"^[a-z0-9_]{1,64}$")


class AppointmentOpeningSchema(Schema):
    weekday = fields.Integer(
        required=True, validate=validate.Range(min=0, max=6), metadata={"description": "0 = Monday"}
    )
    opens = fields.String(required=True, validate=HHMM, metadata={"description": "Local HH:MM"})
    closes = fields.String(required=True, validate=HHMM, metadata={"description": "Local HH:MM"})


class AppointmentClosingDaySchema(Schema):
    day = fields.Date(required=True, validate=DAY_RANGE)
    reason_de = fields.String(required=True, validate=validate.Length(min=1, max=200))
    reason_en = fields.String(required=True, validate=validate.Length(min=1, max=200))


class AppointmentServiceConfigSchema(Schema):
    slug = fields.String(required=True, validate=SLUG)
    name_de = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=240))
    counters = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        required=True,
        validate=validate.Length(min=1, max=50),
    )
    online_service = fields.String(load_default=None, allow_none=True, validate=SLUG)


class AppointmentConfigurationSchema(Schema):
    counters = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        required=True,
        validate=validate.Length(min=1, max=50),
    )
    opening_hours = fields.List(
        fields.Nested(AppointmentOpeningSchema), required=True, validate=validate.Length(max=50)
    )
    closing_days = fields.List(
        fields.Nested(AppointmentClosingDaySchema),
        required=True,
        validate=validate.Length(max=400),
        metadata={"description": "The city's own; NRW public holidays are added"},
    )
    services = fields.List(
        fields.Nested(AppointmentServiceConfigSchema),
        required=True,
        validate=validate.Length(min=1, max=100),
    )


@admin_blp.route("/configuration", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, AppointmentConfigurationSchema)
def configuration():
    """Counters, counter services, opening hours and closing days."""
    return catalogue.export()


@admin_blp.route("/configuration", methods=["PUT"])
@roles_required("admin")
@admin_blp.arguments(AppointmentConfigurationSchema)
@admin_blp.response(200, AppointmentConfigurationSchema)
def change_configuration(data: dict[str, Any]):
    """Replace the configuration (audit-logged); the public holidays of NRW of this year
    and the next are added as closing days. Existing bookings stay."""
    year = local_day(utcnow()).year
    catalogue.load(data, (year, year + 1))
    audit.record(
        "appointment_configuration_changed", require_user(), "appointments", "", client_ip()
    )
    return catalogue.export()
