"""City surveys and the satisfaction question after an online application.

A city survey is a service definition with ``kind: survey``: steps and fields as any
form, no workflow, fees, payment or documents, and a ``survey`` block that says whether
answering needs an account and whether one answer is allowed per account or per
device. Answers are checked against the definition exactly as applications' answers
are. Results (``app.surveys.results``) show counts only from ``MIN_CASES`` answers up.
No HTTP here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from app.applications import definitions
from app.applications.issues import domain_error
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import ServiceDefinitionRecord, SurveyResponse, User
from app.service_definitions import ServiceDefinition, validate_answers

CITY_TIMEZONE = ZoneInfo("Europe/Berlin")
# The privacy threshold of the statistics (issue 15): no count, share or average is
# shown from fewer than this many answers.
MIN_CASES = 5
# The PWA's device token: random, 22 to 64 URL-safe characters (ASCII only).
DEVICE_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def city_today(now: datetime | None = None) -> date:
    """Today's calendar day in the city (Europe/Berlin)."""
    moment = now or utcnow()
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(CITY_TIMEZONE).date()


def is_open(definition: ServiceDefinition, today: date | None = None) -> bool:
    """Whether a published survey takes answers today (``opens``/``closes`` inclusive)."""
    block = definition.data["survey"]
    day = (today or city_today()).isoformat()
    return block.get("opens", day) <= day <= block.get("closes", day)


def published(service_id: str) -> tuple[ServiceDefinitionRecord, ServiceDefinition]:
    """The newest published version of survey ``service_id``; a service or an unknown
    id is ``survey_not_found``."""
    try:
        record = definitions.published(service_id)
    except DomainError as exc:
        raise DomainError("survey_not_found", kind="not_found") from exc
    definition = definitions.definition_of(record)
    if not definitions.is_survey(definition):
        raise DomainError("survey_not_found", kind="not_found")
    return record, definition


def open_surveys(today: date | None = None) -> list[ServiceDefinition]:
    """The published surveys that take answers today, by id."""
    found = (definitions.definition_of(r) for r in definitions.newest_published(surveys=True))
    return [definition for definition in found if is_open(definition, today)]


def summary(definition: ServiceDefinition, today: date | None = None) -> dict[str, Any]:
    """What the banner and the list need of a survey."""
    block = definition.data["survey"]
    return {
        "id": definition.id,
        "version": definition.version,
        "title": definition.data["title"],
        "description": definition.data["description"],
        "banner": block["banner"],
        "anonymous": block["anonymous"],
        "one_answer_per": block["one_answer_per"],
        "opens": block.get("opens"),
        "closes": block.get("closes"),
        "open": is_open(definition, today),
    }


def device_hash(secret_key: str, service_id: str, token: str) -> str:
    """The stored form of a device token: an HMAC with the server's secret key over the
    survey and the token. The token stays on the device; the same device gets another
    hash in every survey, so the table links no answers across surveys, and without the
    key a known token cannot be looked up."""
    message = f"{service_id}|{token}".encode()
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _check_device(token: str | None) -> str | None:
    if token is None:
        return None
    if DEVICE_TOKEN.fullmatch(token) is None:
        raise DomainError("invalid_input", field_errors=[FieldError("device", "invalid_format")])
    return token


def answer(
    service_id: str,
    answers: Any,
    user: User | None,
    device: str | None,
    secret_key: str,
    today: date | None = None,
    key: str | None = None,
) -> tuple[SurveyResponse, bool]:
    """Store one answer to an open survey; returns it and whether it is new (the same
    ``key`` again, a retried request, finds the first answer).

    ``secret_key`` is the app's secret key (see ``device_hash``). A survey before its
    ``opens`` day is ``survey_not_open_yet`` (409), after ``closes`` ``survey_closed``.
    A survey that is not anonymous needs a signed-in user (401 otherwise); one limited
    per device needs the device token. A second answer from the same account or device
    is refused with ``survey_answered`` (409); the answers are validated against the
    survey's definition like an application's (422 with field errors).
    """
    record, definition = published(service_id)
    earlier = _earlier(service_id, key)
    if earlier is not None:
        return earlier, False
    day = today or city_today()
    if not is_open(definition, day):
        opens = definition.data["survey"].get("opens")
        if opens is not None and day.isoformat() < opens:
            raise DomainError("survey_not_open_yet", kind="conflict", opens=opens)
        raise DomainError("survey_closed", kind="conflict")
    block = definition.data["survey"]
    if not block["anonymous"] and user is None:
        raise DomainError("unauthorized", kind="unauthorized")
    token = _check_device(device)
    per_device = block["one_answer_per"] == "device"
    if per_device and token is None:
        raise DomainError("invalid_input", field_errors=[FieldError("device", "required")])
    result = validate_answers(definition, _untouched_unticked(definition, answers), today=day)
    if result.errors:
        raise domain_error(result.errors)
    # Anonymous answers keep no account; the account is kept only to count one answer
    # per account.
    owner = None if block["anonymous"] or per_device else user
    hashed = device_hash(secret_key, service_id, token) if per_device and token else None
    if owner is not None and _exists(service_id, SurveyResponse.user == owner):
        raise DomainError("survey_answered", kind="conflict")
    if hashed is not None and _exists(service_id, SurveyResponse.device_hash == hashed):
        raise DomainError("survey_answered", kind="conflict")
    try:
        with db.atomic():
            stored = SurveyResponse.create(
                service_id=service_id,
                version=record.version,
                day=day,
                answers=dict(result.answers),
                user=owner,
                device_hash=hashed,
                idempotency_key=key,
            )
    except peewee.IntegrityError as exc:
        # The same request twice at once, or the same account or device elsewhere.
        earlier = _earlier(service_id, key)
        if earlier is None:
            raise DomainError("survey_answered", kind="conflict") from exc
        return earlier, False
    return stored, True


def _untouched_unticked(definition: ServiceDefinition, answers: Any) -> Any:
    """The answers with every untouched checkbox as False: the form shows it unticked,
    and results count it as "No". Validation drops it again where the box is hidden."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        return answers
    filled = dict(answers)
    for step in definition.data["steps"]:
        for item in step["fields"]:
            if item["type"] == "checkbox" and filled.get(item["id"]) is None:
                filled[item["id"]] = False
    return filled


def _earlier(service_id: str, key: str | None) -> SurveyResponse | None:
    if not key:
        return None
    return SurveyResponse.get_or_none(
        (SurveyResponse.service_id == service_id) & (SurveyResponse.idempotency_key == key)
    )


def _exists(service_id: str, condition: Any) -> bool:
    return (
        SurveyResponse.select(SurveyResponse.id)
        .where((SurveyResponse.service_id == service_id) & condition)
        .exists()
    )


def answered_by(service_id: str, user: User | None) -> bool:
    """Whether ``user`` has answered survey ``service_id`` (only known for surveys kept
    per account)."""
    if user is None:
        return False
    return _exists(service_id, SurveyResponse.user == user)
