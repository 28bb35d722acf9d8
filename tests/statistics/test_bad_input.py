"""Bad input never reaches the aggregation and never answers 500: imported days outside
2000..today, counts that are not plain digits, CSV the csv module cannot read, step
views at the edges of the calendar, ranges at the years 1 and 9999 — and a stray row
of year 1 already stored does not stop the aggregation."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

import pytest

from app.db import db
from app.models import CounterImport, CounterMonth, StatisticsRun
from app.statistics import aggregation, day_start_utc, records
from tests.statistics.helpers import definition

JOURNEY = "Y" * 24


def _upload(api, content: bytes):
    return api.post(
        "/api/statistics/counter-imports",
        data={"file": (io.BytesIO(content), "zahlen.csv")},
        content_type="multipart/form-data",
    )


def _line_codes(response) -> set[tuple[int, str, str]]:
    return {(item["line"], item["field"], item["code"]) for item in response.get_json()["errors"]}


def test_imported_days_before_2000_are_refused_per_line(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    content = b"dienst;datum;anzahl\nwaste_bins;01.01.0001;3\nwaste_bins;31.12.1999;2\n"
    response = _upload(analyst, content)
    assert response.status_code == 422
    assert _line_codes(response) == {
        (2, "day", "statistics_day_before_2000"),
        (3, "day", "statistics_day_before_2000"),
    }
    with db.connection_context():
        assert CounterImport.select().count() == 0


def test_counts_must_be_plain_digits(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    day = records.today() - timedelta(days=2)
    for count in ("²", "٣", "9" * 5000, "12345678", "-1", "1e3"):
        content = f"service_id;day;count\nwaste_bins;{day.isoformat()};{count}\n".encode()
        response = _upload(analyst, content)
        assert response.status_code == 422, count
        assert _line_codes(response) == {(2, "count", "statistics_invalid_count")}, count


def test_unreadable_csv_is_a_file_error(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    day = records.today() - timedelta(days=2)
    huge = "x" * 200_000  # longer than the csv module's field limit
    content = f'service_id;day;count\nwaste_bins;{day.isoformat()};1\n"{huge}";a;1\n'.encode()
    response = _upload(analyst, content)
    assert response.status_code == 422
    assert {(field, code) for _line, field, code in _line_codes(response)} == {
        ("file", "statistics_import_malformed")
    }
    with db.connection_context():
        assert CounterImport.select().count() == 0


def test_a_stored_year_one_row_does_not_break_the_aggregation(app):
    with db.connection_context():
        CounterImport.create(service_id="waste_bins", day=date(1, 1, 1), count=3)
        CounterImport.create(service_id="waste_bins", day=date(9999, 12, 31), count=3)
        first = aggregation.run()
        assert first.days <= (records.today() - date(2000, 1, 1)).days + 1
        CounterImport.update(count=4).execute()
        aggregation.run()
        assert StatisticsRun.select().count() == 2
    assert day_start_utc(date(1, 1, 1)) < day_start_utc(date(2000, 1, 2))
    assert day_start_utc(date(9999, 12, 31)) > day_start_utc(date(2100, 1, 1))


@pytest.mark.parametrize(
    ("at", "status"),
    [
        ("0001-01-01T00:30:00+01:00", 422),  # UTC would be in the year 0
        ("9999-12-31T23:30:00-01:00", 422),  # UTC would be in the year 10000
        ("0001-01-01T00:00:00Z", 202),  # simply too old: dropped
    ],
)
def test_step_views_at_the_edges_of_the_calendar(client, at, status):
    with db.connection_context():
        version = definition("waste_bins").version
    view = {"journey": JOURNEY, "service_id": "waste_bins", "version": version}
    response = client.post(
        "/api/statistics/step-views", json={"views": [{**view, "step": "property", "at": at}]}
    )
    assert response.status_code == status, response.get_json()
    if status == 422:
        assert {item["field"] for item in response.get_json()["errors"]} == {"views.0.at"}


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=0001-01-31",
        "from=9999-12-01&to=9999-12-31",
        "to=9999-12-31",
        "from=0001-01-01",
    ],
)
def test_ranges_outside_2000_to_2100_are_field_errors(signed_in, query):
    analyst = signed_in("analyst@example.org", "statistics")
    for path in ("figures", "export.json", "export.csv"):
        response = analyst.get(f"/api/statistics/{path}?{query}")
        assert response.status_code == 422, (path, query)
        fields = {item["field"] for item in response.get_json()["errors"]}
        assert fields and fields <= {"from", "to"}


def test_only_whole_months(signed_in):
    analyst = signed_in("analyst@example.org", "statistics")
    for path in ("figures", "export.json", "export.csv"):
        start = analyst.get(f"/api/statistics/{path}?from=2026-01-02&to=2026-03-31")
        assert start.status_code == 422
        assert {(e["field"], e["code"]) for e in start.get_json()["errors"]} == {
            ("from", "statistics_whole_month_start")
        }
        end = analyst.get(f"/api/statistics/{path}?from=2026-01-01&to=2026-03-30")
        assert {(e["field"], e["code"]) for e in end.get_json()["errors"]} == {
            ("to", "statistics_whole_month_end")
        }
        assert all(e["message"] for e in end.get_json()["errors"])
        whole = analyst.get(f"/api/statistics/{path}?from=2024-02-01&to=2024-02-29")
        assert whole.status_code == 200


def test_concurrent_imports_and_typed_months_do_not_collide(app):
    """Many writers of the same (service, day) and (service, month) at once: every one
    succeeds, one row each remains (on PostgreSQL the update-then-insert raced)."""
    with db.connection_context():
        from app.accounts import users

        user = users.create_user("racer@example.org", "statistics", [])
    day = records.today() - timedelta(days=1)
    month = records.today().strftime("%Y-%m")
    failures: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(count: int) -> None:
        try:
            with db.connection_context():
                barrier.wait(timeout=10)
                content = f"service_id;day;count\nwaste_bins;{day.isoformat()};{count}\n"
                records.import_counts(user, content.encode())
                records.set_counter_month(user, "waste_bins", month, count)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(count,)) for count in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with db.connection_context():
        assert CounterImport.select().count() == 1
        assert CounterMonth.select().count() == 1
