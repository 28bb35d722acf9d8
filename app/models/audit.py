"""Audit log of security-relevant events and clerks' access to personal data."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default


class AuditEvent(BaseModel):
    at = now_default()
    # Kept when the actor's account is deleted: the event stays, the link goes.
    actor = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="audit_events")
    action = peewee.CharField(max_length=64, index=True)
    subject_type = peewee.CharField(max_length=32, default="")
    subject_id = peewee.CharField(max_length=64, default="", index=True)
    ip = peewee.CharField(max_length=45, default="")
    details = JSONField(default=dict)
