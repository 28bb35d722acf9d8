"""An incremental run gives the same aggregate as a full rebuild, also after a draft
counted as abandoned is submitted late, a draft is deleted, and an account with its
applications is erased."""

from __future__ import annotations

from datetime import timedelta

from app.db import db, utcnow
from app.models import (
    Application,
    StatisticsDaily,
    StatisticsDuration,
    StatisticsMonthly,
    StatisticsRun,
)
from app.statistics import aggregation
from tests.statistics.helpers import application, citizen


def _aggregate() -> tuple[list, list, list]:
    return (
        sorted(
            StatisticsDaily.select(
                StatisticsDaily.day,
                StatisticsDaily.service_id,
                StatisticsDaily.metric,
                StatisticsDaily.key,
                StatisticsDaily.count,
            ).tuples()
        ),
        sorted(
            StatisticsDuration.select(
                StatisticsDuration.day,
                StatisticsDuration.service_id,
                StatisticsDuration.kind,
                StatisticsDuration.bucket,
                StatisticsDuration.count,
            ).tuples()
        ),
        sorted(
            StatisticsMonthly.select(
                StatisticsMonthly.month,
                StatisticsMonthly.service_id,
                StatisticsMonthly.metric,
                StatisticsMonthly.key,
                StatisticsMonthly.count,
            ).tuples()
        ),
    )


def _rebuild() -> tuple[list, list, list]:
    for model in (StatisticsDaily, StatisticsDuration, StatisticsMonthly, StatisticsRun):
        model.delete().execute()
    aggregation.run()
    return _aggregate()


def test_incremental_equals_a_full_rebuild_after_late_submissions_and_deletions(app):
    with db.connection_context():
        now = utcnow()
        long_ago = now - timedelta(days=70)
        user = citizen("late@example.org")
        drafts = [application(user, long_ago + timedelta(hours=n)) for n in range(7)]
        for n in range(6):
            application(
                user,
                long_ago + timedelta(hours=n),
                submitted=long_ago + timedelta(hours=n + 2),
            )
        gone = citizen("gone@example.org")
        for n in range(5):
            application(gone, long_ago + timedelta(days=1, hours=n))
        aggregation.run()
        before = {row[2]: row[4] for row in _aggregate()[0] if row[2] == "abandoned"}
        assert before  # the drafts were counted as abandoned

        # One abandoned draft submitted today, one deleted, an account erased.
        Application.update(status="submitted", submitted_at=utcnow(), updated_at=utcnow()).where(
            Application.id == drafts[0].id
        ).execute()
        Application.delete().where(Application.id == drafts[1].id).execute()
        Application.delete().where(Application.user == gone).execute()
        gone.delete_instance()
        aggregation.run()
        incremental = _aggregate()
        assert incremental == _rebuild()
        started = sum(row[4] for row in incremental[0] if row[2] == "started")
        assert started == 7 - 1 + 6  # the deleted ones are gone from the counts too


def test_old_step_views_are_deleted_and_their_counts_kept(app):
    from app.models import StepView
    from app.statistics import berlin_day
    from tests.statistics.helpers import journey

    with db.connection_context():
        old = utcnow() - timedelta(days=65)
        for number in range(5):
            journey(f"{'k' * 22}{number}", ["property", "bins_step"], old)
        journey("r" * 22, ["property"], utcnow() - timedelta(days=5))
        aggregation.run()
        assert {view.journey for view in StepView.select()} == {"r" * 22}
        gave_up = StatisticsDaily.select().where(
            (StatisticsDaily.metric == "gave_up") & (StatisticsDaily.day == berlin_day(old))
        )
        assert [(row.key, row.count) for row in gave_up] == [("bins_step", 5)]
        # A later run that recomputes that day (an application started then) keeps them.
        application(citizen("then@example.org"), old)
        aggregation.run()
        assert [(row.key, row.count) for row in gave_up.clone()] == [("bins_step", 5)]


def test_step_views_are_stored_to_the_hour(client):
    from app.models import StepView
    from tests.statistics.helpers import definition

    with db.connection_context():
        version = definition("waste_bins").version
    at = (utcnow() - timedelta(hours=3)).replace(minute=37, second=12)
    view = {
        "journey": "h" * 24,
        "service_id": "waste_bins",
        "version": version,
        "step": "property",
        "at": at.isoformat() + "Z",
    }
    assert client.post("/api/statistics/step-views", json={"views": [view]}).status_code == 202
    with db.connection_context():
        stored = StepView.get().at
    assert stored == at.replace(minute=0, second=0, microsecond=0)


def test_installed_app_share_counts_citizens_with_a_known_display_mode(app):
    from datetime import date

    from app.accounts import users
    from app.models import SignInRecord
    from app.statistics import figures

    with db.connection_context():
        citizen_user = citizen("app@example.org")
        clerk = users.create_user("clerk-app@example.org", "staff", ["abfall"])
        moment = utcnow() - timedelta(days=3)
        modes = [("standalone", citizen_user)] * 6 + [("browser", citizen_user)] * 6
        modes += [("", citizen_user)] * 20  # no header sent: left out
        modes += [("browser", clerk)] * 30  # staff in the console: not counted
        for number, (mode, user) in enumerate(modes):
            SignInRecord.create(
                user=user,
                session_key=f"k{number}",
                method="email",
                display_mode=mode,
                started_at=moment,
            )
        aggregation.run()
        today = moment.date()
        start = date(today.year, today.month, 1)
        end = date(today.year + today.month // 12, today.month % 12 + 1, 1) - timedelta(days=1)
        installed = figures.figures(None, start, end, "month")["channels"]["installed_app"]
    assert installed == {"share": 0.5, "count": 6}
