"""Which applications expire when: per state, and by the service's current rule."""

from __future__ import annotations

from app.db import db
from app.retention import candidates, rules, runs
from tests.api.engine_helpers import start, submitted
from tests.app.retention.support import later, publish_version, withdrawn


def _rule(service_id: str) -> rules.Rule:
    with db.connection_context():
        return next(rule for rule in rules.current_rules() if rule.service_id == service_id)


def _expired(service_id: str, kind: str, days: float) -> list[str]:
    with db.connection_context():
        return [c.application_id for c in candidates.expired(_rule(service_id), kind, later(days))]


def test_a_draft_expires_drafts_days_after_its_last_change(signed_in):
    citizen = signed_in("draft@example.org")
    draft = start(citizen, "waste_bins")
    assert _expired("waste_bins", "drafts", 89.9) == []
    assert _expired("waste_bins", "drafts", 90.1) == [draft["id"]]
    assert _expired("waste_bins", "closed", 10000) == []


def test_an_unpaid_application_counts_as_a_draft(signed_in):
    citizen = signed_in("unpaid@example.org")
    application = submitted(citizen, "civil_status_certificate")
    assert application["status"] == "awaiting_payment"
    assert _expired("civil_status_certificate", "drafts", 91) == [application["id"]]


def test_an_open_application_never_expires(signed_in):
    citizen = signed_in("open@example.org")
    submitted(citizen, "waste_bins")
    for kind in candidates.KINDS:
        assert _expired("waste_bins", kind, 100 * 365) == []


def test_a_withdrawn_application_expires_closed_days_after_it_closed(signed_in):
    citizen = signed_in("closed@example.org")
    application = withdrawn(citizen)
    assert _expired("waste_bins", "closed", 1094.9) == []
    assert _expired("waste_bins", "closed", 1095.1) == [application["id"]]
    assert _expired("waste_bins", "drafts", 1095.1) == []
    with db.connection_context():
        found = candidates.expired(_rule("waste_bins"), "closed", later(1096))[0]
    assert found.status == "withdrawn" and found.reference == application["reference"]


def test_a_rejected_application_is_closed_from_the_decision(signed_in):
    citizen = signed_in("rejected@example.org")
    clerk = signed_in("clerk@example.org", "staff", ("abfall",))
    application = submitted(citizen, "waste_bins")
    response = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions",
        json={"to": "rejected", "message": "Die Tonne ist bereits bestellt."},
    )
    assert response.status_code == 200, response.get_json()
    assert _expired("waste_bins", "closed", 1095.1) == [application["id"]]


def test_the_current_definition_sets_the_period_for_older_versions_too(signed_in):
    citizen = signed_in("versions@example.org")
    old = withdrawn(citizen)
    version = publish_version(
        "waste_bins", lambda data: data.update(retention={"drafts_days": 10, "closed_days": 30})
    )
    rule = _rule("waste_bins")
    assert (rule.version, rule.closed_days, rule.drafts_days) == (version, 30, 10)
    assert _expired("waste_bins", "closed", 29.9) == []
    assert _expired("waste_bins", "closed", 30.1) == [old["id"]]
    with db.connection_context():
        entry = next(e for e in runs.report(later(31)) if e.rule.service_id == "waste_bins")
    assert (entry.closed, entry.drafts, entry.held) == (1, 0, 0)
