"""The Bürgerbüro's configuration as data: counters, counter services, opening hours and
closing days, read from the database and loaded from a data file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from app.appointments.holidays import nrw_holidays
from app.appointments.settings import MAX_SERVICES, SLOT_MINUTES
from app.appointments.slots import Opening, parse_hhmm
from app.cities import active_city
from app.db import db
from app.errors import DomainError, FieldError
from app.models import (
    AppointmentClosingDay,
    AppointmentCounter,
    AppointmentOpening,
    AppointmentService,
)


def services(active_only: bool = True) -> list[AppointmentService]:
    """The counter services in their display order."""
    query = AppointmentService.select().order_by(AppointmentService.position, AppointmentService.id)
    if active_only:
        query = query.where(AppointmentService.active)
    return list(query)


def service_dict(service: AppointmentService, lang: str) -> dict[str, Any]:
    """A counter service as the booking page shows it."""
    return {
        "slug": service.slug,
        "name": service.name_en if lang == "en" else service.name_de,
        "duration_minutes": service.duration_minutes,
        "online_service": service.online_service,
    }


def resolve(slugs: list[str]) -> list[AppointmentService]:
    """The active services named by ``slugs`` (each once), or a field error on ``services``."""
    unique = list(dict.fromkeys(slugs))
    if not unique:
        raise DomainError("invalid_input", field_errors=[FieldError("services", "required")])
    if len(unique) > MAX_SERVICES:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("services", "appointment_too_many", {"max": MAX_SERVICES})],
        )
    by_slug = {s.slug: s for s in services()}
    missing = [s for s in unique if s not in by_slug]
    if missing:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("services", "appointment_unknown_service")]
        )
    return [by_slug[s] for s in unique]


def counters_for(chosen: list[AppointmentService]) -> list[int]:
    """The active counters that serve every one of the chosen services."""
    active = {c.id for c in AppointmentCounter.select().where(AppointmentCounter.active)}
    for service in chosen:
        active &= set(service.counter_ids)
    return sorted(active)


def duration(chosen: list[AppointmentService]) -> int:
    """The minutes one visit for the chosen services takes."""
    return sum(s.duration_minutes for s in chosen)


def openings() -> list[Opening]:
    """The opening intervals of every weekday."""
    return [
        Opening(o.weekday, parse_hhmm(o.opens), parse_hhmm(o.closes))
        for o in AppointmentOpening.select().order_by(AppointmentOpening.weekday)
    ]


def closed_days(first: date, last: date) -> set[date]:
    """The closing days between ``first`` and ``last`` (both included)."""
    query = AppointmentClosingDay.select(AppointmentClosingDay.day).where(
        AppointmentClosingDay.day.between(first, last)
    )
    return {row.day for row in query}


def counters() -> list[AppointmentCounter]:
    """Every counter, by name."""
    return list(AppointmentCounter.select().order_by(AppointmentCounter.name))


def _problems(data: dict[str, Any]) -> list[FieldError]:
    names = set(data["counters"])
    found = []
    if len(names) != len(data["counters"]) or not names:
        found.append(FieldError("counters", "appointment_counters"))
    slugs = [s["slug"] for s in data["services"]]
    if len(set(slugs)) != len(slugs):
        found.append(FieldError("services", "appointment_slug_repeated"))
    for index, service in enumerate(data["services"]):
        minutes = int(service["duration_minutes"])
        if minutes <= 0 or minutes % SLOT_MINUTES:
            found.append(
                FieldError(
                    f"services.{index}.duration_minutes",
                    "appointment_duration_grid",
                    {"minutes": SLOT_MINUTES},
                )
            )
        if not service["counters"] or set(service["counters"]) - names:
            found.append(FieldError(f"services.{index}.counters", "appointment_unknown_counter"))
    for index, opening in enumerate(data["opening_hours"]):
        if parse_hhmm(opening["opens"]) >= parse_hhmm(opening["closes"]):
            found.append(FieldError(f"opening_hours.{index}.closes", "appointment_closes_first"))
    return found


def check(data: dict[str, Any]) -> None:
    """Refuse a configuration with field errors (durations off the slot grid, unknown
    counters, repeated services, opening intervals that end before they start)."""
    problems = _problems(data)
    if problems:
        raise DomainError("invalid_input", field_errors=problems)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def load(data: dict[str, Any], years: tuple[int, ...]) -> None:
    """Replace the configuration with ``data`` (the shape of the demo file) and add the
    NRW public holidays of ``years`` as closing days. Services and counters missing from
    ``data`` are switched off, not deleted: existing bookings stay."""
    check(data)
    demo = bool(data.get("demo"))
    with db.atomic():
        ids = {}
        for name in data["counters"]:
            counter, _ = AppointmentCounter.get_or_create(name=name, defaults={"demo": demo})
            ids[name] = counter.id
        for position, item in enumerate(data["services"]):
            values = {
                "name_de": item["name_de"],
                "name_en": item["name_en"],
                "duration_minutes": int(item["duration_minutes"]),
                "online_service": item.get("online_service"),
                "counter_ids": sorted(ids[n] for n in item["counters"]),
                "position": position,
                "active": True,
                "demo": demo,
            }
            service = AppointmentService.get_or_none(AppointmentService.slug == item["slug"])
            if service is None:
                AppointmentService.create(slug=item["slug"], **values)
            else:
                AppointmentService.update(values).where(
                    AppointmentService.id == service.id
                ).execute()
        AppointmentCounter.update(active=AppointmentCounter.name.in_(data["counters"])).execute()
        AppointmentService.update(active=False).where(
            AppointmentService.slug.not_in([s["slug"] for s in data["services"]])
        ).execute()
        AppointmentOpening.delete().execute()
        AppointmentOpening.insert_many(
            [(o["weekday"], o["opens"], o["closes"]) for o in data["opening_hours"]],
            fields=[
                AppointmentOpening.weekday,
                AppointmentOpening.opens,
                AppointmentOpening.closes,
            ],
        ).execute()
        days = [(_day(d["day"]), d["reason_de"], d["reason_en"]) for d in data["closing_days"]]
        for year in years:
            days += nrw_holidays(year)
        AppointmentClosingDay.delete().execute()
        for day, reason_de, reason_en in days:
            AppointmentClosingDay.get_or_create(
                day=day, defaults={"reason_de": reason_de, "reason_en": reason_en}
            )


def load_demo(years: tuple[int, ...]) -> None:
    """Load the city package's Bürgerbüro (demo data, marked as such in the file)."""
    load(json.loads(demo_file().read_text(encoding="utf-8")), years)


def demo_file() -> Path:
    """The active city package's Bürgerbüro file."""
    return active_city().file("appointments")


def export() -> dict[str, Any]:
    """The configuration in the shape of the data file (active counters and services)."""
    active = [c for c in counters() if c.active]
    names = {c.id: c.name for c in active}
    return {
        "counters": [c.name for c in active],
        "opening_hours": [
            {"weekday": o.weekday, "opens": o.opens, "closes": o.closes}
            for o in AppointmentOpening.select().order_by(
                AppointmentOpening.weekday, AppointmentOpening.opens
            )
        ],
        "closing_days": [
            {"day": c.day, "reason_de": c.reason_de, "reason_en": c.reason_en}
            for c in AppointmentClosingDay.select().order_by(AppointmentClosingDay.day)
        ],
        "services": [
            {
                "slug": s.slug,
                "name_de": s.name_de,
                "name_en": s.name_en,
                "duration_minutes": s.duration_minutes,
                "counters": [names[i] for i in s.counter_ids if i in names],
                "online_service": s.online_service,
            }
            for s in services()
        ],
    }
