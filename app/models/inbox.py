"""The citizen's inbox (Postfach): messages and the documents they carry."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.applications import Application, new_id
from app.models.base import BaseModel, JSONField, now_default
from app.models.payments import Payment


class Document(BaseModel):
    """A generated document (receipt, decision, permit) stored in the instance folder."""

    id = peewee.CharField(max_length=24, primary_key=True, default=new_id)
    user = peewee.ForeignKeyField(User, backref="documents", on_delete="CASCADE")
    application = peewee.ForeignKeyField(Application, null=True, on_delete="CASCADE")
    kind = peewee.CharField(max_length=24)
    filename = peewee.CharField(max_length=200)
    content_type = peewee.CharField(max_length=100)
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    created_at = now_default()
    # The payment a payment receipt belongs to: one document per (payment, kind), so a
    # payment announced twice files one receipt.
    payment = peewee.ForeignKeyField(Payment, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("payment", "kind"), True),)


class InboxMessage(BaseModel):
    """A message to the citizen: the record of every status change and document."""

    user = peewee.ForeignKeyField(User, backref="inbox", on_delete="CASCADE")
    application = peewee.ForeignKeyField(Application, null=True, on_delete="CASCADE")
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL")
    kind = peewee.CharField(max_length=24)
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField(default="")
    # Subject and body as message keys with parameters (see app.i18n.Text), so the
    # message reads in the language the citizen uses when reading it.
    texts = JSONField(null=True)
    created_at = now_default()
    read_at = peewee.DateTimeField(null=True)
    # The conversation the message belongs to: the application's id for every message
    # about a case, a key of its own for a message about nothing else.
    thread = peewee.CharField(max_length=24)

    class Meta:
        indexes = ((("user", "created_at"), False), (("user", "thread"), False))
