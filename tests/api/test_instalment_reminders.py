"""Instalments due soon are reminded once each, by inbox, push and mail; never for
notices collected by direct debit, nor for paid, cancelled or far-off instalments."""

from __future__ import annotations

from datetime import timedelta

from app.db import db, utcnow
from app.models import InboxMessage, Notice, NoticeInstalment, NotificationMail, User
from app.notifications import instalment_reminders
from app.payments import notices
from app.service_definitions.relative_dates import local_today
from tests.api.test_notification_mails import push_portal, smtp  # noqa: F401 (fixtures)
from tests.push.portal import add_device, run_due_jobs, set_config

TODAY = local_today()


def _notice(email: str, kassenzeichen: str, *due_in_days: int) -> Notice:
    with db.connection_context():
        return notices.create_notice(
            User.get(User.email == email),
            kind="dog_tax",
            title="Hundesteuer 2027",
            kassenzeichen=kassenzeichen,
            instalments=[
                notices.InstalmentInput(TODAY + timedelta(days=days), 2100) for days in due_in_days
            ],
            actor=None,
            # Issued earlier: the notice's own announcement is not the subject here.
            issued_on=TODAY - timedelta(days=60),
        )


def _reminders(email: str) -> list[InboxMessage]:
    with db.connection_context():
        return list(
            InboxMessage.select()
            .join(User)
            .where((User.email == email) & (InboxMessage.kind == "payment_reminder"))
            .order_by(InboxMessage.id)
        )


def _run() -> int:
    with db.connection_context():
        return instalment_reminders.send_due_reminders(TODAY)


def test_an_instalment_due_within_the_window_is_reminded_once(signed_in, smtp, push_portal):  # noqa: F811
    citizen = signed_in("rate@example.org")
    add_device(citizen, push_portal)
    _notice("rate@example.org", "HST-R-1", 3, 40, 130)
    run_due_jobs()
    pushed_before = len(push_portal.deliveries)  # the notice's own announcement
    assert _run() == 1
    assert _run() == 0  # the next morning, or a second worker: nothing left to remind
    [message] = _reminders("rate@example.org")
    assert message.subject == "Rate bald fällig: Hundesteuer 2027"
    due = (TODAY + timedelta(days=3)).strftime("%d.%m.%Y")
    assert f"Rate 1 über 21,00 € ist am {due} fällig" in message.body
    [mail] = [m for m in smtp.messages_to("rate@example.org") if "Rate" in m["Subject"]]
    assert mail["Subject"] == "Bürgerportal Düren: Rate bald fällig – Kassenzeichen HST-R-1"
    assert "21,00" not in mail.get_body(preferencelist=("plain",)).get_content()
    with db.connection_context():
        keys = [m.key.split(":user:")[0] for m in NotificationMail.select()]
        assert keys.count(f"instalment_due:{message_instalment('HST-R-1', 1)}") == 1
        assert len([key for key in keys if key.startswith("instalment_due:")]) == 1
    # The reminder reaches the devices as a new message in the inbox.
    run_due_jobs()
    assert len(push_portal.deliveries) == pushed_before + 1
    assert f"/postfach/{message.id}".encode() in push_portal.deliveries[-1].plaintext
    # The thread list shows it; English readers read it in English.
    threads = citizen.get("/api/inbox/threads", headers={"Accept-Language": "en"}).get_json()
    assert threads[0]["subject"] == "Instalment due soon: Hundesteuer 2027"


def message_instalment(kassenzeichen: str, number: int) -> int:
    with db.connection_context():
        return (
            NoticeInstalment.select(NoticeInstalment.id)
            .join(Notice)
            .where((Notice.kassenzeichen == kassenzeichen) & (NoticeInstalment.number == number))
            .get()
            .id
        )


def test_no_reminder_for_direct_debit_paid_cancelled_or_far_off(signed_in, smtp):  # noqa: F811
    signed_in("lastschrift@example.org")
    debit = _notice("lastschrift@example.org", "HST-R-2", 2)
    paid = _notice("lastschrift@example.org", "HST-R-3", 2)
    cancelled = _notice("lastschrift@example.org", "HST-R-4", 2)
    later = _notice("lastschrift@example.org", "HST-R-5", 8, 20)
    with db.connection_context():
        # Past due: an overdue instalment is not "due soon".
        NoticeInstalment.update(due_date=TODAY - timedelta(days=1)).where(
            (NoticeInstalment.notice == later.id) & (NoticeInstalment.number == 2)
        ).execute()
        Notice.update(collection="direct_debit").where(Notice.id == debit.id).execute()
        NoticeInstalment.update(paid_at=utcnow()).where(
            NoticeInstalment.notice == paid.id
        ).execute()
        NoticeInstalment.update(cancelled_at=utcnow()).where(
            NoticeInstalment.notice == cancelled.id
        ).execute()
    assert _run() == 0
    assert _reminders("lastschrift@example.org") == []
    assert [m for m in smtp.messages_to("lastschrift@example.org") if "Rate" in m["Subject"]] == []


def test_the_window_is_a_setting(signed_in, app, monkeypatch):
    signed_in("fenster@example.org")
    _notice("fenster@example.org", "HST-R-6", 10)
    assert _run() == 0
    set_config(app, monkeypatch, INSTALMENT_REMINDER_DAYS=14)
    assert _run() == 1


def test_the_daily_job_is_registered_with_the_queue():
    from app.tasks import huey

    task_class = instalment_reminders.remind_due_instalments.task_class
    assert task_class in huey._registry._periodic_tasks
