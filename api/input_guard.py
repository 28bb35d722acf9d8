"""Refuses text no field can hold: the NUL character.

PostgreSQL cannot store it in any text column (SQLite can), so without this a NUL in a
name, a search or an address would be a server error on one database and stored on
the other. Checked once for every request (the API, and the simulators' and sandbox's
pages), before any view runs: the path, the query, JSON bodies and form fields, each
answered with the field it came from. Upload file names are cleaned where they are
stored instead (they come from the device, not from typing).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import NotFound

from app.errors import DomainError, FieldError

NUL = "\x00"


def _first_nul(value: Any, path: str) -> str | None:
    """The dotted path of the first string (key or value) in ``value`` holding NUL."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return where
            found = _first_nul(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_nul(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _refuse(field: str) -> None:
    raise DomainError("invalid_input", field_errors=[FieldError(field, "invalid_characters")])


def _check_request() -> None:
    if NUL in request.path:
        raise NotFound()
    for fields in (request.args, request.form):
        for key, values in fields.lists():
            if NUL in key or any(NUL in value for value in values):
                _refuse(key)
    if request.is_json:
        field = _first_nul(request.get_json(silent=True), "")
        if field:
            _refuse(field)


def register(app: Flask) -> None:
    """Check every request for NUL characters before its view runs."""
    app.before_request(_check_request)
