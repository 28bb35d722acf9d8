"""Campaigns for flyers and posters (admin): list, create, rename, archive, delete, and
the flyer or poster of a campaign as a PDF.

A campaign's tag and target never change once created (printed QR codes keep their
address). Deleting is allowed only while nothing was counted for the tag; afterwards
archive it (still counted, offered for no new flyer).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime, file_response
from api.security import client_ip, require_user, roles_required
from app import campaigns, flyers
from app.errors import DomainError, FieldError
from app.languages import configured

blp = Blueprint(
    "admin_campaigns",
    __name__,
    url_prefix="/api/admin/campaigns",
    description="Campaign tags for flyers and posters, and their PDFs (admin)",
)


class CampaignSchema(Schema):
    tag = fields.String(required=True)
    name = fields.String(required=True)
    service_id = fields.String(
        allow_none=True, required=True, metadata={"description": "null: the portal as a whole"}
    )
    url = fields.String(required=True, metadata={"description": "The QR code's address"})
    created_at = UtcDateTime(required=True)
    created_by = fields.String(allow_none=True, required=True)
    archived = fields.Boolean(required=True)
    archived_at = UtcDateTime(allow_none=True, required=True)
    entries = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Landings so far, as aggregated (null: hidden, 1–4)"},
    )
    submitted = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Applications sent via the tag so far, as aggregated"},
    )


class CampaignListSchema(Schema):
    campaigns = fields.List(fields.Nested(CampaignSchema), required=True)


class CampaignInSchema(Schema):
    tag = fields.String(
        required=True,
        validate=validate.Length(max=100),
        metadata={"description": "3–40 characters: a-z, 0-9 and hyphens"},
    )
    name = fields.String(required=True, validate=validate.Length(max=500))
    service_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"description": "A published service; null or empty: the portal"},
    )


class CampaignPatchSchema(Schema):
    name = fields.String(load_default=None, validate=validate.Length(max=500))
    archived = fields.Boolean(load_default=None)


class FlyerQuerySchema(Schema):
    format = fields.String(
        load_default="a5",
        validate=validate.OneOf(tuple(flyers.FORMATS)),
        metadata={"description": "a5: flyer, a4: poster"},
    )
    lang = fields.String(
        load_default="de",
        validate=validate.Length(max=10),
        metadata={"description": "A configured language"},
    )


def _view(campaign: Any) -> dict[str, Any]:
    return campaigns.view(campaign, campaigns.totals())


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.response(200, CampaignListSchema)
def list_campaigns():
    """Every campaign, newest first, with its counts so far as aggregated (the
    dashboard's month cells; small counts hidden)."""
    counted = campaigns.totals()
    return {"campaigns": [campaigns.view(campaign, counted) for campaign in campaigns.listing()]}


@blp.route("", methods=["POST"])
@roles_required("admin")
@blp.arguments(CampaignInSchema)
@blp.response(201, CampaignSchema)
def create_campaign(data: dict[str, Any]):
    """Create a campaign; a bad or taken tag, an unknown service or an empty name is a
    field error and changes nothing."""
    campaign = campaigns.create(
        require_user(), data["tag"], data["name"], data["service_id"] or None, client_ip()
    )
    return _view(campaign)


@blp.route("/<string:tag>", methods=["PATCH"])
@roles_required("admin")
@blp.arguments(CampaignPatchSchema)
@blp.response(200, CampaignSchema)
def change_campaign(data: dict[str, Any], tag: str):
    """Rename a campaign and/or archive it (``archived: false`` brings it back)."""
    user = require_user()
    campaign = campaigns.get(tag)
    if data["name"] is not None:
        campaign = campaigns.rename(user, tag, data["name"], client_ip())
    if data["archived"] is not None and data["archived"] != (campaign.archived_at is not None):
        campaign = campaigns.archive(user, tag, data["archived"], client_ip())
    return _view(campaign)


@blp.route("/<string:tag>", methods=["DELETE"])
@roles_required("admin")
@blp.response(204)
def delete_campaign(tag: str):
    """Delete a campaign nothing was counted for yet (422 on ``tag`` otherwise)."""
    campaigns.delete(require_user(), tag, client_ip())


@blp.route("/<string:tag>/flyer.pdf", methods=["GET"])
@roles_required("admin")
@blp.arguments(FlyerQuerySchema, location="query")
@file_response(blp, ["application/pdf"], "The flyer (A5) or poster (A4), one page, PDF/UA-1")
def flyer_pdf(query: dict[str, Any], tag: str):
    """The flyer (``format=a5``) or poster (``a4``) of a campaign in a configured
    language. Archived campaigns get no new flyers (422 on ``tag``)."""
    campaign = campaigns.get(tag)
    errors = []
    if campaign.archived_at is not None:
        errors.append(FieldError("tag", "campaign_archived"))
    if query["lang"] not in configured():
        errors.append(FieldError("lang", "campaign_language"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    body = flyers.render_pdf(campaign, query["format"], query["lang"])
    name = flyers.filename(campaign, query["format"], query["lang"])
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
