"""Demo defect reports in Düren's streets: invented, in various states, marked as demo
data. Nothing about a real person: the demo reporters are the demo accounts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from app.db import db, utcnow
from app.models import DefectReport, ReportEvent, User
from app.reports import categories

# (category, street and number, lat, lon, description, status, visibility, comment, days ago)
DEMO_REPORTS = (
    (
        "schlagloch",
        "Kölnstraße 40",
        50.8037,
        6.4893,
        "Tiefes Schlagloch auf der rechten Fahrspur, Radfahrer müssen ausweichen.",
        "in_progress",
        "public",
        "Die Reparatur ist für nächste Woche geplant.",
        6,
    ),
    (
        "strassenbeleuchtung",
        "Goethestraße 12",
        50.8071,
        6.4770,
        "Die Laterne vor Hausnummer 12 ist seit Tagen dunkel.",
        "done",
        "public",
        "Das Leuchtmittel wurde getauscht.",
        12,
    ),
    (
        "wilder_muell",
        "Binsfelder Straße 80",
        50.8152,
        6.4981,
        "Am Straßenrand liegen alte Matratzen und Bauschutt.",
        "received",
        "public",
        "",
        2,
    ),
    (
        "papierkorb",
        "Kaiserplatz 5",
        50.8043,
        6.4832,
        "Der Papierkorb an der Haltestelle quillt über.",
        "new",
        "pending",
        "",
        0,
    ),
    (
        "graffiti",
        "Wirtelstraße 20",
        50.8030,
        6.4818,
        "Schmierereien an der Wand der Unterführung.",
        "not_responsible",
        "public",
        "Die Unterführung gehört der Bahn; wir haben die Meldung weitergegeben.",
        20,
    ),
    (
        "spielplatz",
        "Am Adenauerpark 3",
        50.8009,
        6.4787,
        "An der Rutsche fehlt eine Schraube, die Kante ist scharf.",
        "received",
        "public",
        "",
        1,
    ),
)


def seed(reporter_email: str | None = None) -> int:
    """Create the demo reports once; the number made (0 when they exist already)."""
    if DefectReport.select().where(DefectReport.demo == True).exists():  # noqa: E712
        return 0
    reporter = User.get_or_none(User.email == reporter_email) if reporter_email else None
    made = 0
    with db.atomic():
        for code, address, lat, lon, text, status, visibility, comment, days in DEMO_REPORTS:
            category = categories.by_code(code)
            if category is None:
                continue
            created = utcnow() - timedelta(days=days, hours=3)
            report = DefectReport.create(
                category=category,
                status=status,
                visibility=visibility,
                description=text,
                lat=lat,
                lon=lon,
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
