"""Hot lists sent as JSON without marshmallow's dump, held to their documented schema.

A list endpoint documents its body with a schema (``@blp.response(200, Schema(many=True))``)
and flask-smorest dumps every row through it. For a list of 20 rows with nested parts
that dump cost as much as reading the rows. Where a view already builds each row in
exactly the documented shape, :func:`documented` sends it as it is.

The body is written by orjson, many times faster than the standard library's encoder
for a list of rows, in the form the portal's JSON provider writes (keys sorted, UTF-8
text unescaped, naive timestamps as UTC with ``Z``, dates as ``YYYY-MM-DD``). A JSON
column can go out as it is stored (:func:`stored_json`), neither parsed nor written
again.

That the shape is exact is checked, not trusted: under ``CHECK_DOCUMENTED_JSON`` (on in
the test environment, so in every test that requests these lists, the OpenAPI fuzz
test included) each body is also dumped through its schema and written by the portal's
JSON provider, and a difference in what either says fails the request loudly.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response, current_app
from marshmallow import Schema

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


class UndocumentedBody(AssertionError):
    """A body sent directly differs from what its documented schema would send."""


class StoredJSON:
    """A JSON column's text as stored, sent as it is (see :func:`stored_json`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def stored_json(text: str | None) -> StoredJSON | None:
    """A JSON column's text as stored, to go into a :func:`documented` body as it is
    (the column's field wrote it with ``json.dumps``, so it is valid JSON)."""
    return None if text is None else StoredJSON(text)


def _default(value: Any) -> Any:
    if type(value) is StoredJSON:
        return orjson.Fragment(value.text)
    # Anything else orjson does not know is written as the portal's provider writes it.
    return current_app.json.default(value)


def _read_back(value: Any) -> Any:
    """``value`` with every stored JSON text parsed, for the schema to dump."""
    if type(value) is StoredJSON:
        return json.loads(value.text)
    if isinstance(value, dict):
        return {key: _read_back(member) for key, member in value.items()}
    if isinstance(value, list | tuple):
        return [_read_back(member) for member in value]
    return value


def documented(body: Any, schema: Schema) -> Response:
    """``body`` as a JSON response, sent as it is; it must equal ``schema``'s dump."""
    sent = orjson.dumps(body, default=_default, option=_OPTIONS)
    if current_app.config["CHECK_DOCUMENTED_JSON"]:
        dumped = current_app.json.dumps(schema.dump(_read_back(body)))
        if json.loads(dumped) != json.loads(sent):
            raise UndocumentedBody(
                f"{type(schema).__name__} would send {dumped[:2000]}, not {sent[:2000]!r}"
            )
    # As flask-smorest would send the dump: the JSON provider's mimetype, and its
    # closing newline.
    return current_app.response_class(sent + b"\n", mimetype=current_app.json.mimetype)
