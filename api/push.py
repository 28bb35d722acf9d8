"""Web Push: the VAPID public key, the citizen's devices, topics, and admin broadcasts.

The contract for the PWA is described in docs/push.md.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import error_response, locale
from api.kiosk_marker import refuse_at_kiosk
from api.schemas import UtcDateTime
from api.security import client_ip, login_required, require_user, roles_required
from app.push import broadcasts, devices, runtime
from app.push.payload import LANGUAGES, MAX_BROADCAST_BODY, MAX_BROADCAST_TITLE

blp = Blueprint("push", __name__, url_prefix="/api", description="Push notifications")

_TOPIC = validate.Regexp(r"^[a-z0-9_]{1,32}$")


@blp.record_once
def _prepare_keys(state) -> None:
    """Generate the VAPID key pair on the first start (not on the first request)."""
    if state.app.config.get("PUSH_ENABLED"):
        runtime.vapid_private_key(state.app.config)


class PublicKeySchema(Schema):
    public_key = fields.String(metadata={"description": "applicationServerKey (base64url)"})


class TopicSchema(Schema):
    id = fields.String()
    label = fields.String()


class KeysSchema(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(max=200))
    auth = fields.String(required=True, validate=validate.Length(max=100))


class SubscribeSchema(Schema):
    """``PushSubscription.toJSON()`` plus what the portal keeps about the device."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2048))
    keys = fields.Nested(KeysSchema, required=True)
    expirationTime = fields.Raw(allow_none=True, metadata={"description": "ignored"})
    label = fields.String(validate=validate.Length(max=80))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    topics = fields.List(fields.String(validate=_TOPIC), validate=validate.Length(max=20))
    old_endpoint = fields.String(
        validate=validate.Length(max=2048),
        metadata={"description": "the replaced subscription (pushsubscriptionchange)"},
    )


class DevicePatchSchema(Schema):
    label = fields.String(validate=validate.Length(min=1, max=80))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    topics = fields.List(fields.String(validate=_TOPIC), validate=validate.Length(max=20))


class DeviceSchema(Schema):
    id = fields.String()
    label = fields.String()
    language = fields.String()
    topics = fields.List(fields.String())
    push_service = fields.String()
    created_at = UtcDateTime()
    last_success_at = UtcDateTime(allow_none=True)


class TextsSchema(Schema):
    de = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BROADCAST_BODY))
    en = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BROADCAST_BODY))


class TitlesSchema(Schema):
    de = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BROADCAST_TITLE))
    en = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BROADCAST_TITLE))


class BroadcastInSchema(Schema):
    topic = fields.String(required=True, validate=_TOPIC)
    title = fields.Nested(TitlesSchema, required=True)
    body = fields.Nested(TextsSchema, required=True)
    url = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BroadcastSchema(Schema):
    id = fields.Integer()
    topic = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    body = fields.Dict(keys=fields.String(), values=fields.String())
    url = fields.String()
    created_at = UtcDateTime()
    created_by = fields.String(allow_none=True)
    devices = fields.Integer()
    delivered = fields.Integer()
    finished_at = UtcDateTime(allow_none=True)


def _unavailable():
    return error_response(503, "push_unavailable")


@blp.route("/push/public-key", methods=["GET"])
@blp.response(200, PublicKeySchema)
def public_key():
    """The VAPID public key for ``PushManager.subscribe({applicationServerKey})``.

    503 ``push_unavailable`` when push is switched off: the PWA then hides the switch.
    """
    if not current_app.config.get("PUSH_ENABLED"):
        return _unavailable()
    return {"public_key": runtime.public_key(current_app.config)}


@blp.route("/push/topics", methods=["GET"])
@blp.response(200, TopicSchema(many=True))
def list_topics():
    """Topics a device can opt into (e.g. waste collection changes), with labels."""
    return broadcasts.topics(current_app.config, locale())


@blp.route("/push/subscriptions", methods=["POST"])
@login_required
@blp.arguments(SubscribeSchema)
@blp.response(201, DeviceSchema)
@blp.alt_response(200, schema=DeviceSchema, description="The device was known and is updated")
def subscribe(data: dict[str, Any]):
    """Register this device for notifications, or update it (same endpoint: same device).
    Not at the Bürgerbüro terminal: its notifications would reach the next visitor."""
    require_user()
    refuse_at_kiosk()
    if not current_app.config.get("PUSH_ENABLED"):
        return _unavailable()
    device, created = devices.register(
        require_user(),
        data,
        current_app.config,
        user_agent=request.headers.get("User-Agent", ""),
        language=locale(),
    )
    return devices.view(device), 201 if created else 200


@blp.route("/push/subscriptions", methods=["GET"])
@login_required
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    """The signed-in user's devices."""
    return [devices.view(d) for d in devices.list_for(require_user())]


@blp.route("/push/subscriptions/<string:device_id>", methods=["PATCH"])
@login_required
@blp.arguments(DevicePatchSchema)
@blp.response(200, DeviceSchema)
def update_device(data: dict[str, Any], device_id: str):
    """Rename a device or change its language or topics."""
    device = devices.update(require_user(), device_id, data, current_app.config)
    return devices.view(device)


@blp.route("/push/subscriptions/<string:device_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def remove_device(device_id: str):
    """Stop notifications to a device (also call ``PushSubscription.unsubscribe()`` there)."""
    devices.remove(require_user(), device_id)
    return None


@blp.route("/admin/broadcasts", methods=["POST"])
@roles_required("admin")
@blp.arguments(BroadcastInSchema)
@blp.response(202, BroadcastSchema)
def create_broadcast(data: dict[str, Any]):
    """Send a message to every device that opted into ``topic`` (in the background)."""
    broadcast = broadcasts.create(
        require_user(),
        data["topic"],
        data["title"],
        data["body"],
        data["url"],
        current_app.config,
        client_ip(),
    )
    return broadcasts.view(broadcast)


@blp.route("/admin/broadcasts", methods=["GET"])
@roles_required("admin")
@blp.response(200, BroadcastSchema(many=True))
def list_broadcasts():
    """The latest broadcasts, with how many devices each reached."""
    return [broadcasts.view(b) for b in broadcasts.recent()]
