"""The console's start page counts what waits: open feedback, deliveries given up,
drafts, stored services naming plugins this installation lacks."""

from __future__ import annotations

import copy
from datetime import timedelta

from app.db import db, utcnow
from app.models import (
    Feedback,
    NotificationMail,
    PushDelivery,
    ServiceDefinitionRecord,
    User,
)
from app.service_definitions import load_builtin


def _figures(admin) -> dict:
    response = admin.get("/api/admin/overview")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_nothing_waits_on_a_fresh_portal(signed_in):
    assert _figures(signed_in("admin@example.org", "admin")) == {
        "open_feedback": 0,
        "failed_mails": 0,
        "failed_pushes": 0,
        "draft_services": 0,
        "service_problems": [],
        "total": 0,
    }


def test_each_kind_of_problem_is_counted(signed_in):
    admin = signed_in("admin@example.org", "admin")
    citizen = signed_in("buerger@example.org")
    now = utcnow()
    with db.connection_context():
        user = User.get(User.email == "buerger@example.org")
        Feedback.create(kind="accessibility", message="Kontrast zu schwach")
        Feedback.create(kind="general", message="Danke", status="closed", handled_at=now)
        for key, state, age in (("a", "failed", 1), ("b", "sent", 1), ("c", "failed", 30)):
            NotificationMail.create(
                key=key,
                user=user,
                kind="decision",
                subject="s",
                body="b",
                state=state,
                created_at=now - timedelta(days=age),
            )
        PushDelivery.create(notification="n1", attempt=1, outcome="failed")
        PushDelivery.create(notification="n2", attempt=1, outcome="delivered")
        data = copy.deepcopy(next(iter(load_builtin().values())).as_dict())
        data.update(
            id="kaputt",
            version=1,
            auto_decision={"enabled": True, "status": "approved", "rule_set": "gibt_es_nicht"},
        )
        ServiceDefinitionRecord.create(
            service_id="kaputt",
            version=1,
            state="draft",
            area=data["area"],
            data=data,
            fingerprint="f" * 64,
            source="admin",
        )
    figures = _figures(admin)
    assert (figures["open_feedback"], figures["failed_mails"], figures["failed_pushes"]) == (
        1,
        1,
        1,
    )
    assert figures["draft_services"] == 1
    [problem] = figures["service_problems"]
    assert problem.startswith("kaputt version 1 (draft)") and "gibt_es_nicht" in problem
    assert figures["total"] == 4
    assert citizen.get("/api/admin/overview").status_code == 403
