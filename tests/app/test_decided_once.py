"""When an application was decided stays as its first decision set it, also when the
same object moves on (approved, then completed)."""

from __future__ import annotations

from app.applications import lifecycle
from app.models import Application
from tests.api.engine_helpers import submitted


def test_a_later_end_keeps_the_first_decision(app, signed_in):
    shown = submitted(signed_in("einmal@example.org"), "dog_tax_registration")
    with app.app_context():
        application = Application.get_by_id(shown["id"])
        lifecycle.change_status(application, "approved", None, "staff")
        first = Application.get_by_id(shown["id"])
        lifecycle.change_status(application, "completed", None, "system")
        later = Application.get_by_id(shown["id"])
    assert first.decided_at is not None
    assert (later.decided_at, later.decided_by) == (first.decided_at, "staff")
    assert (application.decided_at, application.decided_by) == (first.decided_at, "staff")
