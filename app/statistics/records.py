"""What the statistics are fed by hand or by the PWA: counter cases, typed monthly
counter counts, imported daily counts, per-service targets and anonymous step views.

Nothing stored here names a citizen. Counter cases keep who recorded them (staff, for
the audit trail only); step views carry a random journey token per form fill.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import peewee

from app import statistics as stats
from app.accounts import audit
from app.accounts.users import staff_areas
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import (
    Campaign,
    CounterCase,
    CounterImport,
    CounterMonth,
    ServiceDefinitionRecord,
    StatisticsTarget,
    StepView,
    User,
)

MAX_IMPORT_LINES = 20_000
MAX_DAILY_COUNT = 100_000
MAX_MONTHLY_COUNT = 1_000_000
STEP_VIEW_MAX_AGE = timedelta(days=30)
# Clocks of phones drift: a view a few minutes "in the future" is still taken.
CLOCK_SKEW = timedelta(minutes=5)
JOURNEY = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
SUBMITTED_MARK = "_submitted"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# ASCII digits only: ``str.isdigit`` also takes "²" or "٣", which ``int`` refuses or reads.
_COUNT = re.compile(r"^[0-9]{1,7}$")


def _invalid(field: str, code: str, **params: Any) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code, params)])


def today() -> date:
    """Today in Berlin."""
    return stats.berlin_day(utcnow())


# --- services -----------------------------------------------------------------------


def _published_records() -> peewee.ModelSelect:
    return ServiceDefinitionRecord.select().where(
        ServiceDefinitionRecord.published_at.is_null(False)
        | (ServiceDefinitionRecord.state != "draft")
    )


# What the statistics need of a published version (its content never changes), by id.
_VERSIONS: dict[int, dict[str, Any]] = {}


def _version_summary(record_id: int) -> dict[str, Any]:
    known = _VERSIONS.get(record_id)
    if known is None:
        data = ServiceDefinitionRecord.get_by_id(record_id).data or {}
        known = {
            "kind": data.get("kind"),
            "title": data.get("title") or {},
            "steps": {
                step.get("id"): step.get("title") or {}
                for step in data.get("steps") or []
                if isinstance(step, dict)
            },
        }
        _VERSIONS[record_id] = known
    return known


def services() -> list[dict[str, Any]]:
    """Every service that ever had a published version (surveys excluded), with its
    newest published title and area, ordered by service id."""
    found: dict[str, dict[str, Any]] = {}
    rows = (
        _published_records()
        .select(
            ServiceDefinitionRecord.id,
            ServiceDefinitionRecord.service_id,
            ServiceDefinitionRecord.area,
        )
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
        .tuples()
    )
    for record_id, service_id, area in rows:
        summary = _version_summary(record_id)
        if summary["kind"] == "survey":
            found.pop(service_id, None)
            continue
        title = summary["title"]
        earlier = found.get(service_id, {}).get("all_steps", {})
        found[service_id] = {
            "service_id": service_id,
            "title": {"de": title.get("de") or service_id, "en": title.get("en") or ""},
            "area": area,
            "steps": summary["steps"],
            # Steps of every published version (the newest title wins): give-up counts
            # of older versions name steps the newest may no longer have.
            "all_steps": {**earlier, **summary["steps"]},
        }
    return list(found.values())


def service(service_id: str, field: str = "service_id") -> dict[str, Any]:
    """One service of :func:`services`, or a field error on ``field``."""
    for item in services():
        if item["service_id"] == service_id:
            return item
    raise _invalid(field, "statistics_unknown_service")


# --- counter cases ------------------------------------------------------------------


def _check_day(day: date, field: str = "day") -> None:
    now = today()
    if day > now:
        raise _invalid(field, "statistics_day_in_future")
    if day < date(now.year - 1, now.month, min(now.day, 28)):
        raise _invalid(field, "statistics_day_too_old")


def record_counter_case(
    user: User, service_id: str, day: date | None, key: str | None, ip: str = ""
) -> tuple[CounterCase, bool]:
    """Record one case handled at the counter; return it and whether it is new.

    Staff of the service's area and admins may; a repeat with the same idempotency key
    returns the first case.
    """
    if key:
        earlier = CounterCase.get_or_none(
            (CounterCase.recorded_by == user) & (CounterCase.idempotency_key == key)
        )
        if earlier is not None:
            return earlier, False
    known = service(service_id)
    if user.role != "admin" and not (user.role == "staff" and known["area"] in staff_areas(user)):
        raise DomainError("forbidden", kind="forbidden")
    day = day or today()
    _check_day(day)
    try:
        with db.atomic():
            case = CounterCase.create(
                service_id=service_id, day=day, recorded_by=user, idempotency_key=key
            )
            audit.record("counter_case_recorded", user, "counter_case", case.id, ip)
    except peewee.IntegrityError:
        # The same key at the same moment from a second request: the first one's case.
        return CounterCase.get(
            (CounterCase.recorded_by == user) & (CounterCase.idempotency_key == key)
        ), False
    return case, True


def counter_case_view(case: CounterCase) -> dict[str, Any]:
    """A counter case as the API shows it."""
    return {"id": case.id, "service_id": case.service_id, "day": _as_date(case.day)}


# --- counter counts per month ---------------------------------------------------------


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def parse_month(month: str, field: str = "month") -> tuple[int, int]:
    """``YYYY-MM`` as (year, month), or a field error."""
    match = _MONTH.match(month or "")
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        raise _invalid(field, "statistics_invalid_month")
    return int(match[1]), int(match[2])


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    return first, after - timedelta(days=1)


def counter_counts(service_id: str | None, year: int) -> list[dict[str, Any]]:
    """Per service and month of ``year``: typed, imported and recorded counter cases.

    With a service: all twelve months; without: the months any service has counts for.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def row(service: str, month: str) -> dict[str, Any]:
        return rows.setdefault(
            (service, month),
            {"service_id": service, "month": month, "typed": None, "imported": 0, "recorded": 0},
        )

    if service_id:
        for number in range(1, 13):
            row(service_id, f"{year:04d}-{number:02d}")
    typed = CounterMonth.select().where(CounterMonth.month.startswith(f"{year:04d}-"))
    imported = CounterImport.select().where(CounterImport.day.between(start, end))
    recorded = (
        CounterCase.select(CounterCase.service_id, CounterCase.day, peewee.fn.COUNT(CounterCase.id))
        .where(CounterCase.day.between(start, end))
        .group_by(CounterCase.service_id, CounterCase.day)
    )
    if service_id:
        typed = typed.where(CounterMonth.service_id == service_id)
        imported = imported.where(CounterImport.service_id == service_id)
        recorded = recorded.where(CounterCase.service_id == service_id)
    for item in typed:
        row(item.service_id, item.month)["typed"] = item.count
    for item in imported:
        row(item.service_id, stats.month_of(_as_date(item.day)))["imported"] += item.count
    for service_name, day, count in recorded.tuples():
        row(service_name, stats.month_of(_as_date(day)))["recorded"] += count
    return [rows[key] for key in sorted(rows)]


def set_counter_month(
    user: User, service_id: str, month: str, count: int, ip: str = ""
) -> dict[str, Any]:
    """Type in a month's counter count (replacing the earlier typed one)."""
    year, number = parse_month(month)
    service(service_id)
    if date(year, number, 1) > today():
        raise _invalid("month", "statistics_month_in_future")
    if not 0 <= count <= MAX_MONTHLY_COUNT:
        raise _invalid("count", "statistics_invalid_count", max=MAX_MONTHLY_COUNT)
    with db.atomic():
        # Insert or replace in one statement (no update-then-insert race).
        CounterMonth.insert(
            service_id=service_id, month=month, count=count, updated_by=user, updated_at=utcnow()
        ).on_conflict(
            conflict_target=[CounterMonth.service_id, CounterMonth.month],
            update={
                CounterMonth.count: peewee.EXCLUDED.count,
                CounterMonth.updated_by: peewee.EXCLUDED.updated_by_id,
                CounterMonth.updated_at: peewee.EXCLUDED.updated_at,
            },
        ).execute()
        audit.record("counter_month_set", user, "counter_month", f"{service_id}/{month}", ip)
    return next(r for r in counter_counts(service_id, year) if r["month"] == month)


# --- imports -------------------------------------------------------------------------


@dataclass
class LineError:
    line: int
    field: str
    code: str


class ImportRefused(DomainError):
    """A counter import with errors: nothing was stored; ``lines`` says what is wrong."""

    def __init__(self, lines: list[LineError]) -> None:
        super().__init__("statistics_import_invalid")
        self.lines = lines


_HEADERS = {
    ("service_id", "day", "count"): ("service_id", "day", "count"),
    ("dienst", "datum", "anzahl"): ("service_id", "day", "count"),
}


def _parse_day(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_import(content: bytes) -> tuple[dict[tuple[str, date], int], list[LineError]]:
    """The rows of a counter import file, keyed by (service, day), and its errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [LineError(1, "file", "statistics_import_encoding")]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return {}, [LineError(1, "file", "statistics_import_header")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = tuple(cell.strip().lower() for cell in next(reader))
    except csv.Error:
        return {}, [LineError(1, "file", "statistics_import_malformed")]
    if header not in _HEADERS:
        return {}, [LineError(1, "file", "statistics_import_header")]
    known = {item["service_id"] for item in services()}
    now = today()
    rows: dict[tuple[str, date], int] = {}
    errors: list[LineError] = []
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if number > MAX_IMPORT_LINES + 1:
                errors.append(LineError(number, "file", "statistics_import_too_long"))
                break
            if len(cells) != 3:
                errors.append(LineError(number, "line", "statistics_import_columns"))
                continue
            _check_line(number, cells, known, now, rows, errors)
    except csv.Error:
        # A field longer than the csv module allows, a stray quote at the end, a NUL…
        errors.append(LineError(number + 1, "file", "statistics_import_malformed"))
    return rows, errors


def _check_line(
    number: int,
    cells: list[str],
    known: set[str],
    now: date,
    rows: dict[tuple[str, date], int],
    errors: list[LineError],
) -> None:
    """Check one line of an import; add its count to ``rows`` or its errors."""
    service_id, day_text, count_text = (cell.strip() for cell in cells)
    if service_id not in known:
        errors.append(LineError(number, "service_id", "statistics_unknown_service"))
    day = _parse_day(day_text)
    if day is None:
        errors.append(LineError(number, "day", "invalid_date"))
    elif day > now:
        errors.append(LineError(number, "day", "statistics_day_in_future"))
    elif day < stats.FIRST_DAY:
        # The same window as typed months and the figures' range: a year 1 date would
        # otherwise reach the aggregation and overflow its time arithmetic.
        errors.append(LineError(number, "day", "statistics_day_before_2000"))
    count = int(count_text) if _COUNT.match(count_text) else None
    if count is None or count > MAX_DAILY_COUNT:
        errors.append(LineError(number, "count", "statistics_invalid_count"))
    if day is not None and count is not None:
        if (service_id, day) in rows:
            errors.append(LineError(number, "day", "statistics_import_duplicate"))
        rows[(service_id, day)] = count


def import_counts(user: User, content: bytes, ip: str = "") -> dict[str, int]:
    """Store an import: each (service, day) count replaces an earlier imported one.
    With any error nothing is stored (``ImportRefused``)."""
    rows, errors = parse_import(content)
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([LineError(1, "file", "statistics_import_empty")])
    now = utcnow()
    items = [
        {"service_id": service_id, "day": day, "count": count, "imported_at": now}
        for (service_id, day), count in sorted(rows.items())
    ]
    with db.atomic():
        # One statement per chunk that replaces or inserts: two imports of the same days
        # at once (two browser tabs) cannot both insert and collide on the unique key.
        for offset in range(0, len(items), 500):
            CounterImport.insert_many(items[offset : offset + 500]).on_conflict(
                conflict_target=[CounterImport.service_id, CounterImport.day],
                update={
                    CounterImport.count: peewee.EXCLUDED.count,
                    CounterImport.imported_at: peewee.EXCLUDED.imported_at,
                },
            ).execute()
        audit.record("counter_import", user, "counter_import", "", ip, rows=len(rows))
    return {"imported": len(rows), "days": len({day for _service, day in rows})}


# --- targets -------------------------------------------------------------------------


def target_view(target: StatisticsTarget | None) -> dict[str, Any] | None:
    """A target as the API shows it (with the target quote computed)."""
    if target is None:
        return None
    return {
        "baseline_year": target.baseline_year,
        "baseline_quote": round(target.baseline_quote, 4),
        "points": target.points,
        "target_quote": stats.target_quote(target.baseline_quote, target.points),
    }


def targets() -> dict[str, StatisticsTarget]:
    """Every target by service."""
    return {target.service_id: target for target in StatisticsTarget.select()}


def set_target(
    user: User,
    service_id: str,
    baseline_year: int,
    points: float,
    baseline_quote: float | None,
    ip: str = "",
) -> StatisticsTarget:
    """Set a service's target. ``baseline_quote`` is the caller's (typed in, or the
    aggregated quote of the baseline year from ``figures.year_quote``); ``None`` means
    that year has too few cases: a field error on ``baseline_quote``."""
    service(service_id)
    if baseline_quote is None:
        raise _invalid("baseline_quote", "statistics_baseline_unavailable")
    with db.atomic():
        # Insert or replace in one statement: two saves at once cannot collide.
        StatisticsTarget.insert(
            service_id=service_id,
            baseline_year=baseline_year,
            baseline_quote=baseline_quote,
            points=points,
            updated_by=user,
            updated_at=utcnow(),
        ).on_conflict(
            conflict_target=[StatisticsTarget.service_id],
            update={
                StatisticsTarget.baseline_year: peewee.EXCLUDED.baseline_year,
                StatisticsTarget.baseline_quote: peewee.EXCLUDED.baseline_quote,
                StatisticsTarget.points: peewee.EXCLUDED.points,
                StatisticsTarget.updated_by: peewee.EXCLUDED.updated_by_id,
                StatisticsTarget.updated_at: peewee.EXCLUDED.updated_at,
            },
        ).execute()
        target = StatisticsTarget.get_by_id(service_id)
        audit.record("statistics_target_set", user, "statistics_target", service_id, ip)
    return target


def delete_target(user: User, service_id: str, ip: str = "") -> None:
    """Remove a service's target (nothing happens when it has none)."""
    with db.atomic():
        deleted = (
            StatisticsTarget.delete().where(StatisticsTarget.service_id == service_id).execute()
        )
        if deleted:
            audit.record("statistics_target_deleted", user, "statistics_target", service_id, ip)


# --- step views ----------------------------------------------------------------------


# Published and retired versions never change: their step ids are kept once read.
_STEPS: dict[tuple[str, int], frozenset[str]] = {}


def _steps_of(service_id: str, version: int) -> frozenset[str] | None:
    """The step ids of a published (or retired) version; ``None`` when unknown (not
    kept: the version may be published later)."""
    known = _STEPS.get((service_id, version))
    if known is not None:
        return known
    record = (
        ServiceDefinitionRecord.select(ServiceDefinitionRecord.data)
        .where(
            (ServiceDefinitionRecord.service_id == service_id)
            & (ServiceDefinitionRecord.version == version)
            & (ServiceDefinitionRecord.state != "draft")
        )
        .first()
    )
    if record is None or (record.data or {}).get("kind") == "survey":
        return None
    steps = frozenset(
        step.get("id") for step in record.data.get("steps") or [] if isinstance(step, dict)
    )
    if len(_STEPS) < 1000:
        _STEPS[(service_id, version)] = steps
    return steps


def record_step_views(views: list[dict[str, Any]]) -> int:
    """Store step views (journey, service_id, version, step, at); return how many were
    new. A repeated (journey, step) counts once; views older than 30 days are dropped
    (an offline queue must drain); any other problem refuses the whole batch."""
    now = utcnow()
    errors: list[FieldError] = []
    fresh: dict[tuple[str, str], dict[str, Any]] = {}
    for index, view in enumerate(views):
        at = view["at"]
        if at.tzinfo is not None:
            try:
                at = at.astimezone(UTC).replace(tzinfo=None)
            except OverflowError:
                # 0001-01-01T00:00+01:00 or 9999-12-31T23:59-01:00: outside any calendar.
                errors.append(FieldError(f"views.{index}.at", "statistics_time_out_of_range"))
                continue
        if not JOURNEY.match(view["journey"]):
            errors.append(FieldError(f"views.{index}.journey", "statistics_invalid_journey"))
        steps = _steps_of(view["service_id"], view["version"])
        if steps is None:
            errors.append(FieldError(f"views.{index}.version", "statistics_unknown_version"))
        elif view["step"] != SUBMITTED_MARK and view["step"] not in steps:
            errors.append(FieldError(f"views.{index}.step", "statistics_unknown_step"))
        if at > now + CLOCK_SKEW:
            errors.append(FieldError(f"views.{index}.at", "statistics_time_in_future"))
        if now - at > STEP_VIEW_MAX_AGE:
            continue
        # Kept to the hour: enough for the day and the order of a journey's steps,
        # and no exact moment of anybody's visit is stored.
        at = at.replace(minute=0, second=0, microsecond=0)
        fresh.setdefault((view["journey"], view["step"]), {**view, "at": at})
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    if not fresh:
        return 0
    # A journey's campaign tag is kept only when the city created it: a made-up tag is
    # dropped, never stored (the views still count).
    sent_tags = {view.get("campaign") for view in fresh.values()} - {None, ""}
    known = (
        {
            tag
            for (tag,) in Campaign.select(Campaign.tag)
            .where(Campaign.tag.in_(sorted(sent_tags)))
            .tuples()
        }
        if sent_tags
        else set()
    )
    journeys = {journey for journey, _step in fresh}
    seen = set(
        StepView.select(StepView.journey, StepView.step)
        .where(StepView.journey.in_(sorted(journeys)))
        .tuples()
    )
    rows = [
        {
            "journey": view["journey"],
            "service_id": view["service_id"],
            "version": view["version"],
            "step": view["step"],
            "at": view["at"],
            "day": stats.berlin_day(view["at"]),
            "campaign": view.get("campaign") if view.get("campaign") in known else None,
        }
        for key, view in fresh.items()
        if key not in seen
    ]
    if rows:
        StepView.insert_many(rows).on_conflict_ignore().execute()
    return len(rows)
