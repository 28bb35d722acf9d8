"""Helpers for tests of the services engine through the API."""

from __future__ import annotations

from typing import Any

from tests.api.service_answers import complete_answers


def start(
    api, service_id: str, answers: dict[str, Any] | None = None, key: str | None = None
) -> dict[str, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    response = api.post(
        "/api/applications",
        json={"service_id": service_id, "answers": answers or {}},
        headers=headers,
    )
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def save(api, draft: dict[str, Any], answers: dict[str, Any]):
    return api.put(
        f"/api/applications/{draft['id']}",
        json={"answers": answers},
        headers={"If-Match": f'"{draft["revision"]}"'},
    )


def submitted(
    api, service_id: str, key: str = "submit-1", answers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A submitted application of ``service_id`` with complete answers."""
    draft = start(api, service_id, answers if answers is not None else complete_answers(service_id))
    response = api.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
