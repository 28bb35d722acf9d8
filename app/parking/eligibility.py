"""Who gets a resident parking permit: the checks before submission and the rule set.

Two layers:

* ``submission_problems``: things the citizen must fix before paying (field errors):
  the address lies in no zone, a plate is given twice, a renewal asks for more months
  than the two-year limit allows. They run at submission as the check
  ``resident_parking`` the definition names (``checks``).
* the rule set ``resident_parking`` (``auto_decision.rule_set`` of the definition):
  after payment it approves without a clerk when every rule holds, else it hands the
  case to the clerks of area ``parken`` with an internal note naming the reasons.
  Rules never reject.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from app.applications import checks, decision_rules, lifecycle
from app.errors import FieldError
from app.i18n import translate
from app.models import (
    Application,
    ParkingPermit,
    ParkingPlate,
    ParkingRenewal,
)
from app.parking import fields, settings, zones
from app.service_definitions import ServiceDefinition, normalise_plate
from app.service_definitions.relative_dates import add_months, local_today


@dataclass
class ParkingRequest:
    """What an application asks for, read from its (cleaned) answers."""

    residence: dict[str, Any] | None
    zone: zones.ZoneMatch | None
    plates: list[str]
    plate_paths: list[str]
    holder: str | None
    proofs: list[Any]
    justification: str
    months: int | None
    renewal_of: ParkingPermit | None = None
    notes: list[str] = field(default_factory=list)


def request_from(application: Application, answers: dict[str, Any] | None = None) -> ParkingRequest:
    """Read the permit request from an application's answers (or the ``answers`` given)."""
    answers = (application.answers if answers is None else answers) or {}
    ids = fields.of_application(application)
    plates: list[str] = []
    paths: list[str] = []
    candidates = [(ids["plate"], answers.get(ids["plate"]))]
    if answers.get(ids["more_vehicles"]):
        for index, item in enumerate(answers.get(ids["further_plates"]) or []):
            if isinstance(item, dict):
                path = f"{ids['further_plates']}[{index}].{ids['further_plate']}"
                candidates.append((path, item.get(ids["further_plate"])))
    for path, raw in candidates:
        if isinstance(raw, str):
            plate, _code = normalise_plate(raw)
            if plate:
                plates.append(plate)
                paths.append(path)
    months = answers.get(ids["months"])
    residence = answers.get(ids["residence"])
    renewal = ParkingRenewal.get_or_none(ParkingRenewal.application == application.id)
    return ParkingRequest(
        residence=residence if isinstance(residence, dict) else None,
        zone=zones.zone_of_answer(residence),
        plates=plates,
        plate_paths=paths,
        holder=answers.get(ids["holder"]),
        proofs=list(answers.get(ids["use_proof"]) or []),
        justification=str(answers.get(ids["justification"]) or ""),
        months=months if isinstance(months, int) and not isinstance(months, bool) else None,
        renewal_of=renewal.permit if renewal is not None else None,
    )


# --- Validity -------------------------------------------------------------------------


def validity_end(start: date, months: int) -> date:
    """Last valid day of ``months`` calendar months from ``start`` (12 from 1 May: 30 April)."""
    return add_months(start, months) - timedelta(days=1)


def latest_end(today: date) -> date:
    """The latest valid-to a pass issued ``today`` may have (two years)."""
    return validity_end(today, settings.MAX_MONTHS)


def renewal_base(permit: ParkingPermit, today: date) -> date:
    """The day a renewal's months are counted from: after the current validity (or today)."""
    return max(permit.valid_to + timedelta(days=1), today)


def renewal_max_months(permit: ParkingPermit, today: date) -> int:
    """How many months a renewal may add before hitting the two-year limit."""
    base = renewal_base(permit, today)
    limit = latest_end(today)
    best = 0
    for months in range(1, settings.MAX_MONTHS + 1):
        if validity_end(base, months) <= limit:
            best = months
    return best


def renewal_opens_on(permit: ParkingPermit) -> date:
    """The first day a permit can be renewed."""
    return permit.valid_to - timedelta(days=settings.renewal_window_days())


# --- Checks before submission ---------------------------------------------------------


def active_permits_with_plate(plate: str, exclude_permit: str | None = None) -> list[ParkingPermit]:
    """Active permits whose current pass carries ``plate``."""
    from app.models import ParkingPass

    query = (
        ParkingPermit.select()
        .join(ParkingPass, on=(ParkingPass.permit == ParkingPermit.id))
        .join(ParkingPlate, on=(ParkingPlate.issued_pass == ParkingPass.id))
        .where(
            (ParkingPlate.plate == plate)
            & (ParkingPass.sequence == ParkingPermit.sequence)
            & (ParkingPermit.status == "active")
            & (ParkingPermit.valid_to >= local_today())
        )
        .distinct()
    )
    if exclude_permit:
        query = query.where(ParkingPermit.id != exclude_permit)
    return list(query)


def submission_problems(
    application: Application, answers: dict[str, Any] | None = None, today: date | None = None
) -> list[FieldError]:
    """Field errors to fix before a resident parking application is submitted.

    Pass the cleaned ``answers`` (``validate_answers``) so that an address or plate the
    engine already rejects is not reported twice.
    """
    today = today or local_today()
    request = request_from(application, answers)
    ids = fields.of_application(application)
    problems: list[FieldError] = []
    if request.residence is not None and request.zone is None:
        problems.append(FieldError(ids["residence"], "parking_outside_zone"))
    seen: set[str] = set()
    for plate, path in zip(request.plates, request.plate_paths, strict=True):
        if plate in seen:
            problems.append(FieldError(path, "parking_plate_repeated", {"plate": plate}))
        seen.add(plate)
    permit = request.renewal_of
    if permit is not None and request.months is not None:
        allowed = renewal_max_months(permit, today)
        if request.months > allowed:
            problems.append(FieldError(ids["months"], "parking_renewal_too_long", {"max": allowed}))
    return problems


# --- The rule set ---------------------------------------------------------------------


def review_reasons(application: Application, today: date | None = None) -> list[str]:
    """Why a clerk must decide (empty: the permit can be issued automatically).

    Codes: ``outside_zone``, ``zone_inactive``, ``several_plates``, ``permanent_use``,
    ``uploads``, ``plate_on_other_permit``, ``holds_permit``, ``renewal_not_possible``.
    """
    today = today or local_today()
    request = request_from(application)
    reasons = []
    if request.zone is None:
        reasons.append("outside_zone")
    elif not request.zone.active:
        reasons.append("zone_inactive")
    if len(request.plates) != 1 or len(set(request.plates)) != len(request.plates):
        reasons.append("several_plates")
    if request.holder != "registered":
        reasons.append("permanent_use")
    if request.proofs:
        reasons.append("uploads")
    renewed = request.renewal_of
    renewed_id = renewed.id if renewed is not None else None
    if any(active_permits_with_plate(plate, renewed_id) for plate in request.plates):
        reasons.append("plate_on_other_permit")
    others = ParkingPermit.select().where(
        (ParkingPermit.user == application.user_id)
        & (ParkingPermit.status == "active")
        & (ParkingPermit.valid_to >= today)
    )
    if renewed_id:
        others = others.where(ParkingPermit.id != renewed_id)
    if others.exists():
        reasons.append("holds_permit")
    if renewed is not None and (
        renewed.user_id != application.user_id
        or renewed.status != "active"
        or (request.months or 0) > renewal_max_months(renewed, today)
    ):
        reasons.append("renewal_not_possible")
    return reasons


class ParkingSubmissionCheck(checks.Check):
    """Zone, repeated plates, renewal length: refused at submission, before any payment."""

    label: ClassVar[dict[str, str]] = {
        "de": "Bewohnerparken: Voraussetzungen",
        "en": "Resident parking: requirements",
    }
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Prüft vor dem Absenden, ob die Adresse in einer Parkzone liegt und das"
            " Kennzeichen noch keinen gültigen Ausweis hat."
        ),
        "en": (
            "Checks before submission that the address lies in a parking zone and "
            "the plate has no valid permit yet."
        ),
    }

    def problems(self, application: Application, answers: dict[str, Any]) -> list[FieldError]:
        return submission_problems(application, answers)


class ResidentParkingRule(decision_rules.DecisionRule):
    """Approve when every rule holds; otherwise note the reasons for the clerk."""

    label: ClassVar[dict[str, str]] = {
        "de": "Bewohnerparken: automatisch genehmigen",
        "en": "Resident parking: approve automatically",
    }
    description: ClassVar[dict[str, str]] = {
        "de": (
            "Genehmigt den Antrag, wenn alle Voraussetzungen erfüllt sind; sonst "
            "entscheidet die Sachbearbeitung."
        ),
        "en": "Approves the application when every requirement is met; otherwise a clerk decides.",
    }

    def decide(self, application: Application, definition: ServiceDefinition) -> bool:
        reasons = review_reasons(application)
        if reasons:
            text = "; ".join(translate(f"parking.review.{code}", "de") for code in reasons)
            lifecycle.record_event(
                application,
                "note",
                None,
                "system",
                message=translate("parking.review.note", "de", reasons=text),
                internal=True,
            )
        return not reasons


def register_builtin() -> None:
    """Register the check and the rule set ``resident_parking``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    checks.register("resident_parking")(ParkingSubmissionCheck)
    decision_rules.register("resident_parking")(ResidentParkingRule)
