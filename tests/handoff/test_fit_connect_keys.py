"""The certificate chain a FIT-Connect key must come with: only authorities certify,
and only for what the key is used for (real keys and certificates)."""

from __future__ import annotations

import pytest
from jwcrypto import jwk

from app.handoff.fit_connect import keys
from tests.fakes.fit_connect import _rsa, certificate, make_root, x5c

ROOT = "Testwurzel Verwaltungs-PKI"


def public(private) -> jwk.JWK:
    return jwk.JWK.from_pyca(private.public_key())


def test_a_key_certified_by_an_end_entity_is_refused():
    root_key, root = make_root(ROOT)
    holder = _rsa("end-entity")
    # An ordinary certificate of the PKI (no authority), e.g. another office's key.
    end_entity = certificate("Amt", holder.public_key(), ROOT, root_key, ca=False)
    attacker = _rsa("attacker")  # 4096 bit, like a genuine destination key
    forged = certificate("Zustellpunkt", attacker.public_key(), "Amt", holder, ca=False)
    with pytest.raises(keys.KeyRefused, match="no authority"):
        keys.check_chain(public(attacker), x5c(forged, end_entity, root), [root])
    # Also when the chain leaves out the root and ends at the end entity.
    with pytest.raises(keys.KeyRefused, match="no authority"):
        keys.check_chain(public(attacker), x5c(forged, end_entity), [root])


def test_a_key_under_an_intermediate_authority_passes():
    root_key, root = make_root(ROOT)
    intermediate_key = _rsa("intermediate", 2048)
    intermediate = certificate(
        "Zwischen-CA", intermediate_key.public_key(), ROOT, root_key, ca=True, path_length=0
    )
    destination = _rsa("destination-encryption")
    leaf = certificate(
        "Zustellpunkt", destination.public_key(), "Zwischen-CA", intermediate_key, ca=False
    )
    keys.check_chain(public(destination), x5c(leaf, intermediate, root), [root])
    keys.check_chain(public(destination), x5c(leaf, intermediate), [root])


def test_an_issuer_without_key_cert_sign_is_refused():
    root_key, root = make_root(ROOT)
    intermediate_key = _rsa("intermediate", 2048)
    intermediate = certificate(
        "Zwischen-CA",
        intermediate_key.public_key(),
        ROOT,
        root_key,
        ca=True,
        usages=("digital_signature",),
    )
    destination = _rsa("destination-encryption")
    leaf = certificate(
        "Zustellpunkt", destination.public_key(), "Zwischen-CA", intermediate_key, ca=False
    )
    with pytest.raises(keys.KeyRefused, match="keyCertSign"):
        keys.check_chain(public(destination), x5c(leaf, intermediate), [root])


def test_a_path_length_is_respected():
    root_key = _rsa("root-short", 2048)
    root = certificate(ROOT, root_key.public_key(), ROOT, root_key, ca=True, path_length=0)
    intermediate_key = _rsa("intermediate", 2048)
    intermediate = certificate(
        "Zwischen-CA", intermediate_key.public_key(), ROOT, root_key, ca=True
    )
    destination = _rsa("destination-encryption")
    leaf = certificate(
        "Zustellpunkt", destination.public_key(), "Zwischen-CA", intermediate_key, ca=False
    )
    with pytest.raises(keys.KeyRefused, match="path length"):
        keys.check_chain(public(destination), x5c(leaf, intermediate, root), [root])
    # Directly under the root (no intermediate) the path length 0 allows it.
    direct = certificate("Zustellpunkt", destination.public_key(), ROOT, root_key, ca=False)
    keys.check_chain(public(destination), x5c(direct, root), [root])


@pytest.mark.parametrize(
    ("usages", "usage", "passes"),
    [
        (("key_encipherment",), "key_encipherment", True),
        (("digital_signature",), "key_encipherment", False),
        (("digital_signature",), "digital_signature", True),
        (("key_encipherment",), "digital_signature", False),
    ],
)
def test_the_key_must_be_certified_for_its_use(usages, usage, passes):
    root_key, root = make_root(ROOT)
    destination = _rsa("destination-encryption")
    leaf = certificate(
        "Zustellpunkt", destination.public_key(), ROOT, root_key, ca=False, usages=usages
    )
    if passes:
        keys.check_chain(public(destination), x5c(leaf, root), [root], usage=usage)
    else:
        with pytest.raises(keys.KeyRefused, match="key usage"):
            keys.check_chain(public(destination), x5c(leaf, root), [root], usage=usage)
