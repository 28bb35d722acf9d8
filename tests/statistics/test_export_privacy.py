"""The open-data export holds aggregate counts only: applicants with distinctive names,
addresses, e-mail addresses, IBANs and free text leave no trace in it (CSV or JSON),
nor do the cases' references or ids, and counts of 1–4 are left empty."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from app.accounts import profile
from app.db import db
from app.models import Application, Feedback, SepaMandate, StepView
from app.statistics import aggregation, berlin_day
from tests.statistics.helpers import application, citizen

NAMES = ["Zacharias Quetschenpaua", "Wilhelmine Xylander-Brömmel", "Ottokar Fjodorowitsch"]
EMAILS = [
    "zacharias.quetschenpaua@example.org",
    "wilhelmine.xylander@example.org",
    "ottokar.fj@example.org",
]
IBANS = ["DE89370400440532013000", "DE02120300000000202051", "DE12500105170648489890"]
STREET = "Hinterm Quetschenweg"
FREE_TEXT = "Mein Hund Bello beißt nur dienstags"


def _seed() -> list[str]:
    identifiers = []
    # Fixed, mid-month: every case of a service falls into the same month.
    start = datetime(2026, 3, 10, 8, 0)
    for number, (name, email, iban) in enumerate(zip(NAMES, EMAILS, IBANS, strict=True)):
        user = citizen(email)
        given, family = name.split(" ", 1)
        profile.update_profile(
            user, {"given_names": given, "family_name": family, "street": STREET}
        )
        SepaMandate.create(
            reference=f"M-{number}",
            user=user,
            account_holder=name,
            iban=iban,
            creditor_id="DE98ZZZ09999999999",
            creditor_name="Stadt",
            mandate_text="Mandat",
            signed_at=start,
        )
        Feedback.create(kind="general", message=FREE_TEXT, email=email, user=user)
        # Six cases each: enough to be shown, so the rows are really filled.
        for offset in range(6):
            created = start + timedelta(hours=offset)
            case = application(
                user,
                created,
                submitted=created + timedelta(hours=1),
                decided=created + timedelta(hours=30),
                status="approved",
                decided_by="staff",
                via="eid",
                name=f"{family}, {given}",
                answers={"iban": iban, "name": name, "note": FREE_TEXT, "street": STREET},
            )
            Application.update(reference=f"R{number}{offset:05d}"[:8]).where(
                Application.id == case.id
            ).execute()
            identifiers += [case.id, f"R{number}{offset:05d}"[:8]]
        StepView.create(
            journey=f"{email.split('@')[0]}-journey-token-xyz",
            service_id="waste_bins",
            version=1,
            step="property",
            at=start,
            day=berlin_day(start),
        )
    # A second service with only three cases: shown empty.
    for offset in range(3):
        created = start + timedelta(hours=offset)
        application(
            citizen(EMAILS[0]),
            created,
            service_id="dog_tax_registration",
            submitted=created + timedelta(hours=1),
        )
    return identifiers


def test_export_contains_no_personal_data(signed_in):
    with db.connection_context():
        identifiers = _seed()
        aggregation.run()
    analyst = signed_in("analyst@example.org", "statistics")
    span = "from=2026-01-01&to=2026-06-30"
    csv_text = analyst.get(f"/api/statistics/export.csv?{span}").get_data(as_text=True)
    json_text = analyst.get(f"/api/statistics/export.json?{span}").get_data(as_text=True)
    for text in (csv_text, json_text):
        lowered = text.lower()
        forbidden = [*NAMES, *EMAILS, *IBANS, STREET, FREE_TEXT, *identifiers, "journey"]
        forbidden += [part for name in NAMES for part in name.split(" ")]
        for needle in forbidden:
            assert needle.lower() not in lowered, needle
        assert "@" not in text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert set(rows[0]) == {
        "service_id",
        "month",
        "online",
        "counter",
        "quote",
        "started",
        "submitted",
        "decided",
        "median_processing_hours",
    }
    waste = [row for row in rows if row["service_id"] == "waste_bins"]
    assert [(row["month"], row["submitted"]) for row in waste] == [("2026-03", "18")]
    dogs = [row for row in rows if row["service_id"] == "dog_tax_registration"]
    assert dogs and all(row["submitted"] == "" for row in dogs)  # three cases: suppressed
