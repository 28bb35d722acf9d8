"""The shape of ``GET /api/account/export``: everything stored about an account.

The export is assembled in the domain (``app.accounts.privacy`` and its exporters);
these schemas only describe it for the OpenAPI document.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from api.notices import NoticeSchema
from api.push import DeviceSchema
from api.schemas import UtcDateTime


class ExportAccountSchema(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True)
    trust_level = fields.String(required=True)
    locale = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    last_login_at = UtcDateTime(required=True, allow_none=True)
    service_areas = fields.List(fields.String(), required=True)
    tour_done_at = UtcDateTime(required=True, allow_none=True)
    tour_outcome = fields.String(
        required=True, allow_none=True, metadata={"description": "finished, skipped, existing"}
    )


class ExportPasskeySchema(Schema):
    name = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    last_used_at = UtcDateTime(required=True, allow_none=True)


class ExportSessionSchema(Schema):
    created_at = UtcDateTime(required=True)
    last_seen_at = UtcDateTime(required=True)
    device = fields.String(required=True)


class ExportSignInSchema(Schema):
    method = fields.String(required=True)
    device = fields.String(required=True)
    started_at = UtcDateTime(required=True)
    ended_at = UtcDateTime(allow_none=True, required=True)


class ExportSecurityEventSchema(Schema):
    at = UtcDateTime(required=True)
    action = fields.String(required=True)


class ExportHistorySchema(Schema):
    at = UtcDateTime(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)


class ExportApplicationSchema(Schema):
    reference = fields.String(required=True, allow_none=True)
    service = fields.String(required=True)
    status = fields.String(required=True)
    answers = fields.Dict(
        keys=fields.String(), required=True, metadata={"description": "The form's answers"}
    )
    fee_cents = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    submitted_at = UtcDateTime(required=True, allow_none=True)
    attachments = fields.List(fields.String(), required=True)
    history = fields.List(fields.Nested(ExportHistorySchema), required=True)


class ExportInboxMessageSchema(Schema):
    at = UtcDateTime(required=True)
    subject = fields.String(required=True)
    body = fields.String(required=True)
    document = fields.String(
        required=True, allow_none=True, metadata={"description": "File name of the attachment"}
    )


class ExportPassSchema(Schema):
    sequence = fields.Integer(required=True)
    reason = fields.String(required=True)
    plates = fields.List(fields.String(), required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    status = fields.String(required=True)
    issued_at = UtcDateTime(required=True)
    pass_text = fields.String(required=True)


class ExportPermitSchema(Schema):
    number = fields.String(required=True)
    status = fields.String(required=True)
    zone = fields.String(required=True)
    plates = fields.List(fields.String(), required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    passes = fields.List(fields.Nested(ExportPassSchema), required=True)


class ExportEidSchema(Schema):
    bound = fields.Boolean(required=True)
    document_type = fields.String()
    place_of_birth = fields.String()
    bound_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)
    card = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        allow_none=True,
        metadata={"description": "the ID card's data as last read (names, birth, address)"},
    )
    card_read_at = UtcDateTime(allow_none=True)


class ExportBundidSchema(Schema):
    bound = fields.Boolean(required=True)
    level = fields.String()
    bound_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)
    data = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        allow_none=True,
        metadata={"description": "what BundID vouched for at the last sign-in"},
    )
    data_read_at = UtcDateTime(allow_none=True)


class ExportPaymentSchema(Schema):
    id = fields.String(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    amount_cents = fields.Integer(required=True)
    purpose = fields.String(required=True)
    description = fields.String(required=True)
    kassenzeichen = fields.String(required=True)
    provider = fields.String(required=True)
    state = fields.String(required=True)
    reason_code = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    succeeded_at = UtcDateTime(required=True, allow_none=True)


class ExportNoticeInstalmentSchema(Schema):
    id = fields.String(required=True)
    number = fields.Integer(required=True)
    due_date = fields.Date(required=True)
    amount_cents = fields.Integer(required=True)
    paid = fields.Boolean(required=True)
    paid_at = UtcDateTime(required=True, allow_none=True)
    overdue = fields.Boolean(required=True)
    cancelled = fields.Boolean(required=True)
    collection = fields.String(required=True)
    collection_date = fields.Date(required=True, allow_none=True)


class ExportNoticeSchema(NoticeSchema):
    instalments = fields.List(fields.Nested(ExportNoticeInstalmentSchema), required=True)


class ExportMandateSchema(Schema):
    reference = fields.String(required=True)
    account_holder = fields.String(required=True)
    iban = fields.String(required=True)
    creditor_id = fields.String(required=True)
    creditor_name = fields.String(required=True)
    mandate_text = fields.String(required=True)
    signed_at = UtcDateTime(required=True)
    revoked_at = UtcDateTime(required=True, allow_none=True)


class ExportPaymentsSchema(Schema):
    payments = fields.List(fields.Nested(ExportPaymentSchema), required=True)
    notices = fields.List(fields.Nested(ExportNoticeSchema), required=True)
    sepa_mandates = fields.List(fields.Nested(ExportMandateSchema), required=True)


class ExportSourceSchema(Schema):
    source = fields.String(required=True)
    verified_at = fields.String(metadata={"format": "date-time"})


class ExportProfileSchema(Schema):
    given_names = fields.String(allow_none=True)
    family_name = fields.String(allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    street = fields.String(allow_none=True)
    house_number = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    verified = fields.List(fields.String())
    sources = fields.Dict(keys=fields.String(), values=fields.Nested(ExportSourceSchema))


class ExportNotificationChannelsSchema(Schema):
    email = fields.Boolean(required=True)
    push = fields.Boolean(required=True)


class ExportReportPhotoSchema(Schema):
    position = fields.Integer(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    bytes = fields.Integer(required=True)
    content_type = fields.String(required=True)


class ExportReportHistorySchema(Schema):
    at = UtcDateTime(required=True)
    status = fields.String(required=True)
    comment = fields.String(required=True)


class ExportDefectReportSchema(Schema):
    id = fields.Integer(required=True)
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    status = fields.String(required=True)
    visibility = fields.String(required=True)
    photos_public = fields.Boolean(required=True)
    description = fields.String(required=True)
    address = fields.String(required=True)
    street = fields.String(required=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    email = fields.String(
        required=True, allow_none=True, metadata={"description": "Given without signing in"}
    )
    source = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    personal_data_erased_at = UtcDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When retention erased the reporter's data"},
    )
    photos = fields.List(
        fields.Nested(ExportReportPhotoSchema),
        required=True,
        metadata={"description": "The stored photos (JPEG re-encoded without metadata)"},
    )
    history = fields.List(fields.Nested(ExportReportHistorySchema), required=True)


class AccountExportSchema(Schema):
    """Everything the portal stores about the signed-in account."""

    exported_at = UtcDateTime(required=True)
    account = fields.Nested(ExportAccountSchema, required=True)
    profile = fields.Nested(ExportProfileSchema, required=True)
    passkeys = fields.List(fields.Nested(ExportPasskeySchema), required=True)
    sessions = fields.List(fields.Nested(ExportSessionSchema), required=True)
    sign_ins = fields.List(fields.Nested(ExportSignInSchema), required=True)
    security_events = fields.List(fields.Nested(ExportSecurityEventSchema), required=True)
    applications = fields.List(fields.Nested(ExportApplicationSchema), required=True)
    inbox = fields.List(fields.Nested(ExportInboxMessageSchema), required=True)
    parking_permits = fields.List(fields.Nested(ExportPermitSchema), required=True)
    eid = fields.Nested(ExportEidSchema, required=True)
    bundid = fields.Nested(ExportBundidSchema, required=True)
    push_devices = fields.List(fields.Nested(DeviceSchema), required=True)
    notification_channels = fields.Nested(ExportNotificationChannelsSchema, required=True)
    payments = fields.Nested(ExportPaymentsSchema, required=True)
    defect_reports = fields.List(fields.Nested(ExportDefectReportSchema), required=True)
