"""The public report list in pages: keyset by (created, id), stable while reports
arrive, and a cursor that is not one of ours is a field error in German and English."""

from __future__ import annotations

from datetime import timedelta

from app.db import db, utcnow
from app.models import DefectReport
from tests.api.test_reports import _file


def _released(client, clerk, count: int, same_moment: bool = False) -> list[int]:
    """``count`` released reports, newest last; with ``same_moment`` all made at one
    instant (the id decides their order)."""
    made = []
    for _ in range(count):
        report_id = _file(client).get_json()["id"]
        answer = clerk.post(
            f"/api/staff/reports/{report_id}/moderation", json={"visibility": "public"}
        )
        assert answer.status_code == 200, answer.get_json()
        made.append(report_id)
    if same_moment:
        moment = utcnow() - timedelta(hours=1)
        with db.connection_context():
            DefectReport.update(created_at=moment).where(DefectReport.id.in_(made)).execute()
    return made


def _pages(client, limit: int, between=None) -> list[list[int]]:
    pages = []
    after = None
    while True:
        url = f"/api/reports?limit={limit}" + (f"&after={after}" if after else "")
        answer = client.get(url)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        pages.append([item["id"] for item in body["items"]])
        after = body["next"]
        if after is None:
            return pages
        if between:
            between()


def test_pages_are_newest_first_and_end_with_no_cursor(client, signed_in):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    made = _released(client, clerk, 5)
    assert _pages(client, 2) == [made[::-1][0:2], made[::-1][2:4], made[::-1][4:]]
    one_page = client.get("/api/reports?limit=5").get_json()
    assert [r["id"] for r in one_page["items"]] == made[::-1] and one_page["next"] is None
    # Without a limit: 20 a page.
    assert len(client.get("/api/reports").get_json()["items"]) == 5


def test_paging_is_stable_while_reports_arrive(client, signed_in):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    # Reports of the same instant: only the id tells them apart.
    made = _released(client, clerk, 5, same_moment=True)
    arrived: list[int] = []
    pages = _pages(client, 2, between=lambda: arrived.extend(_released(client, clerk, 1)))
    seen = [report_id for page in pages for report_id in page]
    # Every report there at the start, once, in order; the new ones are on a fresh first page.
    assert seen == made[::-1]
    assert len(arrived) == 2
    assert [r["id"] for r in client.get("/api/reports?limit=2").get_json()["items"]] == (
        arrived[::-1]
    )


def test_a_foreign_cursor_is_a_field_error_in_german_and_english(client):
    for bad in ("nonsense", "eHl6fDIwMjYtMDEtMDFUMDA6MDA6MDB8MQ", "!!", "cmVwb3J0c3x4fHk"):
        german = client.get(f"/api/reports?after={bad}")
        assert german.status_code == 422, (bad, german.get_json())
        [error] = german.get_json()["errors"]
        assert (error["field"], error["code"]) == ("after", "report_cursor_invalid")
        assert error["message"] == (
            "Diese Seite der Liste gibt es nicht. Bitte laden Sie die Liste neu."
        )
    english = client.get("/api/reports?after=nonsense", headers={"Accept-Language": "en"})
    assert english.get_json()["errors"][0]["message"] == (
        "This page of the list does not exist. Please load the list again."
    )
    too_many = client.get("/api/reports?limit=101")
    assert too_many.status_code == 422
    assert too_many.get_json()["errors"][0]["field"] == "limit"


def test_the_cursor_is_documented(client):
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/reports"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert "next" in parameters["after"]["description"]
    assert parameters["limit"]["schema"]["maximum"] == 100
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = page["$ref"].rsplit("/", 1)[-1]
    schema = document["components"]["schemas"][name]
    assert set(schema["required"]) == {"items", "next"}
    assert "after" in schema["properties"]["next"]["description"]
