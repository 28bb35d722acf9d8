"""Meldebescheinigung: eID-verified data is issued at once; changed data goes to a clerk."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounts.profile import set_verified
from app.applications import lifecycle
from app.db import db, utcnow
from app.models import Application, User
from tests.api.engine_helpers import start


@pytest.fixture
def verified_citizen(signed_in):
    api = signed_in("jonas@example.org")
    with db.connection_context():
        user = User.get(User.email == "jonas@example.org")
        user.trust_level = "high"
        user.save()
        set_verified(
            user,
            {
                "given_names": "JONAS PETER",
                "family_name": "SCHMITZ",
                "date_of_birth": date(1988, 3, 21),
                "street": "WIRTELSTRASSE",
                "house_number": "12",
                "postal_code": "52349",
                "city": "DÜREN",
            },
            "eid",
            utcnow(),
        )
    return api


def paid(application_id: str) -> None:
    """What the payment hook does once the fee is paid."""
    with db.connection_context():
        lifecycle.enter_workflow(Application.get_by_id(application_id))


def test_verified_data_is_issued_without_a_clerk(verified_citizen):
    api = verified_citizen
    draft = start(
        api, "registration_certificate", {"kind": "simple", "purpose": "employer", "truthful": True}
    )
    assert draft["answers"]["family_name"] == "Schmitz"
    assert draft["answers"]["address"]["street"] == "Wirtelstraße"
    submitted = api.post(f"/api/applications/{draft['id']}/submit").get_json()
    assert submitted["status"] == "awaiting_payment" and submitted["fee_cents"] == 500
    paid(submitted["id"])
    assert api.get(f"/api/applications/{submitted['id']}").get_json()["status"] == "approved"
    certificate = next(m for m in api.get("/api/inbox").get_json() if m["kind"] == "decision")
    assert certificate["subject"].startswith("Meldebescheinigung")
    pdf = api.get(f"/api/documents/{certificate['document']['id']}")
    assert (
        pdf.data.startswith(b"%PDF-") and "Meldebescheinigung" in pdf.headers["Content-Disposition"]
    )


def test_changed_data_goes_to_a_clerk(verified_citizen):
    api = verified_citizen
    draft = start(
        api, "registration_certificate", {"kind": "simple", "purpose": "bank", "truthful": True}
    )
    answers = dict(draft["answers"], family_name="SCHMITZ-MÜLLER")
    api.put(
        f"/api/applications/{draft['id']}", json={"answers": answers}, headers={"If-Match": '"1"'}
    )
    submitted = api.post(f"/api/applications/{draft['id']}/submit").get_json()
    paid(submitted["id"])
    assert api.get(f"/api/applications/{submitted['id']}").get_json()["status"] == "in_review"
    assert not [m for m in api.get("/api/inbox").get_json() if m["kind"] == "decision"]


def test_extended_certificate_is_checked_by_a_clerk(verified_citizen):
    api = verified_citizen
    draft = start(
        api,
        "registration_certificate",
        {"kind": "extended", "purpose": "authority", "truthful": True},
    )
    submitted = api.post(f"/api/applications/{draft['id']}/submit").get_json()
    assert submitted["fee_cents"] == 1000
    paid(submitted["id"])
    assert api.get(f"/api/applications/{submitted['id']}").get_json()["status"] == "in_review"


def test_basic_accounts_need_the_eid_first(signed_in):
    api = signed_in("basic@example.org")
    draft = start(
        api, "registration_certificate", {"kind": "simple", "purpose": "bank", "truthful": True}
    )
    response = api.post(f"/api/applications/{draft['id']}/submit")
    assert response.status_code == 403 and response.get_json()["code"] == "trust_level_required"


def test_documents_sent_by_post_are_announced_not_faked(signed_in):
    from tests.api.engine_helpers import submitted

    citizen = signed_in("post@example.org")
    clerk = signed_in("registry@example.org", "staff", ("standesamt",))
    application = submitted(citizen, "civil_status_certificate")
    paid(application["id"])
    ref = application["reference"]
    for to in ("in_review", "approved", "completed"):
        assert (
            clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": to}).status_code
            == 200
        )
    messages = citizen.get("/api/inbox").get_json()
    on_its_way = [m for m in messages if "unterwegs" in m["subject"]]
    assert len(on_its_way) == 1 and on_its_way[0]["document"] is None


def test_form_states_the_card_even_when_the_profile_kept_its_own(signed_in):
    from app.eid import binding
    from app.eid.identity import Identity, hash_restricted_id

    api = signed_in("jonas@example.org")
    api.put("/api/account/profile", json={"given_names": "Jonny", "family_name": "Schmitz"})
    with db.connection_context():
        user = User.get(User.email == "jonas@example.org")
        card = Identity(
            restricted_id_hash=hash_restricted_id("dd" * 32),
            given_names="JONAS PETER",
            family_name="SCHMITZ",
            date_of_birth=date(1988, 3, 21),
            street="WIRTELSTRASSE",
            house_number="12",
            postal_code="52349",
            city="DÜREN",
        )
        binding.bind(user, card)
        binding.confirm(user, [])  # "keep mine": the profile stays as typed
    draft = start(
        api, "registration_certificate", {"kind": "simple", "purpose": "employer", "truthful": True}
    )
    assert (draft["answers"]["given_names"], draft["answers"]["family_name"]) == (
        "Jonas Peter",
        "Schmitz",
    )
    assert draft["answers"]["birth_date"] == "1988-03-21"
    assert draft["answers"]["address"]["street"] == "Wirtelstraße"
    # The card's data decides: issued at once although the profile says "Jonny".
    submitted = api.post(f"/api/applications/{draft['id']}/submit").get_json()
    paid(submitted["id"])
    assert api.get(f"/api/applications/{submitted['id']}").get_json()["status"] == "approved"
    assert api.get("/api/account/profile").get_json()["given_names"] == "Jonny"
