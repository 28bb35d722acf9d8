"""Zones in the database (seeded from YAML), the address → zone look-up, the key store."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import ParkingStreetRange, ParkingZone, PassSigningKey
from app.parking import keys, zones
from app.parking.key_table import DatabaseKeyStore, KeyEncryptionError
from app.passes.keys import private_key_to_pem
from app.service_definitions import default_directory


def test_seed_copies_every_zoned_range_of_the_street_directory(app):
    with db.connection_context():
        zones.ensure_seeded()
        zones.ensure_seeded()  # once only
        assert ParkingZone.select().count() == 13
        expected = sum(1 for street in default_directory().streets for r in street.ranges if r.zone)
        assert ParkingStreetRange.select().count() == expected
        assert {r.parity for r in ParkingStreetRange.select()} == {"all"}


@pytest.mark.parametrize(
    ("street", "number", "zone"),
    [
        ("Markt", "1", "A"),
        ("markt", 30, "A"),
        ("Koelnstrasse", "90", "C"),
        ("Kölnstr.", "91 b", "D"),
        ("Kölnstraße", "181", None),
        ("Markt", "31", None),
        ("Unbekannte Straße", "1", None),
        ("Markt", "abc", None),
        (None, "1", None),
    ],
)
def test_zone_for(app, street, number, zone):
    with db.connection_context():
        match = zones.zone_for(street, number)
    assert (match.code if match else None) == zone


def test_parity_overlap_rules():
    row = ParkingStreetRange(first_number=10, last_number=20, parity="odd")
    assert zones._overlaps(1, 11, "odd", row)
    assert not zones._overlaps(1, 11, "even", row)
    assert zones._overlaps(15, 30, "all", row)
    assert not zones._overlaps(21, 30, "all", row)
    single_even = ParkingStreetRange(first_number=10, last_number=10, parity="all")
    assert zones._overlaps(10, 10, "even", single_even)
    odd_pair = ParkingStreetRange(first_number=10, last_number=10, parity="odd")
    assert not zones._overlaps(10, 10, "odd", odd_pair)  # 10 is not odd


def test_current_key_follows_a_rotation_by_another_node(app):
    with app.app_context():
        first = keys.current_key()
        assert keys.current_key() is first  # cached
        # Another node rotates: its own store object over the same table.
        other = DatabaseKeyStore(app.config["PASS_KEY_ENCRYPTION_KEY"])
        rotated = other.rotate()
        assert keys.current_key().kid == rotated.kid
        published = [k["kid"] for k in keys.keyset()["keys"]]
        assert len(published) >= 2


def test_private_keys_are_stored_encrypted_and_only_while_current(app):
    with app.app_context(), db.connection_context():
        first = keys.current_key()
        pem = private_key_to_pem(first.private_key)
        row = PassSigningKey.get_by_id(first.kid.hex())
        assert row.private_key and pem not in bytes(row.private_key)
        assert b"PRIVATE KEY" not in bytes(row.private_key)
        # Another key-encryption key cannot use it.
        with pytest.raises(KeyEncryptionError):
            DatabaseKeyStore("a different key-encryption key entirely").current()
        keys.rotate()
        assert PassSigningKey.get_by_id(first.kid.hex()).private_key is None
