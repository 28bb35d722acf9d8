"""Satisfaction answers after a submitted application, and answers to city surveys."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.applications import Application
from app.models.base import BaseModel, JSONField, now_default


class SatisfactionAnswer(BaseModel):
    """How satisfied a citizen was with applying online: one answer per application.

    Kept apart from the case (clerks never see it with the application); results are
    read per service and day only.
    """

    application = peewee.ForeignKeyField(Application, unique=True, on_delete="CASCADE", backref="+")
    service_id = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    # The Europe/Berlin calendar day of the answer (results are read per day range).
    day = peewee.DateField()
    rating = peewee.SmallIntegerField()  # 1 (very unsatisfied) .. 5 (very satisfied)
    comment = peewee.TextField(default="")
    # The client's Idempotency-Key: the same request again finds this answer.
    idempotency_key = peewee.CharField(max_length=64, null=True)
    created_at = now_default()

    class Meta:
        indexes = ((("service_id", "day"), False),)


class SurveyResponse(BaseModel):
    """One answer to a city survey.

    ``user`` is set only for surveys that are not anonymous (one answer per account);
    ``device_hash`` is an HMAC (server secret, survey, token) of the device token the
    PWA keeps (one answer per device). Both are unique per survey; neither is ever exported.
    """

    service_id = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    day = peewee.DateField()
    answers = JSONField(default=dict)
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    device_hash = peewee.CharField(max_length=64, null=True)
    # The client's Idempotency-Key: a retried request finds this answer.
    idempotency_key = peewee.CharField(max_length=64, null=True)
    created_at = now_default()

    class Meta:
        indexes = (
            (("service_id", "user"), True),
            (("service_id", "device_hash"), True),
            (("service_id", "idempotency_key"), True),
            (("service_id", "day"), False),
        )
