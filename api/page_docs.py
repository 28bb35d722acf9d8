"""OpenAPI entries for the routes that serve pages and files rather than JSON.

The web shell (``api.web``), the API documentation (``api.docs``) and the document
itself are plain Flask routes; flask-smorest cannot read their responses from
decorators, so they are described here. The stand-ins for outside systems (payment
sandbox, eID simulator, mail outbox) are refused in production and stay out.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from flask import Flask
from flask_smorest import Api

from api.schemas import BINARY

_TEXT = {"type": "string"}
_ERRORS = {"default": {"$ref": "#/components/responses/DEFAULT_ERROR"}}
_SCRIPT_TYPES = ("text/javascript", "application/javascript")


def _files(description: str, content_types: tuple[str, ...], schema: dict[str, Any]) -> dict:
    return {
        "description": description,
        "content": {content_type: {"schema": schema} for content_type in content_types},
    }


def _get(summary: str, responses: dict[str, Any]) -> dict:
    return {"get": {"summary": summary, "tags": ["pages"], "responses": {**responses, **_ERRORS}}}


_SHELL = _get(
    "The web app: a built file of the PWA, or its HTML shell at a client-side address",
    {
        "200": _files("The shell (HTML) or a built file", ("text/html", "*/*"), BINARY),
        "302": {"description": "Development only: on to the configured host name"},
    },
)
# Endpoint -> its documentation (the path and its parameters come from the URL rule).
_PAGES = {
    "api-docs.openapi_json": _get(
        "This document",
        {
            "200": _files(
                "The OpenAPI description of the API",
                ("application/json",),
                {
                    "type": "object",
                    "required": ["openapi", "info", "paths"],
                    "properties": {
                        "openapi": _TEXT,
                        "info": {"type": "object", "additionalProperties": True},
                        "paths": {"type": "object", "additionalProperties": True},
                    },
                    "additionalProperties": True,
                },
            )
        },
    ),
    "docs.docs_page": _get(
        "Interactive API documentation (Swagger UI)",
        {"200": _files("The documentation page", ("text/html",), _TEXT)},
    ),
    "docs.docs_init": _get(
        "The script that starts Swagger UI",
        {"200": _files("The script", _SCRIPT_TYPES, _TEXT)},
    ),
    "docs.swagger_assets": _get(
        "Swagger UI's own files",
        {"200": _files("A script, style sheet, image or map", ("*/*",), BINARY)},
    ),
    "web.shell": _SHELL,
    "web.city_stylesheet": _get(
        "The city's colours as KERN theme variables",
        {"200": _files("The style sheet", ("text/css",), _TEXT)},
    ),
    "web.city_logo": _get(
        "The city's emblem",
        {"200": _files("The emblem", ("image/svg+xml",), _TEXT)},
    ),
    "web.city_manifest": _get(
        "The web app manifest, with the city's name, colour and emblem",
        {
            "200": _files(
                "The manifest",
                ("application/manifest+json",),
                {
                    "type": "object",
                    "required": ["name", "icons", "theme_color"],
                    "properties": {
                        "name": _TEXT,
                        "theme_color": _TEXT,
                        "icons": {"type": "array", "items": {"type": "object"}},
                    },
                    "additionalProperties": True,
                },
            )
        },
    ),
    "metrics.metrics_text": {
        "get": {
            "summary": "Metrics in the Prometheus text format (METRICS_TOKEN or this machine)",
            "tags": ["monitoring"],
            "security": [{"metrics_token": []}],
            "responses": {
                "200": _files("This node's metrics", ("text/plain",), _TEXT),
                **_ERRORS,
            },
        }
    },
}


def document(app: Flask, api: Api) -> None:
    """Add the page and file routes of ``app`` to ``api``'s OpenAPI document."""
    api.spec.tag({"name": "pages", "description": "The web app and the API documentation"})
    api.spec.tag({"name": "monitoring", "description": "Metrics for Prometheus"})
    api.spec.components.security_scheme("metrics_token", {"type": "http", "scheme": "bearer"})
    for rule in app.url_map.iter_rules():
        operations = _PAGES.get(rule.endpoint)
        if operations is not None:
            api.spec.path(rule=rule, operations=deepcopy(operations))
