"""Services for residents only say so on their first page, from their definition."""

from __future__ import annotations

from datetime import date

from app.db import db
from app.eid import binding
from app.eid.identity import Identity, hash_restricted_id
from app.models import User

ERIKA_IN_KOELN = Identity(
    restricted_id_hash=hash_restricted_id("aa" * 32),
    given_names="ERIKA",
    family_name="MUSTERMANN",
    date_of_birth=date(1964, 8, 12),
    street="HEIDESTRASSE",
    house_number="17",
    postal_code="51147",
    city="KÖLN",
)


def test_definition_declares_residence_and_catalogue_passes_it_on(client):
    definition = client.get("/api/services/registration_certificate").get_json()
    assert definition["residence"] == "city"
    assert "residence" not in client.get("/api/services/dog_tax_registration").get_json()


def test_anonymous_visitors_learn_the_requirement_without_a_verdict(client):
    body = client.get("/api/services/registration_certificate/residence").get_json()
    assert body == {"required": True, "city": "Düren", "resident": None, "address_city": None}
    other = client.get("/api/services/dog_tax_registration/residence").get_json()
    assert other["required"] is False and other["resident"] is None


def test_card_address_outside_the_city_is_not_resident(signed_in):
    api = signed_in("erika@example.org")
    # The profile says Düren; the card (what the certificate checks) says Köln.
    api.put(
        "/api/account/profile",
        json={"street": "Wirtelstraße", "house_number": "12", "city": "Düren"},
    )
    with db.connection_context():
        binding.bind(User.get(User.email == "erika@example.org"), ERIKA_IN_KOELN)
    body = api.get("/api/services/registration_certificate/residence").get_json()
    assert body["required"] is True and body["resident"] is False
    assert body["address_city"] == "Köln"


def test_profile_address_in_the_city_is_resident(signed_in):
    api = signed_in("jonas@example.org")
    api.put(
        "/api/account/profile",
        json={"street": "Wirtelstraße", "house_number": "12", "city": "Düren"},
    )
    body = api.get("/api/services/registration_certificate/residence").get_json()
    assert body["resident"] is True and body["address_city"] == "Düren"
    api.put("/api/account/profile", json={"street": "Erfundene Gasse", "house_number": "1"})
    body = api.get("/api/services/registration_certificate/residence").get_json()
    assert body["resident"] is False


def test_unknown_service_is_a_404(client):
    assert client.get("/api/services/nope/residence").status_code == 404
