"""City surveys (answered by citizens, anonymously where the survey allows it), the
satisfaction question after an application, and their results for admins and the
``statistics`` role."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.admin_services import TEXT, VersionSchema
from api.applications import idempotency_key
from api.definition_schema import StepSchema
from api.limits import limiter
from api.schemas import TextSchema, file_response
from api.security import client_ip, current_user, login_required, require_user, roles_required
from app.applications.served import served
from app.console import services
from app.surveys import answer as answer_survey
from app.surveys import answered_by, open_surveys, periods, published, results, satisfaction
from app.surveys import summary as survey_summary

blp = Blueprint("surveys", __name__, url_prefix="/api", description="Surveys and satisfaction")

# Who reads results: admins and the statistics role (issue 15's access rule).
RESULT_ROLES = ("admin", "statistics")
SURVEY_AREA = "umfragen"


# --- Schemas ------------------------------------------------------------------------


class SatisfactionInSchema(Schema):
    rating = fields.Integer(required=True, validate=validate.OneOf(satisfaction.RATINGS))
    comment = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=satisfaction.MAX_COMMENT)
    )


class SatisfactionSchema(Schema):
    application_id = fields.String(required=True)
    rating = fields.Integer(required=True)
    comment = fields.String(required=True)
    day = fields.Date(required=True)


class SatisfactionStateSchema(Schema):
    given = fields.Boolean(
        required=True, metadata={"description": "Whether the question was answered already"}
    )


class RangeQuerySchema(Schema):
    """A whole period: ``group`` and ``period`` (``2026-03``, ``2026-Q1``, ``2026``), or
    ``from`` on the first and ``to`` on the last day of a month (either may be left
    open). Other ranges are refused with a field error."""

    start = fields.Date(
        load_default=None, data_key="from", metadata={"description": "First day of a month"}
    )
    end = fields.Date(
        load_default=None, data_key="to", metadata={"description": "Last day of a month"}
    )
    group = fields.String(load_default=None, validate=validate.OneOf(periods.GROUPS))
    period = fields.String(
        load_default=None,
        validate=validate.Length(max=7),
        metadata={"description": "The period's label within group: 2026-03, 2026-Q1, 2026"},
    )


class SatisfactionQuerySchema(RangeQuerySchema):
    service_id = fields.String(load_default=None, validate=validate.Length(max=64))


class CountSchema(Schema):
    count = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: fewer than 5"}
    )
    suppressed = fields.Boolean(required=True)


class RatingCountSchema(CountSchema):
    rating = fields.Integer(required=True)


class CommentSchema(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM of the answer"})
    text = fields.String(required=True)


class SatisfactionResultSchema(Schema):
    service_id = fields.String(required=True, allow_none=True)
    # The domain's dicts say "from" and "to", as the API does.
    start = fields.Date(required=True, allow_none=True, attribute="from", data_key="from")
    end = fields.Date(required=True, allow_none=True, attribute="to", data_key="to")
    min_cases = fields.Integer(required=True)
    answers = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: fewer than 5"}
    )
    average = fields.Float(required=True, allow_none=True)
    distribution = fields.List(fields.Nested(RatingCountSchema), required=True)
    comments = fields.List(fields.Nested(CommentSchema), required=True)
    suppressed = fields.Boolean(required=True)


class SurveyBlockSchema(Schema):
    anonymous = fields.Boolean(required=True)
    one_answer_per = fields.String(required=True, validate=validate.OneOf(["account", "device"]))
    banner = fields.Nested(TextSchema, required=True)
    opens = fields.String(metadata={"description": "YYYY-MM-DD, first day of answers"})
    closes = fields.String(metadata={"description": "YYYY-MM-DD, last day of answers"})


class SurveySummarySchema(Schema):
    id = fields.String(required=True)
    version = fields.Integer(required=True)
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    banner = fields.Nested(TextSchema, required=True)
    anonymous = fields.Boolean(required=True)
    one_answer_per = fields.String(required=True, validate=validate.OneOf(["account", "device"]))
    opens = fields.String(required=True, allow_none=True)
    closes = fields.String(required=True, allow_none=True)
    open = fields.Boolean(required=True)


class SurveyDefinitionSchema(Schema):
    """A survey's definition: the form the PWA renders with the services' components."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.Equal("survey"))
    version = fields.Integer(required=True)
    leika = fields.String(allow_none=True)
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    category = fields.String(required=True)
    area = fields.String(required=True)
    trust_level = fields.String(required=True)
    trust_note = fields.Nested(TextSchema)
    residence = fields.String()
    survey = fields.Nested(SurveyBlockSchema, required=True)
    steps = fields.List(fields.Nested(StepSchema), required=True)
    warnings = fields.List(fields.Dict(), required=True)


class SurveyDetailSchema(Schema):
    survey = fields.Nested(SurveySummarySchema, required=True)
    definition = fields.Nested(SurveyDefinitionSchema, required=True)
    answered = fields.Boolean(
        required=True,
        metadata={"description": "The signed-in account answered already (surveys per account)"},
    )


class ResponseInSchema(Schema):
    answers = fields.Dict(keys=fields.String(), required=True)
    device = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"description": "The device's random token (surveys limited per device)"},
    )


class ResponseSchema(Schema):
    service_id = fields.String(required=True)
    version = fields.Integer(required=True)
    day = fields.Date(required=True)


class OptionCountSchema(CountSchema):
    value = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)


class QuestionResultSchema(Schema):
    field_id = fields.String(required=True)
    type = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)
    answered = fields.Nested(CountSchema, required=True)
    options = fields.List(fields.Nested(OptionCountSchema), required=True)


class TextResultSchema(Schema):
    field_id = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)
    answers = fields.List(fields.String(), required=True)


class SurveyResultSchema(Schema):
    service_id = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    # The domain's dicts say "from" and "to", as the API does.
    start = fields.Date(required=True, allow_none=True, attribute="from", data_key="from")
    end = fields.Date(required=True, allow_none=True, attribute="to", data_key="to")
    min_cases = fields.Integer(required=True)
    answers = fields.Integer(required=True, allow_none=True)
    suppressed = fields.Boolean(required=True)
    questions = fields.List(fields.Nested(QuestionResultSchema), required=True)
    texts = fields.List(fields.Nested(TextResultSchema), required=True)


class SurveyRowSchema(Schema):
    service_id = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    state = fields.String(required=True, metadata={"description": "The newest version's state"})
    published_version = fields.Integer(required=True, allow_none=True)
    results_version = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The newest published or retired version; null: no results"},
    )
    open = fields.Boolean(required=True)
    answers = fields.Integer(required=True, allow_none=True)
    suppressed = fields.Boolean(required=True)


class NewSurveySchema(Schema):
    service_id = fields.String(required=True, validate=validate.Length(min=1, max=63))
    title_de = fields.String(required=True, validate=TEXT)
    title_en = fields.String(required=True, validate=TEXT)


# --- Satisfaction ---------------------------------------------------------------------


@blp.route("/applications/<string:application_id>/satisfaction", methods=["POST"])
@login_required
@blp.arguments(SatisfactionInSchema)
@blp.response(201, SatisfactionSchema)
def give_satisfaction(data: dict[str, Any], application_id: str):
    """How satisfied the owner was with applying online (once per application).

    409 ``satisfaction_given`` for a second answer; the same ``Idempotency-Key`` again
    answers 200 with the first one.
    """
    found, created = satisfaction.give(
        require_user(), application_id, data["rating"], data["comment"], idempotency_key()
    )
    body = {
        "application_id": found.application_id,
        "rating": found.rating,
        "comment": found.comment,
        "day": found.day,
    }
    return body, 201 if created else 200


@blp.route("/applications/<string:application_id>/satisfaction", methods=["GET"])
@login_required
@blp.response(200, SatisfactionStateSchema)
def satisfaction_state(application_id: str):
    """Whether the owner answered the satisfaction question for this application."""
    return {"given": satisfaction.given(require_user(), application_id) is not None}


@blp.route("/statistics/satisfaction", methods=["GET"])
@roles_required(*RESULT_ROLES)
@blp.arguments(SatisfactionQuerySchema, location="query")
@blp.response(200, SatisfactionResultSchema)
def satisfaction_results(query: dict[str, Any]):
    """Satisfaction per service (all services without ``service_id``); counts below 5
    are null and suppressed."""
    return results.satisfaction(query["service_id"], *_period(query))


@blp.route("/statistics/satisfaction.csv", methods=["GET"])
@roles_required(*RESULT_ROLES)
@blp.arguments(RangeQuerySchema, location="query")
@file_response(blp, ["text/csv"], "One row per service: answers, average, count per rating")
def satisfaction_csv(query: dict[str, Any]):
    """Satisfaction of every service as CSV (suppressed cells empty)."""
    return _csv(results.satisfaction_csv(*_period(query)), "zufriedenheit.csv")


# --- City surveys (citizens) ----------------------------------------------------------


@blp.route("/surveys", methods=["GET"])
@blp.response(200, SurveySummarySchema(many=True))
def list_open_surveys():
    """The surveys open today (the start page's banner offers them)."""
    return [survey_summary(definition) for definition in open_surveys()]


@blp.route("/surveys/<string:service_id>", methods=["GET"])
@blp.response(200, SurveyDetailSchema)
def get_survey(service_id: str):
    """A published survey with its form."""
    record, definition = published(service_id)
    return {
        "survey": survey_summary(definition),
        "definition": served(definition, record.fingerprint)[0],
        "answered": answered_by(service_id, current_user()),
    }


@blp.route("/surveys/<string:service_id>/responses", methods=["POST"])
@limiter.limit("10 per minute; 100 per day")
@blp.arguments(ResponseInSchema)
@blp.response(201, ResponseSchema)
def answer(data: dict[str, Any], service_id: str):
    """Answer a survey: anonymously where it allows it, once per account or device
    (409 ``survey_answered``); answers are checked like an application's (422). The same
    ``Idempotency-Key`` again answers 200 with the first answer."""
    stored, created = answer_survey(
        service_id,
        data["answers"],
        current_user(),
        data["device"],
        str(current_app.config.get("SECRET_KEY") or ""),
        key=idempotency_key(),
    )
    body = {"service_id": stored.service_id, "version": stored.version, "day": stored.day}
    return body, 201 if created else 200


# --- Results and the console ----------------------------------------------------------


@blp.route("/statistics/surveys", methods=["GET"])
@roles_required(*RESULT_ROLES)
@blp.response(200, SurveyRowSchema(many=True))
def list_surveys():
    """Every survey (drafts too) with its number of answers."""
    return results.survey_rows()


@blp.route("/statistics/surveys/<string:service_id>/results", methods=["GET"])
@roles_required(*RESULT_ROLES)
@blp.arguments(RangeQuerySchema, location="query")
@blp.response(200, SurveyResultSchema)
def survey_results(query: dict[str, Any], service_id: str):
    """Per question: the distribution of choices, the free texts (from 5 answers)."""
    return results.survey_results(service_id, *_period(query))


@blp.route("/statistics/surveys/<string:service_id>/results.csv", methods=["GET"])
@roles_required(*RESULT_ROLES)
@blp.arguments(RangeQuerySchema, location="query")
@file_response(
    blp, ["text/csv"], "Counts per question and option (suppressed empty) and free texts"
)
def survey_results_csv(query: dict[str, Any], service_id: str):
    """The results as CSV: counts per question and option, free texts (no single
    answer's row, no day, no account)."""
    text = results.survey_csv(service_id, *_period(query))
    return _csv(text, f"umfrage-{service_id}.csv")


@blp.route("/admin/surveys", methods=["POST"])
@roles_required("admin")
@blp.arguments(NewSurveySchema)
@blp.response(201, VersionSchema)
def create_survey(data: dict[str, Any]):
    """Start a new survey from the survey template, as a draft for the builder."""
    return services.create_from_template(
        data["service_id"].strip(),
        {"de": data["title_de"].strip(), "en": data["title_en"].strip()},
        SURVEY_AREA,
        require_user(),
        client_ip(),
        kind="survey",
    )


def _period(query: dict[str, Any]):
    return periods.whole(query["start"], query["end"], query["group"], query["period"])


def _csv(text: str, filename: str) -> Response:
    # A BOM so spreadsheet programs read the umlauts as UTF-8.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
