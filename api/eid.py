"""eID (Online-Ausweis) over HTTP: start, tcToken, RefreshAddress, status, e-mail step.

The PWA calls ``POST /api/eid/start`` and opens the AusweisApp with the returned link;
the AusweisApp fetches ``GET /api/eid/tctoken/<token>`` and, when done, sends the
browser to ``GET /api/eid/refresh``, which redirects back into the PWA. The simulator's
endpoints (a SOAP eID-Server and a simulated AusweisApp page) exist only when
``EID_ADAPTER=simulator``. The contract is described in docs/eid.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

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

from api.auth import EmailStartSchema, EmailVerifySchema
from api.compression import keep_uncompressed
from api.errors import error_response, locale
from api.limits import email_key, limiter
from api.schemas import MessageSchema, UtcDateTime
from api.security import client_ip, current_session, current_user
from api.sign_in_flow import (
    BrowserFlow,
    RedirectSessionSchema,
    consume_email_code,
    no_store_redirect,
    send_email_code,
    simulator_page,
)
from app.accounts import audit
from app.config import ConfigError
from app.db import utcnow
from app.eid import adapters, binding, sessions, tctoken
from app.eid.adapters import AdapterSettings, EidServerAdapter
from app.eid.adapters.simulator import simulator_for
from app.eid.simulator.identities import identities
from app.eid.simulator.server import OUTCOMES, SimulatorError
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.models import EidSession
from app.models.eid import EID_PURPOSES

blp = flask_smorest.Blueprint(
    "eid", __name__, url_prefix="/api/eid", description="Online-Ausweis (eID)"
)
simulator_blp = Blueprint(
    "eid_simulator", __name__, url_prefix="/api/eid/simulator", template_folder="templates"
)

#: Where the AusweisApp listens on the citizen's device (BSI TR-03124-1).
CLIENT_URL_MOBILE = "eid://127.0.0.1:24727/eID-Client?tcTokenURL="
CLIENT_URL_DESKTOP = "http://127.0.0.1:24727/eID-Client?tcTokenURL="
#: PWA pages the RefreshAddress sends the browser to.
PAGE_DONE = "/konto?eid=ok"
PAGE_EID = "/anmelden/ausweis"
#: Where the citizen compares the card's data with the profile before anything changes.
PAGE_REVIEW = "/konto/ausweis-daten"
FLOW = BrowserFlow(
    cookie="bp_eid",
    sign_in_page=PAGE_EID,
    review_page=PAGE_REVIEW,
    method="eid",
    binding_of=binding.binding_of,
)
# Error outcomes that suggest tampering or a stolen link: worth an audit entry.
_SUSPICIOUS = ("invalid", "other_browser", "already_used")
_ASSETS = Path(__file__).parent / "assets"


# --- helpers ------------------------------------------------------------------------


def _adapter() -> EidServerAdapter | None:
    return current_app.extensions.get("eid_adapter")


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _test_mode() -> bool:
    adapter = _adapter()
    return bool(current_app.config["EID_TEST_MODE"] or (adapter is not None and adapter.simulated))


def _unavailable() -> Response:
    return error_response(503, "eid_unavailable")


def _message(code: str, lang: str) -> str:
    return translate(f"eid.error.{code}", lang)


# --- schemas ------------------------------------------------------------------------


class EidStartSchema(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(EID_PURPOSES))
    return_to = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class EidStartResultSchema(Schema):
    tc_token_url = fields.String()
    client_url_mobile = fields.String()
    client_url_desktop = fields.String()
    simulator_url = fields.String(allow_none=True)
    test_mode = fields.Boolean()
    expires_at = UtcDateTime()


class EidAttemptSchema(Schema):
    purpose = fields.String()
    state = fields.String(
        metadata={"enum": ["started", "in_progress", "email_required", "done", "failed", "expired"]}
    )
    error = fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    return_to = fields.String()
    identity = fields.Dict(allow_none=True)


class EidBindingSchema(Schema):
    document_type = fields.String()
    place_of_birth = fields.String()
    bound_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)


class EidStatusSchema(Schema):
    enabled = fields.Boolean()
    test_mode = fields.Boolean()
    simulator = fields.Boolean()
    trust_level = fields.String(allow_none=True)
    attempt = fields.Nested(EidAttemptSchema, allow_none=True)
    binding = fields.Nested(EidBindingSchema, allow_none=True)


# --- the eID flow -------------------------------------------------------------------


@blp.route("/start", methods=["POST"])
# Generous: a Bürgerbüro terminal or a shared network has many citizens behind one address.
@limiter.limit("20 per minute; 200 per hour")
@blp.arguments(EidStartSchema)
@blp.response(201, EidStartResultSchema)
def start(data: dict[str, Any]):
    """Begin an eID sign-in (``login``) or an account confirmation (``confirm``).

    Answers the links that open the AusweisApp (``eid://`` on phones, the local
    ``http://127.0.0.1:24727`` on desktops and terminals) and, in test mode with the
    simulator, the simulated AusweisApp page. Sets the cookie that binds the attempt
    to this browser. ``confirm`` needs a signed-in citizen.
    """
    adapter = _adapter()
    if adapter is None:
        return _unavailable()
    secret = sessions.new_browser_secret()
    token, session = sessions.start(
        data["purpose"],
        current_user(),
        secret,
        data.get("return_to"),
        current_app.config["EID_SESSION_TTL_SECONDS"],
    )
    sessions.purge_expired()
    tc_token_url = f"{_base_url()}/api/eid/tctoken/{token}"
    encoded = quote(tc_token_url, safe="")
    body = {
        "tc_token_url": tc_token_url,
        "client_url_mobile": CLIENT_URL_MOBILE + encoded,
        "client_url_desktop": CLIENT_URL_DESKTOP + encoded,
        "simulator_url": (
            f"{_base_url()}{simulator_blp.url_prefix}/client?tcTokenURL={encoded}"
            if adapter.simulated
            else None
        ),
        "test_mode": _test_mode(),
        "expires_at": session.expires_at,
    }
    # The attempt's URL is a bearer capability: never compressed (see api.compression).
    response = keep_uncompressed(jsonify(EidStartResultSchema().dump(body)))
    response.status_code = 201
    FLOW.set_browser_cookie(response, secret)
    return response


def tc_token_document(token: str) -> bytes:
    """The TCToken for attempt ``token`` (opens the eID-Server session, once)."""
    adapter = _adapter()
    if adapter is None:
        raise DomainError("eid_unavailable", kind="not_found")
    return sessions.issue_tc_token(
        token,
        adapter,
        _base_url(),
        _test_mode(),
        current_app.config.get("EID_PAOS_URL") or "",
    )


@blp.route("/tctoken/<string:token>", methods=["GET"])
@limiter.limit("30 per minute")
@blp.alt_response(
    200, schema={"type": "string"}, content_type="text/xml", description="TCToken", success=True
)
def get_tc_token(token: str):
    """The TCToken XML the AusweisApp fetches from the tcTokenURL (single use)."""
    try:
        document = tc_token_document(token)
    except sessions.EidServerError:
        return error_response(502, "eid_server_error")
    response = Response(document, status=200, content_type=tctoken.CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/refresh", methods=["GET"])
@limiter.limit("30 per minute")
@blp.response(303)
def refresh():
    """The RefreshAddress: asks the eID-Server for the result and redirects into the PWA.

    Success: signed in (or the card linked) and sent to ``return_to`` or
    ``/konto?eid=ok``, by way of ``/konto/ausweis-daten`` while the card's data awaits
    the citizen's comparison with the profile. First sign-in with an unknown card:
    ``/anmelden/ausweis?schritt=e-mail``.
    Failure: ``/anmelden/ausweis?fehler=<code>``. ``ResultMajor``/``ResultMinor`` in
    the URL only choose the message; only getResult can sign anybody in.
    """
    adapter = _adapter()
    if adapter is None:
        return FLOW.error_redirect("server_error")
    outcome = sessions.finish(
        request.args.get("ref"),
        FLOW.browser_secret(),
        request.args.get("ResultMajor"),
        request.args.get("ResultMinor"),
        adapter,
        current_user(),
        client_ip(),
    )
    session = outcome.session
    if outcome.kind == "error":
        if outcome.error in _SUSPICIOUS:
            audit.record(
                "eid_refused", current_user(), "eid", "", client_ip(), reason=outcome.error
            )
        return FLOW.error_redirect(outcome.error)
    if outcome.kind == "email_required":
        return FLOW.email_step_redirect()
    if outcome.kind == "signed_in" and outcome.user is not None and outcome.user.deactivated_at:
        # An admin deactivated the account: no session (the browser lands on the
        # failure page rather than on a bare refusal).
        return FLOW.error_redirect("account_deactivated")
    target = (session.return_to if session else "") or PAGE_DONE
    signing_in = outcome.user if outcome.kind == "signed_in" else None
    return FLOW.done_redirect(outcome.user or current_user(), target, signing_in)


def _attempt(session: EidSession | None, lang: str) -> dict[str, Any] | None:
    if session is None:
        return None
    state = {"token_issued": "in_progress"}.get(session.state, session.state)
    if state in ("started", "in_progress", "email_required") and session.expires_at <= utcnow():
        state = "expired"
    identity = None
    if state == "email_required" and session.result:
        identity = {
            "given_names": session.result.get("given_names", ""),
            "family_name": session.result.get("family_name", ""),
        }
    error = session.error_code or None
    return {
        "purpose": session.purpose,
        "state": state,
        "error": error,
        "message": _message(error, lang) if error else None,
        "return_to": session.return_to,
        "identity": identity,
    }


@blp.route("/status", methods=["GET"])
@blp.response(200, EidStatusSchema)
def status():
    """Whether eID is available, this browser's latest attempt, and the bound card."""
    adapter = _adapter()
    user = current_user()
    bound = binding.binding_of(user) if user is not None else None
    return {
        "enabled": adapter is not None,
        "test_mode": _test_mode(),
        "simulator": bool(adapter is not None and adapter.simulated),
        "trust_level": user.trust_level if user is not None else None,
        "attempt": _attempt(sessions.latest_for_browser(FLOW.browser_secret()), locale()),
        "binding": bound,
    }


@blp.route("/email/start", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour")
@limiter.limit("3 per 10 minutes; 10 per day", key_func=email_key)
@blp.arguments(EmailStartSchema)
@blp.response(202, MessageSchema)
def email_start(data: dict[str, Any]):
    """After a first eID sign-in: send a code to the address the account should have.

    Only works while this browser's attempt waits for an e-mail address. The answer is
    the same whether or not the address has an account.
    """
    sessions.pending_identity(FLOW.browser_secret())
    return send_email_code(data)


@blp.route("/email/verify", methods=["POST"])
@limiter.limit("10 per minute; 60 per hour")
@blp.arguments(EmailVerifySchema)
@blp.response(200, RedirectSessionSchema)
def email_verify(data: dict[str, Any]):
    """Check the code, bind the card to that address's account (opened if new), sign in.

    An existing account with a card of another person (other date of birth) or an
    address that belongs to nobody yet are both handled; ``redirect_to`` says where the
    PWA goes next.
    """
    session, _identity = sessions.pending_identity(FLOW.browser_secret())
    email = consume_email_code(data)
    user, created = sessions.complete_with_email(session, email, client_ip())
    return FLOW.email_signed_in(user, created, session.return_to or PAGE_DONE)


# --- the simulator (EID_ADAPTER=simulator only) -------------------------------------


def _simulator():
    return simulator_for(AdapterSettings.from_config(current_app.config))


@simulator_blp.route("/soap", methods=["POST"])
def simulator_soap():
    """The simulated eID-Server's TR-03130 SOAP endpoint (useID, getResult)."""
    status_code, answer = _simulator().handle(request.get_data())
    return Response(answer, status=status_code, content_type="text/xml; charset=utf-8")


@simulator_blp.route("/paos", methods=["GET", "POST"])
def simulator_paos():
    """The TCToken's ServerAddress: a real AusweisApp cannot talk to the simulator."""
    return error_response(501, "eid_simulator_no_paos")


def _own_tc_token(url: str) -> str | None:
    """The attempt token of a tcTokenURL pointing at this portal, else None."""
    prefix = f"{_base_url()}/api/eid/tctoken/"
    if not url.startswith(prefix) or urlsplit(url).query:
        return None
    token = url[len(prefix) :]
    return token if token and "/" not in token and len(token) <= 100 else None


def _page(status_code: int = 200, **context: Any) -> Response:
    session = current_session()
    return simulator_page(
        "eid_simulator.html",
        "eid.sim",
        status_code,
        provider=current_app.config["EID_PROVIDER_NAME"],
        csrf_token=session.csrf_token if session is not None else "",
        pin_message=translate("fields.eid_pin_format", locale()),
        **context,
    )


@simulator_blp.route("/client", methods=["GET"])
def simulator_client():
    """The simulated AusweisApp: fetches the TCToken, then asks for identity and PIN."""
    lang = locale()
    token = _own_tc_token(request.args.get("tcTokenURL", ""))
    if token is None:
        return _page(400, error=translate("errors.eid_simulator_token", lang))
    try:
        document = tc_token_document(token)
        # The checks the AusweisApp makes before it talks to the eID-Server.
        token_data = tctoken.validate(tctoken.parse(document), test_mode=True)
        session = _simulator().remember_client(
            token_data.session_identifier,
            token_data.psk,
            token_data.refresh_address,
            token_data.communication_error_address,
        )
    except DomainError as exc:
        return _page(410, error=translate(f"errors.{exc.code}", lang))
    except (sessions.EidServerError, tctoken.TcTokenError, SimulatorError):
        return _page(502, error=translate("errors.eid_server_error", lang))
    operations = [
        {"label": translate(f"eid.operation.{name}", lang), "required": choice == "REQUIRED"}
        for name, choice in session["operations"].items()
    ]
    return _page(
        session_id=token_data.session_identifier,
        psk=token_data.psk,
        operations=operations,
        identities=[
            {
                "key": identity.key,
                "label": identity.label.get(lang) or identity.label["de"]
                if identity.label
                else translate(f"eid.sim.identity_{identity.key}", lang),
            }
            for identity in identities()
        ],
        outcomes=[(key, translate(f"eid.sim.outcome_{key}", lang)) for key in OUTCOMES],
    )


@simulator_blp.route("/client", methods=["POST"])
def simulator_client_submit():
    """Finish the simulated card step; answers where the browser goes (the RefreshAddress)."""
    form = request.form if request.form else (request.get_json(silent=True) or {})
    action = str(form.get("action", "identify"))
    outcome = "cancelled" if action == "cancel" else str(form.get("outcome", "ok"))
    pin = str(form.get("pin", ""))
    if action != "cancel" and not (len(pin) == 6 and pin.isdigit()):
        raise DomainError("invalid_input", field_errors=[FieldError("pin", "eid_pin_format")])
    try:
        target = _simulator().authenticate(
            str(form.get("session", "")),
            str(form.get("psk", "")),
            str(form.get("identity", "")),
            outcome,
        )
    except SimulatorError as exc:
        raise DomainError("eid_simulator_session", kind="gone") from exc
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"redirect_to": target})
    return no_store_redirect(target)


@simulator_blp.route("/assets/<string:name>", methods=["GET"])
def simulator_asset(name: str):
    """Script and styles of the simulated AusweisApp page."""
    if name not in ("eid_simulator.js", "eid_simulator.css"):
        raise DomainError("not_found", kind="not_found")
    return send_from_directory(_ASSETS, name, max_age=300)


# --- registration -------------------------------------------------------------------


def register(app: Flask, api: Api) -> None:
    """Add the eID endpoints, and the simulator's when it is the configured adapter."""
    name = app.config.get("EID_ADAPTER") or ""
    adapter = None
    if name:
        try:
            adapter = adapters.create(name, AdapterSettings.from_config(app.config))
        except adapters.AdapterConfigError as exc:
            raise ConfigError(str(exc)) from exc
    app.extensions["eid_adapter"] = adapter
    api.register_blueprint(blp)
    if adapter is not None and adapter.simulated:
        app.register_blueprint(simulator_blp)
