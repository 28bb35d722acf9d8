"""Demo defect reports in the city package's streets: invented, in various states, marked as demo
data. Nothing about a real person: the demo reporters are the demo accounts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from app.cities import active_city, demo_data
from app.db import db, utcnow
from app.models import DefectReport, ReportEvent, User
from app.reports import categories


def seed(reporter_email: str | None = None) -> int:
    """Create the demo reports once; the number made (0 when they exist already)."""
    if DefectReport.select().where(DefectReport.demo == True).exists():  # noqa: E712
        return 0
    reporter = User.get_or_none(User.email == reporter_email) if reporter_email else None
    made = 0
    with db.atomic():
        for item in demo_data(active_city())["reports"]:
            code, address, status = item["category"], item["address"], item["status"]
            comment, days = item["comment"], item["days_ago"]
            category = categories.by_code(code)
            if category is None:
                continue
            created = utcnow() - timedelta(days=days, hours=3)
            report = DefectReport.create(
                category=category,
                status=status,
                visibility=item["visibility"],
                description=item["description"],
                lat=item["lat"],
                lon=item["lon"],
                address=address,
                street=address.rsplit(" ", 1)[0],
                reporter=reporter if made % 2 == 0 else None,
                token=secrets.token_hex(8),
                public_comment=comment,
                demo=True,
                created_at=created,
                updated_at=created + timedelta(hours=2 if status != "new" else 0),
            )
            ReportEvent.create(report=report, kind="created", status="new", created_at=created)
            if status != "new":
                ReportEvent.create(
                    report=report,
                    kind="status",
                    status=status,
                    comment=comment,
                    created_at=created + timedelta(hours=2),
                )
            made += 1
    return made
