"""Text form: BPA1: prefix and Base45 of the COSE bytes, no compression."""

import base45
import pytest

from app.passes import PREFIX, PassFormatError, decode_pass, encode_pass
from app.passes.codec import text_to_cose
from app.passes.cose import decode_sign1


def test_text_is_prefix_plus_base45_of_cose(signing_key, claims):
    text = encode_pass(claims, signing_key)
    assert text.startswith("BPA1:")
    cose = base45.b45decode(text[len(PREFIX) :])
    # No zlib: the bytes are the tagged COSE_Sign1 itself.
    assert cose[:2] == b"\xd2\x84"
    assert decode_sign1(cose).payload == claims.to_payload()
    assert text_to_cose(text) == cose


def test_decode_returns_claims_and_kid(signing_key, claims):
    decoded = decode_pass(encode_pass(claims, signing_key))
    assert decoded.claims == claims
    assert decoded.kid == signing_key.kid


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[len(PREFIX) :], id="no-prefix"),
        pytest.param(lambda t: "HC1:" + t[len(PREFIX) :], id="other-prefix"),
        pytest.param(lambda t: "bpa1:" + t[len(PREFIX) :], id="lowercase-prefix"),
        pytest.param(lambda t: t.lower().replace("bpa1:", PREFIX), id="lowercase-body"),
        pytest.param(lambda t: t + "\n", id="trailing-newline"),
        pytest.param(lambda t: t[:-1], id="truncated-one-char"),
        pytest.param(lambda t: t[:-3], id="truncated-one-triple"),
        pytest.param(lambda t: t + "A", id="dangling-char"),
        pytest.param(lambda t: PREFIX, id="empty-body"),
        pytest.param(lambda t: PREFIX + ":::", id="base45-overflow"),
    ],
)
def test_malformed_text_rejected(signing_key, claims, mangle):
    with pytest.raises(PassFormatError):
        decode_pass(mangle(encode_pass(claims, signing_key)))
