"""The inbox as threads: one per application, one per message about nothing else;
latest activity first, paged; one unread marker per thread; own threads only."""

from __future__ import annotations

from app.applications import inbox
from app.db import db
from app.models import Application, InboxMessage, User
from tests.api.engine_helpers import submitted


def _user(email: str) -> User:
    return User.get(User.email == email)


def _threads(api, query: str = "") -> list[dict]:
    response = api.get(f"/api/inbox/threads{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_messages_of_an_application_form_one_thread_others_their_own(signed_in):
    api = signed_in("faelle@example.org")
    first = submitted(api, "waste_bins", key="first")
    second = submitted(api, "waste_bins", key="second")
    # Submitting files a receipt (and may say more) in the application's thread.
    on_submit = {t["application_id"]: t["count"] for t in _threads(api)}
    assert set(on_submit) == {first["id"], second["id"]}
    with db.connection_context():
        user = _user("faelle@example.org")
        inbox.post(user, "account", "Ihr Konto wurde bestätigt")
        inbox.post(user, "status", "Neuer Status", application=Application.get_by_id(first["id"]))
    threads = _threads(api)
    assert [t["application_id"] for t in threads] == [first["id"], None, second["id"]]
    by_case = {t["application_id"]: t for t in threads}
    case = by_case[first["id"]]
    assert case["subject"] == "Neuer Status" and case["unread"]
    assert case["count"] == on_submit[first["id"]] + 1
    assert case["title"]["de"] == "Abfallbehälter bestellen, ändern oder abbestellen"
    assert case["reference"].replace(" ", "") == first["reference"]
    alone = by_case[None]
    assert alone["count"] == 1 and alone["title"] is None and alone["key"] != first["id"]
    assert by_case[second["id"]]["count"] == on_submit[second["id"]]
    # The badge counts threads, not messages: three threads, more unread messages.
    assert api.get("/api/inbox/unread").get_json() == {"unread": 3}


def test_opening_a_thread_shows_it_in_order_and_reading_marks_all_of_it(signed_in):
    api = signed_in("lesen@example.org")
    case = submitted(api, "waste_bins")
    with db.connection_context():
        user = _user("lesen@example.org")
        application = Application.get_by_id(case["id"])
        inbox.post(user, "status", "Zweite", application=application)
        inbox.post(user, "status", "Dritte", application=application)
        inbox.post(user, "account", "Etwas anderes")
    thread = api.get(f"/api/inbox/threads/{case['id']}").get_json()
    subjects = [message["subject"] for message in thread["messages"]]
    assert subjects[-2:] == ["Zweite", "Dritte"]
    ids = [message["id"] for message in thread["messages"]]
    assert ids == sorted(ids) and thread["unread"] and thread["count"] == len(ids)
    (receipt,) = [m["document"] for m in thread["messages"] if m["kind"] == "receipt"]
    assert receipt["download_name"].startswith("Eingangsbestätigung Abfallbehälter ")
    assert api.get("/api/inbox/unread").get_json() == {"unread": 2}
    read = api.post(f"/api/inbox/threads/{case['id']}/read")
    assert read.status_code == 200 and not read.get_json()["unread"]
    assert all(message["read"] for message in read.get_json()["messages"])
    assert api.get("/api/inbox/unread").get_json() == {"unread": 1}
    rows = {t["key"]: t["unread"] for t in _threads(api)}
    assert rows[case["id"]] is False and list(rows.values()).count(True) == 1
    # A new message in the thread makes it unread again and brings it to the top.
    with db.connection_context():
        inbox.post(_user("lesen@example.org"), "status", "Vierte", application=application)
    top = _threads(api)[0]
    assert top["key"] == case["id"] and top["unread"] and top["subject"] == "Vierte"


def test_threads_page_by_latest_message(signed_in):
    api = signed_in("seiten@example.org")
    with db.connection_context():
        user = _user("seiten@example.org")
        for number in range(5):
            inbox.post(user, "account", f"Nachricht {number}")
    everything = _threads(api)
    assert [t["subject"] for t in everything] == [f"Nachricht {n}" for n in range(4, -1, -1)]
    first = _threads(api, "?limit=2")
    assert first == everything[:2]
    rest = _threads(api, f"?limit=2&before_id={first[-1]['latest_id']}")
    assert rest == everything[2:4]
    assert api.get("/api/inbox/threads?limit=0").status_code == 422
    assert api.get("/api/inbox/threads?before_id=x").status_code == 422


def test_someone_elses_thread_is_not_found(signed_in):
    owner = signed_in("eigen@example.org")
    stranger = signed_in("fremd2@example.org")
    case = submitted(owner, "waste_bins")
    with db.connection_context():
        unread = InboxMessage.select().where(InboxMessage.read_at.is_null()).count()
    assert unread >= 1
    assert stranger.get(f"/api/inbox/threads/{case['id']}").status_code == 404
    assert stranger.post(f"/api/inbox/threads/{case['id']}/read").status_code == 404
    assert stranger.get("/api/inbox/threads/no%20such").status_code == 404
    assert _threads(stranger) == []
    with db.connection_context():
        still = InboxMessage.select().where(InboxMessage.read_at.is_null()).count()
    assert still == unread  # the stranger's attempt marked nothing read


def test_a_notice_issued_with_a_decision_joins_the_application_thread(signed_in):
    api = signed_in("hund@example.org")
    clerk = signed_in("clerk-hund@example.org", role="staff", areas=("hundesteuer",))
    case = submitted(api, "dog_tax_registration")
    for status in ("in_review", "approved"):
        moved = clerk.post(
            f"/api/staff/applications/{case['reference']}/transitions", json={"to": status}
        )
        assert moved.status_code == 200, moved.get_json()
    thread = api.get(f"/api/inbox/threads/{case['id']}").get_json()
    kinds = [message["kind"] for message in thread["messages"]]
    assert "notice" in kinds and "receipt" in kinds
    names = [m["document"]["download_name"] for m in thread["messages"] if m["document"]]
    assert any(name.startswith("Steuerbescheid Hundesteuer ") for name in names), names
    assert all(t["application_id"] == case["id"] for t in _threads(api))


def test_a_direct_debit_announcement_joins_the_application_thread(signed_in):
    from tests.parking.support import apply

    api = signed_in("lastschrift-fall@example.org")
    case = apply(api)
    started = api.post(
        "/api/payments",
        json={"subject_type": "application", "subject_id": case["id"], "provider": "sepa"},
    ).get_json()
    assert started["action"]["type"] == "sepa_mandate", started
    given = api.post(
        started["action"]["url"],
        json={"consent": True, "account_holder": "Erika", "iban": "DE89370400440532013000"},
    )
    assert given.status_code == 200, given.get_json()
    thread = api.get(f"/api/inbox/threads/{case['id']}").get_json()
    assert "Ankündigung einer Lastschrift" in [m["subject"] for m in thread["messages"]]
    assert [t["application_id"] for t in _threads(api)] == [case["id"]]


def test_a_message_named_by_a_notification_leads_to_its_thread(signed_in):
    owner = signed_in("hinweis@example.org")
    stranger = signed_in("hinweis-fremd@example.org")
    case = submitted(owner, "waste_bins")
    (first, *_rest) = owner.get(f"/api/inbox/threads/{case['id']}").get_json()["messages"]
    shown = owner.get(f"/api/inbox/{first['id']}")
    assert shown.status_code == 200 and shown.get_json()["thread"] == case["id"]
    assert stranger.get(f"/api/inbox/{first['id']}").status_code == 404
    assert owner.get("/api/inbox/999999999").status_code == 404
