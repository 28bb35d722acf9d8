"""The clerk's workspace: views of the queue, due dates and overdue cases, the order
by due date across pages, assignment to colleagues and bulk assignment."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.applications import deadlines, definitions, queue
from app.db import db, utcnow
from app.models import Application, ServiceDefinitionRecord, User
from app.service_definitions import ServiceDefinition, workflow
from tests.api.engine_helpers import submitted
from tests.api.test_registration_certificate import paid
from tests.api.test_registry_information import ERIKA

QUEUE = "/api/staff/applications"


@pytest.fixture
def clerk(signed_in):
    return signed_in("abfall@example.org", "staff", ("abfall", "meldewesen"))


def _refs(page) -> list[str]:
    return [item["reference"] for item in page["items"]]


def _page(clerk, **query) -> dict:
    response = clerk.get(QUEUE, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _move(clerk, reference: str, to: str, message: str = "") -> None:
    response = clerk.post(f"{QUEUE}/{reference}/transitions", json={"to": to, "message": message})
    assert response.status_code == 200, response.get_json()


def _user_id(email: str) -> int:
    with db.connection_context():
        return User.get(User.email == email).id


def _set_due(reference: str, due_at: datetime) -> None:
    with db.connection_context():
        Application.update(due_at=due_at).where(Application.reference == reference).execute()


def _waste(signed_in, count: int, prefix: str = "w") -> list[str]:
    refs = []
    for index in range(count):
        citizen = signed_in(f"{prefix}{index}@example.org")
        refs.append(submitted(citizen, "waste_bins", key=f"{prefix}{index}")["reference"])
    return refs


def test_the_default_view_shows_every_open_case_and_hides_decided_and_unpaid(signed_in, clerk):
    handed_over = submitted(
        signed_in("auskunft@example.org"),
        "registry_information_simple",
        answers={**ERIKA, "person_birth_date": "1964-08-13"},
    )
    unpaid = submitted(
        signed_in("unbezahlt@example.org"),
        "registry_information_simple",
        key="u",
        answers={**ERIKA, "person_birth_date": "1964-08-13"},
    )
    paid(handed_over["id"])
    fresh, asked, approved = _waste(signed_in, 3)
    _move(clerk, asked, "in_review")
    _move(clerk, asked, "info_requested", "Bitte Foto der Tonne.")
    _move(clerk, approved, "in_review")
    _move(clerk, approved, "approved")

    default = _refs(_page(clerk))
    assert set(default) == {handed_over["reference"], fresh, asked}
    assert unpaid["reference"] not in default and approved not in default
    # Filtering for a status still works, and reaches cases waiting for their fee.
    assert _refs(_page(clerk, status="awaiting_payment")) == [unpaid["reference"]]
    assert _refs(_page(clerk, status="approved", view="all")) == [approved]
    assert set(_refs(_page(clerk, view="waiting"))) == {asked, unpaid["reference"]}
    assert set(_refs(_page(clerk, view="all"))) == {
        handed_over["reference"],
        unpaid["reference"],
        fresh,
        asked,
        approved,
    }
    # Views combine with the other filters.
    assert _refs(_page(clerk, service_id="registry_information_simple")) == [
        handed_over["reference"]
    ]
    assert _refs(_page(clerk, area="abfall", view="waiting")) == [asked]
    # The open views read the mark lifecycle keeps with every status change; it agrees
    # with each case's own workflow after submission, payment, handover and decision.
    with db.connection_context():
        marks = {
            application.reference: application.awaiting_decision
            for application in Application.select()
        }
        expected = {
            application.reference: workflow.awaits_decision(
                definitions.of_application(application), application.status
            )
            for application in Application.select()
        }
    assert marks == expected and sum(marks.values()) == 3


def test_unknown_view_or_sort_is_a_field_error(clerk):
    for query in ({"view": "everything"}, {"sort": "name"}):
        response = clerk.get(QUEUE, query_string=query)
        assert response.status_code == 422
        assert set(response.get_json()["errors"][0]) >= {"field"}


def test_due_dates_follow_the_definition_and_overdue_cases_are_marked(signed_in, clerk):
    before = utcnow()
    late, on_time = _waste(signed_in, 2)
    item = _page(clerk)["items"][0]
    due = datetime.fromisoformat(item["due_at"].rstrip("Z"))
    with db.connection_context():
        target = deadlines.target_days(
            definitions.of_application(Application.get(Application.reference == late))
        )
    assert target == 10  # waste_bins.yaml: processing.target_days
    # The end of the tenth day after today in Düren, as UTC.
    berlin = ZoneInfo("Europe/Berlin")
    day = before.replace(tzinfo=UTC).astimezone(berlin).date() + timedelta(days=10)
    local_due = due.replace(tzinfo=UTC).astimezone(berlin)
    assert (local_due.date(), local_due.time()) == (day, time(23, 59, 59, 999999))
    assert item["overdue"] is False

    _set_due(late, utcnow() - timedelta(hours=1))
    page = _page(clerk)
    assert {i["reference"]: i["overdue"] for i in page["items"]} == {late: True, on_time: False}
    assert _refs(_page(clerk, view="overdue")) == [late]
    detail = clerk.get(f"{QUEUE}/{late}").get_json()
    assert detail["overdue"] is True and detail["due_at"].endswith("Z")
    # A decided case is not overdue, however old its due date.
    _move(clerk, late, "in_review")
    _move(clerk, late, "approved")
    assert clerk.get(f"{QUEUE}/{late}").get_json()["overdue"] is False
    assert _refs(_page(clerk, view="overdue")) == []


def test_due_date_order_pages_across_areas_without_repeats_or_gaps(signed_in):
    clerk = signed_in("zwei@example.org", "staff", ("abfall", "hundesteuer"))
    refs = _waste(signed_in, 4, "a") + [
        submitted(signed_in(f"d{i}@example.org"), "dog_tax_registration", key=f"d{i}")["reference"]
        for i in range(3)
    ]
    now = utcnow()
    # Interleave the areas; two cases share a due date (the id breaks the tie).
    dues = [5, 1, 3, 3, 2, 6, 4]
    for reference, days in zip(refs, dues, strict=True):
        _set_due(reference, now + timedelta(days=days))
    expected = [
        r for _d, r in sorted(zip(dues, refs, strict=True), key=lambda p: (p[0], _id(p[1])))
    ]
    seen, after = [], None
    while True:
        query = {"limit": 2, "sort": "due"} | ({"after": after} if after else {})
        page = _page(clerk, **query)
        assert page["sort"] == "due"
        seen += _refs(page)
        after = page["next"]
        if not after:
            break
    assert seen == expected
    # A cursor of one order is refused in the other.
    first = _page(clerk, limit=2, sort="due")["next"]
    refused = clerk.get(QUEUE, query_string={"after": first})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "after"
    # Cases waiting for their fee have no due date: that view is listed by submission.
    assert _page(clerk, view="waiting", sort="due")["sort"] == "submitted"


def _id(reference: str) -> str:
    with db.connection_context():
        return Application.get(Application.reference == reference).id


def test_mine_and_unassigned(signed_in, clerk):
    colleague = signed_in("kollegin@example.org", "staff", ("abfall",))
    mine, theirs, nobodys = _waste(signed_in, 3)
    me = _user_id("abfall@example.org")
    assert clerk.put(f"{QUEUE}/{mine}/assignee", json={"assignee_id": me}).status_code == 200
    assert (
        clerk.put(
            f"{QUEUE}/{theirs}/assignee", json={"assignee_id": _user_id("kollegin@example.org")}
        ).status_code
        == 200
    )
    assert _refs(_page(clerk, view="mine")) == [mine]
    assert _refs(_page(colleague, view="mine")) == [theirs]
    assert _refs(_page(clerk, view="unassigned")) == [nobodys]


def test_colleagues_are_the_areas_staff_and_admins_only(signed_in, clerk):
    signed_in("kollegin@example.org", "staff", ("abfall",))
    signed_in("hunde@example.org", "staff", ("hundesteuer",))
    signed_in("admin@example.org", "admin")
    citizen = signed_in("buerger@example.org")
    reference = submitted(citizen, "waste_bins")["reference"]
    listed = clerk.get(f"{QUEUE}/{reference}/colleagues").get_json()
    assert [c["email"] for c in listed] == [
        "abfall@example.org",
        "admin@example.org",
        "kollegin@example.org",
    ]
    assert set(listed[0]) == {"id", "email", "name", "role"}
    detail = clerk.get(f"{QUEUE}/{reference}").get_json()
    assert [c["email"] for c in detail["colleagues"]] == [c["email"] for c in listed]
    # A clerk of another area learns nothing about the case or its colleagues.
    outsider = signed_in("hunde@example.org", "staff", ("hundesteuer",))
    assert outsider.get(f"{QUEUE}/{reference}/colleagues").status_code == 404


def test_assigning_a_clerk_of_another_area_is_refused_and_changes_nothing(signed_in, clerk):
    signed_in("hunde@example.org", "staff", ("hundesteuer",))
    reference = _waste(signed_in, 1)[0]
    refused = clerk.put(
        f"{QUEUE}/{reference}/assignee", json={"assignee_id": _user_id("hunde@example.org")}
    )
    assert refused.status_code == 422
    error = refused.get_json()["errors"][0]
    assert error["field"] == "assignee_id" and error["message"]
    assert clerk.get(f"{QUEUE}/{reference}").get_json()["assigned_to"] is None


def test_bulk_assignment_reports_each_case(signed_in, clerk):
    signed_in("kollegin@example.org", "staff", ("abfall",))
    signed_in("hunde@example.org", "staff", ("hundesteuer",))
    first, second = _waste(signed_in, 2)
    dog = submitted(signed_in("hund@example.org"), "dog_tax_registration", key="h")["reference"]
    colleague = _user_id("kollegin@example.org")
    report = clerk.post(
        "/api/staff/bulk-assignments",
        json={"references": [first, second, dog, "nonsense"], "assignee_id": colleague},
    ).get_json()
    assert report["changed"] == 2 and report["refused"] == 2
    by_ref = {r["reference"]: r for r in report["results"]}
    assert by_ref[first]["ok"] and by_ref[second]["ok"]
    assert by_ref[dog]["code"] == "not_found"  # not the clerk's area
    assert by_ref["nonsense"]["code"] == "bulk_invalid_reference"
    mine = signed_in("kollegin@example.org", "staff", ("abfall",))
    assert set(_refs(_page(mine, view="mine"))) == {first, second}
    again = clerk.post(
        "/api/staff/bulk-assignments", json={"references": [first], "assignee_id": colleague}
    ).get_json()
    assert again["results"][0]["code"] == "bulk_already_assigned"
    assert again["results"][0]["message"]
    outsider = clerk.post(
        "/api/staff/bulk-assignments",
        json={"references": [first], "assignee_id": _user_id("hunde@example.org")},
    ).get_json()
    assert outsider["results"][0]["code"] == "assignee_not_entitled"
    released = clerk.post(
        "/api/staff/bulk-assignments", json={"references": [first, second], "assignee_id": None}
    ).get_json()
    assert released["changed"] == 2
    assert set(_refs(_page(clerk, view="unassigned"))) == {first, second}


def test_bulk_assignment_needs_references(clerk):
    response = clerk.post("/api/staff/bulk-assignments", json={"assignee_id": None})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "references"


def test_open_statuses_come_from_the_workflows(app):
    with db.connection_context():
        assert queue.open_statuses() == ["in_review", "info_requested", "submitted"]
        assert queue.waiting_statuses() == ["awaiting_payment", "info_requested"]


def _statuses_read_from(keys_before: int) -> bool:
    """Whether the open statuses were last worked out from more versions than before."""
    queue.open_statuses()
    return len(queue._statuses_of_versions["open"][0]) > keys_before


def test_open_statuses_see_versions_stored_here_at_once_and_others_after_the_window(app):
    with db.connection_context():
        queue.configure({"CATALOGUE_RECHECK_MS": 3_600_000})
        try:
            queue.open_statuses()
            known = len(queue._statuses_of_versions["open"][0])
            record = definitions.published("waste_bins")
            # Stored by another process or node: this one goes on with what it worked
            # out until its recheck time has passed.
            ServiceDefinitionRecord.create(
                service_id=record.service_id,
                version=record.version + 100,
                state="draft",
                area=record.area,
                data=record.data,
                fingerprint=record.fingerprint,
                source="admin",
            )
            assert not _statuses_read_from(known)
            # Stored by this process: seen at once.
            definition = definitions.definition_of(record)
            admin = User.create(email="admin@example.org", role="admin")
            newer = ServiceDefinition(
                data={**definition.data, "version": record.version + 101},
                source=definition.source,
            )
            definitions.store_draft(newer, admin)
            assert _statuses_read_from(known + 1)
            ServiceDefinitionRecord.create(
                service_id=record.service_id,
                version=record.version + 102,
                state="draft",
                area=record.area,
                data=record.data,
                fingerprint=record.fingerprint,
                source="admin",
            )
            assert not _statuses_read_from(known + 2)
            # Without a recheck time (as in the tests) every page asks.
            queue.configure({"CATALOGUE_RECHECK_MS": 0})
            assert _statuses_read_from(known + 2)
        finally:
            queue.configure({"CATALOGUE_RECHECK_MS": 0})


def test_a_deactivated_colleague_is_not_assigned(signed_in, clerk):
    signed_in("weg@example.org", "staff", ("abfall",))
    with db.connection_context():
        User.update(deactivated_at=utcnow()).where(User.email == "weg@example.org").execute()
    reference = _waste(signed_in, 1, "x")[0]
    refused = clerk.put(
        f"{QUEUE}/{reference}/assignee", json={"assignee_id": _user_id("weg@example.org")}
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "assignee_id"


def test_pages_over_more_scans_than_one_statement_holds_are_the_same(signed_in, monkeypatch):
    clerk = signed_in("viele@example.org", "staff", ("abfall", "hundesteuer"))
    refs = _waste(signed_in, 3, "c") + [
        submitted(signed_in(f"h{i}@example.org"), "dog_tax_registration", key=f"h{i}")["reference"]
        for i in range(2)
    ]
    whole = _refs(_page(clerk, limit=10, sort="due"))
    assert sorted(whole) == sorted(refs)
    # One scan per statement: the chunks are merged in order all the same.
    monkeypatch.setattr(queue, "_MAX_PARTS", 1)
    assert _refs(_page(clerk, limit=10, sort="due")) == whole
    assert _refs(_page(clerk, limit=2, sort="due")) == whole[:2]


@pytest.mark.parametrize(
    ("entered", "due"),
    [
        # Late in the evening in Düren (CET) is the same local day.
        (datetime(2026, 3, 20, 22, 30), datetime(2026, 3, 30, 21, 59, 59, 999999)),
        # Across the change to summer time the due day still ends at local midnight.
        (datetime(2026, 3, 24, 9, 0), datetime(2026, 4, 3, 21, 59, 59, 999999)),
    ],
)
def test_due_dates_end_with_the_local_day(entered, due):
    ten = type("Definition", (), {"data": {"processing": {"target_days": 10}}})()
    assert deadlines.due_from(ten, entered) == due
