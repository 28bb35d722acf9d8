"""Day-care places (Kita): the facilities the form offers, the parents' offers, the
allocation by clerks of the area and facility staff, and the facilities console."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import MAX_ID, UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit
from app.db import db
from app.errors import DomainError
from app.kita import access, answers, confirmation, facilities, offers, ranking
from app.kita.offers_table import STATUSES
from app.kita.settings import AGE_GROUPS, FACILITY_ROLE, WEEKLY_HOURS
from app.models import User

blp = Blueprint("kita", __name__, url_prefix="/api/kita", description="Day-care places")
staff_blp = Blueprint(
    "staff_kita", __name__, url_prefix="/api/staff/kita", description="Day-care allocation"
)
admin_blp = Blueprint(
    "admin_kita", __name__, url_prefix="/api/admin/kita", description="Day-care facilities"
)

ALLOCATING_ROLES = ("staff", "admin", FACILITY_ROLE)


class FacilitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    street = fields.String(required=True)
    house_number = fields.String(required=True)
    postal_code = fields.String(required=True)
    city = fields.String(required=True)
    carrier = fields.String(required=True, metadata={"description": "Träger"})
    places_under_3 = fields.Integer(required=True)
    places_over_3 = fields.Integer(required=True)
    age_groups = fields.List(fields.String(validate=validate.OneOf(AGE_GROUPS)), required=True)
    hours = fields.List(fields.Integer(), required=True)
    demo = fields.Boolean(required=True)
    active = fields.Boolean(required=True)


class FacilityInputSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(max=200))
    street = fields.String(required=True, validate=validate.Length(max=200))
    house_number = fields.String(required=True, validate=validate.Length(max=20))
    postal_code = fields.String(required=True, validate=validate.Length(max=10))
    city = fields.String(required=True, validate=validate.Length(max=100))
    carrier = fields.String(required=True, validate=validate.Length(max=200))
    places_under_3 = fields.Integer(required=True, validate=validate.Range(min=0, max=500))
    places_over_3 = fields.Integer(required=True, validate=validate.Range(min=0, max=500))
    hours = fields.List(
        fields.Integer(validate=validate.OneOf(WEEKLY_HOURS)),
        required=True,
        validate=validate.Length(min=1, max=3),
    )
    active = fields.Boolean(load_default=True)


class OfferSchema(Schema):
    id = fields.Integer(required=True)
    application_id = fields.String(required=True)
    reference = fields.String(required=True)
    facility_id = fields.Integer(required=True)
    facility_name = fields.String(required=True)
    age_group = fields.String(required=True, validate=validate.OneOf(AGE_GROUPS))
    hours = fields.Integer(required=True)
    choice = fields.Integer(required=True, metadata={"description": "The parents' rank, 1–3"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    deadline = fields.Date(required=True, metadata={"description": "Last day to accept"})
    offered_at = UtcDateTime(required=True)
    closed_at = UtcDateTime(required=True, allow_none=True)


class CandidateSchema(Schema):
    rank = fields.Integer(required=True, metadata={"description": "Place in the line, from 1"})
    application_id = fields.String(required=True)
    reference = fields.String(required=True)
    choice = fields.Integer(required=True)
    age_group = fields.String(required=True)
    hours = fields.Integer(required=True, allow_none=True)
    child_name = fields.String(required=True)
    start_date = fields.Date(required=True, allow_none=True)
    submitted_at = UtcDateTime(required=True)
    second_parent = fields.String(
        required=True,
        validate=validate.OneOf(["none", "invited", "confirmed"]),
        metadata={"description": "Whether a second parent was invited and has confirmed"},
    )


class GroupDemandSchema(Schema):
    age_group = fields.String(required=True)
    places = fields.Integer(required=True)
    free_places = fields.Integer(required=True)
    line = fields.List(fields.Nested(CandidateSchema), required=True)


class DemandSchema(Schema):
    facility = fields.Nested(FacilitySchema, required=True)
    groups = fields.List(fields.Nested(GroupDemandSchema), required=True)
    offers = fields.List(fields.Nested(OfferSchema), required=True)


class DemandQuerySchema(Schema):
    age_group = fields.String(validate=validate.OneOf(AGE_GROUPS))


class MakeOfferSchema(Schema):
    facility_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    application_id = fields.String(required=True, validate=validate.Length(min=1, max=24))


class ConfirmSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ConfirmResultSchema(Schema):
    reference = fields.String(required=True)
    confirmed_at = UtcDateTime(required=True)


class FacilityLinksSchema(Schema):
    facility_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=MAX_ID)),
        required=True,
        validate=validate.Length(max=50),
    )


# --- public and parents ------------------------------------------------------------


@blp.route("/facilities", methods=["GET"])
@blp.response(200, FacilitySchema(many=True))
def public_facilities():
    """The active facilities: the choices of the application form (no personal data)."""
    return [facilities.as_dict(f) for f in facilities.listed(active_only=True)]


@blp.route("/offers", methods=["GET"])
@roles_required("citizen")
@blp.response(200, OfferSchema(many=True))
def my_offers():
    """The signed-in parent's offers of places, newest first."""
    return [offers.as_dict(o) for o in offers.for_parent(require_user())]


@blp.route("/offers/<int:offer_id>/accept", methods=["POST"])
@roles_required("citizen")
@blp.response(200, OfferSchema)
def accept_offer(offer_id: int):
    """Accept an offer (until its deadline)."""
    return offers.as_dict(offers.answer(require_user(), offer_id, accept=True))


@blp.route("/offers/<int:offer_id>/decline", methods=["POST"])
@roles_required("citizen")
@blp.response(200, OfferSchema)
def decline_offer(offer_id: int):
    """Decline an offer; the application stays in the other facilities' lines."""
    return offers.as_dict(offers.answer(require_user(), offer_id, accept=False))


@blp.route("/confirmations", methods=["POST"])
@roles_required("citizen")
@blp.arguments(ConfirmSchema)
@blp.response(200, ConfirmResultSchema)
def confirm_application(data: dict[str, Any]):
    """The second parent confirms an application with the token from their mail."""
    found = confirmation.confirm(require_user(), data["token"])
    return {"reference": found.application.reference or "", "confirmed_at": found.confirmed_at}


# --- allocation (clerks of the area, facility staff) -------------------------------


def _allocator() -> User:
    user = require_user()
    if not access.may_allocate(user):
        raise DomainError("forbidden", kind="forbidden")
    return user


@staff_blp.route("/facilities", methods=["GET"])
@roles_required(*ALLOCATING_ROLES)
@staff_blp.response(200, FacilitySchema(many=True))
def staff_facilities():
    """The facilities the signed-in user allocates places for."""
    ids = access.facility_ids(_allocator())
    return [facilities.as_dict(f) for f in facilities.listed() if ids is None or f.id in ids]


def _second_parent(candidate: ranking.Candidate) -> str:
    found = confirmation.of_application(candidate.application)
    if found is None:
        return "none"
    return "confirmed" if found.confirmed_at else "invited"


def _candidate_dict(rank: int, candidate: ranking.Candidate) -> dict[str, Any]:
    request = answers.of_application(candidate.application)
    return {
        "rank": rank,
        "application_id": candidate.application.id,
        "reference": candidate.reference,
        "choice": candidate.choice,
        "age_group": candidate.age_group,
        "hours": candidate.hours,
        "child_name": request.child_name or candidate.application.applicant_name,
        "start_date": request.start_date,
        "submitted_at": candidate.submitted_at,
        "second_parent": _second_parent(candidate),
    }


@staff_blp.route("/facilities/<int:facility_id>/demand", methods=["GET"])
@roles_required(*ALLOCATING_ROLES)
@staff_blp.arguments(DemandQuerySchema, location="query")
@staff_blp.response(200, DemandSchema)
def demand(query: dict[str, Any], facility_id: int):
    """The facility's ranked line per age group and its offers (access is audit-logged:
    the line shows children's names)."""
    user = _allocator()
    facility = access.require_facility(user, facility_id)
    groups = [query["age_group"]] if query.get("age_group") else facilities.age_groups(facility)
    result = []
    for group in groups:
        line = ranking.candidates(facility, group)
        result.append(
            {
                "age_group": group,
                "places": facilities.places(facility, group),
                "free_places": ranking.free_places(facility, group),
                "line": [_candidate_dict(i + 1, c) for i, c in enumerate(line)],
            }
        )
    audit.record("kita_demand_viewed", user, "kita_facility", facility.id, client_ip())
    return {
        "facility": facilities.as_dict(facility),
        "groups": result,
        "offers": [offers.as_dict(o) for o in offers.for_facility(facility)],
    }


@staff_blp.route("/offers", methods=["POST"])
@roles_required(*ALLOCATING_ROLES)
@staff_blp.arguments(MakeOfferSchema)
@staff_blp.response(201, OfferSchema)
def make_offer(data: dict[str, Any]):
    """Offer a place at a facility to an application in its line."""
    offer = offers.make_offer(
        _allocator(),
        data["facility_id"],
        data["application_id"],
        current_app.config,
        ip=client_ip(),
    )
    return offers.as_dict(offer)


@staff_blp.route("/offers/<int:offer_id>/withdraw", methods=["POST"])
@roles_required(*ALLOCATING_ROLES)
@staff_blp.response(200, OfferSchema)
def withdraw_offer(offer_id: int):
    """Withdraw an offer of a facility the user acts for."""
    return offers.as_dict(offers.withdraw(_allocator(), offer_id, client_ip()))


# --- console: facilities and facility staff ----------------------------------------


@admin_blp.route("/facilities", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, FacilitySchema(many=True))
def admin_facilities():
    """Every facility, active or not."""
    return [facilities.as_dict(f) for f in facilities.listed()]


@admin_blp.route("/facilities", methods=["POST"])
@roles_required("admin")
@admin_blp.arguments(FacilityInputSchema)
@admin_blp.response(201, FacilitySchema)
def create_facility(data: dict[str, Any]):
    """Create a facility (recorded in the audit log)."""
    facility = facilities.create(data)
    audit.record("kita_facility_created", require_user(), "kita_facility", facility.id, client_ip())
    return facilities.as_dict(facility)


@admin_blp.route("/facilities/<int:facility_id>", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, FacilitySchema)
def get_facility(facility_id: int):
    """One facility."""
    return facilities.as_dict(facilities.get(facility_id))


@admin_blp.route("/facilities/<int:facility_id>", methods=["PUT"])
@roles_required("admin")
@admin_blp.arguments(FacilityInputSchema)
@admin_blp.response(200, FacilitySchema)
def update_facility(data: dict[str, Any], facility_id: int):
    """Change a facility (recorded in the audit log)."""
    facility = facilities.update(facilities.get(facility_id), data)
    audit.record("kita_facility_changed", require_user(), "kita_facility", facility.id, client_ip())
    return facilities.as_dict(facility)


def _person(user_id: int) -> User:
    user = User.get_or_none((User.id == user_id) & User.closed_at.is_null())
    if user is None:
        raise DomainError("not_found", kind="not_found")
    return user


@admin_blp.route("/staff/<int:user_id>", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, FacilityLinksSchema)
def get_facility_links(user_id: int):
    """The facilities a user of the role ``facility`` acts for."""
    return {"facility_ids": access.linked(_person(user_id))}


@admin_blp.route("/staff/<int:user_id>", methods=["PUT"])
@roles_required("admin")
@admin_blp.arguments(FacilityLinksSchema)
@admin_blp.response(200, FacilityLinksSchema)
def set_facility_links(data: dict[str, Any], user_id: int):
    """Link a user of the role ``facility`` to exactly these facilities (audit-logged)."""
    user = _person(user_id)
    with db.atomic():
        before = access.linked(user)
        after = access.set_links(user, data["facility_ids"])
        audit.record(
            "kita_facility_staff_changed",
            require_user(),
            "user",
            user.id,
            client_ip(),
            before=before,
            after=after,
        )
    return {"facility_ids": after}
