"""A run: deletes rows and files (after the commit), writes one audit record per
deletion, finds nothing the second time, and two at once delete each case once."""

from __future__ import annotations

import threading

from app import stored_files, tasks
from app.db import db, utcnow
from app.models import (
    Application,
    ApplicationEvent,
    AuditEvent,
    Document,
    InboxMessage,
    RetentionRun,
)
from app.retention import deletion, jobs, runs
from app.retention.cli import retention_group
from tests.api.engine_helpers import start
from tests.app.retention.support import (
    DAY,
    attachments_of,
    draft_with_file,
    exists,
    later,
    stored,
    withdrawn,
)


def _audit() -> list[AuditEvent]:
    with db.connection_context():
        return list(AuditEvent.select().where(AuditEvent.action == deletion.ACTION))


def test_a_run_deletes_a_closed_application_with_its_rows_and_writes_its_audit_record(
    signed_in,
):
    citizen = signed_in("erika@example.org")
    application = withdrawn(citizen)
    with db.connection_context():
        receipts = [
            stored_files.document_path(d.id)
            for d in Document.select().where(Document.application == application["id"])
        ]
        assert receipts and all(stored(key) for key in receipts)
        assert ApplicationEvent.select().where(ApplicationEvent.application == application["id"])
        assert InboxMessage.select().where(InboxMessage.application == application["id"]).exists()
        record = runs.run(later(1096))
        assert not InboxMessage.select().where(InboxMessage.application == application["id"])
        assert not ApplicationEvent.select().where(
            ApplicationEvent.application == application["id"]
        )
    assert (record.deleted_closed, record.deleted_drafts, record.held) == (1, 0, 0)
    assert record.finished_at is not None and record.started_by == "schedule"
    assert record.services == {"waste_bins": {"drafts": 0, "closed": 1, "held": 0}}
    assert not exists(application["id"])
    [event] = _audit()
    assert event.actor_id is None and event.subject_type == "application"
    assert event.subject_id == application["reference"]
    details = event.details
    assert details["service"] == "waste_bins" and details["rule"] == "closed_days"
    assert details["days"] == 1095 and details["status"] == "withdrawn"
    assert details["version"] == details["rule_version"] and details["run"] == record.id
    assert details["reference"] == application["reference"]
    assert details["files"] == len(receipts) and not any(stored(key) for key in receipts)
    # Nothing that names the person: no address, no name, no answers.
    text = repr(details)
    assert "erika" not in text and "@" not in text and "answers" not in text


def test_files_go_after_the_commit_and_stay_if_it_rolls_back(signed_in):
    citizen = signed_in("files@example.org")
    draft, path = draft_with_file(citizen)
    with db.connection_context(), db.atomic() as transaction:
        runs.run(later(91))
        assert stored(path)  # the deletion has not committed yet
        transaction.rollback()
    assert stored(path) and exists(draft["id"]) and attachments_of(draft["id"]) == 1
    assert _audit() == []
    with db.connection_context():
        with db.atomic():
            record = runs.run(later(91))
            assert stored(path)
        assert not stored(path)
    assert record.deleted_drafts == 1 and not exists(draft["id"])
    [event] = _audit()
    assert event.details["files"] == 1 and event.details["rule"] == "drafts_days"
    assert event.subject_id == draft["id"] and event.details["reference"] is None


def test_a_second_run_deletes_nothing_more(signed_in):
    citizen = signed_in("twice@example.org")
    withdrawn(citizen)
    start(citizen, "waste_bins")
    with db.connection_context():
        first = runs.run(later(1096))
        second = runs.run(later(1096))
    assert (first.deleted_closed, first.deleted_drafts) == (1, 1)
    assert (second.deleted_closed, second.deleted_drafts, second.held) == (0, 0, 0)
    assert len(_audit()) == 2


def test_a_draft_changed_after_it_was_found_is_not_deleted(signed_in):
    citizen = signed_in("changed@example.org")
    draft = start(citizen, "waste_bins")
    with db.connection_context():
        [entry] = [e for e in runs.report(later(91)) if e.drafts]
        from app.retention import candidates

        [found] = candidates.expired(entry.rule, "drafts", later(91))
        Application.update(updated_at=utcnow() + DAY).where(Application.id == draft["id"]).execute()
        with db.atomic():
            assert deletion.delete(found, entry.rule, later(91), None) is False
    assert exists(draft["id"]) and _audit() == []


def test_batches_walk_past_held_applications(signed_in):
    citizen = signed_in("many@example.org")
    drafts = [start(citizen, "waste_bins", key=f"draft-{n}") for n in range(5)]
    with db.connection_context():
        record = runs.run(later(91), batch_size=2)
    assert record.deleted_drafts == 5 and not any(exists(d["id"]) for d in drafts)


def test_two_runs_at_once_delete_each_application_once(signed_in):
    citizen = signed_in("race@example.org")
    drafts = [start(citizen, "waste_bins", key=f"race-{n}") for n in range(6)]
    results: list[RetentionRun] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            with db.connection_context():
                barrier.wait()
                results.append(runs.run(later(91), batch_size=2))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.deleted_drafts for r in results) == 6
    assert not any(exists(d["id"]) for d in drafts)
    assert sorted(e.subject_id for e in _audit()) == sorted(d["id"] for d in drafts)


def test_the_dry_run_deletes_nothing(signed_in):
    citizen = signed_in("dry@example.org")
    application = withdrawn(citizen)
    draft = start(citizen, "waste_bins", key="dry-draft")
    with db.connection_context():
        entry = next(e for e in runs.report(later(1096)) if e.rule.service_id == "waste_bins")
    assert (entry.drafts, entry.closed, entry.held) == (1, 1, 0)
    assert entry.oldest is not None and entry.oldest < utcnow()
    assert exists(application["id"]) and exists(draft["id"]) and _audit() == []


def test_the_daily_job_deletes_what_expired_today(signed_in):
    assert tasks.huey.immediate
    citizen = signed_in("job@example.org")
    draft = start(citizen, "waste_bins")
    fresh = start(citizen, "waste_bins", key="fresh")
    with db.connection_context():
        Application.update(updated_at=utcnow() - 91 * DAY).where(
            Application.id == draft["id"]
        ).execute()
    assert jobs.delete_expired.call_local() == 1
    assert not exists(draft["id"]) and exists(fresh["id"])


def test_the_command_line_runs_and_dry_runs(app, signed_in):
    citizen = signed_in("cli@example.org")
    draft = start(citizen, "waste_bins")
    with db.connection_context():
        Application.update(updated_at=utcnow() - 91 * DAY).where(
            Application.id == draft["id"]
        ).execute()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "waste_bins@" in dry.output and "1 drafts" in dry.output
    assert "Dry run: nothing was deleted." in dry.output and exists(draft["id"])
    done = runner.invoke(args=["retention", "run"])
    assert done.exit_code == 0, done.output
    assert "deleted 1 drafts and 0 closed applications; 0 held" in done.output
    assert not exists(draft["id"])
    with db.connection_context():
        assert RetentionRun.get().started_by == "cli"
    assert retention_group.commands["run"].params[0].name == "dry_run"
