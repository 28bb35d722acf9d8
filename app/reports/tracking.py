"""The anonymous reporter's link to their report: the report's Open311 token and a MAC
of it under the portal's secret. Nothing is stored, so a retried submission answers
with the same link, and only the one who got the link can follow the report."""

from __future__ import annotations

import hashlib
import hmac

from app.models import DefectReport

_MAC_LENGTH = 32


def _mac(secret: str, token: str) -> str:
    digest = hmac.new(secret.encode(), b"report-tracking:" + token.encode(), hashlib.sha256)
    return digest.hexdigest()[:_MAC_LENGTH]


def token_for(report: DefectReport, secret: str) -> str:
    """The reporter's tracking token of ``report``."""
    return f"{report.token}.{_mac(secret, report.token)}"


def find(tracking_token: str, secret: str) -> DefectReport | None:
    """The report a tracking token belongs to, or ``None`` for any other string."""
    token, _, mac = tracking_token.partition(".")
    if not token or not hmac.compare_digest(mac.encode(), _mac(secret, token).encode()):
        return None
    return DefectReport.get_or_none(DefectReport.token == token)
