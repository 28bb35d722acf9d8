"""The sandbox payment provider's pages and its XBezahldienste-compatible JSON API.

Registered only when ``PAYMENT_SANDBOX`` is on (never in production). Every page is
marked "Testmodus"; the tester chooses pay, fail or cancel and is sent back to the
portal's return URL, exactly like a real provider would do.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
)

from api.errors import error_response, locale
from app.db import db
from app.i18n import translate
from app.payments import sandbox
from app.payments.http import Answer
from app.payments.sepa import format_amount

blp = Blueprint("payment_sandbox", __name__, template_folder="templates")


def _token(transaction_id: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"sandbox:{transaction_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _json(answer: Answer):
    response = jsonify(answer.body)
    response.status_code = answer.status
    response.headers["Content-Type"] = answer.headers.get("Content-Type", "application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/payment-sandbox/assets/payment_sandbox.css")
def stylesheet():
    """Styles of the sandbox page."""
    return send_from_directory(
        Path(__file__).parent / "assets", "payment_sandbox.css", max_age=3600
    )


@blp.route("/payment-sandbox/<string:transaction_id>", methods=["GET"])
def page(transaction_id: str):
    """The test payment page (the sandbox's transactionRedirectUrl)."""
    tx = sandbox.find(transaction_id)
    if tx is None:
        return error_response(404, "not_found")
    lang = locale()
    body = tx.request or {}
    cents = round(float(body.get("grosAmount") or 0) * 100)
    response = current_app.make_response(
        render_template(
            "payment_sandbox.html",
            t=lambda key, **params: translate(key, lang, **params),
            lang=lang,
            city=current_app.config.get("CITY_NAME", ""),
            amount=format_amount(cents, lang),
            purpose=body.get("purpose", ""),
            description=body.get("description", ""),
            status=tx.status,
            transaction_id=tx.transaction_id,
            token=_token(tx.transaction_id),
            redirect_url=sandbox.redirect_target(body.get("redirectUrl")) or "/",
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/payment-sandbox/<string:transaction_id>", methods=["POST"])
def decide(transaction_id: str):
    """Pay, fail or cancel, then back to the portal's return URL."""
    tx = sandbox.find(transaction_id)
    if tx is None:
        return error_response(404, "not_found")
    sent = request.form.get("token", "")
    if not hmac.compare_digest(sent.encode(), _token(transaction_id).encode()):
        return error_response(403, "csrf_failed")
    outcome = request.form.get("outcome", "")
    if outcome not in sandbox.OUTCOMES:
        return error_response(422, "invalid_input")
    target = sandbox.redirect_target((tx.request or {}).get("redirectUrl"))
    if target is None:
        # Stored before redirect targets were checked: decide nothing, send nobody away.
        return error_response(422, "payment_redirect_foreign")
    sandbox.decide(transaction_id, outcome)
    return redirect(target, code=303)


@blp.route(
    "/payment-sandbox/xbezahl/paymenttransaction/<string:originator_id>/<string:endpoint_id>",
    methods=["POST"],
)
def api_create(originator_id: str, endpoint_id: str):
    """XBezahldienste: create a payment transaction."""
    with db.atomic():
        return _json(sandbox.create(originator_id, endpoint_id, request.get_json(silent=True)))


@blp.route(
    "/payment-sandbox/xbezahl/paymenttransaction/<string:originator_id>/<string:endpoint_id>/"
    "<string:transaction_id>",
    methods=["GET"],
)
def api_status(originator_id: str, endpoint_id: str, transaction_id: str):
    """XBezahldienste: read a payment transaction."""
    return _json(sandbox.status(originator_id, endpoint_id, transaction_id))
