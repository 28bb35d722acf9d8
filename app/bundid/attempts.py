"""One BundID sign-in, from the button to the portal's session.

1. :func:`start`: a signed AuthnRequest is made; its ID is stored with the purpose
   (``login`` or ``link``), the level asked for and a hash of a random value kept in
   a cookie of the browser that started it. The browser posts the request to BundID.
2. :func:`answer`: BundID posts the SAMLResponse to the assertion consumer service, a
   cross-site POST that carries no cookie. The answer must name an open request
   (usable once), pass every check of ``app.bundid.saml``, and carry an assertion ID
   never seen before (kept until the assertion expires, unique in the database, so it
   holds across processes). The outcome waits on the request behind a single-use
   token.
3. :func:`finish`: the browser follows the redirect with that token; only the browser
   that started the attempt (its cookie) gets the session.

A first sign-in with an unknown BundID account ends in state ``email_required`` until
the citizen confirms an e-mail address (:func:`complete_with_email`), as for the eID.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import peewee

from app.bundid import binding
from app.bundid.binding import Person
from app.bundid.saml import SamlError, ServiceProvider, in_response_to
from app.db import db, utcnow
from app.eid.sessions import safe_return_to
from app.errors import DomainError, FieldError
from app.models import TRUST_LEVELS, BundidAssertion, BundidRequest, User, trust_at_least
from app.models.bundid import BUNDID_PURPOSES

log = logging.getLogger(__name__)

#: How long the citizen has to confirm an e-mail address after a first BundID sign-in.
EMAIL_STEP_TTL = timedelta(minutes=30)
_BINDING_ERRORS = {
    "bundid_already_bound": "already_bound",
    "bundid_identity_mismatch": "identity_mismatch",
    "bundid_data_missing": "data_missing",
}


@dataclass(frozen=True)
class Outcome:
    """What the assertion consumer service does next."""

    kind: str  # answered | error
    request: BundidRequest | None = None
    finish_token: str = ""
    error: str = ""


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_browser_secret() -> str:
    """A random value for the browser-binding cookie."""
    return secrets.token_urlsafe(32)


def start(
    sp: ServiceProvider,
    purpose: str,
    user: User | None,
    browser_secret: str,
    return_to: str | None,
    trust_level: str,
    ttl_seconds: int,
) -> tuple[BundidRequest, str]:
    """Make and keep a signed AuthnRequest; return the row and the POST form value."""
    if purpose not in BUNDID_PURPOSES:
        raise DomainError("invalid_input", field_errors=[FieldError("purpose", "invalid_choice")])
    if trust_level not in TRUST_LEVELS:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("trust_level", "invalid_choice")]
        )
    if purpose == "link" and user is None:
        raise DomainError("unauthorized", kind="unauthorized")
    target = safe_return_to(return_to)
    request_id, form_value = sp.authn_request(trust_level)
    now = utcnow()
    row = BundidRequest.create(
        id=request_id,
        purpose=purpose,
        user=user if purpose == "link" else None,
        level=trust_level,
        browser_hash=_hash(browser_secret),
        return_to=target,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    return row, form_value


def _fail(row: BundidRequest | None, code: str) -> Outcome:
    if row is not None:
        row.state = "failed"
        row.error_code = code
        row.result = None
        row.finish_hash = None
        row.save()
    return Outcome("error", row, error=code)


def _remember(answer_id: str, expires_at) -> bool:
    """Keep an assertion's ID until it expires; False when it was used before."""
    try:
        with db.atomic():
            BundidAssertion.create(id=answer_id[:200], expires_at=expires_at)
    except peewee.IntegrityError:
        return False
    return True


def answer(sp: ServiceProvider, saml_response: str, ip: str = "") -> Outcome:
    """Check BundID's answer and settle what it means; nothing signs in here."""
    request_id = in_response_to(saml_response)
    row = BundidRequest.get_or_none(BundidRequest.id == request_id) if request_id else None
    if row is None or row.state != "sent":
        return _fail(None, "unsolicited")
    if row.expires_at <= utcnow():
        return _fail(row, "expired")
    try:
        checked = sp.read(saml_response, row.id)
    except SamlError as exc:
        log.warning("BundID answer refused: %s", exc)
        return _fail(row, exc.code)
    if not _remember(checked.assertion_id, checked.expires_at):
        return _fail(row, "replayed")
    # Usable once: of two answers racing for one request, one wins.
    claimed = (
        BundidRequest.update(state="answered")
        .where((BundidRequest.id == row.id) & (BundidRequest.state == "sent"))
        .execute()
    )
    if claimed != 1:
        return _fail(None, "unsolicited")
    row = BundidRequest.get_by_id(row.id)
    try:
        person = binding.person_from(checked)
    except DomainError as exc:
        return _fail(row, _BINDING_ERRORS.get(exc.code, "failed"))
    if not trust_at_least(person.trust_level, row.level):
        return _fail(row, "level_too_low")
    token = secrets.token_urlsafe(32)
    row.finish_hash = _hash(token)
    if row.purpose == "link":
        try:
            binding.bind(row.user, person, ip)
        except DomainError as exc:
            return _fail(row, _BINDING_ERRORS.get(exc.code, "failed"))
        row.outcome, row.result_user = "linked", row.user
    else:
        user = binding.login(person, ip)
        if user is not None:
            row.outcome, row.result_user = "signed_in", user
        else:
            row.outcome = "email_required"
            row.result = person.to_json()
    row.save()
    return Outcome("answered", row, finish_token=token)


def finish(token: str | None, browser_secret: str | None) -> BundidRequest:
    """The settled attempt behind ``token``, for the browser that started it (once)."""
    row = BundidRequest.get_or_none(BundidRequest.finish_hash == _hash(token)) if token else None
    if row is None:
        raise DomainError("bundid_attempt_unknown", kind="gone")
    if not browser_secret or not hmac.compare_digest(row.browser_hash, _hash(browser_secret)):
        raise DomainError("bundid_other_browser", kind="forbidden")
    next_state = "email_required" if row.outcome == "email_required" else "done"
    expires = utcnow() + EMAIL_STEP_TTL if next_state == "email_required" else row.expires_at
    claimed = (
        BundidRequest.update(state=next_state, finish_hash=None, expires_at=expires)
        .where((BundidRequest.id == row.id) & (BundidRequest.finish_hash == row.finish_hash))
        .execute()
    )
    if claimed != 1:
        raise DomainError("bundid_attempt_unknown", kind="gone")
    return BundidRequest.get_by_id(row.id)


def latest_for_browser(browser_secret: str | None) -> BundidRequest | None:
    """The newest attempt started in this browser, if any."""
    if not browser_secret:
        return None
    return (
        BundidRequest.select()
        .where(BundidRequest.browser_hash == _hash(browser_secret))
        .order_by(BundidRequest.created_at.desc())
        .first()
    )


def pending(browser_secret: str | None) -> tuple[BundidRequest, Person]:
    """The attempt of this browser waiting for an e-mail address, with its person."""
    row = latest_for_browser(browser_secret)
    if row is None or row.state != "email_required" or row.expires_at <= utcnow() or not row.result:
        raise DomainError("bundid_no_pending", kind="conflict")
    return row, Person.from_json(row.result)


def complete_with_email(row: BundidRequest, email: str, ip: str = "") -> tuple[User, bool]:
    """Bind the waiting person to the account of ``email`` (created if new).

    The caller has checked the e-mail code. Returns the user and whether the account is
    new. A refusal by the binding rules leaves the attempt waiting.
    """
    person = Person.from_json(row.result or {})
    with db.atomic():
        claimed = (
            BundidRequest.update(state="done", result=None)
            .where((BundidRequest.id == row.id) & (BundidRequest.state == "email_required"))
            .execute()
        )
        if claimed != 1:
            raise DomainError("bundid_no_pending", kind="conflict")
        user = User.get_or_none(User.email == email)
        created = user is None
        if user is None:
            user = binding.create_account(email, person, ip)
        else:
            binding.bind(user, person, ip)
    return user, created


def purge_expired() -> int:
    """Forget used assertions that expired; wipe and later delete old attempts."""
    now = utcnow()
    BundidAssertion.delete().where(BundidAssertion.expires_at < now).execute()
    BundidRequest.update(result=None).where(
        (BundidRequest.expires_at < now) & BundidRequest.result.is_null(False)
    ).execute()
    return (
        BundidRequest.delete().where(BundidRequest.expires_at < now - timedelta(days=1)).execute()
    )
