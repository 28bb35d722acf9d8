"""Passkeys (WebAuthn) with py_webauthn: several per account, discoverable login.

Challenges are stored on the server and deleted by the first attempt that uses them,
so a captured WebAuthn response cannot be replayed.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import webauthn
from webauthn.helpers import (
    bytes_to_base64url,
    options_to_json_dict,
    parse_authentication_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import Passkey, User, WebAuthnChallenge


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys belong to: the portal's domain and the origin browsers report."""

    rp_id: str
    name: str
    origin: str
    challenge_ttl_seconds: int = 300


def _store_challenge(challenge: bytes, purpose: str, user: User | None, ttl: int) -> str:
    challenge_id = secrets.token_urlsafe(24)
    WebAuthnChallenge.create(
        id=challenge_id,
        challenge=challenge,
        purpose=purpose,
        user=user,
        expires_at=utcnow() + timedelta(seconds=ttl),
    )
    return challenge_id


def _take_challenge(challenge_id: str, purpose: str, user: User | None) -> bytes:
    """Fetch and delete a challenge in one step; any mismatch is the same refusal."""
    with db.atomic():
        row = WebAuthnChallenge.get_or_none(WebAuthnChallenge.id == str(challenge_id or ""))
        if row is None:
            raise DomainError("passkey_challenge_invalid")
        deleted = WebAuthnChallenge.delete().where(WebAuthnChallenge.id == row.id).execute()
    owner_id = row.user_id
    if (
        deleted != 1
        or row.purpose != purpose
        or row.expires_at <= utcnow()
        or owner_id != (user.id if user else None)
    ):
        raise DomainError("passkey_challenge_invalid")
    return bytes(row.challenge)


def registration_options(user: User, rp: RelyingParty, display_name: str) -> dict[str, Any]:
    """Start adding a passkey: the options for ``navigator.credentials.create``."""
    existing = [
        PublicKeyCredentialDescriptor(id=bytes(p.credential_id))
        for p in Passkey.select().where(Passkey.user == user)
    ]
    options = webauthn.generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_id=bytes(user.user_handle),
        user_name=user.email,
        user_display_name=display_name or user.email,
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    challenge_id = _store_challenge(options.challenge, "register", user, rp.challenge_ttl_seconds)
    return {"challenge_id": challenge_id, "public_key": options_to_json_dict(options)}


def finish_registration(
    user: User,
    rp: RelyingParty,
    challenge_id: str,
    credential: dict[str, Any],
    name: str,
    ip: str = "",
) -> Passkey:
    """Verify the authenticator's answer and store the new passkey."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError("invalid_input", field_errors=[FieldError("name", "passkey_name")])
    challenge = _take_challenge(challenge_id, "register", user)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise DomainError("passkey_rejected", reason=str(exc)[:200]) from exc
    if Passkey.get_or_none(Passkey.credential_id == verified.credential_id):
        raise DomainError("passkey_exists", kind="conflict")
    transports = credential.get("response", {}).get("transports") or []
    passkey = Passkey.create(
        user=user,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in transports][:8],
        name=name,
        aaguid=str(verified.aaguid or ""),
        backed_up=bool(verified.credential_backed_up),
    )
    audit.record("passkey_added", user, "passkey", passkey.id, ip, name=name)
    return passkey


def login_options(rp: RelyingParty) -> dict[str, Any]:
    """Start a passkey login with no username: the browser offers its passkeys."""
    options = webauthn.generate_authentication_options(
        rp_id=rp.rp_id, user_verification=UserVerificationRequirement.REQUIRED
    )
    challenge_id = _store_challenge(options.challenge, "login", None, rp.challenge_ttl_seconds)
    return {"challenge_id": challenge_id, "public_key": options_to_json_dict(options)}


def finish_login(rp: RelyingParty, challenge_id: str, credential: dict[str, Any]) -> User:
    """Verify a passkey assertion and return its user, or refuse."""
    challenge = _take_challenge(challenge_id, "login", None)
    try:
        parsed = parse_authentication_credential_json(json.dumps(credential))
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise DomainError("passkey_rejected") from exc
    passkey = Passkey.get_or_none(Passkey.credential_id == parsed.raw_id)
    if passkey is None:
        raise DomainError("passkey_unknown", kind="unauthorized")
    handle = parsed.response.user_handle
    if handle is not None and bytes(handle) != bytes(passkey.user.user_handle):
        raise DomainError("passkey_rejected", kind="unauthorized")
    try:
        verified = webauthn.verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise DomainError("passkey_rejected", kind="unauthorized") from exc
    if passkey.user.deactivated_at is not None:
        raise DomainError("account_deactivated", kind="forbidden")
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    passkey.save()
    return passkey.user


def list_passkeys(user: User) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    return list(
        Passkey.select().where(Passkey.user == user).order_by(Passkey.created_at, Passkey.id)
    )


def get_own(user: User, passkey_id: int) -> Passkey:
    """One of the user's own passkeys; someone else's is simply not found."""
    passkey = Passkey.get_or_none((Passkey.id == passkey_id) & (Passkey.user == user))
    if passkey is None:
        raise DomainError("not_found", kind="not_found")
    return passkey


def rename(user: User, passkey_id: int, name: str) -> Passkey:
    """Give a passkey a new name."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError("invalid_input", field_errors=[FieldError("name", "passkey_name")])
    passkey = get_own(user, passkey_id)
    passkey.name = name
    passkey.save()
    return passkey


def remove(user: User, passkey_id: int, ip: str = "") -> None:
    """Delete a passkey; e-mail code sign-in always remains, so this never locks out."""
    passkey = get_own(user, passkey_id)
    passkey.delete_instance()
    audit.record("passkey_removed", user, "passkey", passkey_id, ip, name=passkey.name)


def credential_id_text(passkey: Passkey) -> str:
    """The credential id as the browser knows it (base64url)."""
    return bytes_to_base64url(bytes(passkey.credential_id))


def credential_hint(passkey: Passkey) -> str:
    """The first characters of the credential id, enough to tell two passkeys apart in
    the console without showing the whole id."""
    return credential_id_text(passkey)[:8] + "…"
