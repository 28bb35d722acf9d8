"""Reports specialist systems sent back about handed-off applications."""

from __future__ import annotations

import peewee

from app.models.applications import Application
from app.models.base import BaseModel, now_default


class HandoffInboundReport(BaseModel):
    """One accepted report (``POST /api/handoff/inbound/<service>/<target>``).

    The ``webhook-id`` is unique per secret, so a report sent again (replayed, or a
    retry after its answer was lost, or sent to another target signed with the same
    secret) is recognised and changes nothing: ``service_id`` is empty and
    ``target_id`` holds the name of the secret that signed the report. The row stays
    when its application goes (account deletion): a replay must still be refused.
    """

    service_id = peewee.CharField(max_length=64)
    target_id = peewee.CharField(max_length=40)
    webhook_id = peewee.CharField(max_length=128)
    application = peewee.ForeignKeyField(Application, null=True, on_delete="SET NULL", backref="+")
    # The status it moved the application to ("" when it only carried a case number
    # or a message).
    status = peewee.CharField(max_length=32, default="")
    received_at = now_default()

    class Meta:
        table_name = "handoff_inbound_report"
        indexes = ((("service_id", "target_id", "webhook_id"), True),)
