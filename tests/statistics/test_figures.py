"""The aggregation and the dashboard's figures on a fixed set of cases: quote against
counter counts, funnel with abandoned drafts and the step where citizens give up,
processing percentiles and the automatic share, channels; the five-case threshold;
incremental runs recompute what changed and nothing doubles."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.db import db
from app.models import (
    CounterCase,
    CounterImport,
    CounterMonth,
    NotificationPreference,
    Payment,
    PushSubscription,
    SignInRecord,
    StatisticsDaily,
    StatisticsRun,
    StepView,
)
from app.statistics import aggregation, figures
from tests.statistics.helpers import application, citizen, journey

NOW = datetime(2026, 4, 1, 8, 0)
CREATED = datetime(2025, 12, 10, 10, 0)
SUBMITTED = CREATED + timedelta(hours=2)
DUE = datetime(2025, 12, 20, 12, 0)
TOKEN = "j" * 21


def _seed() -> None:
    opted_in, plain = citizen("a@example.org"), citizen("b@example.org")
    NotificationPreference.create(user=opted_in, email=False, push=True)
    PushSubscription.create(user=opted_in, endpoint="https://push.example/1", p256dh="k", auth="a")
    vias = ["email"] * 6 + ["passkey"] * 3 + ["eid"]
    for number in range(10):
        user = opted_in if number < 5 else plain
        decided = None
        status, by = "submitted", ""
        if number < 3:
            decided, status, by = SUBMITTED + timedelta(hours=5), "rejected", "system"
        elif number < 6:
            decided, status, by = SUBMITTED + timedelta(hours=100), "rejected", "staff"
        if number == 0:
            by = "staff"  # two automatic of six
        application(
            user,
            CREATED,
            submitted=SUBMITTED,
            decided=decided,
            status=status,
            decided_by=by,
            via=vias[number],
            due=DUE,
        )
    for _ in range(2):
        application(plain, CREATED)  # drafts never touched again: abandoned on Jan 9
    for number in range(5):
        Payment.create(
            subject_type="application",
            subject_id=application(plain, CREATED, submitted=SUBMITTED, via="email").id,
            amount_cents=1000,
            purpose="Gebuehr",
            description="Gebühr",
            provider="sandbox",
            state="paid",
            return_path="/",
            succeeded_at=SUBMITTED + timedelta(minutes=5 + number),
        )
    for day in (11, 11, 12):
        CounterCase.create(service_id="waste_bins", day=date(2025, 12, day))
    CounterMonth.create(service_id="waste_bins", month="2025-12", count=4)
    CounterImport.create(service_id="waste_bins", day=date(2025, 12, 15), count=2)
    for number in range(6):
        journey(f"{TOKEN}g{number}", ["property", "bins_step"], CREATED)
    for number in range(2):
        journey(f"{TOKEN}p{number}", ["property"], CREATED)
    # Five give up at the date: with the two at "property" hidden, the next smallest
    # (the date) is hidden too, so the six at "bins_step" cannot be subtracted away.
    for number in range(5):
        journey(f"{TOKEN}d{number}", ["property", "bins_step", "date_step"], CREATED)
    for number in range(5):
        journey(f"{TOKEN}s{number}", ["property", "bins_step", "_submitted"], CREATED)
    for number in range(10):
        SignInRecord.create(
            user=plain,
            session_key=f"s{number}",
            method="email",
            display_mode="standalone" if number < 5 else "browser",
            started_at=datetime(2026, 1, 20, 9, number),
        )


@pytest.fixture
def seeded(app):
    with db.connection_context():
        _seed()
        aggregation.run(NOW)
        yield


def _figures(group: str = "month", service_id: str | None = "waste_bins"):
    return figures.figures(service_id, date(2025, 12, 1), date(2026, 1, 31), group)


def test_quote_counts_online_against_counter_cases(seeded):
    result = _figures()
    december, january = result["quote"]["periods"]
    # 15 submitted online; counter: 3 recorded + max(typed 4, imported 2) = 7.
    assert december == {
        "period": "2025-12",
        "online": 15,
        "counter": 7,
        "quote": round(15 / 22, 4),
        "suppressed": False,
    }
    assert january == {
        "period": "2026-01",
        "online": 0,
        "counter": 0,
        "quote": None,
        "suppressed": False,
    }
    quarters = _figures("quarter")["quote"]["periods"]
    assert [p["period"] for p in quarters] == ["2025-Q4", "2026-Q1"]
    assert quarters[0]["online"] == 15
    assert [p["period"] for p in _figures("year")["quote"]["periods"]] == ["2025", "2026"]


def test_funnel_abandoned_and_where_citizens_give_up(seeded):
    funnel = _figures()["funnel"]
    assert funnel["started"] == 17
    assert funnel["submitted"] == 15
    assert funnel["paid"] == 5
    assert funnel["decided"] == 6
    assert funnel["completed"] == 6  # "rejected" ends the standard workflow
    assert funnel["abandoned"] is None  # two drafts: below the threshold
    assert funnel["suppressed"] is True
    assert funnel["median_start_to_submit_hours"] == 2.5  # two hours, bucket 2..3
    by_step = {item["step"]: item for item in funnel["gave_up_at"]}
    assert by_step["bins_step"]["count"] == 6
    assert by_step["bins_step"]["title"]["de"]
    assert by_step["property"]["count"] is None  # two journeys
    assert by_step["date_step"]["count"] is None  # hidden with them (secondary)


def test_processing_percentiles_and_automatic_share(seeded):
    processing = _figures()["processing"]
    assert processing["decided"] == 6
    assert processing["median_hours"] == 5.5  # rank 3 of 6 in bucket 5..6
    assert processing["p90_hours"] == 99.0  # rank 6 in bucket 96..102
    # Two automatic of six: the share would give the two away.
    assert processing["auto_share"] is None
    assert processing["overdue"] is None  # four undecided past their due date
    assert processing["suppressed"] is True
    january = processing["periods"][1]
    assert january["period"] == "2026-01" and january["median_hours"] is None


def test_channels(seeded):
    channels = _figures()["channels"]
    assert channels["payment_methods"] == [{"method": "sandbox", "count": 5}]
    # Five applications by the citizen with push on and a device; e-mail off for them.
    assert channels["push_opt_in"] == {"share": round(5 / 15, 4), "count": 5}
    assert channels["email_opt_in"] == {"share": round(10 / 15, 4), "count": 10}
    assert channels["installed_app"] == {"share": 0.5, "count": 5}
    # Passkey 3 and eID 1 are hidden; together only four, so e-mail (11) is hidden
    # too: 15 submissions minus e-mail would otherwise give their sum away.
    assert channels["trust_levels"] == [
        {"level": "email", "count": None},
        {"level": "passkey", "count": None},
        {"level": "eid", "count": None},
    ]
    assert channels["suppressed"] is True


def test_all_services_include_the_service(seeded):
    result = _figures(service_id=None)
    assert result["quote"]["total"]["online"] == 15
    first = result["funnel"]["gave_up_at"][0]
    assert first["count"] == 6
    assert first["step"] == "waste_bins/bins_step"  # per service and step
    assert first["title"]["de"].endswith(": " + first["title"]["de"].split(": ", 1)[1])
    assert "bins_step" not in first["title"]["de"]  # the service's and the step's titles


def test_a_second_run_changes_nothing_and_new_data_is_picked_up(seeded):
    before = sorted(StatisticsDaily.select().tuples())
    aggregation.run(NOW)
    assert sorted(StatisticsDaily.select().tuples()) == before
    # A counter case added later for an old day, and one journey that went on to submit.
    CounterCase.create(service_id="waste_bins", day=date(2025, 12, 12))
    StepView.create(
        journey=f"{TOKEN}g0",
        service_id="waste_bins",
        version=1,
        step="_submitted",
        at=CREATED + timedelta(hours=1),
        day=CREATED.date(),
    )
    last = StatisticsRun.select().order_by(StatisticsRun.id.desc()).get()
    assert date(2025, 12, 12) in aggregation.changed_days(last, NOW)
    aggregation.run(NOW)
    result = _figures()
    assert result["quote"]["periods"][0]["counter"] == 8
    gave_up = StatisticsDaily.select(StatisticsDaily.key, StatisticsDaily.count).where(
        StatisticsDaily.metric == "gave_up"
    )
    # The views of December were deleted by the first run (60 days before NOW): the
    # give-ups counted then are kept, a late view of that old day changes nothing.
    assert dict(gave_up.tuples()) == {"property": 2, "bins_step": 6, "date_step": 5}


def test_an_application_changed_later_moves_its_days(seeded):
    # A draft from before that the citizen touched just now (after the last run).
    draft = application(
        citizen("c@example.org"),
        CREATED - timedelta(days=3),
        updated=datetime.utcnow(),
    )
    aggregation.run(NOW)
    assert _figures()["funnel"]["started"] == 18
    # Submitted now (its change time is recent): the run after counts its submission.
    draft.submitted_at = datetime(2026, 1, 15, 9, 0)
    draft.status = "submitted"
    draft.updated_at = datetime.utcnow()
    draft.save()
    aggregation.run(NOW)
    january = _figures()["quote"]["periods"][1]
    assert january["online"] is None and january["suppressed"] is True  # one case


def test_partial_months_read_their_days(seeded):
    # Dec 10 – Jan 20: December's edge days come from the daily aggregate.
    result = figures.figures("waste_bins", date(2025, 12, 10), date(2026, 1, 20), "month")
    assert result["quote"]["periods"][0]["online"] == 15
    # The counter cases of Dec 11–12 and the import of Dec 15 lie inside; typed
    # monthly counts count for a month the range touches.
    assert result["quote"]["periods"][0]["counter"] == 7
    narrow = figures.figures("waste_bins", date(2025, 12, 11), date(2025, 12, 31), "month")
    assert narrow["quote"]["periods"][0]["online"] == 0
    assert narrow["funnel"]["started"] == 0
    everything = figures.figures(None, date(2025, 12, 10), date(2026, 1, 20), "quarter")
    assert everything["quote"]["total"]["online"] == 15
    assert everything["channels"]["installed_app"] == {"share": 0.5, "count": 5}
