"""verify_pass with nothing but the published key set: every verdict reason."""

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import base45
import cbor2
import pytest

from app.passes import encode_pass, generate_signing_key, revocation_entry, verify_pass
from app.passes.cose import sign1
from app.passes.keyset import STATUS_RETIRED, build_keyset, public_key_record
from app.passes.verify import REASONS

from .conftest import FOUR_PLATES, make_claims, published_keyset

IN_RANGE = date(2026, 6, 15)


def test_round_trip_with_published_json_only(signing_key, claims):
    text = encode_pass(claims, signing_key)
    record = public_key_record(signing_key.private_key.public_key(), 0, None, "current")
    keyset_json = json.dumps(build_keyset("DN", [record]))
    assert '"d"' not in keyset_json  # no private scalar in the published document
    verdict = verify_pass(text, keyset_json, today=IN_RANGE, zone="A")
    assert verdict.valid and verdict.reason == "valid"
    assert verdict.plates == ("DN-AB 1234",)
    assert verdict.zone == "A"
    assert verdict.permit_no == "DN-2026-004711"
    assert (verdict.valid_from, verdict.valid_to) == (date(2026, 5, 1), date(2027, 4, 30))
    assert verdict.as_dict()["plates"] == ["DN-AB 1234"]


def test_four_plates_round_trip(signing_key, keyset):
    text = encode_pass(make_claims(plates=FOUR_PLATES), signing_key)
    verdict = verify_pass(text, keyset, today=IN_RANGE)
    assert verdict.valid
    assert verdict.plates == FOUR_PLATES


def test_unknown_key(claims, keyset):
    stranger = generate_signing_key()
    verdict = verify_pass(encode_pass(claims, stranger), keyset, today=IN_RANGE)
    assert (verdict.valid, verdict.reason) == (False, "unknown_key")
    assert verdict.claims is None and verdict.plates == ()


def test_forged_signature_from_other_key_with_copied_kid(signing_key, claims, keyset):
    # Attacker reuses the real kid but signs with their own key.
    attacker = generate_signing_key()
    impostor = type(signing_key)(kid=signing_key.kid, private_key=attacker.private_key)
    verdict = verify_pass(encode_pass(claims, impostor), keyset, today=IN_RANGE)
    assert (verdict.valid, verdict.reason) == (False, "forged")
    assert verdict.claims is None


def test_issuer_must_match_key_set(signing_key, claims):
    other_city = published_keyset(signing_key, issuer="AC")
    verdict = verify_pass(encode_pass(claims, signing_key), other_city, today=IN_RANGE)
    assert verdict.reason == "unknown_key"


@pytest.mark.parametrize(
    ("today", "reason"),
    [
        (date(2026, 4, 30), "not_yet_valid"),
        (date(2026, 5, 1), "valid"),
        (date(2027, 4, 30), "valid"),
        (date(2027, 5, 1), "expired"),
    ],
)
def test_validity_days_are_inclusive(signing_key, claims, keyset, today, reason):
    verdict = verify_pass(encode_pass(claims, signing_key), keyset, today=today)
    assert verdict.reason == reason
    assert verdict.valid is (reason == "valid")
    assert verdict.plates == claims.plates  # authenticated, so shown for the officer


def test_wrong_zone(signing_key, claims, keyset):
    text = encode_pass(claims, signing_key)
    assert verify_pass(text, keyset, zone="B", today=IN_RANGE).reason == "wrong_zone"
    assert verify_pass(text, keyset, zone="A", today=IN_RANGE).valid


def test_revoked(signing_key, claims, keyset):
    text = encode_pass(claims, signing_key)
    revoked = {revocation_entry("DN-2026-004711", 1)}
    verdict = verify_pass(text, keyset, revoked, today=IN_RANGE)
    assert (verdict.valid, verdict.reason) == (False, "revoked")
    # Another sequence of the same permit is not affected.
    reissued = encode_pass(make_claims(sequence=2), signing_key)
    assert verify_pass(reissued, keyset, revoked, today=IN_RANGE).valid


def test_superseded(signing_key, keyset):
    old = encode_pass(make_claims(sequence=1), signing_key)
    new = encode_pass(make_claims(sequence=2, plates=("DN-CD 55",)), signing_key)
    latest = {"DN-2026-004711": 2}
    verdict = verify_pass(old, keyset, today=IN_RANGE, latest_sequences=latest)
    assert (verdict.valid, verdict.reason) == (False, "superseded")
    assert verify_pass(new, keyset, today=IN_RANGE, latest_sequences=latest).valid


class _LookedUpOnDemand(Mapping):
    """Answers single look-ups but cannot list its entries (like a database table)."""

    def __getitem__(self, number: str) -> int:
        if number != "DN-2026-004711":
            raise KeyError(number)
        return 2

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


def test_superseded_asks_a_mapping_that_cannot_list_its_entries(signing_key, keyset):
    old = encode_pass(make_claims(sequence=1), signing_key)
    verdict = verify_pass(old, keyset, today=IN_RANGE, latest_sequences=_LookedUpOnDemand())
    assert (verdict.valid, verdict.reason) == (False, "superseded")


def test_revocation_outranks_expiry_and_zone(signing_key, claims, keyset):
    text = encode_pass(claims, signing_key)
    revoked = {revocation_entry(claims.permit_no, claims.sequence)}
    verdict = verify_pass(text, keyset, revoked, zone="B", today=date(2030, 1, 1))
    assert verdict.reason == "revoked"


def test_retired_key_does_not_cover_passes_beyond_its_not_after(signing_key, claims):
    record = public_key_record(
        signing_key.private_key.public_key(), 0, claims.expires_at - 1, STATUS_RETIRED
    )
    text = encode_pass(claims, signing_key)
    verdict = verify_pass(text, build_keyset("DN", [record]), today=IN_RANGE)
    assert verdict.reason == "unknown_key"


@pytest.mark.parametrize("text", ["", "BPA1:", "HC1:NCFOXN", "BPA1:%%%", "BPA1:0A", 42])
def test_malformed(keyset, text):
    verdict = verify_pass(text, keyset, today=IN_RANGE)
    assert (verdict.valid, verdict.reason) == (False, "malformed")


def test_reasons_are_the_documented_set():
    assert set(REASONS) == {
        "valid",
        "malformed",
        "unknown_key",
        "forged",
        "not_yet_valid",
        "expired",
        "wrong_zone",
        "revoked",
        "superseded",
    }


def test_signed_but_malformed_payload(signing_key, keyset):
    cose = sign1(cbor2.dumps({1: "DN"}), signing_key.private_key, signing_key.kid)
    text = "BPA1:" + base45.b45encode(cose).decode()
    verdict = verify_pass(text, keyset, today=IN_RANGE)
    assert (verdict.reason, verdict.claims) == ("malformed", None)


def test_default_today_is_the_current_german_date(signing_key, keyset):
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    current = make_claims(
        valid_from=today, valid_to=today, issued_at=datetime.now(UTC) - timedelta(hours=1)
    )
    assert verify_pass(encode_pass(current, signing_key), keyset).valid
    ended = make_claims(valid_from=today - timedelta(days=2), valid_to=today - timedelta(days=1))
    assert verify_pass(encode_pass(ended, signing_key), keyset).reason == "expired"
