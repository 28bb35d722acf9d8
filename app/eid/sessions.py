"""One use of the Online-Ausweis, from the button to the RefreshAddress.

1. :func:`start`: the browser asks to begin; we note the purpose (``login`` or
   ``confirm``) and bind the attempt to this browser (a random value in a cookie, only
   its hash stored). The answer's tcTokenURL carries a single-use random token.
2. :func:`issue_tc_token`: the AusweisApp fetches the tcTokenURL; we open a session at
   the eID-Server (useID) and answer the TCToken. Fetching it a second time fails.
3. :func:`finish`: the AusweisApp sends the browser to the RefreshAddress, which
   carries a second single-use token. We call getResult and act on what the eID-Server
   says, never on ``ResultMajor`` in the URL (it only picks the error message).

Every attempt expires (``EID_SESSION_TTL_SECONDS``). A first eID sign-in with an
unknown card ends in state ``email_required`` until the citizen confirms an e-mail
address (:func:`complete_with_email`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlsplit

from app.db import db, utcnow
from app.eid import binding, results, tctoken
from app.eid.adapters import EidServerAdapter, EidServerUnavailable
from app.eid.identity import Identity, from_personal_data
from app.eid.messages import GetResultRequest, MessageError, SoapFault, UseIdRequest
from app.errors import DomainError, FieldError
from app.models import EidSession, User
from app.models.eid import EID_PURPOSES

log = logging.getLogger(__name__)

#: What the eID-Server is asked for. Signing in only needs the pseudonym; the rest is
#: offered (the citizen may withhold it) to keep the verified data current. Confirming
#: an account is an identification, so names, date of birth and address are required.
OPERATIONS: dict[str, dict[str, str]] = {
    "login": {
        "RestrictedID": "REQUIRED",
        "DocumentType": "ALLOWED",
        "GivenNames": "ALLOWED",
        "FamilyNames": "ALLOWED",
        "DateOfBirth": "ALLOWED",
        "PlaceOfBirth": "ALLOWED",
        "PlaceOfResidence": "ALLOWED",
    },
    "confirm": {
        "RestrictedID": "REQUIRED",
        "DocumentType": "ALLOWED",
        "GivenNames": "REQUIRED",
        "FamilyNames": "REQUIRED",
        "DateOfBirth": "REQUIRED",
        "PlaceOfBirth": "ALLOWED",
        "PlaceOfResidence": "REQUIRED",
    },
}
#: How long the citizen has to confirm an e-mail address after a first eID sign-in.
EMAIL_STEP_TTL = timedelta(minutes=30)
# Errors of the binding rules and the codes the citizen's message is chosen by.
_BINDING_ERRORS = {
    "eid_already_bound": "already_bound",
    "eid_identity_mismatch": "identity_mismatch",
    "eid_data_missing": "data_missing",
}


class EidServerError(Exception):
    """The eID-Server failed to open a session; the citizen should try again later."""


@dataclass(frozen=True)
class Outcome:
    """What the RefreshAddress handler does next."""

    kind: str  # signed_in | linked | email_required | error
    session: EidSession | None = None
    user: User | None = None
    error: str = ""


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_browser_secret() -> str:
    """A random value for the browser-binding cookie."""
    return secrets.token_urlsafe(32)


def safe_return_to(value: str | None) -> str:
    """A path on this portal to return to after the eID step ('' for the default).

    Only same-origin paths are accepted, never ``//host`` or ``/\\host`` (browsers
    treat both as another site) and never the API.
    """
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        len(value) > 500
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(char) < 33 for char in value)
        or parts.scheme
        or parts.netloc
        or value == "/api"
        or value.startswith("/api/")
    ):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("return_to", "eid_return_to_invalid")]
        )
    return value


def start(
    purpose: str, user: User | None, browser_secret: str, return_to: str | None, ttl_seconds: int
) -> tuple[str, EidSession]:
    """Begin an attempt; return the tcToken URL token (clear) and the session."""
    if purpose not in EID_PURPOSES:
        raise DomainError("invalid_input", field_errors=[FieldError("purpose", "invalid_choice")])
    if purpose == "confirm" and user is None:
        raise DomainError("unauthorized", kind="unauthorized")
    target = safe_return_to(return_to)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session = EidSession.create(
        id=_hash(token),
        purpose=purpose,
        user=user if purpose == "confirm" else None,
        browser_hash=_hash(browser_secret),
        return_to=target,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    return token, session


def _fail(session: EidSession, code: str) -> Outcome:
    session.state = "failed"
    session.error_code = code
    session.psk = ""
    session.result = None
    session.save()
    return Outcome("error", session, error=code)


def issue_tc_token(
    token: str, adapter: EidServerAdapter, base_url: str, test_mode: bool, paos_url: str = ""
) -> bytes:
    """Open the eID-Server session for the attempt ``token`` and build its TCToken."""
    session = EidSession.get_or_none(EidSession.id == _hash(token or ""))
    if session is None:
        raise DomainError("eid_session_unknown", kind="not_found")
    if session.expires_at <= utcnow():
        raise DomainError("eid_session_expired", kind="gone")
    # Single use: only the first fetch moves the attempt on.
    claimed = (
        EidSession.update(state="token_issued")
        .where((EidSession.id == session.id) & (EidSession.state == "started"))
        .execute()
    )
    if claimed != 1:
        raise DomainError("eid_session_used", kind="gone")
    session.state = "token_issued"
    try:
        response = adapter.use_id(UseIdRequest(OPERATIONS[session.purpose]))
    except (EidServerUnavailable, MessageError, SoapFault) as exc:
        log.warning("useID failed: %s", exc)
        _fail(session, "server_error")
        raise EidServerError("useID failed") from exc
    if not response.result.ok or response.psk is None:
        log.warning("useID refused: %s %s", response.result.major, response.result.minor)
        _fail(session, "server_error")
        raise EidServerError("useID refused")
    refresh_token = secrets.token_urlsafe(32)
    refresh_url = f"{base_url}/api/eid/refresh?ref={quote(refresh_token)}"
    token_data = tctoken.TcToken(
        server_address=response.server_address or paos_url,
        # The PSK identity is what the eID-Client names in the TLS-PSK handshake.
        session_identifier=response.psk.id or response.session_id,
        refresh_address=refresh_url,
        communication_error_address=refresh_url,
        psk=response.psk.key,
    )
    found = tctoken.problems(token_data, test_mode)
    if found:
        # A configuration problem (e.g. an http eID-Server outside test mode).
        log.error("Refusing to hand out a broken TCToken: %s", "; ".join(found))
        _fail(session, "server_error")
        raise EidServerError("invalid TCToken")
    session.server_session_id = response.session_id
    session.psk = response.psk.key
    session.refresh_hash = _hash(refresh_token)
    session.save()
    return tctoken.build(token_data)


def finish(
    refresh_token: str | None,
    browser_secret: str | None,
    url_major: str | None,
    url_minor: str | None,
    adapter: EidServerAdapter,
    signed_in: User | None,
    ip: str = "",
) -> Outcome:
    """Handle the RefreshAddress: getResult, then sign in, link, or ask for an e-mail."""
    session = None
    if refresh_token:
        session = EidSession.get_or_none(EidSession.refresh_hash == _hash(refresh_token))
    if session is None:
        return Outcome("error", error="invalid")
    # Another browser holding the link learns nothing and spoils nothing.
    if not browser_secret or not hmac.compare_digest(session.browser_hash, _hash(browser_secret)):
        return Outcome("error", session, error="other_browser")
    claimed = (
        EidSession.update(used=True)
        .where(
            (EidSession.id == session.id)
            & (EidSession.used == False)  # noqa: E712 (peewee expression)
            & (EidSession.state == "token_issued")
        )
        .execute()
    )
    if claimed != 1:
        return Outcome("error", session, error="already_used")
    session = EidSession.get_by_id(session.id)
    if session.expires_at <= utcnow():
        return _fail(session, "expired")
    major = (url_major or "ok").strip().rsplit("#", 1)[-1].lower()
    if major != "ok":
        # The eID-Client reports a failure: nothing to fetch, only the message to choose.
        return _fail(session, results.error_code(url_minor))
    try:
        response = adapter.get_result(GetResultRequest(session.server_session_id, 1))
    except (EidServerUnavailable, MessageError, SoapFault) as exc:
        log.warning("getResult failed: %s", exc)
        return _fail(session, "server_error")
    data = response.personal_data
    if not response.result.ok:
        return _fail(session, results.error_code(response.result.minor))
    if data is None or not data.restricted_id:
        return _fail(session, "failed")
    identity = from_personal_data(data)
    session.psk = ""
    if session.purpose == "confirm":
        return _confirm(session, identity, signed_in, ip)
    user = binding.login(identity, ip)
    if user is not None:
        return _done(session, "signed_in", user)
    if not identity.identifies:
        return _fail(session, "data_missing")
    session.state = "email_required"
    session.result = identity.to_json()
    session.expires_at = utcnow() + EMAIL_STEP_TTL
    session.save()
    return Outcome("email_required", session)


def _done(session: EidSession, kind: str, user: User) -> Outcome:
    session.state = "done"
    session.result = None
    session.save()
    return Outcome(kind, session, user=user)


def _confirm(session: EidSession, identity: Identity, signed_in: User | None, ip: str) -> Outcome:
    # The card is linked to the account that asked, and only while it is still signed in.
    if signed_in is None or signed_in.id != session.user_id:
        return _fail(session, "not_signed_in")
    try:
        binding.bind(signed_in, identity, ip)
    except DomainError as exc:
        return _fail(session, _BINDING_ERRORS.get(exc.code, "failed"))
    return _done(session, "linked", signed_in)


def latest_for_browser(browser_secret: str | None) -> EidSession | None:
    """The newest attempt started in this browser, if any."""
    if not browser_secret:
        return None
    return (
        EidSession.select()
        .where(EidSession.browser_hash == _hash(browser_secret))
        .order_by(EidSession.created_at.desc())
        .first()
    )


def pending_identity(browser_secret: str | None) -> tuple[EidSession, Identity]:
    """The attempt of this browser waiting for an e-mail address, with its identity."""
    session = latest_for_browser(browser_secret)
    if (
        session is None
        or session.state != "email_required"
        or session.expires_at <= utcnow()
        or not session.result
    ):
        raise DomainError("eid_no_pending", kind="conflict")
    return session, Identity.from_json(session.result)


def complete_with_email(session: EidSession, email: str, ip: str = "") -> tuple[User, bool]:
    """Bind the waiting identity to the account of ``email`` (created if new).

    The caller has checked the e-mail code. Returns the user and whether the account is
    new. A refusal by the binding rules leaves the attempt waiting, so the citizen can
    use another address.
    """
    identity = Identity.from_json(session.result or {})
    with db.atomic():
        claimed = (
            EidSession.update(state="done", result=None)
            .where((EidSession.id == session.id) & (EidSession.state == "email_required"))
            .execute()
        )
        if claimed != 1:
            raise DomainError("eid_no_pending", kind="conflict")
        user = User.get_or_none(User.email == email)
        created = user is None
        if user is None:
            user = binding.create_account(email, identity, ip)
        else:
            binding.bind(user, identity, ip)
    return user, created


def purge_expired() -> int:
    """Wipe the card data of expired attempts; delete those expired over a day ago.

    The row itself stays a day so the citizen's page can still explain what happened.
    """
    now = utcnow()
    EidSession.update(result=None, psk="").where(
        (EidSession.expires_at < now) & EidSession.result.is_null(False)
    ).execute()
    return EidSession.delete().where(EidSession.expires_at < now - timedelta(days=1)).execute()
