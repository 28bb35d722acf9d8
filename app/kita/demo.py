"""Demo facilities of the city package: invented names and addresses, marked as demo data."""

from __future__ import annotations

from app.cities import active_city, demo_data
from app.kita import facilities
from app.models import KitaFacility


def demo_facilities() -> list[dict]:
    """The city package's demo facilities (invented, marked as demo in the file)."""
    return [dict(item) for item in demo_data(active_city())["kita_facilities"]]


def seed() -> list[KitaFacility]:
    """Create the demo facilities that do not exist yet; returns every demo facility."""
    made = []
    for data in demo_facilities():
        found = KitaFacility.get_or_none(KitaFacility.name == data["name"])
        made.append(found or facilities.create(dict(data), demo=True))
    return made


# The demo's facility staff account, linked to the first demo facility.
DEMO_FACILITY_STAFF = "kita@demo.buergerportal.de"
# The demo clerk who also allocates places for every facility.
DEMO_CLERK = "sachbearbeitung@demo.buergerportal.de"


def seed_demo_accounts() -> None:
    """The demo facilities, the demo clerk's area ``kita`` and the facility staff demo
    account's link to the first demo facility (safe to run again)."""
    from app.accounts import users
    from app.kita import access
    from app.kita.settings import AREA
    from app.models import StaffArea, User

    first = seed()[0]
    clerk = User.get_or_none(User.email == DEMO_CLERK)
    if clerk is not None and AREA not in users.staff_areas(clerk):
        StaffArea.create(user=clerk, area=AREA)
    staff = User.get_or_none(User.email == DEMO_FACILITY_STAFF)
    if staff is not None:
        access.set_links(staff, [first.id])
