"""BundID (federal citizen account) over HTTP: metadata, start, assertion consumer,
finish, status, e-mail step and the data comparison.

The PWA calls ``POST /api/bundid/start`` and posts the signed AuthnRequest it gets to
BundID. BundID posts its answer to ``POST /api/bundid/acs`` (cross-site, without
cookies, exempt from the CSRF check: the answer's signatures and its InResponseTo are
the proof), which redirects to ``GET /api/bundid/finish``; that request carries the
browser's cookies and ends in the PWA. The test-mode identity provider
(``/bundid-simulator``) exists only with ``BUNDID_MODE=simulator``. See docs/bundid.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import flask_smorest
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    request,
    send_from_directory,
)
from flask_smorest import Api
from marshmallow import Schema, fields, validate

from api.account import EidConfirmSchema, EidReviewSchema, ProfileSchema
from api.auth import EmailStartSchema, EmailVerifySchema
from api.compression import keep_uncompressed
from api.errors import error_response, locale
from api.limits import email_key, limiter
from api.schemas import ErrorSchema, MessageSchema, UtcDateTime
from api.security import client_ip, current_user, login_required, require_user
from api.sign_in_flow import (
    BrowserFlow,
    RedirectSessionSchema,
    consume_email_code,
    no_store_redirect,
    send_email_code,
    simulator_page,
)
from app.accounts import audit, profile
from app.bundid import attempts, binding, simulator
from app.bundid import profile as saml_profile
from app.bundid.provider import SIMULATOR_PREFIX, BundidProvider, BundidSetup
from app.bundid.saml import SamlError
from app.db import utcnow
from app.errors import DomainError
from app.i18n import translate
from app.models import TRUST_LEVELS, BundidRequest, trust_at_least
from app.models.bundid import BUNDID_PURPOSES

blp = flask_smorest.Blueprint(
    "bundid", __name__, url_prefix="/api/bundid", description="BundID (Nutzerkonto Bund)"
)
simulator_blp = Blueprint(
    "bundid_simulator", __name__, url_prefix=SIMULATOR_PREFIX, template_folder="templates"
)

#: PWA pages the finish step sends the browser to.
PAGE_DONE = "/konto?bundid=ok"
PAGE_BUNDID = "/anmelden/bundid"
PAGE_REVIEW = "/konto/bundid-daten"
FLOW = BrowserFlow(
    cookie="bp_bundid",
    sign_in_page=PAGE_BUNDID,
    review_page=PAGE_REVIEW,
    method="bundid",
    binding_of=binding.binding_of,
)
#: Refusals that suggest forgery or a stolen answer: worth an audit entry.
_SUSPICIOUS = ("signature", "replayed", "unsolicited", "audience", "destination", "not_encrypted")
_ASSETS = Path(__file__).parent / "assets"


# --- helpers ------------------------------------------------------------------------


def _provider() -> BundidProvider:
    return current_app.extensions["bundid"]


def _setup() -> BundidSetup | None:
    return _provider().get()


def _require_setup() -> BundidSetup:
    found = _setup()
    if found is None:
        raise DomainError("bundid_unavailable", kind="not_found")
    return found


def _message(code: str, lang: str) -> str:
    return translate(f"bundid.error.{code}", lang)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


# --- schemas ------------------------------------------------------------------------


class BundidStartSchema(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(BUNDID_PURPOSES))
    trust_level = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(TRUST_LEVELS),
        metadata={"description": "the lowest trust level the sign-in must give"},
    )
    return_to = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class BundidStartResultSchema(Schema):
    sso_url = fields.String(metadata={"description": "where the browser posts the request"})
    saml_request = fields.String(metadata={"description": "the form field SAMLRequest"})
    test_mode = fields.Boolean()
    expires_at = UtcDateTime()


class BundidAcsSchema(Schema):
    SAMLResponse = fields.String(required=True, validate=validate.Length(max=200_000))
    RelayState = fields.String(load_default=None, validate=validate.Length(max=80))


class BundidRefusalSchema(ErrorSchema):
    reason = fields.String(
        required=True,
        metadata={"description": "why: signature, not_encrypted, replayed, unsolicited, …"},
    )


class BundidAttemptSchema(Schema):
    purpose = fields.String()
    state = fields.String(
        metadata={"enum": ["sent", "answered", "email_required", "done", "failed", "expired"]}
    )
    error = fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    return_to = fields.String()
    email = fields.String(allow_none=True)


class BundidBindingSchema(Schema):
    level = fields.String()
    bound_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)


class BundidStatusSchema(Schema):
    enabled = fields.Boolean()
    test_mode = fields.Boolean()
    trust_level = fields.String(allow_none=True)
    attempt = fields.Nested(BundidAttemptSchema, allow_none=True)
    binding = fields.Nested(BundidBindingSchema, allow_none=True)


# --- the sign-in --------------------------------------------------------------------


@blp.route("/metadata", methods=["GET"])
@blp.alt_response(
    200,
    schema={"type": "string"},
    content_type="application/samlmetadata+xml",
    description="SAML metadata of the portal as service provider",
    success=True,
)
def metadata():
    """The portal's SAML metadata (entity ID, certificate, assertion consumer service)."""
    setup = _require_setup()
    response = Response(
        setup.sp.metadata(), status=200, content_type="application/samlmetadata+xml"
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blp.route("/start", methods=["POST"])
@limiter.limit("20 per minute; 200 per hour")
@blp.arguments(BundidStartSchema)
@blp.response(201, BundidStartResultSchema)
def start(data: dict[str, Any]):
    """Begin a BundID sign-in (``login``) or link BundID to the signed-in account (``link``).

    Answers the signed AuthnRequest and where to post it; sets the cookie that binds
    the attempt to this browser. ``trust_level`` is the level the service needs
    (default ``BUNDID_TRUST_LEVEL``); BundID offers only sign-in methods that reach it.
    """
    setup = _require_setup()
    secret = attempts.new_browser_secret()
    row, form_value = attempts.start(
        setup.sp,
        data["purpose"],
        current_user(),
        secret,
        data.get("return_to"),
        data.get("trust_level") or current_app.config["BUNDID_TRUST_LEVEL"],
        current_app.config["BUNDID_REQUEST_TTL_SECONDS"],
    )
    attempts.purge_expired()
    body = {
        "sso_url": setup.sp.sso_url,
        "saml_request": form_value,
        "test_mode": setup.test_mode,
        "expires_at": row.expires_at,
    }
    response = keep_uncompressed(jsonify(BundidStartResultSchema().dump(body)))
    response.status_code = 201
    FLOW.set_browser_cookie(response, secret)
    return response


@blp.route("/acs", methods=["POST"])
@limiter.limit("30 per minute")
@blp.arguments(BundidAcsSchema, location="form")
@blp.response(303)
@blp.alt_response(
    400,
    schema=BundidRefusalSchema,
    description="the answer is refused (when the caller asks for JSON)",
)
def assertion_consumer(data: dict[str, Any]):
    """The assertion consumer service (HTTP-POST binding): BundID's answer arrives here.

    Checks signatures, decryption, Destination, Audience, InResponseTo, validity and
    replay; nothing signs in here. Success: 303 to ``/api/bundid/finish``. Refusal:
    303 to ``/anmelden/bundid?fehler=<code>``, or a 400 error in the request's language
    when the caller asks for JSON.
    """
    setup = _require_setup()
    outcome = attempts.answer(setup.sp, data["SAMLResponse"], client_ip())
    if outcome.kind == "error":
        if outcome.error in _SUSPICIOUS:
            audit.record("bundid_refused", None, "bundid", "", client_ip(), reason=outcome.error)
        if _wants_json():
            response = error_response(400, "bundid_refused", extra={"reason": outcome.error})
            body = response.get_json()
            body["message"] = _message(outcome.error, locale())
            response.set_data(json.dumps(body, ensure_ascii=False))
            return response
        return FLOW.error_redirect(outcome.error)
    return no_store_redirect(f"/api/bundid/finish?ref={quote(outcome.finish_token)}")


@blp.route("/finish", methods=["GET"])
@limiter.limit("30 per minute")
@blp.response(303)
def finish():
    """Carry the checked answer into the browser that started the attempt.

    Signed in (or linked): to ``return_to`` or ``/konto?bundid=ok``, by way of
    ``/konto/bundid-daten`` while BundID's data awaits the citizen's comparison. First
    sign-in with an unknown BundID account: ``/anmelden/bundid?schritt=e-mail``.
    """
    try:
        row = attempts.finish(request.args.get("ref"), FLOW.browser_secret())
    except DomainError as exc:
        reason = "other_browser" if exc.code == "bundid_other_browser" else "invalid"
        audit.record("bundid_refused", current_user(), "bundid", "", client_ip(), reason=reason)
        return FLOW.error_redirect(reason)
    if row.outcome == "email_required":
        return FLOW.email_step_redirect()
    user = row.result_user
    if user is None:
        return FLOW.error_redirect("failed")
    if row.outcome == "signed_in" and user.deactivated_at:
        return FLOW.error_redirect("account_deactivated")
    if row.outcome == "linked" and (current_user() is None or current_user().id != user.id):
        # Linked while signed in, but this browser is no longer that account's.
        return FLOW.error_redirect("not_signed_in")
    signing_in = user if row.outcome == "signed_in" else None
    return FLOW.done_redirect(user, row.return_to or PAGE_DONE, signing_in)


def _attempt(row: BundidRequest | None, lang: str) -> dict[str, Any] | None:
    if row is None:
        return None
    state = row.state
    if state in ("sent", "answered", "email_required") and row.expires_at <= utcnow():
        state = "expired"
    email = None
    if state == "email_required" and row.result:
        email = row.result.get("email") or None
    error = row.error_code or None
    return {
        "purpose": row.purpose,
        "state": state,
        "error": error,
        "message": _message(error, lang) if error else None,
        "return_to": row.return_to,
        "email": email,
    }


@blp.route("/status", methods=["GET"])
@blp.response(200, BundidStatusSchema)
def status():
    """Whether BundID is available, this browser's latest attempt, and the bound account."""
    provider = _provider()
    user = current_user()
    bound = binding.binding_of(user) if user is not None else None
    return {
        "enabled": provider.enabled,
        "test_mode": provider.test_mode,
        "trust_level": user.trust_level if user is not None else None,
        "attempt": _attempt(attempts.latest_for_browser(FLOW.browser_secret()), locale()),
        "binding": bound,
    }


@blp.route("/email/start", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour")
@limiter.limit("3 per 10 minutes; 10 per day", key_func=email_key)
@blp.arguments(EmailStartSchema)
@blp.response(202, MessageSchema)
def email_start(data: dict[str, Any]):
    """After a first BundID sign-in: send a code to the address the account should have.

    Only while this browser's attempt waits for an address; the answer is the same
    whether or not the address has an account.
    """
    attempts.pending(FLOW.browser_secret())
    return send_email_code(data)


@blp.route("/email/verify", methods=["POST"])
@limiter.limit("10 per minute; 60 per hour")
@blp.arguments(EmailVerifySchema)
@blp.response(200, RedirectSessionSchema)
def email_verify(data: dict[str, Any]):
    """Check the code, bind the BundID account to that address's account (opened if
    new) and sign in; ``redirect_to`` says where the PWA goes next."""
    row, _person = attempts.pending(FLOW.browser_secret())
    email = consume_email_code(data)
    user, created = attempts.complete_with_email(row, email, client_ip())
    return FLOW.email_signed_in(user, created, row.return_to or PAGE_DONE)


@blp.route("/data", methods=["GET"])
@login_required
@blp.response(200, EidReviewSchema)
def get_data():
    """What BundID vouched for (normal case) next to the profile, field by field."""
    found = binding.review(require_user())
    if found is None:
        raise DomainError("bundid_nothing_to_confirm", kind="not_found")
    return found


@blp.route("/data", methods=["POST"])
@login_required
@blp.arguments(EidConfirmSchema)
@blp.response(200, ProfileSchema)
def confirm_data(data: dict[str, Any]):
    """Take BundID's values of the chosen fields into the profile (``take: []`` keeps
    the profile as it is); nothing in the profile changes before this call."""
    user = require_user()
    return profile.as_dict(binding.confirm(user, data["take"], client_ip()))


# --- the test-mode identity provider (BUNDID_MODE=simulator only) -------------------


def _page(template: str, status_code: int = 200, **context: Any) -> Response:
    return simulator_page(template, "bundid.sim", status_code, **context)


def _simulated_idp() -> simulator.SimulatedIdp:
    setup = _require_setup()
    if setup.simulator is None:
        raise DomainError("not_found", kind="not_found")
    return setup.simulator


def _offered(asked: str) -> list[tuple[str, str]]:
    """The simulator's sign-in methods that reach the level asked for."""
    floor = saml_profile.TRUST_LEVEL.get(asked, "basic")
    return [
        (key, level)
        for key, level in simulator.LEVELS.items()
        if trust_at_least(saml_profile.TRUST_LEVEL[level], floor)
    ]


@simulator_blp.route("/sso", methods=["POST"])
def simulator_sso():
    """The simulated BundID sign-in page: checks the signed request, offers the methods."""
    idp = _simulated_idp()
    saml_request = request.form.get("SAMLRequest", "")
    try:
        asked = idp.read_request(saml_request)
    except SamlError:
        return _page(
            "bundid_simulator.html", 400, error=translate("bundid.sim.bad_request", locale())
        )
    return _page(
        "bundid_simulator.html",
        saml_request=saml_request,
        methods=[
            (key, translate(f"bundid.sim.method_{key}", locale()))
            for key, _ in _offered(asked["level"])
        ],
        identities=simulator.IDENTITIES,
    )


@simulator_blp.route("/answer", methods=["POST"])
def simulator_answer():
    """Answer the request as BundID would: a form that posts the response to the portal."""
    idp = _simulated_idp()
    saml_request = request.form.get("SAMLRequest", "")
    try:
        asked = idp.read_request(saml_request)
    except SamlError:
        return _page(
            "bundid_simulator.html", 400, error=translate("bundid.sim.bad_request", locale())
        )
    if request.form.get("action") == "cancel":
        saml_response = idp.refuse(asked)
    else:
        methods = dict(_offered(asked["level"]))
        method = request.form.get("method", "")
        if method not in methods:
            return _page(
                "bundid_simulator.html", 400, error=translate("bundid.sim.bad_method", locale())
            )
        try:
            person = simulator.identity(request.form.get("identity", ""))
        except SamlError:
            return _page(
                "bundid_simulator.html", 400, error=translate("bundid.sim.bad_method", locale())
            )
        saml_response = idp.answer(asked, person, methods[method])
    return _page("bundid_simulator_post.html", acs=asked["acs"], saml_response=saml_response)


@simulator_blp.route("/assets/<string:name>", methods=["GET"])
def simulator_asset(name: str):
    """Styles of the simulated BundID pages."""
    if name != "bundid_simulator.css":
        raise DomainError("not_found", kind="not_found")
    return send_from_directory(_ASSETS, name, max_age=300)


# --- registration -------------------------------------------------------------------


def register(app: Flask, api: Api) -> None:
    """Add the BundID endpoints, and the simulator's in test mode."""
    provider = BundidProvider(app.config)
    app.extensions["bundid"] = provider
    api.register_blueprint(blp)
    if provider.test_mode:
        app.register_blueprint(simulator_blp)
