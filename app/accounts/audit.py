"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from app.models import AuditEvent, User


def record(
    action: str,
    actor: User | None = None,
    subject_type: str = "",
    subject_id: object = "",
    ip: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit log."""
    return AuditEvent.create(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        ip=(ip or "")[:45],
        details=details,
    )
