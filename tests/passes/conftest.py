"""Shared fixtures: a signing key, its published key set and realistic claims."""

import json
from datetime import UTC, date, datetime

import pytest

from app.passes import PassClaims, generate_signing_key, new_claims, parse_keyset
from app.passes.keyset import STATUS_CURRENT, build_keyset, public_key_record

ISSUER = "DN"
ISSUED_AT = datetime(2026, 4, 28, 9, 30, tzinfo=UTC)
ONE_PLATE = ("DN-AB 1234",)
FOUR_PLATES = ("DN-AB 1234", "DN-XY 987E", "DN-Q 12", "DN-ZZ 9999")


def make_claims(**overrides) -> PassClaims:
    """Realistic claims for a Düren resident parking pass; keyword overrides win."""
    fields = {
        "permit_no": "DN-2026-004711",
        "plates": ONE_PLATE,
        "zone": "A",
        "valid_from": date(2026, 5, 1),
        "valid_to": date(2027, 4, 30),
        "sequence": 1,
        "issuer": ISSUER,
        "issued_at": ISSUED_AT,
    }
    fields.update(overrides)
    return new_claims(**fields)


def published_keyset(*signing_keys, issuer: str = ISSUER):
    """Key set as a scanner gets it: built, serialised to JSON text, parsed back."""
    records = [
        public_key_record(k.private_key.public_key(), 0, None, STATUS_CURRENT) for k in signing_keys
    ]
    return parse_keyset(json.dumps(build_keyset(issuer, records)))


@pytest.fixture(scope="session")
def signing_key():
    return generate_signing_key()


@pytest.fixture(scope="session")
def keyset(signing_key):
    return published_keyset(signing_key)


@pytest.fixture
def claims() -> PassClaims:
    return make_claims()
