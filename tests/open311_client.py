"""A small Open311 GeoReport v2 client, written from the published specification
(https://wiki.open311.org/GeoReport_v2) and nothing else: it knows no module of the
portal, only an endpoint URL, so it reads and files reports as any Open311 app would.

Both formats are read: JSON with ``requests``' decoder, XML with the standard library.
A non-2xx answer raises :class:`Open311Failure` with the standard's error list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import requests

# The element names of XML answers (GeoReport v2).
_LIST_ITEMS = {"services": "service", "service_requests": "request", "errors": "error"}
# Fields the specification types as numbers or booleans; everything else is text.
_FLOATS = ("lat", "long")
_BOOLEANS = ("metadata",)


@dataclass
class Open311Failure(Exception):
    """An error answer: the HTTP status and the standard's ``[{code, description}]``."""

    status: int
    errors: list[dict[str, Any]]


def _value(element: ET.Element) -> Any:
    children = list(element)
    if children:
        if element.tag == "attributes":
            return [_value(child) for child in children]
        return {child.tag: _value(child) for child in children}
    text = element.text or ""
    if element.tag in _FLOATS:
        return float(text) if text else None
    if element.tag in _BOOLEANS:
        return text == "true"
    if element.tag == "code":
        return int(text)
    return text or None


def parse_xml(text: bytes) -> Any:
    """An XML answer as the same lists and objects the JSON answer has."""
    root = ET.fromstring(text)
    item = _LIST_ITEMS.get(root.tag)
    if item is None:
        return _value(root)
    return [_value(child) for child in root if child.tag == item]


class Open311Client:
    """GeoReport v2 against ``endpoint`` (e.g. ``https://city.example/open311/v2``)."""

    def __init__(self, endpoint: str, api_key: str | None = None, fmt: str = "json") -> None:
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.fmt = fmt
        self.session = requests.Session()

    def _read(self, response: requests.Response) -> Any:
        if self.fmt == "xml":
            assert response.headers["Content-Type"].startswith("text/xml")
            body = parse_xml(response.content)
        else:
            assert response.headers["Content-Type"].startswith("application/json")
            body = response.json()
        if not response.ok:
            raise Open311Failure(response.status_code, body)
        return body

    def _get(self, path: str, **params: Any) -> Any:
        url = f"{self.endpoint}/{path}.{self.fmt}"
        return self._read(self.session.get(url, params=params, timeout=30))

    def services(self) -> list[dict[str, Any]]:
        """GET services: the service list."""
        return self._get("services")

    def service_definition(self, service_code: str) -> dict[str, Any]:
        """GET services/{service_code}: a service's attributes."""
        return self._get(f"services/{service_code}")

    def create_request(
        self,
        service_code: str,
        *,
        lat: float | None = None,
        long: float | None = None,
        address_string: str | None = None,
        description: str = "",
        email: str | None = None,
        media: bytes | None = None,
        **extra: Any,
    ) -> list[dict[str, Any]]:
        """POST requests: a new service request (form-encoded; multipart with media)."""
        form = {"service_code": service_code, "description": description, **extra}
        if self.api_key is not None:
            form["api_key"] = self.api_key
        for name, value in (
            ("lat", lat),
            ("long", long),
            ("address_string", address_string),
            ("email", email),
        ):
            if value is not None:
                form[name] = value
        files = {"media": ("photo.jpg", media, "image/jpeg")} if media is not None else None
        response = self.session.post(
            f"{self.endpoint}/requests.{self.fmt}", data=form, files=files, timeout=30
        )
        return self._read(response)

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """GET requests with the standard filters (service_request_id, service_code,
        start_date, end_date, status; lists comma-separated)."""
        params = {
            name: ",".join(value) if isinstance(value, list | tuple) else value
            for name, value in filters.items()
        }
        return self._get("requests", **params)

    def request(self, service_request_id: str) -> dict[str, Any]:
        """GET requests/{id}: one service request (the answer is a list of one)."""
        found = self._get(f"requests/{service_request_id}")
        assert isinstance(found, list) and len(found) == 1
        return found[0]

    def token(self, token: str) -> list[dict[str, Any]]:
        """GET tokens/{token}: the service request id a token stands for."""
        return self._get(f"tokens/{token}")
