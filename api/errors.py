"""One error format for every failure, in German or English by ``Accept-Language``.

    {"status": 422, "code": "invalid_input", "message": "...",
     "errors": [{"field": "email", "code": "invalid_email", "message": "..."}]}

Unknown routes, wrong methods, oversized and malformed bodies, rate limits and
unexpected exceptions all use it; no HTML error page and no stack trace leaves.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from app.errors import DomainError, FieldError
from app.i18n import negotiate, translate

log = logging.getLogger(__name__)

_KIND_STATUS = {
    "invalid": 422,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "gone": 410,
    "precondition_failed": 412,
    "precondition_required": 428,
    "too_many": 429,
}
_STATUS_CODE = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
}

# marshmallow reports problems as English sentences; map its templates to our codes
# so the message can be given in the citizen's language with the same parameters.
_MARSHMALLOW_TEMPLATES = [
    ("Missing data for required field.", "required"),
    ("Field may not be null.", "required"),
    ("Unknown field.", "unknown_field"),
    ("Not a valid email address.", "invalid_email"),
    ("Not a valid date.", "invalid_date"),
    ("Not a valid datetime.", "invalid_date"),
    ("Not a valid string.", "invalid_type"),
    ("Not a valid integer.", "invalid_type"),
    ("Not a valid number.", "invalid_type"),
    ("Not a valid boolean.", "invalid_type"),
    ("Not a valid list.", "invalid_type"),
    ("Not a valid mapping type.", "invalid_type"),
    ("Invalid input type.", "invalid_type"),
    ("Invalid value.", "invalid_value"),
    ("Shorter than minimum length {min}.", "too_short"),
    ("Longer than maximum length {max}.", "too_long"),
    ("Length must be between {min} and {max}.", "length_between"),
    ("Length must be {equal}.", "length_equal"),
    ("Must be one of: {choices}.", "invalid_choice"),
    ("Must be greater than or equal to {min} and less than or equal to {max}.", "out_of_range"),
    ("Must be greater than or equal to {min}.", "too_small"),
    ("Must be less than or equal to {max}.", "too_large"),
    ("String does not match expected pattern.", "invalid_format"),
]
_MARSHMALLOW_PATTERNS = [
    (
        re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)) + "$"),
        code,
    )
    for template, code in _MARSHMALLOW_TEMPLATES
]


def locale() -> str:
    """The response language for the current request."""
    try:
        return negotiate(request.headers.get("Accept-Language"))
    except RuntimeError:
        return "de"


def field_message(error: FieldError, lang: str) -> str:
    """The text of one field error."""
    if error.messages:
        return error.messages.get(lang) or error.messages.get("de") or error.code
    return translate(f"fields.{error.code}", lang, **error.params)


def error_response(
    status: int,
    code: str,
    field_errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    **params: Any,
) -> Response:
    """Build the JSON error response in the request's language; ``extra`` adds keys a
    route documents for this error (the current state on a conflict)."""
    lang = locale()
    body = {
        **(extra or {}),
        "status": status,
        "code": code,
        "message": translate(f"errors.{code}", lang, **params),
        "errors": [
            {"field": e.field, "code": e.code, "message": field_message(e, lang)}
            for e in field_errors or []
        ],
    }
    response = jsonify(body)
    response.status_code = status
    response.headers["Content-Language"] = lang
    return response


def _from_marshmallow(message: str) -> tuple[str, dict[str, str]]:
    for pattern, code in _MARSHMALLOW_PATTERNS:
        match = pattern.match(message)
        if match:
            return code, match.groupdict()
    return "invalid_value", {}


def flatten_messages(messages: Any, prefix: str = "") -> list[FieldError]:
    """Turn webargs/marshmallow nested messages into field errors with dotted paths."""
    errors: list[FieldError] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            # webargs nests by location ("json", "query"); that is not part of the field.
            if not prefix and key in ("json", "query", "form", "headers", "files", "view_args"):
                errors.extend(flatten_messages(value, ""))
            elif key == "_schema":
                errors.extend(flatten_messages(value, prefix))
            else:
                errors.extend(flatten_messages(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, str):
                code, params = _from_marshmallow(item)
                errors.append(FieldError(prefix or "_body", code, params))
            else:
                errors.extend(flatten_messages(item, prefix))
    elif isinstance(messages, str):
        code, params = _from_marshmallow(messages)
        errors.append(FieldError(prefix or "_body", code, params))
    return errors


def handle_http_exception(exc: HTTPException) -> Response:
    """Render any HTTP error (404, 405, 413, 422 from webargs, 429 ...) in our format."""
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if status == 422 and messages:
        return error_response(422, "invalid_input", flatten_messages(messages))
    if status == 400 and messages:
        # webargs answers a body that is not JSON with 400 and a message on "json".
        return error_response(400, "malformed_json")
    code = _STATUS_CODE.get(status, "http_error")
    response = error_response(status, code)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 429 and getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_domain_error(exc: DomainError) -> Response:
    """Render a refusal from the domain layer."""
    status = _KIND_STATUS.get(exc.kind, 422)
    return error_response(status, exc.code, exc.field_errors, **exc.params)


def handle_unexpected(exc: Exception) -> Response:
    """Log the exception and answer a plain 500 without internals."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error")


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
