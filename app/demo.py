"""Demo data: one account per role, so every screen can be tried at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.accounts import profile, users
from app.db import db
from app.models import StaffArea, User
from app.surveys.demo import seed_demo_survey


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    areas: tuple[str, ...]
    given_names: str
    family_name: str
    what: str


DEMO_ACCOUNTS = (
    DemoAccount("buerger@demo.buergerportal.de", "citizen", (), "Erika", "Musterfrau", "Bürgerin"),
    DemoAccount(
        "sachbearbeitung@demo.buergerportal.de",
        "staff",
        ("hundesteuer", "abfall", "standesamt", "meldewesen", "gewerbe", "parken"),
        "Sam",
        "Schreiber",
        "Sachbearbeitung",
    ),
    DemoAccount(
        "ordnungsamt@demo.buergerportal.de", "officer", (), "Olaf", "Ordner", "Ordnungsamt"
    ),
    DemoAccount("admin@demo.buergerportal.de", "admin", (), "Ada", "Admin", "Administration"),
)


def seed_demo() -> list[DemoAccount]:
    """Create the demo accounts if missing (safe to run again)."""
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
                changes |= {
                    "date_of_birth": date(1984, 3, 12),
                    "street": "Kaiserplatz",
                    "house_number": "2",
                    "postal_code": "52349",
                    "city": "Düren",
                    "phone": "+49 2421 250",
                }
            profile.update_profile(user, changes)
    # The open city survey the start page's banner offers.
    seed_demo_survey()
    return list(DEMO_ACCOUNTS)
