"""Notices for yearly taxes decided on an application, as the definition configures them.

``payment.pro_rata`` charges the first year by the month from the date in the named
field; ``payment.direct_debit`` names the form's mandate fields, so the notice is
collected under that mandate; ``payment.ends_notice`` lets a positive decision on
another service (a de-registration) end the tax of the notice that the named service
issued, at the end of the month of the date in its ``ends_field``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from app.accounts import audit
from app.applications import definitions
from app.errors import DomainError
from app.models import Application, ApplicationEvent, Notice
from app.payments import notice_debits, tax_end
from app.payments.notices import InstalmentInput
from app.payments.pro_rata import Period, first_year_schedule, split
from app.service_definitions import workflow
from app.service_definitions.fees import compute_fees
from app.service_definitions.model import ServiceDefinition
from app.service_definitions.relative_dates import local_today

log = logging.getLogger(__name__)


def notice_kassenzeichen(reference: str) -> str:
    """The Kassenzeichen of the notice an application's decision issues."""
    return f"A-{reference}"


def _values(answers: dict[str, Any], field_id: str) -> Iterator[Any]:
    # A field at the top of the form, or inside the items of a repeated group.
    if field_id in answers:
        yield answers[field_id]
    for value in answers.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and field_id in item:
                    yield item[field_id]


def starts_on(answers: dict[str, Any], field_id: str) -> date | None:
    """The earliest date given in ``field_id`` (several dogs: the first one's intake)."""
    days = []
    for value in _values(answers, field_id):
        try:
            days.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return min(days, default=None)


def schedule_of(
    definition: ServiceDefinition, application: Application, issued_on: date
) -> tuple[list[InstalmentInput], list[Period]]:
    """The instalments (and, pro rata, the periods charged) of the decided fee."""
    payment = definition.data["payment"]
    due = payment.get("instalments") or []
    pro_rata = payment.get("pro_rata")
    start = starts_on(application.answers or {}, pro_rata["starts_field"]) if pro_rata else None
    if due and start is not None:
        schedule = first_year_schedule(application.fee_cents, start, issued_on, due)
        instalments = [InstalmentInput(i.due_date, i.amount_cents) for i in schedule.instalments]
        return instalments, list(schedule.periods)
    days = _next_due_dates(due, issued_on) or [issued_on]
    return [
        InstalmentInput(i.due_date, i.amount_cents) for i in split(application.fee_cents, days)
    ], []


def _next_due_dates(due: list[str], today: date) -> list[date]:
    """The next occurrence of each ``MM-DD`` date, in order, starting after ``today``."""
    dates = []
    for item in due:
        this_year = date(today.year, int(item[:2]), int(item[3:5]))
        dates.append(this_year if this_year > today else this_year.replace(year=today.year + 1))
    return sorted(dates)


def record_periods(notice: Notice, periods: list[Period]) -> None:
    """Keep the computation (months × monthly rate) the notice shows."""
    if periods:
        notice.details = {**(notice.details or {}), "periods": [p.to_dict() for p in periods]}
        Notice.update(details=notice.details).where(Notice.id == notice.id).execute()


def collect_if_mandated(
    notice: Notice, definition: ServiceDefinition, application: Application
) -> None:
    """Collect the notice under the mandate given in the form, if the citizen gave one.

    A mandate that no longer passes the checks (the accepted countries changed since
    submission) leaves the notice to be paid by transfer, and the audit log says why.
    """
    fields = definition.data["payment"].get("direct_debit")
    answers = application.answers or {}
    if not fields or answers.get(fields["consent_field"]) is not True:
        return
    user = application.user
    try:
        mandate = notice_debits.give_mandate(
            user,
            str(answers.get(fields["account_holder_field"]) or ""),
            str(answers.get(fields["iban_field"]) or ""),
            user.locale or "de",
        )
    except DomainError as refused:
        audit.record(
            "notice_mandate_refused",
            None,
            "notice",
            notice.public_id,
            fields=[error.field for error in refused.field_errors],
        )
        return
    notice_debits.collect_by_direct_debit(notice, mandate)


def _normalised(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def end_after_decision(application: Application, event: ApplicationEvent) -> None:
    """A positive decision on a service with ``payment.ends_notice`` ends the tax of
    the matching notice (the citizen's latest one from the named service)."""
    definition = definitions.of_application(application)
    config = definition.data["payment"].get("ends_notice")
    if not config or workflow.decision_of(definition, event.to_status) != "positive":
        return
    answers = application.answers or {}
    try:
        ends_on = date.fromisoformat(str(answers.get(config["ends_field"])))
    except ValueError:
        return
    wanted = _normalised(answers.get(config.get("match_field", ""), ""))
    registrations = (
        Application.select()
        .where(
            (Application.user == application.user)
            & (Application.service_id == config["service"])
            & Application.reference.is_null(False)
        )
        .order_by(Application.submitted_at.desc())
    )
    for registration in registrations:
        notice = Notice.get_or_none(
            Notice.kassenzeichen == notice_kassenzeichen(registration.reference)
        )
        if notice is None:
            continue
        items_field = config.get("items_field")
        items = list((registration.answers or {}).get(items_field) or []) if items_field else []
        if config.get("match_field") and items_field:
            matching = [i for i in items if _normalised(i.get(config["match_field"])) == wanted]
            if not matching:
                continue
            items.remove(matching[0])
        annual_after = 0
        if items:
            remaining = {**registration.answers, items_field: items}
            annual_after = compute_fees(
                definitions.of_application(registration), remaining
            ).total_cents
        tax_end.end_notice(notice, ends_on, annual_after)
        return
    # Nothing to end: the clerk finds the notice by hand (the audit log says so).
    audit.record("notice_tax_end_unmatched", None, "application", application.id)


def today() -> date:
    """The day a notice is issued (the city's today)."""
    return local_today()
