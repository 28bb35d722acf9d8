"""The statistics API: counter cases (idempotent, days checked), typed and imported
counter counts (re-import replaces, errors by line and nothing stored), targets, step
views (repeats count once, offline queues drain), figures from real submissions with
the sign-in method and the decider recorded, and the session's display mode."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from app.db import db
from app.models import AuthSession, CounterCase, CounterImport, SignInRecord, StepView
from app.statistics import records
from tests.api.engine_helpers import submitted
from tests.statistics.helpers import definition

JOURNEY = "Z" * 24


def _version() -> int:
    with db.connection_context():
        return definition("waste_bins").version


def _codes(response) -> dict[str, str]:
    return {item["field"]: item["code"] for item in response.get_json()["errors"]}


def test_counter_case_defaults_to_today_and_a_retry_records_once(signed_in):
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    headers = {"Idempotency-Key": "case-1"}
    first = clerk.post(
        "/api/staff/counter-cases", json={"service_id": "waste_bins"}, headers=headers
    )
    assert first.status_code == 201
    assert first.get_json()["day"] == records.today().isoformat()
    again = clerk.post(
        "/api/staff/counter-cases", json={"service_id": "waste_bins"}, headers=headers
    )
    assert again.status_code == 200 and again.get_json() == first.get_json()
    with db.connection_context():
        assert CounterCase.select().count() == 1
        assert CounterCase.get().recorded_by.email == "clerk@example.org"


def test_counter_case_days_and_services_are_checked(signed_in):
    admin = signed_in("admin@example.org", "admin")
    today = records.today()
    cases = {
        (today + timedelta(days=1)).isoformat(): "statistics_day_in_future",
        (today - timedelta(days=400)).isoformat(): "statistics_day_too_old",
    }
    for day, code in cases.items():
        response = admin.post(
            "/api/staff/counter-cases", json={"service_id": "waste_bins", "day": day}
        )
        assert response.status_code == 422 and _codes(response) == {"day": code}
    unknown = admin.post("/api/staff/counter-cases", json={"service_id": "nope"})
    assert unknown.status_code == 422 and _codes(unknown) == {
        "service_id": "statistics_unknown_service"
    }
    english = signed_in("admin@example.org", "admin")
    english.lang = "en"
    message = english.post("/api/staff/counter-cases", json={"service_id": "nope"}).get_json()
    assert message["errors"][0]["message"].startswith("This service does not exist")
    with db.connection_context():
        assert CounterCase.select().count() == 0


def test_typed_month_replaces_the_earlier_one(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    month = f"{records.today().year}-01"
    assert (
        analyst.put(
            f"/api/statistics/counter-counts/waste_bins/{month}", json={"count": 5}
        ).status_code
        == 200
    )
    row = analyst.put(
        f"/api/statistics/counter-counts/waste_bins/{month}", json={"count": 7}
    ).get_json()
    assert row == {
        "service_id": "waste_bins",
        "month": month,
        "typed": 7,
        "imported": 0,
        "recorded": 0,
    }
    listing = analyst.get(
        f"/api/statistics/counter-counts?service_id=waste_bins&year={month[:4]}"
    ).get_json()
    assert len(listing["counts"]) == 12 and listing["counts"][0]["typed"] == 7
    bad = analyst.put("/api/statistics/counter-counts/waste_bins/2026-13", json={"count": 1})
    assert bad.status_code == 422 and _codes(bad) == {"month": "statistics_invalid_month"}
    negative = analyst.put(f"/api/statistics/counter-counts/waste_bins/{month}", json={"count": -1})
    assert negative.status_code == 422


def _upload(api, content: bytes):
    return api.post(
        "/api/statistics/counter-imports",
        data={"file": (io.BytesIO(content), "zahlen.csv")},
        content_type="multipart/form-data",
    )


def test_import_in_german_with_bom_and_re_import_replaces(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    day = records.today() - timedelta(days=3)
    before = day - timedelta(days=1)
    german = (
        f"dienst;datum;anzahl\r\nwaste_bins;{day:%d.%m.%Y};4\r\nwaste_bins;{before:%d.%m.%Y};2\r\n"
    )
    response = _upload(analyst, "\ufeff".encode() + german.encode())
    assert response.status_code == 200 and response.get_json() == {"imported": 2, "days": 2}
    again = _upload(analyst, f"service_id,day,count\nwaste_bins,{day.isoformat()},6\n".encode())
    assert again.status_code == 200
    with db.connection_context():
        counts = {row.day: row.count for row in CounterImport.select()}
    assert sorted(counts.values()) == [2, 6]  # replaced, not added


def test_import_errors_name_lines_and_store_nothing(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    future = records.today() + timedelta(days=2)
    content = (
        "service_id;day;count\n"
        "waste_bins;2026-01-05;3\n"
        "nope;2026-01-05;3\n"
        f"waste_bins;{future.isoformat()};x\n"
        "waste_bins;31.02.2026;1\n"
    ).encode()
    response = _upload(analyst, content)
    assert response.status_code == 422
    errors = {(item["line"], item["field"], item["code"]) for item in response.get_json()["errors"]}
    assert errors == {
        (3, "service_id", "statistics_unknown_service"),
        (4, "day", "statistics_day_in_future"),
        (4, "count", "statistics_invalid_count"),
        (5, "day", "invalid_date"),
    }
    assert all(item["message"] for item in response.get_json()["errors"])
    with db.connection_context():
        assert CounterImport.select().count() == 0
    header = _upload(analyst, b"a;b;c\n1;2;3\n")
    assert header.status_code == 422 and header.get_json()["errors"][0]["line"] == 1
    latin = _upload(
        analyst, "dienst;datum;anzahl\nwaste_bins;01.01.2026;3 Fälle\n".encode("cp1252")
    )
    assert latin.get_json()["errors"][0]["code"] == "statistics_import_encoding"


def test_targets(signed_in):
    admin = signed_in("admin@example.org", "admin")
    missing = admin.put(
        "/api/statistics/targets/waste_bins", json={"baseline_year": 2025, "points": 10}
    )
    assert missing.status_code == 422 and _codes(missing) == {
        "baseline_quote": "statistics_baseline_unavailable"
    }
    set_ = admin.put(
        "/api/statistics/targets/waste_bins",
        json={"baseline_year": 2025, "points": 10, "baseline_quote": 0.42},
    )
    assert set_.status_code == 200
    assert set_.get_json() == {
        "baseline_year": 2025,
        "baseline_quote": 0.42,
        "points": 10.0,
        "target_quote": 0.52,
    }
    services = {
        s["service_id"]: s for s in admin.get("/api/statistics/services").get_json()["services"]
    }
    assert services["waste_bins"]["target"]["target_quote"] == 0.52
    assert services["dog_tax_registration"]["target"] is None
    assert admin.delete("/api/statistics/targets/waste_bins").status_code == 204
    assert admin.delete("/api/statistics/targets/waste_bins").status_code == 204
    services = {
        s["service_id"]: s for s in admin.get("/api/statistics/services").get_json()["services"]
    }
    assert services["waste_bins"]["target"] is None
    too_big = admin.put(
        "/api/statistics/targets/waste_bins", json={"baseline_year": 2025, "points": 500}
    )
    assert too_big.status_code == 422


def test_target_baseline_from_the_aggregated_year(signed_in):
    admin = signed_in("admin@example.org", "admin")
    citizen = signed_in("citizen@example.org")
    for number in range(6):
        submitted(citizen, "waste_bins", key=f"k{number}")
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    for _ in range(5):
        clerk.post("/api/staff/counter-cases", json={"service_id": "waste_bins"})
    admin.post("/api/statistics/aggregation")
    year = records.today().year
    response = admin.put(
        "/api/statistics/targets/waste_bins", json={"baseline_year": year, "points": 5}
    )
    assert response.status_code == 200
    assert response.get_json()["baseline_quote"] == round(6 / 11, 4)  # 6 online of 11


def _view(step: str, at: datetime, journey: str = JOURNEY) -> dict:
    return {
        "journey": journey,
        "service_id": "waste_bins",
        "version": _version(),
        "step": step,
        "at": at.isoformat() + "Z",
    }


def test_step_views_count_once_and_old_ones_drain(client):
    now = datetime.utcnow()
    views = [_view("property", now), _view("property", now), _view("bins_step", now)]
    first = client.post("/api/statistics/step-views", json={"views": views})
    assert first.status_code == 202 and first.get_json() == {"accepted": 2}
    again = client.post(
        "/api/statistics/step-views",
        json={"views": [*views, _view("confirm", now - timedelta(days=31))]},
    )
    assert again.status_code == 202 and again.get_json() == {"accepted": 0}
    with db.connection_context():
        assert StepView.select().count() == 2
        assert {v.step for v in StepView.select()} == {"property", "bins_step"}


def test_step_views_are_checked(client):
    now = datetime.utcnow()
    cases = [
        ({**_view("property", now), "journey": "short"}, "views.0.journey"),
        (_view("no_such_step", now), "views.0.step"),
        ({**_view("property", now), "version": 999}, "views.0.version"),
        (_view("property", now + timedelta(hours=1)), "views.0.at"),
    ]
    for view, field in cases:
        response = client.post("/api/statistics/step-views", json={"views": [view]})
        assert response.status_code == 422 and field in _codes(response), view
    too_many = [_view("property", now, journey=f"{JOURNEY}{n:03d}") for n in range(101)]
    assert client.post("/api/statistics/step-views", json={"views": too_many}).status_code == 422
    with db.connection_context():
        assert StepView.select().count() == 0


def test_figures_from_real_submissions_and_decisions(signed_in):
    citizen = signed_in("citizen@example.org")
    references = [submitted(citizen, "waste_bins", key=f"s{n}")["reference"] for n in range(5)]
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    for reference in references:
        moved = clerk.post(
            f"/api/staff/applications/{reference}/transitions",
            json={"to": "rejected", "message": "Leider nicht möglich."},
        )
        assert moved.status_code == 200, moved.get_json()
    analyst = signed_in("analyst@example.org", "statistics")
    # The first run (no earlier one) goes to the job queue (run at once in the tests).
    first = analyst.post("/api/statistics/aggregation")
    assert first.status_code == 202 and first.get_json()["queued"] is True
    assert first.get_json()["message"]
    run = analyst.post("/api/statistics/aggregation")  # a few days: in the request
    assert run.status_code == 200 and run.get_json()["days"] >= 1
    result = analyst.get("/api/statistics/figures?service_id=waste_bins").get_json()
    assert result["funnel"]["submitted"] == 5 and result["funnel"]["decided"] == 5
    assert result["funnel"]["completed"] == 5
    assert result["processing"]["auto_share"] == 0.0  # a clerk decided each
    assert result["channels"]["trust_levels"] == [{"level": "email", "count": 5}]
    assert result["aggregated_at"].endswith("Z")
    assert result["quote"]["periods"][-1]["online"] == 5


def test_figures_query_is_checked(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    reversed_ = analyst.get("/api/statistics/figures?from=2026-02-01&to=2026-01-31")
    assert reversed_.status_code == 422 and _codes(reversed_) == {
        "from": "statistics_range_reversed"
    }
    assert analyst.get("/api/statistics/figures?group=week").status_code == 422
    assert analyst.get("/api/statistics/figures?service_id=nope").status_code == 422
    assert analyst.get("/api/statistics/figures?service_id=").get_json()["service_id"] is None
    year = analyst.get(
        "/api/statistics/figures?from=2025-11-01&to=2026-02-28&group=year"
    ).get_json()
    assert [p["period"] for p in year["quote"]["periods"]] == ["2025", "2026"]


def test_sessions_remember_the_display_mode(client, app):
    email = "pwa@example.org"
    assert client.post("/api/auth/email/start", json={"email": email}).status_code == 202
    verified = client.post(
        "/api/auth/email/verify",
        json={"email": email, "code": client.latest_code(email)},
        headers={"Portal-Display-Mode": "standalone"},
    )
    assert verified.status_code == 200
    with db.connection_context():
        assert AuthSession.get().display_mode == "standalone"
        assert SignInRecord.get().display_mode == "standalone"


def test_automatic_decisions_are_counted(signed_in):
    from tests.api.test_registry_information import ERIKA, _requested

    citizen = signed_in("auskunft@example.org")
    for number in range(5):
        assert _requested(citizen, ERIKA, key=f"auto-{number}")["status"] == "approved"
    analyst = signed_in("analyst@example.org", "statistics")
    analyst.post("/api/statistics/aggregation")
    result = analyst.get("/api/statistics/figures?service_id=registry_information_simple")
    figures = result.get_json()
    assert figures["processing"]["decided"] == 5
    assert figures["processing"]["auto_share"] == 1.0  # decided by the system
