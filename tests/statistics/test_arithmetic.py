"""The statistics' arithmetic on fixed data: periods (also across year boundaries),
the quote, the counter total, the five-case threshold and percentiles from histograms."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import statistics as stats
from app.statistics.aggregation import batches


def test_periods_cross_year_boundaries():
    start, end = date(2025, 11, 20), date(2026, 2, 3)
    assert stats.periods(start, end, "month") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert stats.periods(start, end, "quarter") == ["2025-Q4", "2026-Q1"]
    assert stats.periods(start, end, "year") == ["2025", "2026"]
    assert stats.periods(date(2026, 3, 31), date(2026, 4, 1), "quarter") == ["2026-Q1", "2026-Q2"]
    assert stats.periods(date(2026, 2, 1), date(2026, 1, 1), "month") == []


def test_period_labels():
    assert stats.period_of(date(2026, 12, 31), "month") == "2026-12"
    assert stats.period_of(date(2026, 10, 1), "quarter") == "2026-Q4"
    assert stats.period_of(date(2026, 9, 30), "quarter") == "2026-Q3"
    assert stats.month_period("2025-12", "quarter") == "2025-Q4"
    assert stats.month_period("2026-01", "year") == "2026"
    with pytest.raises(ValueError):
        stats.period_of(date(2026, 1, 1), "week")


def test_berlin_days_follow_summer_time():
    # 22:30 UTC is already the next day in Berlin: 23:30 in winter, 00:30 in summer.
    assert stats.berlin_day(datetime(2026, 1, 10, 22, 30)) == date(2026, 1, 10)
    assert stats.berlin_day(datetime(2026, 7, 10, 22, 30)) == date(2026, 7, 11)
    assert stats.berlin_day(datetime(2025, 12, 31, 23, 30)) == date(2026, 1, 1)
    assert stats.day_start_utc(date(2026, 1, 10)) == datetime(2026, 1, 9, 23, 0)
    assert stats.day_start_utc(date(2026, 7, 10)) == datetime(2026, 7, 9, 22, 0)


def test_five_case_threshold():
    assert stats.MIN_CASES == 5
    assert [stats.shown(n) for n in (0, 1, 4, 5, 17)] == [0, None, None, 5, 17]
    assert not stats.is_suppressed(0, 5, 100)
    assert stats.is_suppressed(0, 3)
    assert stats.share(2, 4) is None
    assert stats.share(2, 5) is None  # the share would give the two away
    assert stats.share(3, 8) is None  # and here the other five… the three
    assert stats.share(5, 12) == round(5 / 12, 4)
    assert stats.share(12, 12) == 1.0
    assert stats.quote(6, 3) is None  # three at the counter


def test_quote_and_counter_total():
    assert stats.quote(30, 10) == 0.75
    assert stats.quote(3, 1) is None  # four cases in all
    assert stats.quote(0, 5) == 0.0
    assert stats.quote(0, 0) is None
    # A typed monthly count and an import usually describe the same cases: the larger.
    assert stats.counter_total(recorded=2, typed=10, imported=7) == 12
    assert stats.counter_total(recorded=2, typed=None, imported=7) == 9
    assert stats.counter_total(recorded=0, typed=3, imported=0) == 3


def test_target_quote_stays_within_bounds():
    assert stats.target_quote(0.42, 10) == 0.52
    assert stats.target_quote(0.95, 10) == 1.0
    assert stats.target_quote(0.05, -10) == 0.0


def test_buckets():
    assert [stats.bucket(h) for h in (0, 0.9, 5.5, 71.99)] == [0, 0, 5, 71]
    assert [stats.bucket(h) for h in (72, 77, 78, 719)] == [72, 72, 78, 714]
    assert [stats.bucket(h) for h in (720, 743, 744, 9000)] == [720, 720, 744, 8760]
    assert [stats.bucket_width(b) for b in (5, 78, 744, 8760)] == [1, 6, 24, 0]


@pytest.mark.parametrize("hours", [0, 3, 71, 72, 100, 719, 720, 800, 8759, 8760, 20000])
def test_bucket_sql_matches_python(hours):
    import sqlite3

    sql = stats.bucket_sql("?").replace("?", str(hours))
    (value,) = sqlite3.connect(":memory:").execute(f"SELECT {sql}").fetchone()
    assert value == stats.bucket(hours)


def test_percentiles_from_histograms():
    # Ten cases: 2 h ×4, 5 h ×4, 100 h (bucket 96..102) ×2.
    histogram = {2: 4, 5: 4, 96: 2}
    assert stats.percentile(histogram, 0.5) == 5.5  # rank 5 lies in bucket 5 (5..6 h)
    assert stats.percentile(histogram, 0.4) == 2.5  # rank 4: still the first bucket
    assert stats.percentile(histogram, 0.9) == 99.0  # rank 9: bucket 96..102, middle 99
    assert stats.percentile({2: 4}, 0.5) is None  # fewer than five cases
    assert stats.percentile({8760: 5}, 0.5) == 8760  # open-ended bucket: its lower bound
    assert stats.merge([{1: 2}, {1: 3, 4: 1}]) == {1: 5, 4: 1}


def test_batches_split_runs_of_days():
    days = [date(2026, 1, d) for d in (1, 2, 3, 10)] + [date(2026, 3, 1)]
    assert batches(days) == [
        (date(2026, 1, 1), date(2026, 1, 3)),
        (date(2026, 1, 10), date(2026, 1, 10)),
        (date(2026, 3, 1), date(2026, 3, 1)),
    ]
    long = stats.days_between(date(2026, 1, 1), date(2026, 3, 5))
    assert batches(long, 31) == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 3, 3)),
        (date(2026, 3, 4), date(2026, 3, 5)),
    ]


def test_ranges_split_into_whole_months_and_edge_days():
    from app.statistics.figures import _split

    assert _split(date(2025, 11, 15), date(2026, 2, 10)) == (
        ("2025-12", "2026-01"),
        [(date(2025, 11, 15), date(2025, 11, 30)), (date(2026, 2, 1), date(2026, 2, 10))],
    )
    assert _split(date(2025, 12, 1), date(2026, 1, 31)) == (("2025-12", "2026-01"), [])
    assert _split(date(2026, 2, 1), date(2026, 2, 28)) == (("2026-02", "2026-02"), [])
    assert _split(date(2026, 2, 3), date(2026, 2, 20)) == (
        None,
        [(date(2026, 2, 3), date(2026, 2, 20))],
    )
    assert _split(date(2026, 1, 31), date(2026, 2, 1)) == (
        None,
        [(date(2026, 1, 31), date(2026, 2, 1))],
    )
