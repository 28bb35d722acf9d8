"""Every portal address the domain writes (return URLs, links in messages).

The domain builds links only through these functions, so a route that moves in the
API or the PWA changes here and nowhere else. They return paths; callers that need an
absolute URL put the portal's ``BASE_URL`` in front.
"""

from __future__ import annotations

# Public PWA pages (no parameters, no sign-in needed) that a service definition may link
# to from its start page (``related_pages``); the loader refuses any other path, and a
# test keeps every one of them a route of the PWA (``pwa/src/routes.js``).
RELATED_PAGES = (
    "/wohngeld/schaetzen",
    "/kitas",
    "/hilfe",
    "/datenschutz",
    "/barrierefreiheit",
)


def application_page(application_id: str) -> str:
    """The citizen's page of one application in the PWA."""
    return f"/antraege/{application_id}"


def wallet_page() -> str:
    """The citizen's parking passes (the wallet) in the PWA."""
    return "/parkausweis"


def payments_page() -> str:
    """The citizen's list of payment notices in the PWA."""
    return "/zahlungen"


def inbox_message_page(message_id: int | str) -> str:
    """One message in the citizen's inbox in the PWA."""
    return f"/postfach/{message_id}"


def payment_return(public_id: str, *, cancelled: bool = False) -> str:
    """The return handler a payment provider sends the citizen back to."""
    path = f"/api/payments/{public_id}/return"
    return path + "?cancelled=1" if cancelled else path


def payment_girocode(public_id: str) -> str:
    """The GiroCode (EPC QR code) image for a bank transfer."""
    return f"/api/payments/{public_id}/girocode.svg"


def payment_sepa_mandate(public_id: str) -> str:
    """Where the citizen gives the SEPA mandate for a payment."""
    return f"/api/payments/{public_id}/sepa-mandate"


def payment_receipt(public_id: str) -> str:
    """The PDF receipt of a payment."""
    return f"/api/payments/{public_id}/receipt"


def payment_sandbox_page(transaction_id: str) -> str:
    """The payment sandbox's page for one test transaction."""
    return f"/payment-sandbox/{transaction_id}"


def payment_sandbox_api() -> str:
    """The payment sandbox's XBezahldienste interface."""
    return "/payment-sandbox/xbezahl"


def notice_page(public_id: str) -> str:
    """The citizen's page of one notice."""
    return f"/zahlungen/{public_id}"


def staff_queue_page(view: str = "") -> str:
    """The clerks' queue in the PWA (optionally opened on one view, e.g. ``overdue``)."""
    return f"/sachbearbeitung?view={view}" if view else "/sachbearbeitung"


def staff_case_page(reference: str) -> str:
    """One application in the clerks' workspace."""
    return f"/sachbearbeitung/{reference}"


def appointment_manage_page(token: str) -> str:
    """Where a citizen moves or cancels a booking at the Bürgerbüro (link in the mails)."""
    return f"/termin/{token}"


def appointments_page() -> str:
    """Booking an appointment at the Bürgerbüro in the PWA."""
    return "/termine"


def own_reports_page() -> str:
    """The signed-in citizen's defect reports in the PWA."""
    return "/meldungen/meine"


def report_tracking_page(tracking_token: str) -> str:
    """An anonymous reporter's page of their defect report (the link in their mail)."""
    return f"/meldungen/verfolgen/{tracking_token}"


def campaign_landing(tag: str, service_id: str | None = None) -> str:
    """Where a flyer's QR code leads: the service's page in the PWA (or the start page
    for the portal as a whole) with the campaign tag as ``?q=``."""
    page = f"/leistungen/{service_id}" if service_id else "/"
    return f"{page}?q={tag}"
