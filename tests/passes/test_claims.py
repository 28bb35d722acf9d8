"""Claims: CWT map layout, date encoding and validation."""

from dataclasses import replace
from datetime import UTC, date, datetime

import cbor2
import pytest

from app.passes import PassClaims, PassFormatError
from app.passes.claims import CLAIM_PERMIT, date_to_days, days_to_date, expiry_for

from .conftest import FOUR_PLATES, make_claims


def test_cwt_map_layout(claims):
    cwt = cbor2.loads(claims.to_payload())
    assert cwt == {
        1: "DN",
        4: claims.expires_at,
        6: int(datetime(2026, 4, 28, 9, 30, tzinfo=UTC).timestamp()),
        -65537: {
            1: "DN-2026-004711",
            2: ["DN-AB 1234"],
            3: "A",
            4: 20574,
            5: 20938,
            6: 1,
        },
    }
    assert CLAIM_PERMIT == -65537


def test_payload_round_trip():
    claims = make_claims(plates=FOUR_PLATES, sequence=7, zone="N")
    assert PassClaims.from_payload(claims.to_payload()) == claims


def test_days_since_epoch():
    assert date_to_days(date(1970, 1, 1)) == 0
    assert date_to_days(date(2026, 5, 1)) == 20574
    assert days_to_date(20938) == date(2027, 4, 30)


def test_exp_is_utc_midnight_after_last_day():
    assert expiry_for(date(2027, 4, 30)) == int(datetime(2027, 5, 1, tzinfo=UTC).timestamp())
    assert make_claims().expires_at == expiry_for(date(2027, 4, 30))


@pytest.mark.parametrize(
    "overrides",
    [
        {"plates": ()},
        {"plates": (*FOUR_PLATES, "DN-E 5")},
        {"plates": ("DN-A 1", "DN-A 1")},
        {"plates": ("",)},
        {"plates": ("DN-ABCDEFGHIJ 1",)},
        {"permit_no": ""},
        {"zone": "A\n"},
        {"sequence": -1},
        {"sequence": True},
        {"valid_from": date(2027, 5, 1)},
        {"issuer": "x" * 33},
    ],
)
def test_invalid_claims_are_refused(overrides):
    with pytest.raises(PassFormatError):
        make_claims(**overrides)


def test_datetime_is_not_a_valid_day(claims):
    with pytest.raises(PassFormatError):
        replace(claims, valid_from=datetime(2026, 5, 1, tzinfo=UTC))


def _cwt(claims):
    return cbor2.loads(claims.to_payload())


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda c: c.update({7: b"cti"}), id="extra-claim"),
        pytest.param(lambda c: c.pop(6), id="missing-iat"),
        pytest.param(lambda c: c.update({-260: c.pop(-65537)}), id="hcert-key"),
        pytest.param(lambda c: c[-65537].update({7: 0}), id="extra-permit-key"),
        pytest.param(lambda c: c[-65537].pop(6), id="missing-sequence"),
        pytest.param(lambda c: c[-65537].update({2: "DN-AB 1234"}), id="plates-not-list"),
        pytest.param(lambda c: c[-65537].update({4: "2026-05-01"}), id="date-as-text"),
        pytest.param(lambda c: c[-65537].update({6: 1.0}), id="float-sequence"),
        pytest.param(lambda c: c[-65537].update({6: False}), id="bool-sequence"),
        pytest.param(lambda c: c.update({1: b"DN"}), id="issuer-bytes"),
        pytest.param(lambda c: c.update({4: c[6] - 1}), id="exp-before-iat"),
    ],
)
def test_from_cwt_is_strict(claims, mutate):
    cwt = _cwt(claims)
    mutate(cwt)
    with pytest.raises(PassFormatError):
        PassClaims.from_payload(cbor2.dumps(cwt))


def test_payload_trailing_bytes_rejected(claims):
    with pytest.raises(PassFormatError):
        PassClaims.from_payload(claims.to_payload() + b"\x00")


def test_naive_issued_at_refused():
    with pytest.raises(ValueError):
        make_claims(issued_at=datetime(2026, 4, 28, 9, 30))
