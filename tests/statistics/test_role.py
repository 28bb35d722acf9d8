"""The role ``statistics``: admins invite it (the mail names it), give it to an account,
and such a user is told its role at sign-in (the PWA lands it on the statistics)."""

from __future__ import annotations

from app.db import db
from app.models import ROLES, User
from tests.api.test_admin_people import _text, smtp  # noqa: F401 - the fixture

ANALYST = "analyst@example.org"


def test_admins_invite_the_statistics_role(signed_in, smtp):  # noqa: F811 - the fixture
    assert "statistics" in ROLES
    admin = signed_in("admin@example.org", "admin")
    response = admin.post(
        "/api/admin/users/invitations", json={"email": ANALYST, "role": "statistics"}
    )
    assert response.status_code == 201, response.get_json()
    [mail] = smtp.messages_to(ANALYST)
    assert "Statistik" in _text(mail)
    with db.connection_context():
        assert User.get(User.email == ANALYST).role == "statistics"


def test_the_session_names_the_role(signed_in):
    analyst = signed_in(ANALYST, "statistics")
    assert analyst.get("/api/auth/session").get_json()["user"]["role"] == "statistics"
    assert analyst.get("/api/statistics/services").status_code == 200


def test_a_citizen_may_not_invite(signed_in):
    citizen = signed_in("c@example.org")
    response = citizen.post(
        "/api/admin/users/invitations", json={"email": ANALYST, "role": "statistics"}
    )
    assert response.status_code == 403
