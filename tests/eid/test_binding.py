"""Account binding rules: link, confirm, re-bind, conflict, identity checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.accounts import privacy, profile, users
from app.db import db
from app.eid import binding
from app.eid.identity import Identity, hash_restricted_id
from app.errors import DomainError
from app.models import AuditEvent, EidBinding, User

ERIKA = Identity(
    restricted_id_hash=hash_restricted_id("aa" * 32),
    document_type="ID",
    given_names="ERIKA",
    family_name="MUSTERMANN",
    date_of_birth=date(1964, 8, 12),
    place_of_birth="BERLIN",
    street="HEIDESTRASSE",
    house_number="17",
    postal_code="51147",
    city="KÖLN",
)
ERIKA_NEW_CARD = replace(ERIKA, restricted_id_hash=hash_restricted_id("bb" * 32))
SOMEONE_ELSE = replace(
    ERIKA,
    restricted_id_hash=hash_restricted_id("cc" * 32),
    given_names="JONAS",
    family_name="SCHMITZ",
    date_of_birth=date(1988, 3, 21),
)


@pytest.fixture
def conn(app):
    with db.connection_context():
        yield


def _actions() -> list[str]:
    return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_first_binding_raises_trust_but_leaves_the_profile_until_confirmed(conn):
    user = users.create_user("erika@example.org")
    profile.update_profile(user, {"family_name": "Musterfrau", "city": "Düren"})
    assert binding.bind(user, ERIKA) == binding.BOUND
    user = User.get_by_id(user.id)
    assert user.trust_level == "high"
    stored = profile.as_dict(profile.get_profile(user))
    # Nothing of the card reached the profile yet.
    assert (stored["family_name"], stored["city"], stored["postal_code"]) == (
        "Musterfrau",
        "Düren",
        "",
    )
    assert stored["verified"] == []
    bound = binding.binding_of(user)
    assert bound.review_pending and bound.place_of_birth == "BERLIN"
    # The card's data is kept as read, for services that need what the card says.
    assert bound.card["family_name"] == "MUSTERMANN" and bound.card["street"] == "HEIDESTRASSE"
    assert binding.verified_data(user)["city"] == "KÖLN"
    assert "eid_bound" in _actions() and "trust_level_changed" in _actions()


def test_review_shows_card_in_normal_case_next_to_profile(conn):
    user = users.create_user("erika@example.org")
    profile.update_profile(user, {"family_name": "Musterfrau", "given_names": "Erika"})
    binding.bind(user, ERIKA)
    fields = {f["name"]: f for f in binding.review(user)["fields"]}
    assert fields["family_name"] == {
        "name": "family_name",
        "card": "Mustermann",
        "profile": "Musterfrau",
        "same": False,
        "verified": False,
    }
    assert fields["given_names"]["same"] is True
    assert (fields["street"]["card"], fields["city"]["card"]) == ("Heidestrasse", "Köln")
    assert fields["date_of_birth"]["card"] == "1964-08-12"
    assert binding.review(users.create_user("nobody@example.org")) is None


def test_confirm_takes_over_only_the_chosen_fields(conn):
    user = users.create_user("erika@example.org")
    profile.update_profile(user, {"family_name": "Musterfrau", "phone": "0242112345"})
    binding.bind(user, ERIKA)
    binding.confirm(user, ["given_names", "date_of_birth", "city"])
    stored = profile.as_dict(profile.get_profile(user))
    assert (stored["given_names"], stored["city"]) == ("Erika", "Köln")
    assert stored["family_name"] == "Musterfrau" and stored["street"] == ""
    assert stored["date_of_birth"] == date(1964, 8, 12)
    assert stored["verified"] == ["city", "date_of_birth", "given_names"]
    assert not binding.binding_of(user).review_pending
    with pytest.raises(DomainError) as info:
        profile.update_profile(user, {"city": "Berlin"})
    assert info.value.field_errors[0].code == "verified_locked"
    # Kept fields stay the citizen's own and editable.
    profile.update_profile(user, {"family_name": "Gabler"})
    assert "eid_data_confirmed" in _actions()


def test_confirm_refuses_fields_the_card_did_not_give(conn):
    user = users.create_user("erika@example.org")
    binding.bind(user, replace(ERIKA, city="", street="", house_number="", postal_code=""))
    with pytest.raises(DomainError) as info:
        binding.confirm(user, ["given_names", "city"])
    assert info.value.field_errors[0].field == "take"
    assert profile.get_profile(user).given_names == ""
    assert binding.binding_of(user).review_pending
    with pytest.raises(DomainError) as nothing:
        binding.confirm(users.create_user("nobody@example.org"), [])
    assert nothing.value.code == "eid_nothing_to_confirm"


def test_same_data_again_needs_no_review(conn):
    user = users.create_user("erika@example.org")
    binding.bind(user, ERIKA)
    binding.confirm(user, list(ERIKA.profile_values()))
    assert binding.login(ERIKA).id == user.id
    assert not binding.binding_of(user).review_pending
    moved = replace(ERIKA, street="WIRTELSTRASSE", house_number="12", city="DÜREN")
    binding.login(moved)
    assert binding.binding_of(user).review_pending
    assert profile.get_profile(user).city == "Köln"


def test_same_card_again_confirms_and_known_card_signs_in(conn):
    user = users.create_user("erika@example.org")
    binding.bind(user, ERIKA)
    moved = replace(
        ERIKA, street="WIRTELSTRASSE", house_number="12", postal_code="52349", city="DÜREN"
    )
    assert binding.bind(user, moved) == binding.CONFIRMED
    assert binding.login(ERIKA_NEW_CARD) is None
    signed_in = binding.login(ERIKA)
    assert signed_in.id == user.id
    assert binding.binding_of(user).last_used_at is not None
    assert "eid_login" in _actions() and "eid_confirmed" in _actions()


def test_a_card_belongs_to_one_account_only(conn):
    owner = users.create_user("erika@example.org")
    other = users.create_user("mallory@example.org")
    binding.bind(owner, ERIKA)
    with pytest.raises(DomainError) as info:
        binding.bind(other, ERIKA)
    assert info.value.code == "eid_already_bound" and info.value.kind == "conflict"
    assert User.get_by_id(other.id).trust_level == "basic"
    assert EidBinding.select().count() == 1 and "eid_conflict" in _actions()


def test_new_card_of_the_same_person_replaces_the_old(conn):
    user = users.create_user("erika@example.org")
    binding.bind(user, ERIKA)
    renamed = replace(ERIKA_NEW_CARD, family_name="GABLER")  # names may change
    assert binding.bind(user, renamed) == binding.REBOUND
    assert binding.binding_of(user).restricted_id_hash == ERIKA_NEW_CARD.restricted_id_hash
    assert binding.find_binding(ERIKA.restricted_id_hash) is None
    assert binding.verified_data(user)["family_name"] == "GABLER"
    binding.confirm(user, ["family_name"])
    assert profile.get_profile(user).family_name == "Gabler"
    assert "eid_rebound" in _actions()


def test_new_card_of_another_person_is_refused(conn):
    user = users.create_user("erika@example.org")
    binding.bind(user, ERIKA)
    with pytest.raises(DomainError) as info:
        binding.bind(user, SOMEONE_ELSE)
    assert info.value.code == "eid_identity_mismatch"
    assert binding.binding_of(user).restricted_id_hash == ERIKA.restricted_id_hash
    assert binding.verified_data(user)["given_names"] == "ERIKA"


def test_too_little_data_does_not_identify(conn):
    user = users.create_user("erika@example.org")
    with pytest.raises(DomainError) as info:
        binding.bind(user, replace(ERIKA, date_of_birth=None))
    assert info.value.code == "eid_data_missing"
    assert User.get_by_id(user.id).trust_level == "basic"
    with pytest.raises(DomainError):
        binding.create_account("new@example.org", replace(ERIKA, given_names=""))
    assert users.find_by_email("new@example.org") is None


def test_create_account_and_export_without_pseudonym(conn):
    user = binding.create_account("Erika@Example.org", ERIKA)
    assert user.email == "erika@example.org" and User.get_by_id(user.id).trust_level == "high"
    exported = privacy.export_account(user)
    assert exported["eid"]["bound"] is True and exported["eid"]["document_type"] == "ID"
    # The card's data kept on the binding is stored personal data: it is exported too.
    assert exported["eid"]["card"]["family_name"] == "MUSTERMANN"
    assert exported["eid"]["card"]["date_of_birth"] == "1964-08-12"
    assert exported["eid"]["card_read_at"].endswith("Z")
    assert ERIKA.restricted_id_hash not in str(exported)
    # Deleting the account deletes the binding: the card can open a new one.
    privacy.delete_account(user, "erika@example.org")
    assert binding.find_binding(ERIKA.restricted_id_hash) is None
