"""The clerks' daily digest: new and overdue cases of their areas, by e-mail.

Once a day (from ``STAFF_DIGEST_HOUR`` o'clock city time; ``off`` switches it off)
every clerk with service areas gets one mail: how many cases came in since the last
digest and how many are overdue, with up to ``MAX_REFERENCES`` references of each
linking to the case. Nothing to report, no mail. Admins get none: they have no areas
of their own. Each clerk's digest of a day is recorded (``StaffDigest``, unique per
clerk and day) in the transaction that writes the mail, so a job that runs twice,
or on two workers at once, mails once; the mail itself goes out through the
notification-mail job, which claims it before sending.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import peewee
from huey import crontab

from app import links
from app.accounts.users import staff_areas
from app.applications import queue
from app.applications.references import display
from app.db import db, utcnow
from app.i18n import DEFAULT_LOCALE, LOCALES, translate
from app.models import (
    Application,
    ApplicationEvent,
    NotificationMail,
    StaffArea,
    StaffDigest,
    User,
)
from app.notifications import sending
from app.service_definitions import workflow
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

CITY_TIMEZONE = ZoneInfo("Europe/Berlin")
# References listed per section; the counts always cover all.
MAX_REFERENCES = 10
MAIL_KIND = "staff_digest"


def digest_hour(config: dict[str, Any]) -> int | None:
    """The configured hour (city time) from which digests go out; ``None``: off."""
    value = config.get("STAFF_DIGEST_HOUR", 7)
    return value if isinstance(value, int) and 0 <= value <= 23 else None


def city_day(now: datetime) -> date:
    """The city's calendar day at ``now`` (naive UTC)."""
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(CITY_TIMEZONE).date()


def is_time(config: dict[str, Any], now: datetime) -> bool:
    """Whether digests are on and the configured hour has come today (city time)."""
    hour = digest_hour(config)
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(CITY_TIMEZONE)
    return hour is not None and local.hour >= hour


def recipients() -> list[User]:
    """Clerks with at least one service area and an open account."""
    with_areas = StaffArea.select(StaffArea.user)
    return list(
        User.select()
        .where((User.role == "staff") & User.closed_at.is_null(True) & User.id.in_(with_areas))
        .order_by(User.id)
    )


def _since(user: User, now: datetime) -> datetime:
    last = (
        StaffDigest.select(StaffDigest.until)
        .where(StaffDigest.user == user)
        .order_by(StaffDigest.day.desc())
        .first()
    )
    return last.until if last else now - timedelta(days=1)


def _cases(areas: list[str], statuses: list[str]) -> peewee.ModelSelect:
    return Application.select(Application.reference, Application.id).where(
        Application.area.in_(areas or [""])
        & Application.status.in_(statuses or [""])
        & Application.submitted_at.is_null(False)
    )


def _section(query: peewee.ModelSelect, order: Any) -> tuple[int, list[str]]:
    count = query.count()
    shown = [row.reference for row in query.order_by(order, Application.id).limit(MAX_REFERENCES)]
    return count, shown


def compose(user: User, now: datetime, since: datetime) -> dict[str, Any]:
    """What the digest reports: new cases (that reached the clerks after ``since``:
    submitted, or paid for when the fee comes first) and overdue ones of the clerk's
    areas that still wait for a decision."""
    areas = staff_areas(user)
    open_statuses = queue.open_statuses()
    entered = ApplicationEvent.select(ApplicationEvent.application).where(
        (ApplicationEvent.kind == "status")
        & ApplicationEvent.from_status.in_(workflow.ENGINE_STATUSES)
        & (ApplicationEvent.at > since)
        & (ApplicationEvent.at <= now)
    )
    new = _cases(areas, open_statuses).where(Application.id.in_(entered))
    overdue = _cases(areas, open_statuses).where(Application.due_at < now)
    new_count, new_refs = _section(new, Application.submitted_at)
    overdue_count, overdue_refs = _section(overdue, Application.due_at)
    return {
        "new_count": new_count,
        "new": new_refs,
        "overdue_count": overdue_count,
        "overdue": overdue_refs,
    }


def mail_text(report: dict[str, Any], locale: str, config: dict[str, Any]) -> tuple[str, str]:
    """Subject and plain-text body of a digest in the clerk's language."""
    lang = locale if locale in LOCALES else DEFAULT_LOCALE
    base = str(config["BASE_URL"]).rstrip("/")
    counts = {"new": report["new_count"], "overdue": report["overdue_count"]}
    subject = translate("staff_digest.subject", lang, **counts)
    lines = [translate("staff_digest.intro", lang, **counts), ""]
    for section in ("new", "overdue"):
        if not report[f"{section}_count"]:
            continue
        lines.append(translate(f"staff_digest.{section}_heading", lang, **counts))
        lines += [
            f"- {display(reference)}: {base}{links.staff_case_page(reference)}"
            for reference in report[section]
        ]
        hidden = report[f"{section}_count"] - len(report[section])
        if hidden > 0:
            lines.append(translate("staff_digest.more", lang, count=hidden))
        lines.append("")
    lines.append(
        translate("staff_digest.queue_link", lang, url=base + links.staff_queue_page("overdue"))
    )
    lines += ["", translate("staff_digest.footer", lang, city=config["CITY_NAME"])]
    return " ".join(subject.split())[:200], "\n".join(lines)


def digest_for(user: User, now: datetime, config: dict[str, Any]) -> StaffDigest | None:
    """Make the clerk's digest of today unless it exists; mail it when there is news.

    Returns the new record, or ``None`` when today's digest was made already.
    """
    day = city_day(now)
    if StaffDigest.select().where((StaffDigest.user == user) & (StaffDigest.day == day)).exists():
        return None
    report = compose(user, now, _since(user, now))
    try:
        with db.atomic():
            record = StaffDigest.create(
                user=user,
                day=day,
                until=now,
                new_count=report["new_count"],
                overdue_count=report["overdue_count"],
            )
            if report["new_count"] or report["overdue_count"]:
                subject, body = mail_text(report, user.locale, config)
                record.mail = NotificationMail.create(
                    key=f"{MAIL_KIND}:{day.isoformat()}:user:{user.id}",
                    user=user,
                    kind=MAIL_KIND,
                    subject=subject,
                    body=body,
                )
                record.save(only=[StaffDigest.mail])
                # Queued in the transaction: sent once it has committed.
                sending.send_notification_mail(record.mail.id)
    except peewee.IntegrityError:
        # Another run made today's digest meanwhile.
        return None
    return record


def send_digests(config: dict[str, Any], now: datetime | None = None) -> int:
    """Make today's digests that are due; returns how many mails were queued."""
    now = now or utcnow()
    if not is_time(config, now):
        return 0
    mailed = 0
    for user in recipients():
        try:
            record = digest_for(user, now, config)
        except Exception:
            # One clerk's failure must not keep the others' digests back.
            log.exception("staff digest for user %s failed", user.id)
            continue
        mailed += bool(record and record.mail_id)
    return mailed


@huey.periodic_task(crontab(minute="*/15"))
def send_staff_digests() -> int:
    """Every quarter hour: make the digests that are due (at most one per clerk a day)."""
    if db.is_closed():
        with db.connection_context():
            return send_digests(job_config())
    return send_digests(job_config())
