"""Resident parking: the citizen's permits (wallet), officers' plate look-up, zone admin.

Citizens: ``/api/parking/permits`` (own permits with the pass text, QR as PNG/SVG,
print@home PDF, renew, change plates, cancel). Officers: ``/api/officer/...`` (plate
look-up, online verification). Admins: ``/api/admin/parking/...`` (zones and street
ranges). Public: zones and the address → zone look-up. The contract for the PWA is
docs/parking.md; key set and revocation list are in ``api/passes.py``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import current_app, request
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate

from api.applications import ApplicationSchema, application_dict, send_bytes, send_stored
from api.compression import etag_variants
from api.documented_json import documented
from api.preconditions import if_match_number
from api.schemas import file_response
from api.security import (
    client_ip,
    login_required,
    require_user,
    roles_required,
)
from app.accounts import audit
from app.applications.documents import document_key
from app.errors import DomainError, FieldError
from app.models import (
    ParkingPermit,
)
from app.parking import (
    officers,
    permits,
    printout,
    settings,
    zones,
)
from app.parking.jobs import deliver_pass
from app.service_definitions import normalise_plate
from app.service_definitions.relative_dates import local_today

blp = Blueprint(
    "parking", __name__, url_prefix="/api/parking", description="Resident parking permits"
)
officer_blp = Blueprint(
    "officer_parking",
    __name__,
    url_prefix="/api/officer",
    description="Enforcement officers: plate look-up, pass verification",
)
admin_blp = Blueprint(
    "admin_parking",
    __name__,
    url_prefix="/api/admin/parking",
    description="Resident parking zones and street ranges (admin)",
)

OFFICERS = ("officer", "admin")


# --- Schemas --------------------------------------------------------------------------


class ZoneSchema(Schema):
    code = fields.String()
    name = fields.String()
    active = fields.Boolean()


class AdminZoneSchema(ZoneSchema):
    ranges = fields.Integer()
    active_permits = fields.Integer()


class ZoneLookupQuerySchema(Schema):
    street = fields.String(required=True, validate=validate.Length(min=1, max=100))
    house_number = fields.String(required=True, validate=validate.Length(min=1, max=20))


class ZoneLookupSchema(Schema):
    street = fields.String()
    house_number = fields.String()
    zone = fields.String()
    zone_name = fields.String()


class RenewalInfoSchema(Schema):
    possible = fields.Boolean()
    opens_on = fields.String()
    max_months = fields.Integer()
    application_id = fields.String(allow_none=True)


class PermitLinksSchema(Schema):
    qr_png = fields.String()
    qr_svg = fields.String()
    pdf = fields.String()


class PermitSchema(Schema):
    id = fields.String()
    number = fields.String()
    status = fields.String(metadata={"description": "active | revoked | expired"})
    state = fields.String(metadata={"description": "valid | not_yet_valid | expired | revoked"})
    zone = fields.String()
    zone_name = fields.String()
    plates = fields.List(fields.String())
    valid_from = fields.String()
    valid_to = fields.String()
    sequence = fields.Integer()
    issuer = fields.String()
    authority = fields.String()
    issued_at = fields.String()
    revoked_at = fields.String(allow_none=True)
    blocked = fields.Boolean(metadata={"description": "revoked by the city (gesperrt)"})
    block_reason = fields.String(
        allow_none=True, metadata={"description": "stolen | misuse | issued_in_error | other"}
    )
    pass_text = fields.String(allow_none=True)
    kid = fields.String()
    renewal = fields.Nested(RenewalInfoSchema)
    actions = fields.List(fields.String())
    links = fields.Nested(PermitLinksSchema, allow_none=True)


class QrPngQuerySchema(Schema):
    dpi = fields.Integer(load_default=300, validate=validate.Range(min=72, max=1200))
    width_mm = fields.Float(load_default=printout.QR_WIDTH_MM, validate=validate.Range(35, 200))
    scale = fields.Integer(load_default=None, validate=validate.Range(min=1, max=40))


class QrSvgQuerySchema(Schema):
    width_mm = fields.Float(load_default=printout.QR_WIDTH_MM, validate=validate.Range(35, 200))


class RenewalBodySchema(Schema):
    months = fields.Integer(
        load_default=None, validate=validate.Range(settings.MIN_MONTHS, settings.MAX_MONTHS)
    )


class PlateChangeSchema(Schema):
    plates = fields.List(fields.String(validate=validate.Length(max=20)), required=True)
    registered_to_me = fields.Boolean(required=True)


class OfficerPermitSchema(Schema):
    number = fields.String()
    zone = fields.String()
    zone_name = fields.String()
    plates = fields.List(fields.String())
    valid_from = fields.String()
    valid_to = fields.String()
    sequence = fields.Integer()
    status = fields.String()
    state = fields.String(
        metadata={"description": "valid | not_yet_valid | expired | revoked | superseded"}
    )
    plate_on_current_pass = fields.Boolean()


class PlateLookupSchema(Schema):
    plate = fields.String()
    checked_on = fields.String()
    permits = fields.List(fields.Nested(OfficerPermitSchema))


class VerifyBodySchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    zone = fields.String(load_default=None, validate=validate.Length(min=1, max=8))


class VerdictSchema(Schema):
    valid = fields.Boolean()
    reason = fields.String()
    detail = fields.String()
    kid = fields.String(allow_none=True)
    permit_no = fields.String(allow_none=True)
    plates = fields.List(fields.String())
    zone = fields.String(allow_none=True)
    valid_from = fields.String(allow_none=True)
    valid_to = fields.String(allow_none=True)
    sequence = fields.Integer(allow_none=True)
    checked_on = fields.String()
    revocation_version = fields.Integer()


_VERDICT = VerdictSchema()


class ZoneCreateSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=8))
    name = fields.String(load_default="", validate=validate.Length(max=100))
    active = fields.Boolean(load_default=True)


class ZoneUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(max=100))
    active = fields.Boolean()


class RangeQuerySchema(Schema):
    zone = fields.String(validate=validate.Length(max=8))
    street = fields.String(validate=validate.Length(max=100))


class RangeSchema(Schema):
    id = fields.Integer(dump_only=True)
    street = fields.String(required=True, validate=validate.Length(min=2, max=100))
    postal_code = fields.String(dump_only=True)
    first = fields.Integer(required=True)
    last = fields.Integer(required=True)
    parity = fields.String(load_default="all", validate=validate.OneOf(zones.PARITIES))
    zone = fields.String(required=True, validate=validate.Length(min=1, max=8))


# --- Helpers --------------------------------------------------------------------------


def _cached_json(body: Any, status: int = 200):
    """JSON for one user with an ETag; 304 when the client has it already."""
    etag = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:32]
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    if any(request.if_none_match.contains(tag) for tag in etag_variants(etag)):
        return "", 304, headers
    return body, status, headers


def _permit_json(permit: ParkingPermit, today: date | None = None) -> dict[str, Any]:
    data = permits.as_dict(permit, today)
    base = f"/api/parking/permits/{permit.id}"
    data["links"] = (
        {"qr_png": f"{base}/qr.png", "qr_svg": f"{base}/qr.svg", "pdf": f"{base}/pdf"}
        if data["pass_text"]
        else None
    )
    return data


def _showable(permit: ParkingPermit) -> ParkingPermit:
    if permits.state_of(permit) == "revoked":
        raise DomainError("parking_permit_revoked", kind="gone")
    return permit


def _image(content: bytes | str, mimetype: str, permit: ParkingPermit):
    response = current_app.response_class(content, mimetype=mimetype)
    etag = f"{permit.id}-{permit.sequence}"
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


# --- Public ---------------------------------------------------------------------------


@blp.route("/zones", methods=["GET"])
@blp.response(200, ZoneSchema(many=True))
def list_zones():
    """The resident parking zones (for the officer's zone picker and the citizen)."""
    return _cached_json([zones.zone_dict(z) for z in zones.list_zones()])


@blp.route("/zone", methods=["GET"])
@blp.arguments(ZoneLookupQuerySchema, location="query")
@blp.response(200, ZoneLookupSchema)
def zone_lookup(query: dict[str, Any]):
    """The zone of an address; 422 with a field error when it lies in no zone."""
    match = zones.zone_for(query["street"], query["house_number"])
    if match is None:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("house_number", "parking_outside_zone")]
        )
    return {
        "street": match.street,
        "house_number": match.house_number,
        "zone": match.code,
        "zone_name": match.name,
    }


# --- Citizen --------------------------------------------------------------------------


@blp.route("/permits", methods=["GET"])
@login_required
@blp.response(200, PermitSchema(many=True))
def my_permits():
    """Own permits, newest first, each with its current pass text (the wallet)."""
    today = local_today()
    return _cached_json([_permit_json(p, today) for p in permits.list_own(require_user())])


@blp.route("/permits/<string:permit_id>", methods=["GET"])
@login_required
@blp.response(200, PermitSchema)
def my_permit(permit_id: str):
    """One own permit."""
    return _cached_json(_permit_json(permits.own_permit(require_user(), permit_id)))


@blp.route("/permits/<string:permit_id>/qr.png", methods=["GET"])
@login_required
@blp.arguments(QrPngQuerySchema, location="query")
@file_response(blp, ["image/png"], "The QR code")
def qr_png(query: dict[str, Any], permit_id: str):
    """The pass as a QR code PNG: ``scale`` pixels per module, or ``width_mm`` at ``dpi``."""
    permit = _showable(permits.own_permit(require_user(), permit_id))
    png = printout.qr_png(
        permit.pass_text, dpi=query["dpi"], width_mm=query["width_mm"], scale=query["scale"]
    )
    return _image(png, "image/png", permit)


@blp.route("/permits/<string:permit_id>/qr.svg", methods=["GET"])
@login_required
@blp.arguments(QrSvgQuerySchema, location="query")
@file_response(blp, ["image/svg+xml"], "The QR code")
def qr_svg(query: dict[str, Any], permit_id: str):
    """The pass as a vector QR code; the symbol is ``width_mm`` wide (default 50 mm)."""
    permit = _showable(permits.own_permit(require_user(), permit_id))
    return _image(printout.qr_svg(permit.pass_text, query["width_mm"]), "image/svg+xml", permit)


@blp.route("/permits/<string:permit_id>/pdf", methods=["GET"])
@login_required
@file_response(blp, ["application/pdf"], "The pass to print")
def permit_pdf(permit_id: str):
    """The print@home PDF of the current pass (also in the inbox)."""
    user = require_user()
    permit = _showable(permits.own_permit(user, permit_id))
    issued = permits.current_pass(permit)
    filename = printout.pdf_filename(permit, issued.sequence)
    if issued.document_id is not None:
        return send_stored(document_key(issued.document), "application/pdf", filename)
    # The delivery job has not run yet: render now, it stores the copy later.
    return send_bytes(printout.render_pdf(issued, user.locale), "application/pdf", filename)


@blp.route("/permits/<string:permit_id>/renewal", methods=["POST"])
@login_required
@blp.arguments(RenewalBodySchema)
@blp.alt_response(201, schema=ApplicationSchema, description="A new draft", success=True)
@blp.alt_response(200, schema=ApplicationSchema, description="The renewal under way", success=True)
def renew(data: dict[str, Any], permit_id: str):
    """Start renewing: a prefilled draft application (same permit number once approved).

    201 with the draft (submit it through ``/api/applications/<id>/submit``); 200 with
    the renewal already under way; 409 ``parking_renewal_not_yet`` before the window.
    """
    application, created = permits.start_renewal(require_user(), permit_id, data["months"])
    body = application_dict(application)
    return body, 201 if created else 200, {"ETag": f'"{application.revision}"'}


@blp.route("/permits/<string:permit_id>/plates", methods=["POST"])
@login_required
@blp.arguments(PlateChangeSchema)
@blp.response(200, PermitSchema)
def change_plates(data: dict[str, Any], permit_id: str):
    """Put other plates on the permit: a new pass; the old one is revoked.

    ``If-Match: "<sequence>"`` guards against changing a pass the client has not seen.
    """
    expected = if_match_number()
    permit, issued = permits.change_plates(
        require_user(), permit_id, data["plates"], data["registered_to_me"], expected
    )
    if issued is not None:
        deliver_pass(issued.id)
    return _permit_json(ParkingPermit.get_by_id(permit.id))


@blp.route("/permits/<string:permit_id>/cancel", methods=["POST"])
@login_required
@blp.response(200, PermitSchema)
def cancel(permit_id: str):
    """Give the permit back: its pass is revoked at once (repeating is harmless)."""
    permit, cancelled = permits.cancel(require_user(), permit_id)
    if cancelled:
        printout.notify_cancelled(permit)
    return _permit_json(permit)


# --- Officers -------------------------------------------------------------------------


@officer_blp.route("/plates/<string:plate>", methods=["GET"])
@roles_required(*OFFICERS)
@officer_blp.response(200, PlateLookupSchema)
def plate_lookup(plate: str):
    """Permits for a licence plate (for cars without a visible pass); no names.

    Every look-up is written to the audit log (access to personal data).
    """
    normalised, _code = normalise_plate(plate)
    if normalised is None:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("plate", "parking_plate_invalid")]
        )
    today = local_today()
    results = officers.plate_lookup(normalised, today)
    audit.record(
        "parking_plate_lookup",
        require_user(),
        "licence_plate",
        normalised,
        client_ip(),
        results=len(results),
    )
    return {"plate": normalised, "checked_on": today.isoformat(), "permits": results}


@officer_blp.route("/passes/verify", methods=["POST"])
@roles_required(*OFFICERS)
# An instance: given the class, webargs would build a new schema for every scan.
@officer_blp.arguments(VerifyBodySchema())
@officer_blp.response(200, VerdictSchema)
def verify(data: dict[str, Any]):
    """Verify scanned pass text on the server, with the newest revocations and sequences.

    The same verdicts as the offline scanner (docs/pass-format.md, section 9); for
    devices that are online or want a second opinion.
    """
    today = local_today()
    checked = officers.verify_online(data["text"], data["zone"], today)
    body = checked.verdict.as_dict()
    body["checked_on"] = today.isoformat()
    body["revocation_version"] = checked.revocation_version
    # Built in the documented shape: sent as it is (held to the schema in tests).
    return documented(body, _VERDICT)


# --- Admin ----------------------------------------------------------------------------


@admin_blp.route("/zones", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, AdminZoneSchema(many=True))
def admin_zones():
    """All zones, inactive ones too, with their number of ranges and active permits."""
    return [zones.zone_dict(z, counts=True) for z in zones.list_zones(include_inactive=True)]


@admin_blp.route("/zones", methods=["POST"])
@roles_required("admin")
@admin_blp.arguments(ZoneCreateSchema)
@admin_blp.response(201, AdminZoneSchema)
def admin_create_zone(data: dict[str, Any]):
    """Add a zone."""
    zone = zones.create_zone(data, require_user(), client_ip())
    return zones.zone_dict(zone, counts=True)


@admin_blp.route("/zones/<string:code>", methods=["PATCH"])
@roles_required("admin")
@admin_blp.arguments(ZoneUpdateSchema)
@admin_blp.response(200, AdminZoneSchema)
def admin_update_zone(data: dict[str, Any], code: str):
    """Rename or (de)activate a zone."""
    zone = zones.update_zone(code, data, require_user(), client_ip())
    return zones.zone_dict(zone, counts=True)


@admin_blp.route("/zones/<string:code>", methods=["DELETE"])
@roles_required("admin")
@admin_blp.response(204)
def admin_delete_zone(code: str):
    """Remove a zone that has no street ranges and no active permits."""
    zones.delete_zone(code, require_user(), client_ip())


@admin_blp.route("/streets", methods=["GET"])
@roles_required("admin")
@admin_blp.arguments(RangeQuerySchema, location="query")
@admin_blp.response(200, RangeSchema(many=True))
def admin_ranges(query: dict[str, Any]):
    """Street ranges in zones, by street; filter with ``zone`` or ``street``."""
    rows = zones.list_ranges(zone=query.get("zone"), street=query.get("street"))
    return [zones.range_dict(r) for r in rows]


@admin_blp.route("/streets", methods=["POST"])
@roles_required("admin")
@admin_blp.arguments(RangeSchema)
@admin_blp.response(201, RangeSchema)
def admin_create_range(data: dict[str, Any]):
    """Put house numbers of a street (all, odd or even) into a zone."""
    return zones.range_dict(zones.create_range(data, require_user(), client_ip()))


@admin_blp.route("/streets/<int:range_id>", methods=["PUT"])
@roles_required("admin")
@admin_blp.arguments(RangeSchema)
@admin_blp.response(200, RangeSchema)
def admin_update_range(data: dict[str, Any], range_id: int):
    """Change a street range."""
    return zones.range_dict(zones.update_range(range_id, data, require_user(), client_ip()))


@admin_blp.route("/streets/<int:range_id>", methods=["DELETE"])
@roles_required("admin")
@admin_blp.response(204)
def admin_delete_range(range_id: int):
    """Take a street range out of its zone (issued permits stay valid)."""
    zones.delete_range(range_id, require_user(), client_ip())


def register(api: Api) -> None:
    """Register the parking blueprints on the API."""
    from api import admin_streets, staff_parking

    for blueprint in (blp, officer_blp, admin_blp, staff_parking.blp, admin_streets.blp):
        api.register_blueprint(blueprint)
