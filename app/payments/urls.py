"""Absolute addresses of the portal that payment providers are given."""

from __future__ import annotations

from typing import Any

from app import links
from app.payments import settings


def return_url(payment: Any, cancelled: bool = False) -> str:
    """Where the provider sends the citizen back to (our return handler)."""
    return settings.base_url() + links.payment_return(payment.public_id, cancelled=cancelled)
