"""Refuses input no field can hold, before any view runs.

Text: the NUL character (PostgreSQL cannot store it in any text column, SQLite can)
and unpaired UTF-16 surrogates (``"\\ud800"`` is valid JSON but no valid text: it
cannot be encoded to UTF-8, so storing or echoing it would be a server error).

Numbers: ``NaN``, ``Infinity`` and ``-Infinity`` (Python's JSON parser accepts them,
but they are no JSON: stored, they would later be served as a document no client can
read).

JSON shape: nesting deeper than ``INPUT_MAX_DEPTH``, arrays or objects with more than
``INPUT_MAX_ITEMS`` members, or more than ``INPUT_MAX_VALUES`` values in all. No form
needs more; without the bounds a deeply nested body overflows the parser's recursion
and a huge array costs seconds of validation before anything can refuse it.

Checked once for every request (the API, and the simulators' and sandbox's pages):
the path, the query, JSON bodies and form fields, each answered with the field it came
from. Upload file names are cleaned where they are stored instead (they come from the
device, not from typing).
"""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import NotFound

from app.errors import DomainError, FieldError

NUL = "\x00"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _refuse(field: str, code: str, **params: Any) -> None:
    raise DomainError("invalid_input", field_errors=[FieldError(field, code, params)])


def _printable(part: str) -> str:
    # A field name may itself hold the bad character; the answer must stay encodable.
    return part.encode("utf-8", "backslashreplace").decode("utf-8")


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(_printable(part) for part in path) or "_body"


def text_problem(text: str) -> str | None:
    """The field error code for text no field can hold, or None when it is fine."""
    if NUL in text:
        return "invalid_characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "invalid_unicode"
    return None


def check_json(value: Any, max_depth: int, max_items: int, max_values: int) -> None:
    """Refuse ``value`` (parsed JSON) if any text, number or its shape is out of bounds.

    Walks without recursion, so the check itself cannot overflow, and stops at the
    first problem, so its cost is bounded by the limits, not by the body.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    seen = 0
    while stack:
        item, path = stack.pop()
        seen += 1
        if seen > max_values:
            _refuse("_body", "too_many_values", max=max_values)
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                _refuse(_dotted(path), problem)
            continue
        if isinstance(item, float) and not math.isfinite(item):
            _refuse(_dotted(path), "not_finite")
        if not isinstance(item, dict | list):
            continue
        if len(path) >= max_depth:
            _refuse(_dotted(path), "nesting_too_deep", max=max_depth)
        if len(item) > max_items:
            _refuse(_dotted(path), "too_many_items", max=max_items)
        if isinstance(item, dict):
            for key, member in item.items():
                problem = text_problem(key)
                if problem:
                    _refuse(_dotted((*path, key)), problem)
                stack.append((member, (*path, key)))
        else:
            stack.extend((member, (*path, str(index))) for index, member in enumerate(item))


def _json_body() -> Any:
    try:
        return request.get_json(silent=True)
    except RecursionError:
        # The parser gave up long past any limit; the body is refused as too deep.
        _refuse("_body", "nesting_too_deep", max=current_app.config["INPUT_MAX_DEPTH"])


def _check_request() -> None:
    if NUL in request.path:
        raise NotFound()
    # A request without a body type (most GETs) has no form fields or JSON to look at.
    typed = bool(request.environ.get("CONTENT_TYPE"))
    # Only form bodies have form fields (the types werkzeug parses); asking any other
    # request for them would parse nothing at some cost.
    form = typed and request.mimetype in _FORM_TYPES
    sources = (request.args, request.form) if form else (request.args,)
    for fields in sources:
        for key, values in fields.lists():
            for text in (key, *values):
                problem = text_problem(text)
                if problem:
                    _refuse(_printable(key), problem)
    if typed and request.is_json:
        config = current_app.config
        check_json(
            _json_body(),
            config["INPUT_MAX_DEPTH"],
            config["INPUT_MAX_ITEMS"],
            config["INPUT_MAX_VALUES"],
        )


def register(app: Flask) -> None:
    """Check every request's text and JSON shape before its view runs."""
    app.before_request(_check_request)
