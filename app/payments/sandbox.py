"""The built-in sandbox: a test-mode XBezahldienste payment provider inside the portal.

It speaks the same interface as a real provider (see ``providers/xbezahl.py``):
``POST /paymenttransaction/{originatorId}/{endPointId}`` creates a transaction and
answers its ``transactionRedirectUrl`` (a page of the portal, marked "Testmodus", with
the buttons pay / fail / cancel), ``GET .../{transactionId}`` reports INITIAL, PAYED,
FAILED or CANCELED. The HTTP form of the interface is ``/payment-sandbox/xbezahl/...``;
the sandbox provider calls the same functions in-process (no HTTP round trip, so it
works under the Flask test client and a single-threaded server alike).

It validates requests the way we understand the standard, so a request the sandbox
accepts is well-formed for real providers too. It is never enabled in production.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from app import links
from app.db import db, utcnow
from app.models import PaymentSandboxTransaction
from app.payments.http import Answer, Transport
from app.payments.paths import portal_path
from app.payments.providers.xbezahl import PURPOSE_PATTERN
from app.payments.settings import base_url

ORIGINATOR = "sandbox"
ENDPOINT = "demo"
OUTCOMES = {"pay": "PAYED", "fail": "FAILED", "cancel": "CANCELED"}
_REQUEST_ID = re.compile(r"^[\w-]{1,36}$")


def api_base() -> str:
    """The base URL of the sandbox's XBezahldienste interface."""
    return base_url() + links.payment_sandbox_api()


def page_url(transaction_id: str) -> str:
    """The sandbox's payment page for a transaction."""
    return base_url() + links.payment_sandbox_page(transaction_id)


def problem(status: int, title: str, detail: str, **extra: Any) -> Answer:
    """An RFC 9457 problem answer."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Answer(status, {"Content-Type": "application/problem+json"}, body)


def _money(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number != number.quantize(Decimal("0.01")):
        return None
    return number


def validate(body: Any) -> list[str]:
    """Problems with a PaymentRequest, as short English sentences (empty: fine)."""
    if not isinstance(body, dict):
        return ["the body must be a PaymentRequest object"]
    problems = []
    if not isinstance(body.get("requestId"), str) or not _REQUEST_ID.match(body["requestId"]):
        problems.append("requestId must be 1-36 letters, digits, '_' or '-'")
    if body.get("currency") != "EUR":
        problems.append("currency must be EUR")
    gros = _money(body.get("grosAmount"))
    if gros is None or not (Decimal("0.01") <= gros <= Decimal("999999")):
        problems.append("grosAmount must be an amount between 0.01 and 999999 with 2 decimals")
    purpose = body.get("purpose")
    if not isinstance(purpose, str) or not PURPOSE_PATTERN.fullmatch(purpose):
        problems.append("purpose must be 1-27 letters, digits, spaces or hyphens")
    description = body.get("description")
    if description is not None and (not isinstance(description, str) or len(description) > 250):
        problems.append("description must be a text of at most 250 characters")
    redirect = body.get("redirectUrl")
    if not isinstance(redirect, str) or urlsplit(redirect).scheme not in ("http", "https"):
        problems.append("redirectUrl must be an absolute http(s) URL")
    elif redirect_target(redirect) is None:
        # The sandbox runs inside the portal: sending testers elsewhere would make its
        # page an open redirect.
        problems.append(f"redirectUrl must be a page of the portal ({base_url()}/...)")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        problems.append("items must list at least one item")
    else:
        total = Decimal(0)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(f"items[{index}] must be an object")
                continue
            single = _money(item.get("singleNetAmount"))
            line = _money(item.get("totalNetAmount"))
            quantity = item.get("quantity", 1)
            if single is None or line is None or not isinstance(quantity, int) or quantity < 1:
                problems.append(f"items[{index}] needs quantity, singleNetAmount, totalNetAmount")
                continue
            if single * quantity != line:
                problems.append(f"items[{index}].totalNetAmount != quantity * singleNetAmount")
            total += line + (_money(item.get("totalTaxAmount", 0)) or Decimal(0))
            booking = item.get("bookingData", {})
            if not isinstance(booking, dict) or not all(
                isinstance(v, str) for v in booking.values()
            ):
                problems.append(f"items[{index}].bookingData must map names to texts")
        if gros is not None and total != gros:
            problems.append("grosAmount must equal the sum of the items")
    return problems


def redirect_target(url: Any) -> str | None:
    """Where the sandbox may send the tester back to: a page of the portal, else None
    (the same check as the portal's own return addresses)."""
    return portal_path(url)


def document(tx: PaymentSandboxTransaction) -> dict[str, Any]:
    """The PaymentTransaction document of a sandbox transaction."""
    information: dict[str, Any] = {
        "transactionId": tx.transaction_id,
        "transactionUrl": f"{api_base()}/paymenttransaction/{tx.originator_id}/"
        f"{tx.endpoint_id}/{tx.transaction_id}",
        "transactionReference": "SANDBOX-" + tx.transaction_id[:8].upper(),
        "status": tx.status,
    }
    if tx.status == "INITIAL":
        information["transactionRedirectUrl"] = page_url(tx.transaction_id)
    if tx.status == "PAYED":
        information["transactionTimestamp"] = tx.updated_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        information["paymentMethod"] = tx.payment_method or "OTHER"
        information["paymentMethodDetail"] = "Testmodus"
    if tx.status == "FAILED":
        information["statusDetail"] = "Testmodus-Zahlung-fehlgeschlagen"
    return {"paymentRequest": tx.request, "paymentInformation": information}


def create(originator_id: str, endpoint_id: str, body: Any) -> Answer:
    """``POST /paymenttransaction/{originatorId}/{endPointId}``."""
    if (originator_id, endpoint_id) != (ORIGINATOR, ENDPOINT):
        return problem(404, "Not Found", "unknown originatorId or endPointId")
    problems = validate(body)
    if problems:
        return problem(400, "Bad Request", "; ".join(problems), errors=problems)
    existing = PaymentSandboxTransaction.get_or_none(
        PaymentSandboxTransaction.transaction_id == body["requestId"]
    )
    if existing is not None:
        # The same request again (e.g. after a timeout): the same transaction.
        return Answer(200, {"Content-Type": "application/json"}, document(existing))
    tx = PaymentSandboxTransaction.create(
        transaction_id=body["requestId"] if _is_uuid(body["requestId"]) else str(uuid.uuid4()),
        originator_id=originator_id,
        endpoint_id=endpoint_id,
        request=body,
    )
    return Answer(201, {"Content-Type": "application/json"}, document(tx))


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def find(transaction_id: str) -> PaymentSandboxTransaction | None:
    """The transaction, if it exists."""
    return PaymentSandboxTransaction.get_or_none(
        PaymentSandboxTransaction.transaction_id == transaction_id
    )


def status(originator_id: str, endpoint_id: str, transaction_id: str) -> Answer:
    """``GET /paymenttransaction/{originatorId}/{endPointId}/{transactionId}``."""
    tx = find(transaction_id)
    if tx is None or (tx.originator_id, tx.endpoint_id) != (originator_id, endpoint_id):
        return problem(404, "Not Found", "unknown transactionId")
    return Answer(200, {"Content-Type": "application/json"}, document(tx))


def decide(transaction_id: str, outcome: str) -> PaymentSandboxTransaction | None:
    """The tester pressed pay, fail or cancel. Only an INITIAL transaction changes."""
    new_status = OUTCOMES.get(outcome)
    if new_status is None:
        return None
    with db.atomic():
        PaymentSandboxTransaction.update(
            status=new_status,
            payment_method="OTHER" if new_status == "PAYED" else "",
            updated_at=utcnow(),
        ).where(
            (PaymentSandboxTransaction.transaction_id == transaction_id)
            & (PaymentSandboxTransaction.status == "INITIAL")
        ).execute()
    return find(transaction_id)


class SandboxTransport(Transport):
    """Routes the XBezahldienste client's requests to the functions above."""

    _PATH = re.compile(r"^/paymenttransaction/([^/]+)/([^/]+)(?:/([^/]+))?$")

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Answer:
        from urllib.parse import unquote

        base = api_base()
        path = url[len(base) :] if url.startswith(base) else urlsplit(url).path
        match = self._PATH.match(path)
        if not match:
            return problem(404, "Not Found", "no such resource")
        originator, endpoint, transaction = (unquote(p) if p else p for p in match.groups())
        if method == "POST" and transaction is None:
            return create(originator, endpoint, json_body)
        if method == "GET" and transaction is not None:
            return status(originator, endpoint, transaction)
        return problem(405, "Method Not Allowed", "not supported")
