"""Runs of the daily retention job (what each deleted is in the audit log)."""

from __future__ import annotations

import peewee

from app.models.base import BaseModel, JSONField


class RetentionRun(BaseModel):
    """One run of the retention job: when, how it was started, what it deleted.

    ``finished_at`` stays empty when a run stopped half-way (its deletions up to then
    are committed batch by batch and audit-logged). ``services`` holds per service id
    the counts ``{"drafts": n, "closed": n, "held": n}``; no reference, no person.
    """

    started_at = peewee.DateTimeField()
    finished_at = peewee.DateTimeField(null=True)
    started_by = peewee.CharField(max_length=16)  # schedule | cli
    deleted_drafts = peewee.IntegerField(default=0)
    deleted_closed = peewee.IntegerField(default=0)
    held = peewee.IntegerField(default=0)
    # Defect reports whose reporter's data the run erased (``app.reports.erasure``).
    erased_reports = peewee.IntegerField(default=0)
    services = JSONField(default=dict)

    class Meta:
        table_name = "retention_run"
