"""The pass as a QR code (PNG, SVG) and as a print@home PDF, and delivering it.

The PDF (WeasyPrint) carries the QR code as vector graphics (segno SVG) 50 mm wide
(the symbol without its quiet zone), the plates, zone, validity, permit number and the
issuing authority, in black on white so any black-and-white printer prints it well.

The first pass of an application is the definition's document ``permit``: this module
registers the document generator ``permit`` that delivers it. Later passes (renewal,
new plates) are delivered by the parking jobs directly.
"""

from __future__ import annotations

import base64
import logging
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import links, pdf
from app.applications import decisions, definitions, inbox, lifecycle
from app.applications.documents import store_document
from app.applications.result_links import ResultLink
from app.i18n import Text, translate
from app.models import Application, Document, ParkingPass, ParkingPermit
from app.parking import settings, zones
from app.passes.qr import make_qr, png_bytes, scale_for_print, svg_text
from app.service_definitions import workflow

log = logging.getLogger(__name__)

QR_WIDTH_MM = 50.0
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_TEMPLATES = Path(__file__).parent / "templates"
# Kept apart from the page so it is parsed once, not with every pass (app.parking.pdf_pages).
STYLESHEET = _TEMPLATES / "print_at_home.css"

_templates = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
)


def qr_svg(text: str, width_mm: float = QR_WIDTH_MM) -> str:
    """The pass text as an SVG whose symbol is ``width_mm`` wide (quiet zone around it)."""
    return svg_text(make_qr(text), width_mm=width_mm)


def qr_png(text: str, dpi: int = 300, width_mm: float = QR_WIDTH_MM, scale: int | None = None):
    """The pass text as a PNG: ``scale`` pixels per module, or sized for ``width_mm`` at ``dpi``."""
    qr = make_qr(text)
    if scale is None:
        scale = scale_for_print(qr, width_mm, dpi)
    return png_bytes(qr, scale)


def format_day(day: date, locale: str) -> str:
    """A date as readers of ``locale`` expect it on a document."""
    if locale == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


def render_html(issued: ParkingPass, locale: str) -> str:
    """The print@home page as HTML (what the PDF is made from, with :data:`STYLESHEET`)."""
    permit: ParkingPermit = issued.permit

    def t(key: str, **params: object) -> str:
        return translate(key, locale, **params)

    svg = qr_svg(issued.pass_text)
    return _templates.get_template("print_at_home.html").render(
        t=t,
        locale=locale,
        authority=settings.authority(),
        # Printed at home on any printer: in black and white, like the whole page.
        emblem=pdf.emblem(locale, monochrome=True),
        issuer=settings.issuer(),
        number=permit.number,
        zone=issued.zone,
        zone_name=zones.zone_names().get(issued.zone, ""),
        plates=list(issued.plates),
        valid_from=format_day(issued.valid_from, locale),
        valid_to=format_day(issued.valid_to, locale),
        sequence=issued.sequence,
        issued_on=format_day(issued.issued_at.date(), locale),
        qr_src="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
    )


def render_pdf(issued: ParkingPass, locale: str) -> bytes:
    """The print@home PDF bytes."""
    # Imported here: WeasyPrint (Pango, fontconfig) loads only in processes that print.
    from app.parking import pdf_pages

    return pdf_pages.write_pdf(render_html(issued, locale), STYLESHEET)


def pdf_filename(permit: ParkingPermit, sequence: int) -> str:
    """File name of the PDF, e.g. ``Bewohnerparkausweis-DN-2026-000001-1.pdf``."""
    return f"Bewohnerparkausweis-{permit.number}-{sequence}.pdf"


_MESSAGES = {
    "issued": "parking.inbox.issued",
    "renewed": "parking.inbox.renewed",
    "plate_change": "parking.inbox.changed",
}


def deliver(pass_id: int) -> Document | None:
    """Store the PDF of a pass, put it in the citizen's inbox and finish the application.

    Safe to run twice: a pass that already has its document is left alone. The
    application that led to the pass moves from ``approved`` to ``completed``.
    """
    issued = ParkingPass.get_or_none(ParkingPass.id == pass_id)
    if issued is None:
        return None
    permit = issued.permit
    citizen = permit.user
    document = issued.document
    if document is None:
        pdf = render_pdf(issued, citizen.locale)
        application = issued.application if issued.application_id else None
        document = store_document(
            citizen,
            "permit",
            pdf_filename(permit, issued.sequence),
            pdf,
            application=application,
        )
        ParkingPass.update(document=document.id).where(ParkingPass.id == issued.id).execute()
        key = _MESSAGES.get(issued.reason, "parking.inbox.issued")
        inbox.post(
            citizen,
            "parking_permit",
            Text(f"{key}_subject", number=permit.number),
            Text(
                f"{key}_body",
                number=permit.number,
                zone=issued.zone,
                plates=", ".join(issued.plates),
                valid_to=issued.valid_to,
            ),
            application=application,
            document=document,
        )
    if issued.application_id:
        complete(Application.get_by_id(issued.application_id))
    return document


def complete(application: Application) -> None:
    """Move an approved application whose permit is issued on to ``completed``."""
    definition = definitions.of_application(application)
    if application.status == "approved" and workflow.allowed(
        definition, "approved", "completed", "system"
    ):
        lifecycle.change_status(
            application,
            "completed",
            None,
            "system",
            Text("parking.inbox.completed"),
        )


def notify_cancelled(permit: ParkingPermit) -> None:
    """Tell the citizen the permit is cancelled (its pass no longer verifies)."""
    citizen = permit.user
    inbox.post(
        citizen,
        "parking_permit",
        Text("parking.inbox.cancelled_subject", number=permit.number),
        Text("parking.inbox.cancelled_body", number=permit.number),
        application=permit.application if permit.application_id else None,
    )


class PassNotVisibleYet(RuntimeError):
    """The approval that created the pass has not committed yet; try again shortly."""


class PermitGenerator(decisions.DocumentGenerator):
    """The print@home PDF of the pass issued on approval, delivered to the inbox."""

    label: ClassVar[dict[str, str]] = {
        "de": "Parkausweis zum Ausdrucken",
        "en": "Parking permit to print",
    }
    description: ClassVar[dict[str, str]] = {
        "de": "Der Bewohnerparkausweis als PDF mit QR-Code, zum Ausdrucken zu Hause.",
        "en": "The resident parking permit as a PDF with a QR code, to print at home.",
    }

    def generate(
        self, application: Application, document: dict[str, Any], status: str, message: str
    ) -> Document | None:
        issued = (
            ParkingPass.select()
            .where(ParkingPass.application == application)
            .order_by(ParkingPass.sequence)
            .first()
        )
        if issued is None:
            # The job retries: the pass comes with the approval's transaction.
            raise PassNotVisibleYet(application.id)
        return deliver(issued.id)

    def result_link(self, application: Application) -> ResultLink:
        """What the application produces: a pass, kept in the citizen's wallet."""
        return ResultLink(links.wallet_page(), "result.parking_pass")


def register_builtin() -> None:
    """Register the document generator ``permit``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    decisions.register("permit")(PermitGenerator)
