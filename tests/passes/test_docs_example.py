"""The worked example in docs/pass-format.md is a real, verifiable pass."""

import re
from datetime import date
from pathlib import Path

import pytest

from app.passes import decode_pass, parse_keyset, revocation_entry, verify_pass
from app.passes.qr import qr_version

DOC = Path(__file__).resolve().parents[2] / "docs" / "pass-format.md"


@pytest.fixture(scope="module")
def example():
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 10. Worked example") :]
    keyset_json = re.search(r"```json\n(.*?)\n```", section, re.S).group(1)
    pass_text = re.search(r"```text\n(BPA1:[^\n]*)\n```", section).group(1)
    return section, parse_keyset(keyset_json), pass_text


def test_example_verifies_as_documented(example):
    section, keyset, text = example
    assert len(text) == 230 and qr_version(text) == 11
    verdict = verify_pass(text, keyset, zone="A", today=date(2026, 6, 15))
    assert verdict.valid
    assert verdict.plates == ("DN-AB 1234",)
    assert verify_pass(text, keyset, today=date(2027, 5, 1)).reason == "expired"
    entry = revocation_entry("DN-2026-004711", 1)
    assert entry.hex() == "8c9954eeea51d69557307e7237efebae"
    assert entry.hex() in section
    assert verify_pass(text, keyset, {entry}, today=date(2026, 6, 15)).reason == "revoked"


def test_example_byte_dump_matches(example):
    section, _, text = example
    decoded = decode_pass(text)
    message = decoded.message
    assert message.protected.hex() in section
    assert message.signature[:32].hex() in section
    assert message.signature[32:].hex() in section
    assert message.kid.hex() in section
    assert f"{decoded.claims.expires_at} = 2027-05-01T00:00:00Z" in section
    assert f"{decoded.claims.issued_at} = 2026-04-28T09:30:00Z" in section
