"""The receipt (Eingangsbestätigung): a PDF with the answers, fees and reference."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import pdf
from app.applications import definitions, inbox
from app.applications.documents import store_document
from app.applications.references import display
from app.applications.summary import euro, summarise
from app.cities import active_city
from app.i18n import Text, translate
from app.models import Application, Document

CITY_TIMEZONE = ZoneInfo("Europe/Berlin")


def local_time(stamp: datetime) -> datetime:
    """A stored UTC timestamp as the time on the town hall's clock."""
    return stamp.replace(tzinfo=UTC).astimezone(CITY_TIMEZONE)


_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def render_template(name: str, locale: str, **context: object) -> str:
    """Render a document template with ``t()`` bound to ``locale`` and the city name."""

    def t(key: str, **params: object) -> str:
        return translate(key, locale, **params)

    return _templates.get_template(name).render(
        t=t,
        locale=locale,
        city=active_city().name,
        emblem=pdf.emblem(locale),
        **context,
    )


def render_receipt_html(application: Application, locale: str) -> str:
    """The receipt as HTML (what the PDF is made from)."""
    definition = definitions.of_application(application)
    fees = application.fees or {}
    lines = [
        {
            "label": line["label"].get(locale) or line["label"]["de"],
            "quantity": line["quantity"],
            "unit": euro(line["unit_cents"], locale),
            "amount": euro(line["amount_cents"], locale),
        }
        for line in fees.get("lines", [])
    ]
    return render_template(
        "receipt.html",
        locale,
        service=definition.data["title"].get(locale) or definition.data["title"]["de"],
        reference=display(application.reference),
        submitted=local_time(application.submitted_at).strftime("%d.%m.%Y %H:%M"),
        steps=summarise(definition, application.answers, locale),
        fee_lines=lines,
        total=euro(application.fee_cents, locale),
        warnings=[w.get(locale) or w.get("de") for w in application.warnings or []],
    )


def render_receipt_pdf(application: Application, locale: str) -> bytes:
    """The receipt as a tagged PDF/UA document (``app.pdf``)."""
    return pdf.write_pdf(render_receipt_html(application, locale))


def issue_receipt(application: Application) -> Document:
    """Render the receipt, store it and put it in the citizen's inbox."""
    citizen = application.user
    document = store_document(
        citizen,
        "receipt",
        f"Eingangsbestaetigung-{application.reference}.pdf",
        render_receipt_pdf(application, citizen.locale),
        application=application,
    )
    inbox.post(
        citizen,
        "receipt",
        Text("applications.inbox.receipt_subject", reference=display(application.reference)),
        Text("applications.inbox.receipt_body"),
        application=application,
        document=document,
    )
    return document
