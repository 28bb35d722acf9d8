"""A retention run over every service, and the dry run the console shows.

A run walks each service's expired applications in batches, one transaction per batch:
a crash loses at most the batch under way, and what was committed is audit-logged. Two
runs at once (two workers, the job and the command line) are safe: on PostgreSQL they
take turns per batch (an advisory lock), on SQLite the write lock does the same, and a
deletion only counts when its ``DELETE`` removed the row, so nothing is deleted or
logged twice. A second run finds nothing more: the job is idempotent.

The same run erases the reporter's data of defect reports over for longer than their
period (``app.reports.erasure``), in batches the same way.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from app import tasks
from app.db import db, is_postgres, utcnow
from app.models import RetentionRun
from app.reports import erasure
from app.retention import candidates, deletion, holds
from app.retention.rules import Rule, current_rules

log = logging.getLogger(__name__)

BATCH_SIZE = 200
# Any constant, the same in every process: runs take turns per batch on PostgreSQL.
_ADVISORY_LOCK = 8150031


@dataclass
class ServiceReport:
    """What a run would do (or did) for one service."""

    rule: Rule
    drafts: int = 0
    closed: int = 0
    held: int = 0
    held_by: Counter = field(default_factory=Counter)
    # The longest-expired application it would delete: when its period started.
    oldest: datetime | None = None

    def note(self, candidate: candidates.Candidate) -> None:
        if candidate.kind == "drafts":
            self.drafts += 1
        else:
            self.closed += 1
        if self.oldest is None or candidate.since < self.oldest:
            self.oldest = candidate.since


@dataclass
class ReportsRetention:
    """What a run would erase (or did) of defect reports."""

    days: int
    erased: int = 0
    # The longest-closed report it would erase: when it was closed.
    oldest: datetime | None = None

    def note(self, candidate: erasure.Candidate) -> None:
        self.erased += 1
        if self.oldest is None or candidate.since < self.oldest:
            self.oldest = candidate.since


def reports_days() -> int:
    """Days after a defect report is over until its reporter's data goes (configured)."""
    return erasure.keep_days(tasks.config())


def reports_report(now: datetime | None = None, days: int | None = None) -> ReportsRetention:
    """The dry run for defect reports: how many a run at ``now`` would erase."""
    now = now or utcnow()
    entry = ReportsRetention(reports_days() if days is None else days)
    after = 0
    while batch := erasure.expired(entry.days, now, after, 1000):
        for candidate in batch:
            entry.note(candidate)
        after = batch[-1].report_id
    return entry


def _erase_reports(entry: ReportsRetention, now: datetime, size: int, run_id: int) -> None:
    after = 0
    while True:
        with db.atomic():
            _lock()
            batch = erasure.expired(entry.days, now, after, size)
            if not batch:
                return
            for candidate in batch:
                if erasure.erase(candidate, entry.days, now, run_id):
                    entry.note(candidate)
        after = batch[-1].report_id


def _batches(rule: Rule, kind: str, now: datetime, batch_size: int):
    after = ""
    while True:
        batch = candidates.expired(rule, kind, now, after, batch_size)
        if not batch:
            return
        yield batch
        after = batch[-1].application_id


def report(now: datetime | None = None) -> list[ServiceReport]:
    """The dry run: per service, what a run at ``now`` would delete and what it keeps."""
    now = now or utcnow()
    found = []
    for rule in current_rules():
        entry = ServiceReport(rule)
        for kind in candidates.KINDS:
            for batch in _batches(rule, kind, now, 1000):
                held = holds.holds((c.application_id, c.reference) for c in batch)
                for candidate in batch:
                    if candidate.application_id in held:
                        entry.held += 1
                        entry.held_by.update(held[candidate.application_id])
                    else:
                        entry.note(candidate)
        found.append(entry)
    return found


def _lock() -> None:
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))


def _delete_batch(rule: Rule, kind: str, now: datetime, after: str, size: int, run_id: int, entry):
    """One batch in one transaction; the last id looked at (None: nothing left)."""
    with db.atomic():
        _lock()
        batch = candidates.expired(rule, kind, now, after, size)
        if not batch:
            return None
        held = holds.holds((c.application_id, c.reference) for c in batch)
        files = deletion.files_by_application(
            c.application_id for c in batch if c.application_id not in held
        )
        for candidate in batch:
            if candidate.application_id in held:
                entry.held += 1
                entry.held_by.update(held[candidate.application_id])
            elif deletion.delete(
                candidate, rule, now, run_id, files.get(candidate.application_id, [])
            ):
                entry.note(candidate)
        return batch[-1].application_id


def run(
    now: datetime | None = None,
    started_by: str = "schedule",
    batch_size: int = BATCH_SIZE,
    days_of_reports: int | None = None,
) -> RetentionRun:
    """Delete what expired by ``now`` in every service and erase the reporter's data of
    defect reports over for ``days_of_reports`` (default: configured); record and return
    the run."""
    now = now or utcnow()
    reports_entry = ReportsRetention(reports_days() if days_of_reports is None else days_of_reports)
    record = RetentionRun.create(started_at=utcnow(), started_by=started_by)
    reports = []
    for rule in current_rules():
        entry = ServiceReport(rule)
        for kind in candidates.KINDS:
            after: str | None = ""
            while after is not None:
                after = _delete_batch(rule, kind, now, after, batch_size, record.id, entry)
        reports.append(entry)
    _erase_reports(reports_entry, now, batch_size, record.id)
    record.erased_reports = reports_entry.erased
    record.deleted_drafts = sum(entry.drafts for entry in reports)
    record.deleted_closed = sum(entry.closed for entry in reports)
    record.held = sum(entry.held for entry in reports)
    record.services = {
        entry.rule.service_id: {"drafts": entry.drafts, "closed": entry.closed, "held": entry.held}
        for entry in reports
        if entry.drafts or entry.closed or entry.held
    }
    record.finished_at = utcnow()
    record.save()
    log.info(
        "Retention: deleted %d drafts and %d closed applications, %d held; "
        "erased the reporter's data of %d defect reports",
        record.deleted_drafts,
        record.deleted_closed,
        record.held,
        record.erased_reports,
    )
    return record


def last_runs(limit: int = 10) -> list[RetentionRun]:
    """The most recent runs, newest first."""
    return list(RetentionRun.select().order_by(RetentionRun.id.desc()).limit(limit))
