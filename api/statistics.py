"""Statistics: counter cases from the queue, the dashboard's figures and settings,
anonymous step views from the PWA, the aggregation and the open-data export.

Everything under ``/api/statistics`` (but step views and campaign landings) is for
admins and the role ``statistics``; recording a counter case is for staff of the
service's area and admins.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Response, jsonify, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import idempotency_key
from api.errors import locale
from api.limits import limiter
from api.schemas import TextSchema, UtcDateTime, file_response
from api.security import client_ip, require_user, roles_required
from app import campaigns
from app import statistics as stats
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.statistics import aggregation, figures, records

STATISTICS_ROLES = ("admin", "statistics")
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_RANGE_DAYS = 366 * 10
SERVICE_ID = validate.Length(min=1, max=64)

blp = Blueprint(
    "statistics",
    __name__,
    url_prefix="/api/statistics",
    description="Statistics: figures per service and period, counter counts, targets, export",
)
staff_blp = Blueprint(
    "staff_counter_cases",
    __name__,
    url_prefix="/api/staff",
    description="Counter cases recorded from the queue",
)


# --- schemas -------------------------------------------------------------------------


class CounterCaseInSchema(Schema):
    service_id = fields.String(required=True, validate=SERVICE_ID)
    day = fields.Date(
        load_default=None,
        metadata={"description": "Berlin day (default today); not in the future, ≤ 1 year old"},
    )


class CounterCaseSchema(Schema):
    id = fields.Integer(required=True)
    service_id = fields.String(required=True)
    day = fields.Date(required=True)


class TargetSchema(Schema):
    baseline_year = fields.Integer(required=True)
    baseline_quote = fields.Float(required=True, metadata={"description": "0..1"})
    points = fields.Float(required=True, metadata={"description": "Percentage points to gain"})
    target_quote = fields.Float(required=True, metadata={"description": "0..1"})


class TargetInSchema(Schema):
    baseline_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    points = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=-100, max=100)
    )
    baseline_quote = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Omitted: the aggregated quote of the baseline year"},
    )


class ServiceSchema(Schema):
    service_id = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    target = fields.Nested(TargetSchema, allow_none=True, required=True)


class ServicesSchema(Schema):
    services = fields.List(fields.Nested(ServiceSchema), required=True)


class CounterCountsQuerySchema(Schema):
    service_id = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "Omitted or empty: all services"},
    )
    year = fields.Integer(
        load_default=None,
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "Default: this year"},
    )


class CounterCountSchema(Schema):
    service_id = fields.String(required=True)
    month = fields.String(required=True, metadata={"description": "YYYY-MM"})
    typed = fields.Integer(allow_none=True, required=True)
    imported = fields.Integer(required=True)
    recorded = fields.Integer(required=True)


class CounterCountsSchema(Schema):
    counts = fields.List(fields.Nested(CounterCountSchema), required=True)


class CounterMonthInSchema(Schema):
    count = fields.Integer(
        required=True, validate=validate.Range(min=0, max=records.MAX_MONTHLY_COUNT)
    )


class CounterImportResultSchema(Schema):
    imported = fields.Integer(required=True, metadata={"description": "Lines stored"})
    days = fields.Integer(required=True, metadata={"description": "Distinct days"})


class ImportLineErrorSchema(Schema):
    line = fields.Integer(metadata={"description": "Line of the file (1 = header)"})
    field = fields.String(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)


class ImportErrorSchema(Schema):
    """A refused import: the portal's error body, each error with its line."""

    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.List(fields.Nested(ImportLineErrorSchema), required=True)


class ImportFileSchema(Schema):
    file = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "CSV, UTF-8"},
    )


class StepViewInSchema(Schema):
    journey = fields.String(
        required=True,
        validate=validate.Length(min=22, max=64),
        metadata={"description": "Random token per form fill, never tied to an account"},
    )
    service_id = fields.String(required=True, validate=SERVICE_ID)
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    step = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "A step id of that version, or _submitted"},
    )
    at = UtcDateTime(required=True, metadata={"description": "Not in the future, ≤ 30 days old"})
    campaign = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={
            "description": "The campaign tag the journey began with (a flyer's ?q=); an"
            " unknown tag is not stored"
        },
    )


class StepViewsInSchema(Schema):
    views = fields.List(
        fields.Nested(StepViewInSchema), required=True, validate=validate.Length(min=1, max=100)
    )


class EntryInSchema(Schema):
    tag = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "The campaign tag of the flyer's QR code (?q=)"},
    )
    service_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"description": "The service page landed on; omitted: the start page"},
    )


class AcceptedSchema(Schema):
    accepted = fields.Integer(
        required=True, metadata={"description": "New views (repeats and views > 30 days old not)"}
    )


_CALENDAR = validate.Range(min=stats.FIRST_DAY, max=stats.LAST_DAY)


class RangeQuerySchema(Schema):
    from_ = fields.Date(
        data_key="from",
        load_default=None,
        validate=_CALENDAR,
        metadata={
            "description": "First day of a month, 2000-01-01..2100-12-31 (default: the"
            " month eleven months before ``to``)"
        },
    )
    to = fields.Date(
        load_default=None,
        validate=_CALENDAR,
        metadata={"description": "Last day of a month (default: the end of this month)"},
    )


class CsvExportQuerySchema(RangeQuerySchema):
    table = fields.String(
        load_default="services",
        validate=validate.OneOf(("services", "campaigns")),
        metadata={"description": "services (default) or campaigns (landings per tag)"},
    )


class FiguresQuerySchema(RangeQuerySchema):
    service_id = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "Omitted or empty: all services"},
    )
    group = fields.String(load_default="month", validate=validate.OneOf(stats.GROUPS))


class QuoteEntrySchema(Schema):
    online = fields.Integer(allow_none=True, required=True)
    counter = fields.Integer(allow_none=True, required=True)
    quote = fields.Float(allow_none=True, required=True)
    suppressed = fields.Boolean(required=True)


class QuotePeriodSchema(QuoteEntrySchema):
    period = fields.String(required=True)


class QuoteSchema(Schema):
    periods = fields.List(fields.Nested(QuotePeriodSchema), required=True)
    total = fields.Nested(QuoteEntrySchema, required=True)
    target = fields.Nested(TargetSchema, allow_none=True, required=True)


class GaveUpSchema(Schema):
    step = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    count = fields.Integer(allow_none=True, required=True)


class FunnelSchema(Schema):
    started = fields.Integer(allow_none=True, required=True)
    submitted = fields.Integer(allow_none=True, required=True)
    paid = fields.Integer(allow_none=True, required=True)
    decided = fields.Integer(allow_none=True, required=True)
    completed = fields.Integer(allow_none=True, required=True)
    abandoned = fields.Integer(allow_none=True, required=True)
    median_start_to_submit_hours = fields.Float(allow_none=True, required=True)
    suppressed = fields.Boolean(required=True)
    gave_up_at = fields.List(fields.Nested(GaveUpSchema), required=True)


class StatisticsProcessingPeriodSchema(Schema):
    period = fields.String(required=True)
    decided = fields.Integer(allow_none=True, required=True)
    median_hours = fields.Float(allow_none=True, required=True)
    p90_hours = fields.Float(allow_none=True, required=True)


class StatisticsProcessingSchema(Schema):
    decided = fields.Integer(allow_none=True, required=True)
    median_hours = fields.Float(allow_none=True, required=True)
    p90_hours = fields.Float(allow_none=True, required=True)
    auto_share = fields.Float(allow_none=True, required=True)
    overdue = fields.Integer(allow_none=True, required=True)
    suppressed = fields.Boolean(required=True)
    periods = fields.List(fields.Nested(StatisticsProcessingPeriodSchema), required=True)


class MethodCountSchema(Schema):
    method = fields.String(required=True)
    count = fields.Integer(allow_none=True, required=True)


class LevelCountSchema(Schema):
    level = fields.String(
        required=True, metadata={"description": "email | passkey | eid | unknown"}
    )
    count = fields.Integer(allow_none=True, required=True)


class ShareSchema(Schema):
    share = fields.Float(allow_none=True, required=True)
    count = fields.Integer(allow_none=True, required=True)


class ChannelsSchema(Schema):
    payment_methods = fields.List(fields.Nested(MethodCountSchema), required=True)
    push_opt_in = fields.Nested(ShareSchema, required=True)
    email_opt_in = fields.Nested(ShareSchema, required=True)
    installed_app = fields.Nested(ShareSchema, required=True)
    trust_levels = fields.List(fields.Nested(LevelCountSchema), required=True)
    suppressed = fields.Boolean(required=True)


class CampaignFigureSchema(Schema):
    tag = fields.String(required=True)
    name = fields.String(required=True)
    entries = fields.Integer(allow_none=True, required=True, metadata={"description": "Landings"})
    submitted = fields.Integer(
        allow_none=True, required=True, metadata={"description": "Applications sent from them"}
    )
    suppressed = fields.Boolean(required=True)


class CampaignFiguresSchema(Schema):
    tags = fields.List(fields.Nested(CampaignFigureSchema), required=True)
    suppressed = fields.Boolean(required=True)


class FiguresSchema(Schema):
    service_id = fields.String(allow_none=True, required=True)
    from_ = fields.Date(data_key="from", attribute="from", required=True)
    to = fields.Date(required=True)
    group = fields.String(required=True)
    min_cases = fields.Integer(required=True)
    aggregated_at = UtcDateTime(allow_none=True, required=True)
    quote = fields.Nested(QuoteSchema, required=True)
    funnel = fields.Nested(FunnelSchema, required=True)
    processing = fields.Nested(StatisticsProcessingSchema, required=True)
    channels = fields.Nested(ChannelsSchema, required=True)
    campaigns = fields.Nested(CampaignFiguresSchema, required=True)


class AggregationSchema(Schema):
    aggregated_at = UtcDateTime(required=True)
    days = fields.Integer(required=True, metadata={"description": "Days recomputed"})


class AggregationQueuedSchema(Schema):
    queued = fields.Boolean(required=True)
    pending_days = fields.Integer(required=True, metadata={"description": "Days to recompute"})
    message = fields.String(required=True, metadata={"description": "A note for the user"})


class StatisticsExportRowSchema(Schema):
    service_id = fields.String(required=True)
    month = fields.String(required=True)
    online = fields.Integer(allow_none=True, required=True)
    counter = fields.Integer(allow_none=True, required=True)
    quote = fields.Float(allow_none=True, required=True)
    started = fields.Integer(allow_none=True, required=True)
    submitted = fields.Integer(allow_none=True, required=True)
    decided = fields.Integer(allow_none=True, required=True)
    median_processing_hours = fields.Float(allow_none=True, required=True)


class CampaignExportRowSchema(Schema):
    tag = fields.String(required=True)
    name = fields.String(required=True)
    service_id = fields.String(required=True, metadata={"description": "Empty: the start page"})
    month = fields.String(required=True)
    entries = fields.Integer(allow_none=True, required=True)
    submitted = fields.Integer(allow_none=True, required=True)


class StatisticsExportSchema(Schema):
    min_cases = fields.Integer(required=True)
    from_ = fields.Date(data_key="from", attribute="from", required=True)
    to = fields.Date(required=True)
    rows = fields.List(fields.Nested(StatisticsExportRowSchema), required=True)
    campaigns = fields.List(
        fields.Nested(CampaignExportRowSchema),
        required=True,
        metadata={"description": "Landings and applications per campaign tag, page and month"},
    )


# --- helpers -------------------------------------------------------------------------


def _range(query: dict[str, Any]) -> tuple[date, date]:
    """The requested whole months; by default the twelve months up to this one.

    Only whole months: with arbitrary days one could ask for two ranges a day apart and
    subtract, learning a count the threshold hides (see docs/statistics.md)."""
    end = query.get("to") or stats.month_end(records.today())
    start = query.get("from_")
    if start is None:
        back = end.year * 12 + end.month - 1 - 11
        start = date(back // 12, back % 12 + 1, 1)
    errors = []
    if start.day != 1:
        errors.append(FieldError("from", "statistics_whole_month_start"))
    if end != stats.month_end(end):
        errors.append(FieldError("to", "statistics_whole_month_end"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    if start > end:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("from", "statistics_range_reversed")]
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("from", "statistics_range_too_long")]
        )
    return start, end


def _service_view(item: dict[str, Any], targets: dict) -> dict[str, Any]:
    return {
        "service_id": item["service_id"],
        "title": item["title"],
        "target": records.target_view(targets.get(item["service_id"])),
    }


# --- routes --------------------------------------------------------------------------


@staff_blp.route("/counter-cases", methods=["POST"])
@roles_required("staff", "admin")
@staff_blp.arguments(CounterCaseInSchema)
@staff_blp.response(201, CounterCaseSchema)
@staff_blp.alt_response(200, schema=CounterCaseSchema, description="A repeat (same key)")
def record_counter_case(data: dict[str, Any]):
    """Record one case handled at the counter ("Im Bürgerbüro erfasst").

    Staff of the service's area and admins. Send ``Idempotency-Key``: a repeat answers
    200 with the first case. Stores service and day only (who recorded it for audit).
    """
    case, created = records.record_counter_case(
        require_user(), data["service_id"], data["day"], idempotency_key(), client_ip()
    )
    return records.counter_case_view(case), 201 if created else 200


@blp.route("/services", methods=["GET"])
@roles_required(*STATISTICS_ROLES)
@blp.response(200, ServicesSchema)
def list_services():
    """Every service that ever had a published version (no surveys), with its target."""
    targets = records.targets()
    return {"services": [_service_view(item, targets) for item in records.services()]}


@blp.route("/targets/<string:service_id>", methods=["PUT"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(TargetInSchema)
@blp.response(200, TargetSchema)
def put_target(data: dict[str, Any], service_id: str):
    """Set the online-quote target: baseline year (and quote) plus percentage points.

    Without ``baseline_quote`` the aggregated quote of the baseline year is taken; 422
    on ``baseline_quote`` when that year has fewer than five cases.
    """
    records.service(service_id)
    baseline_quote = data["baseline_quote"]
    if baseline_quote is None:
        baseline_quote = figures.year_quote(service_id, data["baseline_year"])
    target = records.set_target(
        require_user(),
        service_id,
        data["baseline_year"],
        data["points"],
        baseline_quote,
        client_ip(),
    )
    return records.target_view(target)


@blp.route("/targets/<string:service_id>", methods=["DELETE"])
@roles_required(*STATISTICS_ROLES)
@blp.response(204)
def delete_target(service_id: str):
    """Remove a service's target (also when it has none)."""
    records.delete_target(require_user(), service_id, client_ip())


@blp.route("/counter-counts", methods=["GET"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(CounterCountsQuerySchema, location="query")
@blp.response(200, CounterCountsSchema)
def counter_counts(query: dict[str, Any]):
    """Counter cases per service and month: typed in, imported and recorded."""
    year = query["year"] or records.today().year
    return {"counts": records.counter_counts(query["service_id"] or None, year)}


@blp.route("/counter-counts/<string:service_id>/<string:month>", methods=["PUT"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(CounterMonthInSchema)
@blp.response(200, CounterCountSchema)
def put_counter_month(data: dict[str, Any], service_id: str, month: str):
    """Type in a month's counter count (``YYYY-MM``); it replaces the earlier one."""
    return records.set_counter_month(require_user(), service_id, month, data["count"], client_ip())


@blp.route("/counter-imports", methods=["POST"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, CounterImportResultSchema)
@blp.alt_response(422, schema=ImportErrorSchema, description="Errors by line; nothing stored")
def import_counter_counts(_files: dict[str, Any]):
    """Import daily counter counts from a CSV file (field ``file``).

    Header ``service_id;day;count`` (or ``dienst;datum;anzahl``), ``;`` or ``,``,
    dates ``YYYY-MM-DD`` or ``DD.MM.YYYY``, UTF-8 with or without BOM. A service's
    count of a day replaces the one imported before. Any error: nothing is stored.
    """
    upload = request.files["file"]
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("file", "statistics_import_too_large", {"max_mb": 2})],
        )
    try:
        return records.import_counts(require_user(), content, client_ip())
    except records.ImportRefused as refused:
        lang = locale()
        response = jsonify(
            {
                "status": 422,
                "code": refused.code,
                "message": translate(f"errors.{refused.code}", lang),
                "errors": [
                    {
                        "line": item.line,
                        "field": item.field,
                        "code": item.code,
                        "message": translate(f"fields.{item.code}", lang),
                    }
                    for item in refused.lines
                ],
            }
        )
        response.status_code = 422
        response.headers["Content-Language"] = lang
        return response


@blp.route("/step-views", methods=["POST"])
@limiter.limit("30 per minute; 600 per hour")
@blp.arguments(StepViewsInSchema)
@blp.response(202, AcceptedSchema)
def post_step_views(data: dict[str, Any]):
    """Anonymous form-step views from the PWA, batched (≤ 100), offline-tolerant.

    The same (journey, step) counts once; views older than 30 days are dropped.
    """
    return {"accepted": records.record_step_views(data["views"])}


@blp.route("/entries", methods=["POST"])
@limiter.limit("20 per minute; 200 per hour")
@blp.arguments(EntryInSchema)
@blp.response(204)
def post_entry(data: dict[str, Any]):
    """One anonymous landing through a campaign's QR code (``?q=<tag>``).

    Counted per Berlin day, tag and page, only for tags the city created: an unknown tag
    (or a page that is no published service) is answered 204 as well, and not counted.
    Nothing about the device, account or address is kept.
    """
    campaigns.count_entry(data["tag"], data["service_id"] or None)


@blp.route("/figures", methods=["GET"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(FiguresQuerySchema, location="query")
@blp.response(200, FiguresSchema)
def get_figures(query: dict[str, Any]):
    """Quote, funnel, processing and channels of a service (or all) per period.

    Read from the daily aggregate only. Counts of 1–4 are ``null`` with
    ``suppressed: true``; ratios and percentiles from fewer than 5 cases are ``null``.
    """
    service_id = query["service_id"] or None
    if service_id:
        records.service(service_id)
    start, end = _range(query)
    return figures.figures(service_id, start, end, query["group"])


@blp.route("/aggregation", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour")
@roles_required(*STATISTICS_ROLES)
@blp.response(200, AggregationSchema)
@blp.alt_response(
    202, schema=AggregationQueuedSchema, description="Too many days: handed to the job queue"
)
def run_aggregation():
    """Bring the daily aggregate up to date now (what the nightly job does).

    With no earlier run or more than 62 days to recompute, the run goes to the job
    queue instead: 202 with a note; ``aggregated_at`` of the figures tells when it is
    done."""
    pending = aggregation.pending_days()
    if aggregation.last_run() is None or pending > aggregation.MAX_INLINE_DAYS:
        aggregation.aggregate_statistics_soon()
        body = {
            "queued": True,
            "pending_days": pending,
            "message": translate("messages.statistics_aggregation_queued", locale()),
        }
        return jsonify(body), 202
    run = aggregation.run()
    return {"aggregated_at": run.aggregated_at, "days": run.days}


@blp.route("/export.json", methods=["GET"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(RangeQuerySchema, location="query")
@blp.response(200, StatisticsExportSchema)
def export_json(query: dict[str, Any]):
    """Open data: per service and month the aggregate counts (no personal data)."""
    start, end = _range(query)
    return {
        "min_cases": stats.MIN_CASES,
        "from": start,
        "to": end,
        "rows": figures.export_rows(start, end),
        "campaigns": figures.campaign_export_rows(start, end),
    }


@blp.route("/export.csv", methods=["GET"])
@roles_required(*STATISTICS_ROLES)
@blp.arguments(CsvExportQuerySchema, location="query")
@file_response(blp, ["text/csv"], "Open data as CSV (UTF-8, comma), suppressed cells empty")
def export_csv(query: dict[str, Any]):
    """Open data as CSV: one row per service and month (``table=campaigns``: per
    campaign tag, page and month), suppressed cells empty."""
    start, end = _range(query)
    out = io.StringIO()
    if query["table"] == "campaigns":
        columns, rows = figures.CAMPAIGN_EXPORT_COLUMNS, figures.campaign_export_rows(start, end)
        prefix = "kampagnen"
    else:
        columns, rows = figures.EXPORT_COLUMNS, figures.export_rows(start, end)
        prefix = "statistik"
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    name = f"{prefix}-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


__all__ = ["blp", "staff_blp"]
