"""Open311 GeoReport v2 at ``/open311/v2``: the categories as ``services``, reports as
``requests`` (read by anyone, filed by apps with an API key), ``tokens``; every answer
as ``.json`` or ``.xml``, errors as the standard's list of ``{code, description}``.

Reports are shown as the public sees them: only released ones in lists, the rough
location, no reporter. A request read by its id before the moderation released it
shows its status only (so an app can follow what it filed)."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.exceptions import HTTPException

from api import open311_format
from api.errors import field_message, flatten_messages, locale
from api.limits import limiter
from api.reports import photos_of_request
from api.schemas import BINARY, UtcDateTime
from app.db import utcnow
from app.errors import DomainError
from app.i18n import translate
from app.models import DefectReport
from app.reports import api_keys, categories, lifecycle, public, submit, views
from app.reports.location import rough
from app.reports.settings import DESCRIPTION_MAX, map_settings

blp = Blueprint(
    "open311",
    __name__,
    url_prefix="/open311/v2",
    description="Open311 GeoReport v2: defect reports for Open311 apps and dashboards",
)

# Our field names -> the standard's, for error descriptions.
_FIELD_NAMES = {"category": "service_code", "lon": "long", "address": "address_string"}
_ERROR_STATUSES = (400, 403, 404, 429)


class Open311ServiceSchema(Schema):
    service_code = fields.String(required=True)
    service_name = fields.String(required=True)
    description = fields.String(required=True)
    metadata = fields.Boolean(required=True, metadata={"description": "Always false"})
    type = fields.String(required=True, validate=validate.OneOf(["realtime", "batch", "blackbox"]))
    keywords = fields.String(required=True)
    group = fields.String(required=True)


class Open311ServiceDefinitionSchema(Schema):
    service_code = fields.String(required=True)
    attributes = fields.List(fields.Dict(), required=True)


class Open311RequestSchema(Schema):
    service_request_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["open", "closed"]))
    status_notes = fields.String(required=True, allow_none=True)
    service_name = fields.String(required=True)
    service_code = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    agency_responsible = fields.String(required=True)
    service_notice = fields.String(required=True, allow_none=True)
    requested_datetime = fields.String(required=True)
    updated_datetime = fields.String(required=True)
    expected_datetime = fields.String(required=True, allow_none=True)
    address = fields.String(required=True, allow_none=True)
    address_id = fields.String(required=True, allow_none=True)
    zipcode = fields.String(required=True, allow_none=True)
    lat = fields.Float(required=True, allow_none=True)
    long = fields.Float(required=True, allow_none=True)
    media_url = fields.String(required=True, allow_none=True)


class Open311CreatedSchema(Schema):
    service_request_id = fields.String(required=True)
    token = fields.String(required=True)
    service_notice = fields.String(required=True)
    account_id = fields.String(required=True, allow_none=True)


class Open311TokenSchema(Schema):
    service_request_id = fields.String(required=True, allow_none=True)
    token = fields.String(required=True)


class Open311ErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status"})
    description = fields.String(required=True)


class Open311RequestsQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    jurisdiction_id = fields.String(validate=validate.Length(max=100))
    service_request_id = fields.String(
        validate=validate.Regexp(r"^\d{1,12}(,\d{1,12}){0,99}$"),
        metadata={"description": "Comma-separated ids; other filters are then ignored"},
    )
    service_code = fields.String(
        validate=validate.Regexp(r"^[a-z0-9_]{1,40}(,[a-z0-9_]{1,40}){0,49}$"),
        metadata={"description": "Comma-separated service codes"},
    )
    start_date = UtcDateTime(metadata={"description": "W3C date and time"})
    end_date = UtcDateTime(metadata={"description": "W3C date and time"})
    status = fields.String(
        validate=validate.Regexp(r"^(open|closed)(,(open|closed))?$"),
        metadata={"description": "open, closed or both (comma-separated)"},
    )


class Open311JurisdictionSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    jurisdiction_id = fields.String(validate=validate.Length(max=100))


class Open311PostSchema(Schema):
    """The form of a new service request (GeoReport v2 ``POST requests``)."""

    class Meta:
        unknown = EXCLUDE

    api_key = fields.String(required=True, validate=validate.Length(max=200))
    jurisdiction_id = fields.String(validate=validate.Length(max=100))
    service_code = fields.String(required=True, validate=validate.Length(max=40))
    lat = fields.Float(validate=validate.Range(-90, 90))
    long = fields.Float(validate=validate.Range(-180, 180))
    address_string = fields.String(validate=validate.Length(max=200))
    address_id = fields.String(validate=validate.Length(max=100))
    email = fields.String(validate=validate.Length(max=254))
    device_id = fields.String(validate=validate.Length(max=200))
    account_id = fields.String(validate=validate.Length(max=200))
    first_name = fields.String(validate=validate.Length(max=100))
    last_name = fields.String(validate=validate.Length(max=100))
    phone = fields.String(validate=validate.Length(max=50))
    description = fields.String(validate=validate.Length(max=DESCRIPTION_MAX))
    media_url = fields.String(
        validate=validate.Length(max=2000),
        metadata={"description": "Not fetched; send the photo as the multipart file media"},
    )


def _w3c(value: datetime) -> str:
    return value.replace(tzinfo=UTC, microsecond=0).isoformat()


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def _service(category) -> dict[str, Any]:
    lang = locale()
    return {
        "service_code": category.code,
        "service_name": categories.name(category, lang),
        "description": category.description_en if lang == "en" else category.description_de,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _request_view(report: DefectReport, known: views.Related | None = None) -> dict[str, Any]:
    lang = locale()
    released = report.visibility == "public"
    notes = translate(f"reports.status.{report.status}", lang)
    if report.public_comment:
        notes = f"{notes}: {report.public_comment}"
    photos = views.public(report, lang, known)["photo_ids"]
    return {
        "service_request_id": str(report.id),
        "status": lifecycle.open311_status(report.status),
        "status_notes": notes,
        "service_name": categories.name(report.category, lang),
        "service_code": report.category.code,
        "description": report.description if released else None,
        "agency_responsible": report.category.department,
        "service_notice": None,
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(report.updated_at),
        "expected_datetime": None,
        "address": report.street if released and report.street else None,
        "address_id": None,
        "zipcode": None,
        "lat": rough(report.lat) if released else None,
        "long": rough(report.lon) if released else None,
        "media_url": _absolute(f"/api/reports/photos/{photos[0]}") if photos else None,
    }


class Open311Error(Exception):
    """An answer in the standard's error format."""

    def __init__(self, status: int, descriptions: list[str]) -> None:
        super().__init__(status)
        self.status = status
        self.descriptions = descriptions


def _refuse(status: int, *descriptions: str) -> Open311Error:
    return Open311Error(status, list(descriptions))


def _load(schema: Schema, source: Any) -> dict[str, Any]:
    try:
        return schema.load(source)
    except ValidationError as error:
        lang = locale()
        problems = [
            f"{e.field}: {field_message(e, lang)}"
            for e in flatten_messages(error.normalized_messages())
        ]
        raise _refuse(400, *problems) from error


def _document(view: Callable, fmt: str, schema: Any, status: int) -> Callable:
    """Document the answer of one format and the standard's errors in it."""
    if fmt == "json":
        body, error_body, content_type = schema, Open311ErrorSchema(many=True), "application/json"
    else:
        body, error_body, content_type = BINARY, BINARY, "text/xml"
    view = blp.alt_response(status, schema=body, content_type=content_type, success=True)(view)
    for error_status in _ERROR_STATUSES:
        view = blp.alt_response(
            error_status,
            schema=error_body,
            content_type=content_type,
            description="GeoReport v2 errors: a list of {code, description}",
        )(view)
    return view


def _route(
    path: str, methods: list[str], schema: Any, status: int = 200
) -> Callable[[Callable], Callable]:
    """Register ``path`` with both format suffixes (``.json``, ``.xml``), each with its
    own documentation; the view gets the format as its first argument."""

    def decorator(func: Callable) -> Callable:
        for fmt in open311_format.FORMATS:
            view = _document(_format_view(func, fmt), fmt, schema, status)
            blp.route(f"{path}.{fmt}", methods=methods, endpoint=f"{func.__name__}_{fmt}")(view)
        return func

    return decorator


def _format_view(func: Callable, fmt: str) -> Callable:
    @wraps(func)
    def view(**kwargs: Any):
        try:
            return func(fmt, **kwargs)
        except Open311Error as error:
            return open311_format.errors(fmt, error.status, error.descriptions)
        except DomainError as error:
            return _domain_error(fmt, error)

    view._apidoc = deepcopy(getattr(func, "_apidoc", {}))  # type: ignore[attr-defined]
    return view


def _domain_error(fmt: str, error: DomainError):
    lang = locale()
    status = {"not_found": 404, "forbidden": 403, "conflict": 409, "too_many": 429}.get(
        error.kind, 400
    )
    if error.field_errors:
        descriptions = [
            f"{_FIELD_NAMES.get(e.field, e.field)}: {field_message(e, lang)}"
            for e in error.field_errors
        ]
    else:
        descriptions = [translate(f"errors.{error.code}", lang, **error.params)]
    return open311_format.errors(fmt, status, descriptions)


def _asked_format() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


@blp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    status = error.code or 400
    text = translate(f"errors.{_http_code(status)}", locale())
    return open311_format.errors(_asked_format(), status, [text])


@blp.errorhandler(DomainError)
def _refused_before_the_view(error: DomainError):
    return _domain_error(_asked_format(), error)


def _http_code(status: int) -> str:
    return {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
        status, "too_many_requests" if status == 429 else "bad_request"
    )


def _key_of_request() -> str:
    return "open311:" + (request.form.get("api_key") or "")[:200]


@_route("/services", ["GET"], Open311ServiceSchema(many=True))
@blp.doc(parameters=[{"in": "query", "schema": Open311JurisdictionSchema}])
@limiter.limit("120 per minute")
def services(fmt: str):
    """The categories as GeoReport v2 services (``.json`` or ``.xml``)."""
    return open311_format.answer(fmt, "services", [_service(c) for c in categories.listed()])


@_route("/services/<string:service_code>", ["GET"], Open311ServiceDefinitionSchema)
@blp.doc(parameters=[{"in": "query", "schema": Open311JurisdictionSchema}])
@limiter.limit("120 per minute")
def service_definition(fmt: str, service_code: str):
    """A service's definition: no extra attributes (``metadata`` is false everywhere)."""
    category = categories.by_code(service_code[:40])
    if category is None or not category.active:
        raise _refuse(404, translate("errors.report_unknown_service", locale()))
    return open311_format.answer(
        fmt, "service_definition", {"service_code": category.code, "attributes": []}
    )


@_route("/requests", ["GET"], Open311RequestSchema(many=True))
@blp.doc(parameters=[{"in": "query", "schema": Open311RequestsQuerySchema}])
@limiter.limit("120 per minute")
def requests_list(fmt: str):
    """Released service requests, newest first: by default those of the last 90 days,
    at most 1000; filtered by ``service_request_id``, ``service_code``,
    ``start_date``/``end_date`` and ``status``."""
    query = _load(Open311RequestsQuerySchema(), request.args)
    filters = public.Filters(
        ids=tuple(int(i) for i in query["service_request_id"].split(","))
        if query.get("service_request_id")
        else (),
        service_codes=tuple(query["service_code"].split(",")) if query.get("service_code") else (),
        start=_naive_utc(query.get("start_date")),
        end=_naive_utc(query.get("end_date")),
        open311_status=tuple(sorted(set(query["status"].split(","))))
        if query.get("status")
        else (),
    )
    if filters.open311_status == ("closed", "open"):
        filters = public.Filters(**{**filters.__dict__, "open311_status": ()})
    found = public.listed(filters, utcnow())
    known = views.related(found, with_history=False)
    return open311_format.answer(fmt, "requests", [_request_view(r, known) for r in found])


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


@_route("/requests", ["POST"], Open311CreatedSchema(many=True), status=201)
@limiter.limit("30 per minute; 1000 per day", key_func=_key_of_request)
# Per client as well: trying one made-up key after another is no way around the limit.
@limiter.limit("60 per minute; 2000 per day")
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": Open311PostSchema},
            "multipart/form-data": {"schema": Open311PostSchema},
        },
    }
)
def create_request(fmt: str):
    """File a service request with an app's ``api_key`` (form-encoded; a photo as the
    multipart file ``media``). A location is ``lat``/``long`` inside the city or an
    ``address_string`` in one of its streets. 403 for a missing or unknown key."""
    data = _load(Open311PostSchema(), request.form)
    key = api_keys.check(data.get("api_key"))
    if key is None:
        raise _refuse(403, translate("errors.open311_invalid_key", locale()))
    media = request.files.getlist("media")
    filed = submit.file(
        submit.NewReport(
            category=data["service_code"],
            description=data.get("description", ""),
            lat=data.get("lat"),
            lon=data.get("long"),
            address=data.get("address_string", ""),
            email=data.get("email"),
            photos=[m.read(current_app.config["MAX_CONTENT_LENGTH"] + 1) for m in media]
            or photos_of_request(),
            locale=locale(),
        ),
        None,
        map_settings(current_app.config),
        api_key=key,
    )
    body = [
        {
            "service_request_id": str(filed.report.id),
            "token": filed.report.token,
            "service_notice": translate("reports.open311.notice", locale()),
            "account_id": None,
        }
    ]
    return open311_format.answer(fmt, "requests", body, 201)


@_route("/requests/<string:service_request_id>", ["GET"], Open311RequestSchema(many=True))
@blp.doc(parameters=[{"in": "query", "schema": Open311JurisdictionSchema}])
@limiter.limit("120 per minute")
def request_detail(fmt: str, service_request_id: str):
    """One service request (a list of one, as the standard has it)."""
    report = None
    if service_request_id.isdigit() and len(service_request_id) <= 12:
        report = DefectReport.get_or_none(DefectReport.id == int(service_request_id))
    if report is None:
        raise _refuse(404, translate("errors.report_unknown_request", locale()))
    return open311_format.answer(fmt, "requests", [_request_view(report)])


@_route("/tokens/<string:token>", ["GET"], Open311TokenSchema(many=True))
@blp.doc(parameters=[{"in": "query", "schema": Open311JurisdictionSchema}])
@limiter.limit("120 per minute")
def token_detail(fmt: str, token: str):
    """The service request id a token from ``POST requests`` stands for."""
    report = public.by_token(token[:32])
    if report is None:
        raise _refuse(404, translate("errors.report_unknown_token", locale()))
    return open311_format.answer(
        fmt, "requests", [{"service_request_id": str(report.id), "token": report.token}]
    )
