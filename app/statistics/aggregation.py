"""The daily aggregate: counts per (day, service, metric, key) and duration histograms.

The dashboard reads only ``statistics_daily`` and ``statistics_duration``; this module
is the only one that reads the applications for statistics. A run is incremental: it
recomputes the days that may have changed since the previous run (the last three days,
every day since the previous run, and the days touched by applications, payments,
counter cases, imports and step views changed since then), in batches of at most
``BATCH_DAYS`` days, each batch in one transaction that deletes and rewrites its days —
so running twice gives the same rows. The first run covers everything there is.

Metrics (all counted on the Berlin calendar day of the named time):

- ``started`` (draft created), ``submitted`` (submitted; the "online" cases),
  ``trust_level``/<email|passkey|eid|bundid|unknown> (how the citizen had signed in to submit),
  ``push_opt_in``, ``email_opt_in`` (submitted by citizens with that channel on),
- ``paid`` and ``payment_method``/<provider> (payment for an application succeeded),
- ``decided``, ``decided_auto`` (decided by the system), ``completed`` (reached a
  terminal status of its workflow, on its last change), ``overdue`` (due that day and
  not decided by then), ``abandoned`` (not submitted within 30 days of its start,
  counted on the 30th day: start and submission never change, so neither does the
  count; drafts deleted since the last run are noticed by comparing the ``started``
  counts),
- ``gave_up``/<step> (journeys without ``_submitted`` whose last view, older than a day,
  was that step; step views are deleted 60 days after their day, their counts kept),
  ``counter_recorded``, ``counter_imported``,
- ``sessions``/<standalone|browser|unknown> (sign-ins, service ``""``; sign-in records
  are kept 90 days, so older days keep their counts),
- ``entry``/<tag> (landings through a campaign's QR code on a service's page, service
  ``""`` for the start page; counted by ``app.campaigns``, known tags only) and
  ``entry_submitted``/<tag> (journeys that began with that tag and were submitted, on
  the submission's day; like give-ups, kept once their step views are deleted).

Histograms (``statistics_duration``): ``processing`` (submit → decision, on the decision
day) and ``start_submit`` (draft created → submitted, on the submission day).

Each batch also rebuilds the monthly sums of the months it touches
(``statistics_monthly``, ``statistics_monthly_duration``; service ``*`` = all
services), from which the dashboard reads whole months.
"""

# The SQL below is put together from constant fragments only (column names, the
# dialect's functions); every value goes in as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import peewee
from huey import crontab

from app import statistics as stats
from app.accounts.sessions import SIGN_IN_HISTORY
from app.db import db, utcnow
from app.models import (
    Application,
    CampaignEntry,
    CounterCase,
    CounterImport,
    Payment,
    ServiceDefinitionRecord,
    SignInRecord,
    StatisticsDaily,
    StatisticsDuration,
    StatisticsRun,
    StepView,
)
from app.tasks import huey

log = logging.getLogger(__name__)

BATCH_DAYS = 31
# More days than this to recompute (or no run yet): the button hands the run to the
# job queue instead of holding a request for minutes.
MAX_INLINE_DAYS = 62
# Today, yesterday and the day before: a journey's give-up counts once its last view
# is older than a day, and drafts become abandoned day by day.
RECENT_DAYS = 3
ABANDONED_AFTER = timedelta(days=30)
ABANDONED_HOURS = 30 * 24
GAVE_UP_AFTER_DAYS = 2
# Step views are deleted this long after their day: by then every journey's give-up is
# counted (and kept, see ``_write``); the raw views are not needed for anything else.
STEP_VIEWS_KEPT = timedelta(days=60)
SUBMITTED_MARK = "_submitted"
_INSERT_CHUNK = 500

Counts = dict[tuple[date, str, str, str], int]
Durations = dict[tuple[date, str, str, int], int]


def _is_postgres() -> bool:
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def _hour(column: str) -> str:
    """SQL for the UTC hour of a timestamp column as text ``YYYY-MM-DD HH``."""
    if _is_postgres():
        return f"to_char({column}, 'YYYY-MM-DD HH24')"
    return f"strftime('%Y-%m-%d %H', {column})"


def _hours_between(earlier: str, later: str) -> str:
    """SQL for the whole hours from ``earlier`` to ``later`` (an integer)."""
    if _is_postgres():
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600) AS INTEGER)"
    return f"CAST((julianday({later}) - julianday({earlier})) * 24 AS INTEGER)"


def _day_of_hour(hour: str) -> date:
    return stats.berlin_day(datetime.strptime(hour, "%Y-%m-%d %H"))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _rows(sql: str, params: Iterable[Any]) -> list[tuple]:
    return list(db.execute_sql(sql.replace("?", db.param), tuple(params)).fetchall())


def _terminal_statuses() -> dict[int, set[str]]:
    """Definition version id → its workflow's terminal statuses."""
    found: dict[int, set[str]] = {}
    for record in ServiceDefinitionRecord.select(
        ServiceDefinitionRecord.id, ServiceDefinitionRecord.data
    ):
        workflow = (record.data or {}).get("workflow") or {}
        found[record.id] = {
            status["id"] for status in workflow.get("statuses") or [] if status.get("terminal")
        }
    return found


def _collect(start: date, end: date, today: date, now: datetime) -> tuple[Counts, Durations]:
    """Every count and histogram of the days ``start``..``end``, read from the sources."""
    low, high = stats.day_start_utc(start), stats.day_start_utc(end + timedelta(days=1))
    counts: Counts = defaultdict(int)
    durations: Durations = defaultdict(int)

    def add(day: date, service: str, metric: str, key: str, count: int) -> None:
        if start <= day <= end and count:
            counts[(day, service, metric, key)] += int(count)

    def add_duration(day: date, service: str, kind: str, lower: int, count: int) -> None:
        if start <= day <= end:
            durations[(day, service, kind, int(lower))] += int(count)

    for service, hour, count in _rows(
        f"SELECT service_id, {_hour('created_at')}, COUNT(*) FROM application"
        " WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2",
        (low, high),
    ):
        add(_day_of_hour(hour), service, "started", "", count)

    waited = _hours_between("created_at", "submitted_at")
    for service, hour, via, lower, count in _rows(
        f"SELECT service_id, {_hour('submitted_at')}, submitted_via,"
        f" {stats.bucket_sql(waited)}, COUNT(*) FROM application"
        " WHERE submitted_at >= ? AND submitted_at < ? GROUP BY 1, 2, 3, 4",
        (low, high),
    ):
        day = _day_of_hour(hour)
        add(day, service, "submitted", "", count)
        add(day, service, "trust_level", via or "unknown", count)
        add_duration(day, service, "start_submit", lower, count)

    # Channels as the citizens have them set now (a preference row is made on first
    # change; without one both channels are on, push only with a device registered).
    for service, hour, email_on, push_on in _rows(
        f"SELECT a.service_id, {_hour('a.submitted_at')},"
        " SUM(CASE WHEN COALESCE(p.email, TRUE) THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN COALESCE(p.push, TRUE) AND EXISTS (SELECT 1 FROM push_subscription s"
        " WHERE s.user_id = a.user_id) THEN 1 ELSE 0 END)"
        " FROM application a LEFT JOIN notification_preference p ON p.user_id = a.user_id"
        " WHERE a.submitted_at >= ? AND a.submitted_at < ? GROUP BY 1, 2",
        (low, high),
    ):
        day = _day_of_hour(hour)
        add(day, service, "email_opt_in", "", email_on)
        add(day, service, "push_opt_in", "", push_on)

    took = _hours_between("submitted_at", "decided_at")
    for service, hour, by, lower, count in _rows(
        f"SELECT service_id, {_hour('decided_at')}, decided_by, {stats.bucket_sql(took)},"
        " COUNT(*) FROM application WHERE decided_at >= ? AND decided_at < ?"
        " AND submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4",
        (low, high),
    ):
        day = _day_of_hour(hour)
        add(day, service, "decided", "", count)
        if by == "system":
            add(day, service, "decided_auto", "", count)
        add_duration(day, service, "processing", lower, count)

    terminal = _terminal_statuses()
    for service, definition_id, status, hour, count in _rows(
        f"SELECT service_id, definition_id, status, {_hour('updated_at')}, COUNT(*)"
        " FROM application WHERE updated_at >= ? AND updated_at < ?"
        " AND status NOT IN ('draft', 'awaiting_payment') GROUP BY 1, 2, 3, 4",
        (low, high),
    ):
        if status in terminal.get(definition_id, ()):
            add(_day_of_hour(hour), service, "completed", "", count)

    # Abandoned: not submitted within 30 days of the start, counted on the 30th day.
    # Start and submission never change once set, so the count of a day stays what it
    # was (a later submission or edit does not move it). An hour either side of the
    # range for a change of summer time within those 30 days (days outside are dropped).
    margin = timedelta(hours=2)
    for service, hour, count in _rows(
        f"SELECT service_id, {_hour('created_at')}, COUNT(*) FROM application"
        " WHERE created_at >= ? AND created_at < ? AND created_at < ?"
        f" AND (submitted_at IS NULL OR {waited} >= {ABANDONED_HOURS})"
        " GROUP BY 1, 2",
        (low - ABANDONED_AFTER - margin, high - ABANDONED_AFTER + margin, now - ABANDONED_AFTER),
    ):
        started = datetime.strptime(hour, "%Y-%m-%d %H")
        add(stats.berlin_day(started + ABANDONED_AFTER), service, "abandoned", "", count)

    for service, hour, count in _rows(
        f"SELECT service_id, {_hour('due_at')}, COUNT(*) FROM application"
        " WHERE due_at >= ? AND due_at < ? AND due_at < ?"
        " AND (decided_at IS NULL OR decided_at > due_at) GROUP BY 1, 2",
        (low, high, now),
    ):
        add(_day_of_hour(hour), service, "overdue", "", count)

    for service, hour, provider, count in _rows(
        f"SELECT a.service_id, {_hour('p.succeeded_at')}, p.provider, COUNT(*)"
        " FROM payment p JOIN application a ON a.id = p.subject_id"
        " WHERE p.subject_type = 'application' AND p.succeeded_at >= ? AND p.succeeded_at < ?"
        " GROUP BY 1, 2, 3",
        (low, high),
    ):
        day = _day_of_hour(hour)
        add(day, service, "paid", "", count)
        add(day, service, "payment_method", provider, count)

    # Citizens' sign-ins only: staff working in the console are not the PWA's users.
    for hour, mode, count in _rows(
        f"SELECT {_hour('r.started_at')}, r.display_mode, COUNT(*) FROM sign_in_record r"
        ' JOIN "user" u ON u.id = r.user_id'
        " WHERE r.started_at >= ? AND r.started_at < ? AND u.role = 'citizen' GROUP BY 1, 2",
        (low, high),
    ):
        add(_day_of_hour(hour), "", "sessions", mode or "unknown", count)

    for service, day, count in _rows(
        "SELECT service_id, day, COUNT(*) FROM counter_case WHERE day >= ? AND day <= ?"
        " GROUP BY 1, 2",
        (start, end),
    ):
        add(_as_date(day), service, "counter_recorded", "", count)
    for service, day, count in _rows(
        "SELECT service_id, day, count FROM counter_import WHERE day >= ? AND day <= ?",
        (start, end),
    ):
        add(_as_date(day), service, "counter_imported", "", count)

    # The step where citizens give up: a journey's last view (none later, no
    # ``_submitted``), once it is older than a day.
    last_final = min(end, today - timedelta(days=GAVE_UP_AFTER_DAYS))
    if start <= last_final:
        for day, service, step, count in _rows(
            "SELECT v.day, v.service_id, v.step, COUNT(*) FROM step_view v"
            " WHERE v.day >= ? AND v.day <= ? AND v.step <> ? AND NOT EXISTS ("
            " SELECT 1 FROM step_view w WHERE w.journey = v.journey"
            " AND (w.step = ? OR w.at > v.at OR (w.at = v.at AND w.id > v.id)))"
            " GROUP BY 1, 2, 3",
            (start, last_final, SUBMITTED_MARK, SUBMITTED_MARK),
        ):
            add(_as_date(day), service, "gave_up", step, count)

    # Campaigns: landings counted per day, and journeys that carried a known tag (any of
    # their views) and were submitted. Tags of deleted or never created campaigns do not
    # join, so no junk tag reaches the aggregate.
    for day, service, tag, count in _rows(
        "SELECT e.day, e.service_id, e.tag, e.count FROM campaign_entry e"
        " JOIN campaign c ON c.tag = e.tag WHERE e.day >= ? AND e.day <= ?",
        (start, end),
    ):
        add(_as_date(day), service, "entry", tag, count)
    for day, service, tag, count in _rows(
        "SELECT v.day, v.service_id, c.tag, COUNT(*) FROM step_view v JOIN campaign c"
        " ON c.tag = (SELECT MIN(w.campaign) FROM step_view w WHERE w.journey = v.journey)"
        " WHERE v.step = ? AND v.day >= ? AND v.day <= ? GROUP BY 1, 2, 3",
        (SUBMITTED_MARK, start, end),
    ):
        add(_as_date(day), service, "entry_submitted", tag, count)
    return counts, durations


def _write(start: date, end: date, today: date, counts: Counts, durations: Durations) -> None:
    """Replace the aggregate rows of ``start``..``end`` (sign-ins older than their
    records' retention keep what was counted while the records existed)."""
    kept_from = today - timedelta(days=SIGN_IN_HISTORY.days - 1)
    in_range = (StatisticsDaily.day >= start) & (StatisticsDaily.day <= end)
    # Give-ups of days whose step views are deleted: what was counted stays (old days
    # get no new views: a view older than 30 days is not taken). Days with views left
    # are counted afresh.
    views_from = today - STEP_VIEWS_KEPT
    sessions_gone = (StatisticsDaily.metric == "sessions") & (StatisticsDaily.day < kept_from)
    kept = sessions_gone
    # Submissions via a campaign come from step views too: kept the same way.
    for metric in ("gave_up", "entry_submitted"):
        counted = {day for (day, _service, name, _key) in counts if name == metric}
        views_gone_days = [
            day for day in stats.days_between(start, min(end, views_from)) if day not in counted
        ]
        if views_gone_days:
            kept = kept | (
                (StatisticsDaily.metric == metric) & StatisticsDaily.day.in_(views_gone_days)
            )
    StatisticsDaily.delete().where(in_range & ~kept).execute()
    StatisticsDuration.delete().where(
        (StatisticsDuration.day >= start) & (StatisticsDuration.day <= end)
    ).execute()
    daily = [
        (day, service, metric, key, count)
        for (day, service, metric, key), count in counts.items()
        if not (metric == "sessions" and day < kept_from)
    ]
    fields = [
        StatisticsDaily.day,
        StatisticsDaily.service_id,
        StatisticsDaily.metric,
        StatisticsDaily.key,
        StatisticsDaily.count,
    ]
    for offset in range(0, len(daily), _INSERT_CHUNK):
        StatisticsDaily.insert_many(daily[offset : offset + _INSERT_CHUNK], fields).execute()
    histogram = [(*key, count) for key, count in durations.items()]
    duration_fields = [
        StatisticsDuration.day,
        StatisticsDuration.service_id,
        StatisticsDuration.kind,
        StatisticsDuration.bucket,
        StatisticsDuration.count,
    ]
    for offset in range(0, len(histogram), _INSERT_CHUNK):
        StatisticsDuration.insert_many(
            histogram[offset : offset + _INSERT_CHUNK], duration_fields
        ).execute()


def _month_sql(column: str) -> str:
    if _is_postgres():
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def _roll_up(start: date, end: date) -> None:
    """Rebuild the monthly sums of the months ``start``..``end`` touch from their days,
    per service and over all services (``*``)."""
    first = date(start.year, start.month, 1)
    after = date(end.year + end.month // 12, end.month % 12 + 1, 1)
    months = (stats.month_of(first), stats.month_of(end))
    month = _month_sql("day")
    for monthly, daily, kind, key in (
        ("statistics_monthly", "statistics_daily", "metric", "key"),
        ("statistics_monthly_duration", "statistics_duration", "kind", "bucket"),
    ):
        _rows_none(f"DELETE FROM {monthly} WHERE month >= ? AND month <= ?", months)
        _rows_none(
            f"INSERT INTO {monthly} (month, service_id, {kind}, {key}, count)"
            f" SELECT {month}, service_id, {kind}, {key}, SUM(count) FROM {daily}"
            " WHERE day >= ? AND day < ? GROUP BY 1, 2, 3, 4",
            (first, after),
        )
        _rows_none(
            f"INSERT INTO {monthly} (month, service_id, {kind}, {key}, count)"
            f" SELECT {month}, '*', {kind}, {key}, SUM(count) FROM {daily}"
            " WHERE day >= ? AND day < ? GROUP BY 1, 3, 4",
            (first, after),
        )


def _rows_none(sql: str, params: Iterable[Any]) -> None:
    db.execute_sql(sql.replace("?", db.param), tuple(params))


def _earliest_day(today: date) -> date:
    """The first day any source has data for (today when there is none)."""
    firsts = [
        Application.select(peewee.fn.MIN(Application.created_at)).scalar(),
        StepView.select(peewee.fn.MIN(StepView.day)).scalar(),
        CampaignEntry.select(peewee.fn.MIN(CampaignEntry.day)).scalar(),
        CounterCase.select(peewee.fn.MIN(CounterCase.day)).scalar(),
        CounterImport.select(peewee.fn.MIN(CounterImport.day)).scalar(),
        SignInRecord.select(peewee.fn.MIN(SignInRecord.started_at)).scalar(),
    ]
    days = [
        stats.berlin_day(value) if isinstance(value, datetime) else _as_date(value)
        for value in firsts
        if value is not None
    ]
    # A stray row from before the statistics' calendar (an import of year 1) must not
    # make the first run cover two thousand years.
    return max(min([*days, today]), min(stats.FIRST_DAY, today))


def changed_days(last: StatisticsRun, now: datetime) -> set[date]:
    """The days a run after ``last`` must recompute (see the module's docstring)."""
    today = stats.berlin_day(now)
    since = last.started_at
    first_recent = min(_as_date(last.through_day), today) - timedelta(days=RECENT_DAYS - 1)
    days = set(stats.days_between(first_recent, today))

    def add_times(*values: datetime | None) -> None:
        for value in values:
            if value is not None and datetime(1900, 1, 1) < value < datetime(9000, 1, 1):
                days.add(stats.berlin_day(value))

    changed = Application.select(
        Application.created_at,
        Application.submitted_at,
        Application.decided_at,
        Application.updated_at,
        Application.due_at,
        Application.status,
    ).where(Application.updated_at >= since)
    for row in changed.tuples().iterator():
        created, submitted, decided, updated, due, _status = row
        add_times(created, submitted, decided, updated, due)
        if created is not None and created < datetime(9000, 1, 1):
            add_times(created + ABANDONED_AFTER)
    for (succeeded,) in (
        Payment.select(Payment.succeeded_at)
        .where((Payment.updated_at >= since) & Payment.succeeded_at.is_null(False))
        .tuples()
    ):
        add_times(succeeded)
    for (day,) in (
        CounterCase.select(CounterCase.day)
        # By time, not by id: ids of rows committed late (a long transaction) can be
        # smaller than the highest id the last run saw.
        .where(CounterCase.created_at >= since)
        .distinct()
        .tuples()
    ):
        days.add(_as_date(day))
    for (day,) in (
        CounterImport.select(CounterImport.day)
        .where(CounterImport.imported_at >= since)
        .distinct()
        .tuples()
    ):
        days.add(_as_date(day))
    for (day,) in (
        CampaignEntry.select(CampaignEntry.day)
        .where(CampaignEntry.updated_at >= since)
        .distinct()
        .tuples()
    ):
        days.add(_as_date(day))
    days |= _days_with_deleted_applications()
    # New views change their journeys' earlier days too (the last view moves on).
    journeys = StepView.select(StepView.journey).where(StepView.id > last.last_step_view_id)
    for (day,) in (
        StepView.select(StepView.day).where(StepView.journey.in_(journeys)).distinct().tuples()
    ):
        days.add(_as_date(day))
    return {day for day in days if stats.FIRST_DAY <= day <= today}


def _days_with_deleted_applications() -> set[date]:
    """Days whose counts rows deleted since (a discarded draft, an erased account)
    have changed: where the stored ``started`` counts no longer match the applications
    there are, that day and its 30th day (abandonment) are recomputed.

    Deleted rows leave no change time behind; comparing counts per start hour is one
    grouped pass over the applications' start times (indexed), done only by this job."""
    live: dict[tuple[date, str], int] = defaultdict(int)
    for service, hour, count in _rows(
        f"SELECT service_id, {_hour('created_at')}, COUNT(*) FROM application"
        " WHERE created_at >= ? GROUP BY 1, 2",
        (stats.day_start_utc(stats.FIRST_DAY),),
    ):
        live[(_day_of_hour(hour), service)] += int(count)
    stored = {
        (_as_date(day), service): count
        for day, service, count in StatisticsDaily.select(
            StatisticsDaily.day, StatisticsDaily.service_id, StatisticsDaily.count
        )
        .where(StatisticsDaily.metric == "started")
        .tuples()
    }
    days: set[date] = set()
    for key in set(live) | set(stored):
        if live.get(key, 0) != stored.get(key, 0):
            day = key[0]
            # Its 30th day, a day either side for a change of summer time in between.
            days |= {day, *(day + ABANDONED_AFTER + timedelta(days=n) for n in (-1, 0, 1))}
    return days


def batches(days: Iterable[date], size: int = BATCH_DAYS) -> list[tuple[date, date]]:
    """Consecutive runs of ``days``, each at most ``size`` days long."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and (day - ranges[-1][1]).days == 1 and (day - ranges[-1][0]).days < size:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def run(now: datetime | None = None) -> StatisticsRun:
    """Recompute what changed since the last run; record and return this run."""
    started = utcnow()
    now = now or started
    today = stats.berlin_day(now)
    last = StatisticsRun.select().order_by(StatisticsRun.id.desc()).first()
    max_view = StepView.select(peewee.fn.MAX(StepView.id)).scalar() or 0
    max_case = CounterCase.select(peewee.fn.MAX(CounterCase.id)).scalar() or 0
    if last is None:
        days = set(stats.days_between(_earliest_day(today), today))
    else:
        days = changed_days(last, now)
    for start, end in batches(days):
        with db.atomic():
            if _is_postgres():
                # Two runs at once (the nightly job and the button) take turns per batch.
                db.execute_sql("SELECT pg_advisory_xact_lock(8150025)")
            counts, durations = _collect(start, end, today, now)
            _write(start, end, today, counts, durations)
            _roll_up(start, end)
    purged = StepView.delete().where(StepView.day < today - STEP_VIEWS_KEPT).execute()
    record = StatisticsRun.create(
        started_at=started,
        aggregated_at=utcnow(),
        through_day=today,
        days=len(days),
        last_step_view_id=max_view,
        last_counter_case_id=max_case,
    )
    log.info("Statistics aggregated: %d days, %d old step views deleted", len(days), purged)
    return record


def pending_days(now: datetime | None = None) -> int:
    """How many days a run now would recompute."""
    now = now or utcnow()
    today = stats.berlin_day(now)
    last = last_run()
    if last is None:
        return len(stats.days_between(_earliest_day(today), today))
    return len(changed_days(last, now))


def last_run() -> StatisticsRun | None:
    """The most recent run, if any."""
    return StatisticsRun.select().order_by(StatisticsRun.id.desc()).first()


@huey.periodic_task(crontab(hour="3", minute="17"))
def aggregate_statistics() -> int:
    """Nightly: bring the daily aggregate up to date; how many days it recomputed."""
    if not db.is_closed():  # immediate mode: the caller's connection
        return run().days
    with db.connection_context():
        return run().days


@huey.task()
def aggregate_statistics_soon() -> int:
    """A run asked for from the dashboard that is too long for a request."""
    if not db.is_closed():  # immediate mode: the caller's connection
        return run().days
    with db.connection_context():
        return run().days
