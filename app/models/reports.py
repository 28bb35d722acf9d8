"""Defect reports (Mängelmelder): categories, reports, their photos and history, and the
Open311 API keys of apps that file reports (``app.reports``)."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, now_default


class ReportCategory(BaseModel):
    """A kind of defect citizens can report, and the staff area (department) it goes to.

    ``code`` is the Open311 ``service_code``; the city's defaults come from
    ``app/reports/data/categories.yaml`` and admins edit them afterwards.
    """

    code = peewee.CharField(max_length=40, unique=True)
    name_de = peewee.CharField(max_length=100)
    name_en = peewee.CharField(max_length=100)
    description_de = peewee.CharField(max_length=500, default="")
    description_en = peewee.CharField(max_length=500, default="")
    group = peewee.CharField(max_length=100, default="")
    keywords = peewee.CharField(max_length=300, default="")
    department = peewee.CharField(max_length=40)
    position = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "report_category"


class Open311Key(BaseModel):
    """An API key of an Open311 app; only its SHA-256 is stored (shown once)."""

    name = peewee.CharField(max_length=100)
    key_hash = peewee.CharField(max_length=64, unique=True)
    prefix = peewee.CharField(max_length=12)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = now_default()
    last_used_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "open311_key"


class DefectReport(BaseModel):
    """One defect report. ``status`` moves as ``app.reports.lifecycle.TRANSITIONS``
    allows; ``visibility`` (pending, public, hidden) is the moderation's decision on
    what the public list shows. The reporter (account or e-mail address) is never
    shown publicly. ``token`` is the Open311 token of the request (not a secret); the
    anonymous reporter's link to their report adds a MAC of it (``app.reports.tracking``).
    """

    category = peewee.ForeignKeyField(ReportCategory, backref="reports", on_delete="RESTRICT")
    status = peewee.CharField(max_length=20, default="new")
    visibility = peewee.CharField(max_length=10, default="pending")
    photos_public = peewee.BooleanField(default=False)
    description = peewee.TextField(default="")
    lat = peewee.DoubleField(null=True)
    lon = peewee.DoubleField(null=True)
    address = peewee.CharField(max_length=200, default="")
    street = peewee.CharField(max_length=200, default="")
    reporter = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    email = peewee.CharField(max_length=254, null=True)
    locale = peewee.CharField(max_length=5, default="de")
    token = peewee.CharField(max_length=32, unique=True)
    idempotency_key = peewee.CharField(max_length=64, null=True, unique=True)
    source = peewee.CharField(max_length=10, default="portal")
    api_key = peewee.ForeignKeyField(Open311Key, null=True, on_delete="SET NULL", backref="+")
    duplicate_of = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    public_comment = peewee.TextField(default="")
    demo = peewee.BooleanField(default=False)
    # Set once the retention run erased the reporter's data (``app.reports.erasure``).
    personal_data_erased_at = peewee.DateTimeField(null=True)
    created_at = now_default()
    updated_at = now_default()

    class Meta:
        table_name = "defect_report"
        indexes = (
            (("status", "created_at"), False),
            (("visibility", "created_at"), False),
        )


class ReportPhoto(BaseModel):
    """A photo of a report as the server re-encoded it (JPEG, no metadata), kept in the
    database with its row so no file can outlive the report."""

    report = peewee.ForeignKeyField(DefectReport, backref="photos", on_delete="CASCADE")
    position = peewee.IntegerField()
    data = peewee.BlobField()
    width = peewee.IntegerField()
    height = peewee.IntegerField()

    class Meta:
        table_name = "report_photo"
        indexes = ((("report", "position"), True),)


class ReportEvent(BaseModel):
    """One step in a report's history: a status change with its public comment, a
    moderation decision or a merge into another report."""

    report = peewee.ForeignKeyField(DefectReport, backref="events", on_delete="CASCADE")
    kind = peewee.CharField(max_length=12)  # created | status | moderation | merged
    status = peewee.CharField(max_length=20)
    comment = peewee.TextField(default="")
    actor = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = now_default()

    class Meta:
        table_name = "report_event"
