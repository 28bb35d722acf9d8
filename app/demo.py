"""Demo data: one account per role, so every screen can be tried at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.accounts import profile, users
from app.appointments.demo import seed as seed_demo_appointments
from app.cities import active_city, demo_data
from app.db import db
from app.demo_handoff import seed_demo_handoffs
from app.kita.demo import seed_demo_accounts as seed_demo_kita
from app.models import CounterCase, CounterMonth, StaffArea, StatisticsTarget, User
from app.reports.demo import seed as seed_demo_reports
from app.surveys.demo import seed_demo_survey
from app.tasks import config as job_config


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    areas: tuple[str, ...]
    given_names: str
    family_name: str
    what: str


# The admin who configures what the demo sets up as a city would (hand-off targets).
DEMO_ADMIN = "admin@demo.buergerportal.de"
DEMO_ACCOUNTS = (
    DemoAccount("buerger@demo.buergerportal.de", "citizen", (), "Erika", "Musterfrau", "Bürgerin"),
    DemoAccount(
        "sachbearbeitung@demo.buergerportal.de",
        "staff",
        (
            "hundesteuer",
            "abfall",
            "standesamt",
            "meldewesen",
            "gewerbe",
            "parken",
            "wohngeld",
            "buergerbuero",
            # Departments of the defect reports (app/reports/data/categories.yaml).
            "tiefbau",
            "ordnungsamt",
            "gruenflaechen",
        ),
        "Sam",
        "Schreiber",
        "Sachbearbeitung",
    ),
    DemoAccount(
        "ordnungsamt@demo.buergerportal.de", "officer", (), "Olaf", "Ordner", "Ordnungsamt"
    ),
    DemoAccount(
        "statistik@demo.buergerportal.de", "statistics", (), "Stella", "Statistik", "Statistik"
    ),
    DemoAccount(DEMO_ADMIN, "admin", (), "Ada", "Admin", "Administration"),
    # Facility staff of one demo day-care facility (linked in app.kita.demo).
    DemoAccount("kita@demo.buergerportal.de", "facility", (), "Karla", "Kita", "Kita-Einrichtung"),
)
# Counter cases per working day for the demo's statistics (numbers only), given to the
# first published services in order: cases on each of the last 90 days, so quotes and
# charts have something to show. Which services they are comes from the definitions.
DEMO_COUNTER_CASES_PER_DAY = (3, 2, 1)


def seed_demo() -> list[DemoAccount]:
    """Create the demo accounts if missing, and the demo's statistics, survey and
    hand-off targets (safe to run again)."""
    with db.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.get_or_none(User.email == account.email)
            if user is None:
                user = users.create_user(account.email, account.role, list(account.areas))
            else:
                user.role = account.role
                user.save()
                existing = set(users.staff_areas(user))
                for area in set(account.areas) - existing:
                    StaffArea.create(user=user, area=area)
            changes = {"given_names": account.given_names, "family_name": account.family_name}
            if account.role == "citizen":
                citizen = demo_data(active_city())["citizen"]
                changes |= {
                    "date_of_birth": date(1984, 3, 12),
                    "street": citizen["street"],
                    "house_number": citizen["house_number"],
                    "postal_code": citizen["postal_code"],
                    "city": citizen["locality"],
                    "phone": citizen["phone"],
                }
            profile.update_profile(user, changes)
        _seed_statistics()
    # The open city survey the start page's banner offers.
    seed_demo_survey()
    # Hand-off targets, chosen by the demo admin as a city chooses its own.
    seed_demo_handoffs(User.get(User.email == DEMO_ADMIN))
    # Day-care: demo facilities, the clerk's area and a facility staff account.
    with db.atomic():
        seed_demo_kita()
    # The Bürgerbüro: counters, counter services, opening hours and a few bookings.
    seed_demo_appointments(job_config())
    # Defect reports in the city's streets, some of them the demo citizen's.
    seed_demo_reports(DEMO_ACCOUNTS[0].email)
    return list(DEMO_ACCOUNTS)


def _seed_statistics() -> None:
    """Counter cases, a typed month, a target and one aggregation run (once): the
    dashboard shows figures from the first start. Numbers only, no personal data."""
    from app.statistics import aggregation, records

    if CounterCase.select().exists():
        return
    chosen = [item["service_id"] for item in records.services()][: len(DEMO_COUNTER_CASES_PER_DAY)]
    today = records.today()
    rows = [
        {"service_id": service_id, "day": today - timedelta(days=offset)}
        for service_id, per_day in zip(chosen, DEMO_COUNTER_CASES_PER_DAY, strict=False)
        for offset in range(1, 91)
        if (today - timedelta(days=offset)).weekday() < 5
        for _case in range(per_day)
    ]
    if rows:
        CounterCase.insert_many(rows).execute()
    if chosen:
        last_year = today.year - 1
        CounterMonth.create(service_id=chosen[0], month=f"{last_year}-12", count=60)
        StatisticsTarget.create(
            service_id=chosen[0], baseline_year=last_year, baseline_quote=0.35, points=10
        )
    aggregation.run()
