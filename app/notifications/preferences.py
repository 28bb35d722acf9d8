"""Each citizen's notification channels: e-mail and push, both on unless switched off."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.db import utcnow
from app.models import NotificationPreference, User

CHANNELS = ("email", "push")


@dataclass(frozen=True)
class Channels:
    """Which channels a citizen is told by."""

    email: bool = True
    push: bool = True

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


def channels_of(user_id: int) -> Channels:
    """The citizen's channels (the defaults when they never chose)."""
    row = NotificationPreference.get_or_none(NotificationPreference.user == user_id)
    return Channels() if row is None else Channels(email=row.email, push=row.push)


def wants(user_id: int, channel: str) -> bool:
    """Whether the citizen wants to be told by ``channel`` (``email`` or ``push``)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return getattr(channels_of(user_id), channel)


def set_channels(user: User, email: bool, push: bool) -> Channels:
    """Store the citizen's choice of channels."""
    now = utcnow()
    (
        NotificationPreference.insert(user=user.id, email=email, push=push, updated_at=now)
        .on_conflict(
            conflict_target=[NotificationPreference.user],
            update={
                NotificationPreference.email: email,
                NotificationPreference.push: push,
                NotificationPreference.updated_at: now,
            },
        )
        .execute()
    )
    return Channels(email=email, push=push)


def export_channels(user: User) -> dict[str, Any]:
    """The channels for the data export."""
    return channels_of(user.id).as_dict()
