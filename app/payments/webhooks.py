"""Notifications a provider sends on its own (``POST /api/payments/webhooks/<name>``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.payments import providers, settings
from app.payments.providers.base import WebhookInvalid
from app.payments.transitions import apply_report

__all__ = ["UnknownWebhookProvider", "WebhookInvalid", "receive"]


class UnknownWebhookProvider(Exception):
    """No registered provider of that name takes webhooks."""


def receive(name: str, headers: Mapping[str, str], event: Any) -> str:
    """Hand a webhook to provider ``name`` and apply what it reports (idempotent).

    Returns ``ok``, or ``ignored`` for a verified event about no payment of ours (so the
    provider stops retrying). Raises :class:`UnknownWebhookProvider`,
    :class:`WebhookInvalid` (not verifiable, not configured, not a JSON object) or
    ``PaymentProviderError`` (the provider could not be asked).
    """
    cls = providers.registered().get(name)
    if cls is None or not cls.webhooks:
        raise UnknownWebhookProvider(name)
    config = settings.current()
    if not isinstance(event, dict) or not cls.configured(config):
        raise WebhookInvalid(name)
    result = cls(config).handle_webhook(headers, event)
    if result.payment is None:
        return "ignored"
    apply_report(result.payment, result.report, "webhook")
    return "ok"
