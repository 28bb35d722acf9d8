"""Who may use which statistics route: the statistics API only admins and the role
``statistics``; counter cases staff of the service's area and admins; step views
anyone (anonymous too). Every route, every role."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from app.db import db
from tests.statistics.helpers import definition

ROLES = ("anonymous", "citizen", "staff", "officer", "statistics", "admin")
STATISTICS_ONLY = {"statistics", "admin"}
JOURNEY = "k" * 30


def _import_body():
    return {"file": (io.BytesIO(b"service_id;day;count\nwaste_bins;2026-11-02;3\n"), "z.csv")}


ROUTES = [
    ("GET", "/api/statistics/services", None, STATISTICS_ONLY),
    (
        "PUT",
        "/api/statistics/targets/waste_bins",
        {"json": {"baseline_year": 2025, "points": 10, "baseline_quote": 0.4}},
        STATISTICS_ONLY,
    ),
    ("DELETE", "/api/statistics/targets/waste_bins", None, STATISTICS_ONLY),
    (
        "GET",
        "/api/statistics/counter-counts?service_id=waste_bins&year=2026",
        None,
        STATISTICS_ONLY,
    ),
    (
        "PUT",
        "/api/statistics/counter-counts/waste_bins/2026-11",
        {"json": {"count": 12}},
        STATISTICS_ONLY,
    ),
    ("POST", "/api/statistics/counter-imports", "import", STATISTICS_ONLY),
    ("GET", "/api/statistics/figures?group=quarter", None, STATISTICS_ONLY),
    ("POST", "/api/statistics/aggregation", None, STATISTICS_ONLY),
    ("GET", "/api/statistics/export.csv", None, STATISTICS_ONLY),
    ("GET", "/api/statistics/export.json", None, STATISTICS_ONLY),
    (
        "POST",
        "/api/staff/counter-cases",
        {"json": {"service_id": "waste_bins"}},
        {"staff", "admin"},
    ),
    (
        "POST",
        "/api/statistics/step-views",
        {
            "json": {
                "views": [
                    {
                        "journey": JOURNEY,
                        "service_id": "waste_bins",
                        "version": 1,
                        "step": "property",
                        "at": "NOW",
                    }
                ]
            }
        },
        set(ROLES),
    ),
]


def _client(role, client, signed_in):
    if role == "anonymous":
        return client
    areas = ("abfall",) if role == "staff" else ()
    return signed_in(f"{role}@example.org", role, areas)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_matrix(role, method, path, body, allowed, client, signed_in):
    api = _client(role, client, signed_in)
    kwargs = {}
    if body == "import":
        kwargs = {"data": _import_body(), "content_type": "multipart/form-data"}
    elif body:
        kwargs = {"json": body["json"]}
        if "views" in body["json"]:
            now = datetime.utcnow().isoformat() + "Z"
            with db.connection_context():
                version = definition("waste_bins").version
            view = {**body["json"]["views"][0], "at": now, "version": version}
            kwargs = {"json": {"views": [view]}}
    response = api.request(method, path, **kwargs)
    if role in allowed:
        assert response.status_code < 300, (role, response.get_json())
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), (
            role,
            response.status_code,
        )


def test_staff_of_another_area_may_not_record_counter_cases(signed_in):
    clerk = signed_in("dogs@example.org", "staff", ("hundesteuer",))
    response = clerk.post("/api/staff/counter-cases", json={"service_id": "waste_bins"})
    assert response.status_code == 403
    assert (
        clerk.post(
            "/api/staff/counter-cases", json={"service_id": "dog_tax_registration"}
        ).status_code
        == 201
    )


def test_statistics_role_reaches_no_other_console_route(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    for path in (
        "/api/admin/feedback",
        "/api/staff/applications",
        "/api/admin/users",
        "/api/admin/audit-log",
    ):
        assert analyst.get(path).status_code in (403, 404), path
