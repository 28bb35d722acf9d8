"""Defect reports under the portal's privacy rules: the retention run erases the
reporter's data of reports closed long enough (exactly that, once, audit-logged), the
account export contains the citizen's reports, and a deleted account's reports stay
without the link and the address."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.config import ConfigError, load_config
from app.db import db, utcnow
from app.models import AuditEvent, DefectReport, ReportEvent, ReportPhoto, RetentionRun, User
from app.reports import erasure
from app.retention import runs
from tests.api.test_reports import POTHOLE, _file
from tests.reports.photos import png

DAY = timedelta(days=1)


def _closed(clerk, report_id: int, status: str = "done", days_ago: int = 100) -> None:
    """Close the report through the API and date its closing ``days_ago``."""
    if status == "merged":
        raise ValueError("merge through the API instead")
    moved = clerk.post(f"/api/staff/reports/{report_id}/status", json={"status": status})
    assert moved.status_code == 200, moved.get_json()
    _age(report_id, days_ago)


def _age(report_id: int, days_ago: int) -> None:
    then = utcnow() - days_ago * DAY
    with db.connection_context():
        ReportEvent.update(created_at=then).where(ReportEvent.report == report_id).execute()
        DefectReport.update(updated_at=then).where(DefectReport.id == report_id).execute()


def _report(report_id: int) -> DefectReport:
    with db.connection_context():
        return DefectReport.get_by_id(report_id)


def _photos(report_id: int) -> int:
    with db.connection_context():
        return ReportPhoto.select().where(ReportPhoto.report == report_id).count()


def _erased_audit() -> list[AuditEvent]:
    with db.connection_context():
        return list(
            AuditEvent.select()
            .where(AuditEvent.action == erasure.ACTION)
            .order_by(AuditEvent.subject_id)
        )


def _run(days: int | None = None) -> RetentionRun:
    with db.connection_context():
        return runs.run(started_by="cli", days_of_reports=days)


def test_the_run_erases_exactly_the_reporters_data_of_reports_closed_long_enough(client, signed_in):
    citizen = signed_in("melderin@example.org")
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    form = {**POTHOLE, "address": "Kölnstraße 40"}
    # Signed in, released with its photos: the photos and description stay public.
    public = _file(citizen, form, photos=[png(), png()]).get_json()["id"]
    clerk.post(
        f"/api/staff/reports/{public}/moderation",
        json={"visibility": "public", "photos_public": True},
    )
    # Anonymous with an address, never released: its photo and text were never public.
    hidden = _file(client, {**form, "email": "anonym@example.org"}, photos=[png()]).get_json()["id"]
    # Closed too recently, and one still being worked on.
    recent = _file(client, {**form, "email": "neu@example.org"}, photos=[png()]).get_json()["id"]
    working = _file(client, {**form, "email": "dran@example.org"}).get_json()["id"]
    _closed(clerk, public, "done", 91)
    _closed(clerk, hidden, "not_responsible", 200)
    _closed(clerk, recent, "done", 30)
    clerk.post(f"/api/staff/reports/{working}/status", json={"status": "in_progress"})
    _age(working, 400)

    with db.connection_context():
        due = runs.reports_report(days=90)
    assert (due.days, due.erased) == (90, 2)
    assert due.oldest is not None and due.oldest < utcnow() - 199 * DAY
    # The dry run changed nothing.
    assert _report(hidden).email == "anonym@example.org"

    record = _run(90)
    assert record.erased_reports == 2

    first = _report(public)
    assert (first.reporter_id, first.email, first.idempotency_key) == (None, None, None)
    assert first.address == "Kölnstraße" and first.street == "Kölnstraße"
    assert (first.lat, first.lon) == (50.804, 6.489)
    assert first.description == POTHOLE["description"]  # released: public anyway
    assert first.personal_data_erased_at is not None
    assert _photos(public) == 2  # released photos stay
    second = _report(hidden)
    assert (second.email, second.description, second.address) == (None, "", "Kölnstraße")
    assert _photos(hidden) == 0
    # Category, status and history stay.
    assert (second.category.code, second.status) == ("schlagloch", "not_responsible")
    with db.connection_context():
        assert ReportEvent.select().where(ReportEvent.report == hidden).count() == 2
    # Not closed long enough, or not closed: untouched.
    assert _report(recent).email == "neu@example.org" and _photos(recent) == 1
    assert _report(working).email == "dran@example.org"
    assert _report(working).personal_data_erased_at is None

    audit = _erased_audit()
    assert [(a.subject_type, a.subject_id) for a in audit] == sorted(
        [("defect_report", str(public)), ("defect_report", str(hidden))],
        key=lambda pair: pair[1],
    )
    details = {a.subject_id: a.details for a in audit}
    assert details[str(hidden)]["photos"] == 1 and details[str(public)]["photos"] == 0
    assert details[str(hidden)]["rule"] == erasure.RULE and details[str(hidden)]["days"] == 90
    assert details[str(hidden)]["run"] == record.id
    assert "anonym@example.org" not in json.dumps([a.details for a in audit])

    # Idempotent: a second run finds nothing and logs nothing more.
    assert _run(90).erased_reports == 0
    assert len(_erased_audit()) == 2
    # The public list still shows the released report.
    shown = client.get(f"/api/reports/{public}").get_json()
    assert len(shown["photo_ids"]) == 2 and shown["street"] == "Kölnstraße"


def test_a_merged_report_is_erased_and_a_reopened_one_keeps_its_data(client, signed_in):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    first = _file(client, {**POTHOLE, "email": "erste@example.org"}).get_json()["id"]
    second = _file(client, {**POTHOLE, "email": "zweite@example.org"}).get_json()["id"]
    merged = clerk.post(f"/api/staff/reports/{second}/merge", json={"into_id": first})
    assert merged.status_code == 200
    _age(second, 120)
    _closed(clerk, first, "done", 120)
    # Reopened: not over any more, whatever happened before.
    clerk.post(f"/api/staff/reports/{first}/status", json={"status": "in_progress"})
    _age(first, 120)
    assert _run(90).erased_reports == 1
    assert _report(second).email is None
    assert _report(first).email == "erste@example.org"


def test_the_period_comes_from_the_configuration(client, signed_in, app, monkeypatch):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    report = _file(client, {**POTHOLE, "email": "frist@example.org"}).get_json()["id"]
    _closed(clerk, report, "done", 40)
    assert _run().erased_reports == 0  # default 90 days
    from app import tasks

    monkeypatch.setitem(tasks.config(), "REPORTS_PERSONAL_DATA_DAYS", 30)
    assert _run().erased_reports == 1
    assert _report(report).email is None


def test_a_bad_period_stops_the_start(tmp_path):
    for bad in ("0", "3651"):
        with pytest.raises(ConfigError, match="REPORTS_PERSONAL_DATA_DAYS"):
            load_config(
                {
                    "PORTAL_ENV": "test",
                    "PORTAL_INSTANCE": str(tmp_path),
                    "REPORTS_PERSONAL_DATA_DAYS": bad,
                }
            )


def test_the_console_shows_what_the_next_run_would_erase(client, signed_in):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    report = _file(client, {**POTHOLE, "email": "konsole@example.org"}).get_json()["id"]
    _closed(clerk, report, "done", 95)
    admin = signed_in("admin@example.org", "admin")
    body = admin.get("/api/admin/retention").get_json()
    assert body["reports"]["days"] == 90 and body["reports"]["due"] == 1
    assert body["reports"]["oldest"].endswith("Z")
    _run()
    body = admin.get("/api/admin/retention").get_json()
    assert body["reports"] == {"days": 90, "due": 0, "oldest": None}
    assert body["runs"][0]["erased_reports"] == 1


def test_the_export_contains_the_citizens_reports(client, signed_in):
    citizen = signed_in("export@example.org")
    signed = _file(citizen, {**POTHOLE, "address": "Kölnstraße 40"}, photos=[png()]).get_json()
    # Sent without signing in, with the account's address: the citizen's too.
    anonymous = _file(client, {**POTHOLE, "email": "Export@example.org"}).get_json()
    _file(client, {**POTHOLE, "email": "someone@example.org"})
    exported = json.loads(citizen.get("/api/account/export").data)["defect_reports"]
    assert [r["id"] for r in exported] == [signed["id"], anonymous["id"]]
    first = exported[0]
    assert first["address"] == "Kölnstraße 40" and first["description"] == POTHOLE["description"]
    assert (first["lat"], first["lon"]) == (50.8037, 6.4893)
    assert first["category"] == "schlagloch" and first["category_name"] == "Schlagloch"
    [photo] = first["photos"]
    assert photo["content_type"] == "image/jpeg" and photo["bytes"] > 0 and photo["width"] > 0
    assert [h["status"] for h in first["history"]] == ["new"]
    assert exported[1]["email"] == "Export@example.org"


def test_deleting_the_account_unlinks_its_reports_and_keeps_the_public_part(client, signed_in):
    citizen = signed_in("weg@example.org")
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    mine = _file(citizen, photos=[png()]).get_json()["id"]
    anonymous = _file(client, {**POTHOLE, "email": "weg@example.org"}).get_json()["id"]
    other = _file(client, {**POTHOLE, "email": "bleibt@example.org"}).get_json()["id"]
    clerk.post(f"/api/staff/reports/{mine}/moderation", json={"visibility": "public"})
    assert (
        citizen.delete("/api/account", json={"confirm_email": "weg@example.org"}).status_code == 204
    )
    with db.connection_context():
        assert not User.select().where(User.email == "weg@example.org").exists()
    for report_id in (mine, anonymous):
        kept = _report(report_id)
        assert (kept.reporter_id, kept.email, kept.idempotency_key) == (None, None, None)
    assert _report(other).email == "bleibt@example.org"
    assert _photos(mine) == 1
    assert client.get(f"/api/reports/{mine}").status_code == 200


def test_a_report_found_by_two_runs_is_erased_and_logged_once(client, signed_in):
    clerk = signed_in("tiefbau@example.org", "staff", ("tiefbau",))
    report = _file(client, {**POTHOLE, "email": "zweimal@example.org"}).get_json()["id"]
    _closed(clerk, report, "done", 100)
    with db.connection_context():
        # Both runs found it before either erased it.
        [seen] = erasure.expired(90, utcnow())
        [also] = erasure.expired(90, utcnow())
        with db.atomic():
            assert erasure.erase(seen, 90, utcnow(), None) is True
        with db.atomic():
            assert erasure.erase(also, 90, utcnow(), None) is False
    assert len(_erased_audit()) == 1
    # Reopened after it was found: not over any more, so left alone.
    other = _file(client, {**POTHOLE, "email": "wieder@example.org"}).get_json()["id"]
    _closed(clerk, other, "done", 100)
    with db.connection_context():
        [found] = erasure.expired(90, utcnow())
    clerk.post(f"/api/staff/reports/{other}/status", json={"status": "in_progress"})
    with db.connection_context(), db.atomic():
        assert erasure.erase(found, 90, utcnow(), None) is False
    assert _report(other).email == "wieder@example.org"
