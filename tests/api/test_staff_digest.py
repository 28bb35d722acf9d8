"""The clerks' daily digest: once per clerk and day, only their areas, no mail when
there is nothing; sent through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import tasks
from app.applications import digest
from app.applications.references import display
from app.db import db, utcnow
from app.models import Application, ApplicationEvent, StaffDigest, User
from tests.api.engine_helpers import submitted
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import set_config

CLERK = "abfall@example.org"


@pytest.fixture
def smtp(app, monkeypatch):
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    tasks.huey.storage.flush_all()
    with SmtpServer() as server:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
            STAFF_DIGEST_HOUR=0,
        )
        yield server
    tasks.huey.storage.flush_all()


def _send(now: datetime | None = None) -> int:
    with db.connection_context():
        return digest.send_digests(tasks.config(), now or utcnow())


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _waste(signed_in, count: int, prefix: str) -> list[str]:
    return [
        submitted(signed_in(f"{prefix}{i}@example.org"), "waste_bins", key=f"{prefix}{i}")[
            "reference"
        ]
        for i in range(count)
    ]


def test_new_and_overdue_cases_of_the_clerks_areas_once_a_day(signed_in, smtp):
    signed_in(CLERK, "staff", ("abfall",))
    signed_in("hunde@example.org", "staff", ("hundesteuer",))
    signed_in("admin@example.org", "admin")
    late, fresh = _waste(signed_in, 2, "w")
    with db.connection_context():
        Application.update(due_at=utcnow() - timedelta(days=1)).where(
            Application.reference == late
        ).execute()

    assert _send() == 1
    assert _send() == 0  # the same day again: nothing more
    [mail] = smtp.messages
    assert mail["To"] == CLERK  # the dog-tax clerk has nothing new, admins get none
    assert mail["Subject"] == "Tagesübersicht: 2 neue, 1 überfällige Anträge"
    body = _text(mail)
    for reference in (late, fresh):
        assert f"{display(reference)}: http://localhost:5000/sachbearbeitung/{reference}" in body
    overdue_part = body.split("Überfällige Anträge (1):")[1]
    assert display(late) in overdue_part and display(fresh) not in overdue_part
    with db.connection_context():
        assert StaffDigest.select().count() == 2  # the dog-tax clerk's: recorded, not mailed
        assert StaffDigest.get(StaffDigest.mail.is_null(True)).new_count == 0


def test_the_next_day_reports_only_what_came_in_since(signed_in, smtp):
    signed_in(CLERK, "staff", ("abfall",))
    _waste(signed_in, 1, "a")
    assert _send() == 1
    later = _waste(signed_in, 1, "b")[0]
    assert _send() == 0  # still today
    assert _send(utcnow() + timedelta(days=1)) == 1
    second = smtp.messages[-1]
    assert second["Subject"] == "Tagesübersicht: 1 neue, 0 überfällige Anträge"
    assert display(later) in _text(second)


def test_nothing_to_report_sends_no_mail(signed_in, smtp):
    signed_in(CLERK, "staff", ("abfall",))
    assert _send() == 0
    assert smtp.messages == []


def test_english_for_an_english_speaking_clerk(signed_in, smtp):
    clerk = signed_in(CLERK, "staff", ("abfall",))
    assert clerk.patch("/api/account", json={"locale": "en"}).status_code == 200
    _waste(signed_in, 1, "e")
    assert _send() == 1
    [mail] = smtp.messages
    assert mail["Subject"] == "Daily digest: 1 new, 0 overdue applications"
    assert "New applications (1):" in _text(mail)


def test_off_or_before_the_hour_sends_nothing(app, monkeypatch, signed_in, smtp):
    signed_in(CLERK, "staff", ("abfall",))
    _waste(signed_in, 1, "o")
    set_config(app, monkeypatch, STAFF_DIGEST_HOUR=23)
    # 21:00 UTC on a December day is 22:00 in Düren.
    assert _send(datetime(2026, 12, 5, 21, 0)) == 0
    set_config(app, monkeypatch, STAFF_DIGEST_HOUR=None)
    assert _send() == 0
    assert smtp.messages == []
    set_config(app, monkeypatch, STAFF_DIGEST_HOUR=0)
    with db.connection_context():
        assert digest.send_staff_digests.call_local() == 1
    assert len(smtp.messages) == 1


def test_the_setting_reads_an_hour_or_off(tmp_path):
    from app.config import ConfigError, load_config

    def hour(value: str | None):
        env = {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path)}
        return load_config(env | ({"STAFF_DIGEST_HOUR": value} if value is not None else {}))[
            "STAFF_DIGEST_HOUR"
        ]

    assert hour(None) == 7
    assert hour("off") is None
    assert hour("6") == 6
    with pytest.raises(ConfigError):
        hour("25")


def test_a_case_counts_as_new_when_it_reaches_the_clerks_not_when_submitted(signed_in, smtp):
    signed_in(CLERK, "staff", ("abfall",))
    (reference,) = _waste(signed_in, 1, "spaet")
    later = utcnow() + timedelta(hours=2)
    with db.connection_context():
        # As if the fee had come two hours after a submission the last digest saw.
        ApplicationEvent.update(at=later).where(
            ApplicationEvent.from_status.in_(("draft", "awaiting_payment"))
        ).execute()
        user = User.get(User.email == CLERK)
        before = digest.compose(user, later - timedelta(minutes=1), utcnow() - timedelta(days=1))
        after = digest.compose(user, later + timedelta(minutes=1), later - timedelta(minutes=5))
    assert before["new_count"] == 0
    assert after["new"] == [reference]
