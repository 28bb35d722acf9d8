"""Hot lists sent as JSON without marshmallow's dump, held to their documented schema.

A list endpoint documents its body with a schema (``@blp.response(200, Schema(many=True))``)
and flask-smorest dumps every row through it. For a list of 20 rows with nested parts
that dump cost as much as reading the rows. Where a view already builds each row in
exactly the documented shape, :func:`documented` sends it as it is.

That the shape is exact is checked, not trusted: under ``CHECK_DOCUMENTED_JSON`` (on in
the test environment, so in every test that requests these lists, the OpenAPI fuzz
test included) each body is also dumped through its schema and a difference fails the
request loudly.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from marshmallow import Schema


class UndocumentedBody(AssertionError):
    """A body sent directly differs from what its documented schema would send."""


def documented(body: Any, schema: Schema) -> Response:
    """``body`` as a JSON response, sent as it is; it must equal ``schema``'s dump."""
    json = current_app.json
    if current_app.config["CHECK_DOCUMENTED_JSON"]:
        sent, dumped = json.dumps(body), json.dumps(schema.dump(body))
        if json.loads(dumped) != json.loads(sent):
            raise UndocumentedBody(
                f"{type(schema).__name__} would send {dumped[:2000]}, not {sent[:2000]}"
            )
    # As flask-smorest would send the dump: the same JSON provider and response.
    return json.response(body)
