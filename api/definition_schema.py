"""The shape of a service definition as ``GET /api/services/{id}`` sends it.

The authoritative rules are ``app/service_definitions/schema.json`` (served to admins
at ``GET /api/admin/services/schema``); these schemas describe the same structure for
the OpenAPI document. Conditions are recursive and field types vary, so those two are
objects whose known keys are listed and whose further keys are allowed.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from api.schemas import TextSchema
from app.payments.notices import KINDS as notice_kinds
from app.service_definitions.decision_fields import DECISION_TYPES
from app.service_definitions.field_types import FIELD_TYPES

SLUG = {"pattern": "^[a-z][a-z0-9_]{0,62}$"}


def _slug(**kwargs) -> fields.String:
    return fields.String(metadata=SLUG, **kwargs)


class ConditionSchema(Schema):
    """When a step, field, fee or warning applies (``all``/``any``/``not`` nest)."""

    class Meta:
        unknown = INCLUDE

    field = _slug()
    is_true = fields.Boolean()
    before = fields.String()
    after = fields.String()


class OptionSchema(Schema):
    value = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)
    hint = fields.Nested(TextSchema)


class FieldSchema(Schema):
    """One form field; further keys depend on ``type`` (lengths, ranges, accept ...)."""

    class Meta:
        unknown = INCLUDE

    id = _slug(required=True)
    type = fields.String(required=True, validate=validate.OneOf(list(FIELD_TYPES)))
    label = fields.Nested(TextSchema, required=True)
    hint = fields.Nested(TextSchema)
    required = fields.Boolean()
    visible_if = fields.Nested(ConditionSchema)
    options = fields.List(fields.Nested(OptionSchema))
    options_from = fields.String(
        metadata={
            "description": "a registered option source (select, radio); served definitions "
            "carry its current options in `options`"
        }
    )


class RelatedPageSchema(Schema):
    """A link on the service's start page to another page of the portal."""

    path = fields.String(
        required=True, metadata={"description": "a PWA page of `app.links.RELATED_PAGES`"}
    )
    label = fields.Nested(TextSchema, required=True)


class DecisionFieldDefinitionSchema(FieldSchema):
    """A value the clerk sets at a decision: a field of type money (cents), number, date
    (``after``: an earlier date field), text, textarea or select."""

    type = fields.String(required=True, validate=validate.OneOf(list(DECISION_TYPES)))
    after = _slug()


class StepSchema(Schema):
    id = _slug(required=True)
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema)
    visible_if = fields.Nested(ConditionSchema)
    fields = fields.List(fields.Nested(FieldSchema), required=True)


class TierSchema(Schema):
    from_ = fields.Integer(required=True, data_key="from")
    to = fields.Integer(allow_none=True)
    unit_cents = fields.Integer(required=True)
    label = fields.Nested(TextSchema)


class FeeRuleSchema(Schema):
    id = _slug(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["fixed", "per_item", "tiered"]))
    label = fields.Nested(TextSchema, required=True)
    amount_cents = fields.Integer()
    over = _slug()
    where = fields.Nested(ConditionSchema)
    count_where = fields.Nested(ConditionSchema)
    when = fields.Nested(ConditionSchema)
    mode = fields.String(validate=validate.OneOf(["volume", "graduated"]))
    tiers = fields.List(fields.Nested(TierSchema))


class FeesSchema(Schema):
    period = fields.String(required=True, validate=validate.OneOf(["once", "yearly"]))
    note = fields.Nested(TextSchema)
    rules = fields.List(fields.Nested(FeeRuleSchema), required=True)


class PaymentPolicySchema(Schema):
    policy = fields.String(
        required=True, validate=validate.OneOf(["none", "before_submission", "after_decision"])
    )
    instalments = fields.List(fields.String(metadata={"description": "MM-DD"}))
    note = fields.Nested(TextSchema)
    notice_kind = fields.String(
        validate=validate.OneOf(notice_kinds),
        metadata={"description": "The kind of notice the fee creates after the decision"},
    )


class WorkflowStatusSchema(Schema):
    id = _slug(required=True)
    label = fields.Nested(TextSchema, required=True)
    # What clerks read; the loader fills in the citizen's label where it is absent.
    staff_label = fields.Nested(TextSchema)
    # The default message to the citizen for a clerk's change to this status.
    message = fields.Nested(TextSchema)
    terminal = fields.Boolean()
    decision = fields.String(validate=validate.OneOf(["positive", "negative"]))


class WorkflowTransitionSchema(Schema):
    from_ = _slug(required=True, data_key="from")
    to = _slug(required=True)
    actor = fields.String(required=True, validate=validate.OneOf(["citizen", "staff", "system"]))
    message_required = fields.Boolean()
    # false: an internal move the citizen gets no message for.
    notify = fields.Boolean()


class WorkflowSchema(Schema):
    initial = _slug(required=True)
    # Where automatic decisions hand a case over to a clerk.
    handover = _slug()
    statuses = fields.List(fields.Nested(WorkflowStatusSchema), required=True)
    transitions = fields.List(fields.Nested(WorkflowTransitionSchema), required=True)


class DefinitionDocumentSchema(Schema):
    id = _slug(required=True)
    kind = fields.String(required=True)
    title = fields.Nested(TextSchema, required=True)
    issued_on = _slug(required=True)
    channel = fields.String(validate=validate.OneOf(["inbox", "post"]))
    # The registered document generator; by default the one for the kind.
    generator = _slug()


class AutoDecisionSchema(Schema):
    enabled = fields.Boolean(required=True)
    rule_set = _slug(allow_none=True)
    status = _slug()


class ProcessingSchema(Schema):
    target_days = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=365),
        metadata={"description": "calendar days from entering the workflow to the due date"},
    )


class RetentionSchema(Schema):
    drafts_days = fields.Integer(
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "days after a draft (or an unpaid application) was last changed"},
    )
    closed_days = fields.Integer(
        validate=validate.Range(min=1, max=10950),
        metadata={"description": "days after an application reached a terminal status"},
    )


class WarningSchema(Schema):
    id = _slug(required=True)
    field = _slug(required=True)
    when = fields.Nested(ConditionSchema, required=True)
    message = fields.Raw(
        required=True,
        metadata={"description": "A message key (validation.*) or a text in both languages"},
    )
    params = fields.Dict(keys=fields.String())


class LeichteSpracheSectionSchema(Schema):
    heading = fields.String(required=True)
    sentences = fields.List(fields.String(), required=True)


class LeichteSpracheSchema(Schema):
    """A summary in Leichte Sprache: German only, the city's name as ``{city}``."""

    title = fields.String(required=True)
    sections = fields.List(fields.Nested(LeichteSpracheSectionSchema), required=True)


class GuideDefinitionSchema(Schema):
    """The service's click-by-click guide (app/service_definitions/guide.py)."""

    before = fields.List(
        fields.Nested(TextSchema),
        metadata={"description": "what to have at hand, beyond what the guide derives"},
    )
    steps = fields.Dict(
        keys=_slug(),
        values=fields.Nested(TextSchema),
        metadata={"description": "a short note per step, by step id"},
    )
    examples = fields.Dict(
        keys=_slug(),
        metadata={
            "description": "example answers by top-level field id (a repeat group: a list of "
            "objects; 'city': the city's example address; dates may be relative, e.g. -3y); "
            "GET /api/services/{id}/guide serves them resolved"
        },
    )
    after = fields.Nested(
        TextSchema, metadata={"description": "what happens after sending, in the service's words"}
    )


class ServiceDefinitionSchema(Schema):
    """A municipal service: its form, fees, payment policy, workflow and documents."""

    id = _slug(required=True)
    kind = fields.String(
        validate=validate.Equal("service"),
        metadata={"description": "Always service here (surveys are served by /api/surveys)"},
    )
    version = fields.Integer(required=True)
    leika = fields.String(allow_none=True)
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    category = _slug(required=True)
    area = _slug()
    trust_level = fields.String(required=True, validate=validate.OneOf(["basic", "high"]))
    trust_note = fields.Nested(TextSchema)
    steps = fields.List(fields.Nested(StepSchema), required=True)
    fees = fields.Nested(FeesSchema)
    payment = fields.Nested(PaymentPolicySchema, required=True)
    workflow = fields.Nested(WorkflowSchema, required=True)
    # This service's own default messages per status (they replace the workflow's).
    messages = fields.Dict(keys=_slug(), values=fields.Nested(TextSchema))
    documents = fields.List(fields.Nested(DefinitionDocumentSchema))
    auto_decision = fields.Nested(AutoDecisionSchema)
    processing = fields.Nested(ProcessingSchema)
    # How long applications are kept before the daily job deletes them (docs/retention.md).
    retention = fields.Nested(RetentionSchema)
    warnings = fields.List(fields.Nested(WarningSchema))
    # What the clerk sets at a decision, by decision status, and the plugin proposing it.
    decision_fields = fields.Dict(
        keys=_slug(), values=fields.List(fields.Nested(DecisionFieldDefinitionSchema))
    )
    decision_proposals = _slug()
    # Links on the service's start page to other pages of the portal (the estimate).
    related_pages = fields.List(fields.Nested(RelatedPageSchema))
    # The service in Leichte Sprache (app/service_definitions/leichte_sprache.py).
    leichte_sprache = fields.Nested(LeichteSpracheSchema)
    # The click-by-click guide's notes and example answers (docs/guides.md).
    guide = fields.Nested(GuideDefinitionSchema)
    # Options for registered plugins by name, e.g. which fields a plugin reads.
    plugin_options = fields.Dict(keys=fields.String(), values=fields.Dict())
