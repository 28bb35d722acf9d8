"""Payments, SEPA mandates and debits, treasury exports, open notices, the sandbox provider.

Money is always stored as integer cents. Records that the treasury must keep
(payments, notices, mandates, debits) survive the deletion of the citizen's account:
the link to the account is set to NULL (see docs/payments.md, "Personal data").
"""

from __future__ import annotations

import secrets
import uuid

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default


def new_public_id() -> str:
    """A random, unguessable identifier for URLs (32 hex characters)."""
    return secrets.token_hex(16)


def new_request_id() -> str:
    """A UUID for the provider request (XBezahldienste ``requestId``, PayPal idempotency)."""
    return str(uuid.uuid4())


class Payment(BaseModel):
    """One attempt to pay one payable with one provider.

    ``state`` is the internal state (see ``app.payments.states``); the public state,
    the finished flag and the reason code derive from it. ``version`` grows with every
    transition: transitions are compare-and-set updates, so a status seen twice books once.
    """

    public_id = peewee.CharField(max_length=32, unique=True, default=new_public_id)
    request_id = peewee.CharField(max_length=36, unique=True, default=new_request_id)
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="payments")
    subject_type = peewee.CharField(max_length=32)
    subject_id = peewee.CharField(max_length=64)
    amount_cents = peewee.IntegerField()
    currency = peewee.CharField(max_length=3, default="EUR")
    purpose = peewee.CharField(max_length=27)
    description = peewee.CharField(max_length=250)
    kassenzeichen = peewee.CharField(max_length=35, default="")
    provider = peewee.CharField(max_length=32)
    state = peewee.CharField(max_length=24, default="created")
    reason_code = peewee.CharField(max_length=8, default="")
    provider_reference = peewee.CharField(max_length=64, default="", index=True)
    provider_status = peewee.CharField(max_length=32, default="")
    return_path = peewee.CharField(max_length=300)
    details = JSONField(default=dict)
    version = peewee.IntegerField(default=0)
    created_at = now_default()
    updated_at = now_default()
    finished_at = peewee.DateTimeField(null=True)
    succeeded_at = peewee.DateTimeField(null=True, index=True)
    last_checked_at = peewee.DateTimeField(null=True)
    check_count = peewee.IntegerField(default=0)

    class Meta:
        indexes = (
            (("subject_type", "subject_id"), False),
            (("state", "provider"), False),
        )


class PaymentEvent(BaseModel):
    """Every status report about a payment, applied or ignored (the payment's history)."""

    payment = peewee.ForeignKeyField(Payment, backref="events", on_delete="CASCADE")
    at = now_default()
    source = peewee.CharField(max_length=16)
    provider_status = peewee.CharField(max_length=32, default="")
    from_state = peewee.CharField(max_length=24)
    to_state = peewee.CharField(max_length=24)
    applied = peewee.BooleanField(default=False)
    details = JSONField(default=dict)


class Notice(BaseModel):
    """An open notice (Bescheid/Rechnung) for a citizen, payable in instalments."""

    public_id = peewee.CharField(max_length=32, unique=True, default=new_public_id)
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="notices")
    kind = peewee.CharField(max_length=32)
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    kassenzeichen = peewee.CharField(max_length=35, unique=True)
    total_cents = peewee.IntegerField()
    issued_on = peewee.DateField()
    source = peewee.CharField(max_length=16, default="staff")
    created_by = peewee.ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="notices_created"
    )
    created_at = now_default()
    # ``transfer``: the citizen pays; ``direct_debit``: collected under ``mandate``.
    collection = peewee.CharField(max_length=16, default="transfer")
    mandate = peewee.DeferredForeignKey(
        "SepaMandate", null=True, on_delete="SET NULL", backref="notices"
    )
    # How the amount was computed (periods: months × monthly rate) and how an end of
    # the tax changed it (ended_on, refund_cents).
    details = JSONField(default=dict)


class NoticeInstalment(BaseModel):
    """One due date of a notice; ``payment`` is the payment that settled it."""

    notice = peewee.ForeignKeyField(Notice, backref="instalments", on_delete="CASCADE")
    number = peewee.IntegerField()
    due_date = peewee.DateField()
    amount_cents = peewee.IntegerField()
    paid_at = peewee.DateTimeField(null=True)
    payment = peewee.ForeignKeyField(
        Payment, null=True, on_delete="SET NULL", backref="settled_instalments"
    )
    # Set when the tax ended before this due date: nothing is owed for it any more.
    cancelled_at = peewee.DateTimeField(null=True)
    # When the citizen was reminded of this due date (set once: one reminder each).
    reminded_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("notice", "number"), True),)


class SepaMandate(BaseModel):
    """A SEPA core direct debit mandate given online, with the exact text consented to."""

    reference = peewee.CharField(max_length=35, unique=True)
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="sepa_mandates")
    account_holder = peewee.CharField(max_length=70)
    iban = peewee.CharField(max_length=34)
    bic = peewee.CharField(max_length=11, default="")
    creditor_id = peewee.CharField(max_length=35)
    creditor_name = peewee.CharField(max_length=70)
    mandate_text = peewee.TextField()
    signed_at = peewee.DateTimeField()
    ip = peewee.CharField(max_length=45, default="")
    first_used_at = peewee.DateTimeField(null=True)
    last_used_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)
    created_at = now_default()


class SepaExport(BaseModel):
    """One pain.008 file handed to the treasury."""

    message_id = peewee.CharField(max_length=35, unique=True)
    pain_schema = peewee.CharField(max_length=20)
    file_name = peewee.CharField(max_length=100)
    debit_count = peewee.IntegerField()
    total_cents = peewee.BigIntegerField()
    collection_until = peewee.DateField()
    created_by = peewee.ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="sepa_exports"
    )
    created_at = now_default()


class SepaDebit(BaseModel):
    """A direct debit to collect for a payment; exported once into a pain.008 file."""

    payment = peewee.ForeignKeyField(
        Payment, unique=True, backref="sepa_debit", on_delete="CASCADE"
    )
    mandate = peewee.ForeignKeyField(SepaMandate, backref="debits", on_delete="CASCADE")
    amount_cents = peewee.IntegerField()
    collection_date = peewee.DateField(index=True)
    sequence_type = peewee.CharField(max_length=4)
    end_to_end_id = peewee.CharField(max_length=35, unique=True)
    remittance = peewee.CharField(max_length=140)
    export = peewee.ForeignKeyField(SepaExport, null=True, on_delete="SET NULL", backref="debits")
    created_at = now_default()
    cancelled_at = peewee.DateTimeField(null=True)


class RefundExport(BaseModel):
    """One pain.001 file of refunds (SEPA credit transfers) handed to the treasury."""

    message_id = peewee.CharField(max_length=35, unique=True)
    pain_schema = peewee.CharField(max_length=20)
    file_name = peewee.CharField(max_length=100)
    refund_count = peewee.IntegerField()
    total_cents = peewee.BigIntegerField()
    created_by = peewee.ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="refund_exports"
    )
    created_at = now_default()


class NoticeRefund(BaseModel):
    """Money paid on a notice beyond what it now asks (the tax ended early), to be
    transferred back to the citizen's account; exported once into a pain.001 file.

    A notice has at most one refund not yet exported; a later change of the notice
    adjusts that one, and what was exported stays as it was.
    """

    notice = peewee.ForeignKeyField(Notice, backref="refunds", on_delete="CASCADE")
    amount_cents = peewee.IntegerField()
    account_holder = peewee.CharField(max_length=70, default="")
    iban = peewee.CharField(max_length=34, default="")
    bic = peewee.CharField(max_length=11, default="")
    # ``mandate``: the account the tax was collected from; ``citizen``: given for this.
    account_source = peewee.CharField(max_length=16, default="")
    end_to_end_id = peewee.CharField(max_length=35, unique=True)
    export = peewee.ForeignKeyField(
        RefundExport, null=True, on_delete="SET NULL", backref="refunds"
    )
    created_at = now_default()
    updated_at = now_default()


class PaymentSandboxTransaction(BaseModel):
    """A transaction of the built-in XBezahldienste sandbox (test mode, no real money)."""

    transaction_id = peewee.CharField(max_length=36, unique=True)
    originator_id = peewee.CharField(max_length=64)
    endpoint_id = peewee.CharField(max_length=64)
    request = JSONField()
    status = peewee.CharField(max_length=16, default="INITIAL")
    payment_method = peewee.CharField(max_length=16, default="")
    created_at = now_default()
    updated_at = now_default()
