"""The life of a defect report as an explicit table of allowed status changes.

``new`` (just arrived) → ``received`` (a clerk took note) → ``in_progress`` → ``done``;
``not_responsible`` when another authority must act (e.g. a federal road); ``merged``
when a clerk joins it to an earlier report of the same defect. A ``done`` report may
be reopened. Open311 knows only ``open`` and ``closed``; the detailed status goes into
``status_notes``.
"""

from __future__ import annotations

from app.errors import DomainError

STATUSES = ("new", "received", "in_progress", "done", "not_responsible", "merged")

# status -> statuses a clerk may set next ("merged" only through a merge).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("received", "in_progress", "done", "not_responsible"),
    "received": ("in_progress", "done", "not_responsible"),
    "in_progress": ("done", "not_responsible"),
    "done": ("in_progress",),
    "not_responsible": ("received",),
    "merged": (),
}
STAFF_STATUSES = ("received", "in_progress", "done", "not_responsible")
CLOSED = frozenset({"done", "not_responsible", "merged"})
MERGEABLE = frozenset({"new", "received", "in_progress"})


def allowed(current: str, target: str) -> bool:
    """Whether a clerk may move a report from ``current`` to ``target``."""
    return target in TRANSITIONS.get(current, ())


def require(current: str, target: str) -> None:
    """Refuse a change the table does not allow (409 ``report_transition_not_allowed``)."""
    if not allowed(current, target):
        raise DomainError(
            "report_transition_not_allowed", kind="conflict", current=current, target=target
        )


def open311_status(status: str) -> str:
    """Open311's ``open`` or ``closed`` for one of our statuses."""
    return "closed" if status in CLOSED else "open"
