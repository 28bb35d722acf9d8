"""GeoReport v2's two formats: the same answer as JSON or as XML (``xml.etree``), and
errors as the standard's list of ``{code, description}``."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response

FORMATS = ("json", "xml")
# The XML root and item element of each kind of answer (GeoReport v2).
ELEMENTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner))
    elif isinstance(value, list):
        singular = name[:-1] if name.endswith("s") else name
        for inner in value:
            element.append(_element(singular, inner))
    else:
        element.text = _text(value)
    return element


def to_xml(root: str, item: str | None, body: Any) -> bytes:
    """``body`` (a list of items, or one object) as an XML document."""
    top = ET.Element(root)
    if item is None:
        for key, value in body.items():
            top.append(_element(key, value))
    else:
        for entry in body:
            top.append(_element(item, entry))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def answer(fmt: str, kind: str, body: Any, status: int = 200) -> Response:
    """The answer in the asked format; ``kind`` names the XML elements (ELEMENTS, or
    ``service_definition`` for one object)."""
    if fmt == "xml":
        root, item = ELEMENTS.get(kind, (kind, None))
        return Response(to_xml(root, item, body), status, mimetype="text/xml")
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype="application/json")


def errors(fmt: str, status: int, descriptions: list[str]) -> Response:
    """An error answer: one ``{code, description}`` per problem."""
    body = [{"code": status, "description": d} for d in descriptions]
    return answer(fmt, "errors", body, status)
