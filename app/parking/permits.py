"""Permits and their passes: issue on approval, renew, change plates, cancel, expire.

Every pass is a signed ``BPA1:`` text (docs/pass-format.md). A permit keeps its number
for life; each reissue (renewal, plate change) signs a new pass with the sequence
raised by one and puts the previous pass on the revocation list, so a printout of the
old pass verifies as ``revoked``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import peewee

from app.applications import definitions, drafts
from app.db import db, iso, iso_utc, utcnow
from app.errors import DomainError, FieldError
from app.models import (
    Application,
    ParkingPass,
    ParkingPermit,
    ParkingPlate,
    ParkingRenewal,
    Profile,
    User,
)
from app.parking import counters, eligibility, fields, keys, revocation, settings, zones
from app.passes import new_claims
from app.passes.codec import unwrap_pass
from app.passes.keyset import b64url
from app.service_definitions import normalise_plate, workflow
from app.service_definitions.relative_dates import local_today

# Revocation reasons of a permit the city blocked (app.parking.blocking.REASONS).
BLOCK_REASONS = ("stolen", "misuse", "issued_in_error", "other")


def open_statuses() -> list[str]:
    """Application statuses in which a renewal is still under way (not finished either
    way): read from the service's workflow, so a changed workflow needs no change here."""
    return workflow.open_statuses(
        definitions.definition_of(definitions.published(settings.SERVICE_ID))
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _naive(moment: datetime) -> datetime:
    # The database stores UTC without a zone, like app.db.utcnow().
    return moment.astimezone(UTC).replace(tzinfo=None)


def new_permit_number(today: date) -> str:
    """The next permit number of the year, e.g. ``DN-2026-004711``."""
    number = counters.next_value(f"permit_number_{today.year}")
    return f"{settings.issuer()}-{today.year}-{number:06d}"


def _sign(
    number: str,
    plates: list[str],
    zone: str,
    valid_from: date,
    valid_to: date,
    sequence: int,
    moment: datetime,
) -> str:
    claims = new_claims(
        permit_no=number,
        plates=plates,
        zone=zone,
        valid_from=valid_from,
        valid_to=valid_to,
        sequence=sequence,
        issuer=settings.issuer(),
        issued_at=moment,
    )
    return keys.sign(claims, int(moment.timestamp()))


def _write_pass(
    permit: ParkingPermit,
    reason: str,
    application: Application | None,
    moment: datetime,
) -> ParkingPass:
    """Sign the permit's current fields as a pass and record it with its plates."""
    text = _sign(
        permit.number,
        list(permit.plates),
        permit.zone,
        permit.valid_from,
        permit.valid_to,
        permit.sequence,
        moment,
    )
    kid = b64url(unwrap_pass(text).kid)  # the key that signed it, even across a rotation
    issued = ParkingPass.create(
        permit=permit,
        sequence=permit.sequence,
        reason=reason,
        plates=list(permit.plates),
        zone=permit.zone,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
        pass_text=text,
        kid=kid,
        issued_at=_naive(moment),
        status="active",
        application=application.id if application is not None else None,
    )
    for plate in permit.plates:
        ParkingPlate.create(issued_pass=issued, plate=plate)
    ParkingPermit.update(
        pass_text=text, kid=kid, issued_at=_naive(moment), updated_at=utcnow()
    ).where(ParkingPermit.id == permit.id).execute()
    permit.pass_text, permit.kid, permit.issued_at = text, kid, _naive(moment)
    return issued


def _distinct(plates: list[str]) -> list[str]:
    return list(dict.fromkeys(plates))


def issue_for_application(application: Application) -> ParkingPass:
    """Issue the pass an approved application asks for (once: a second call returns it).

    A renewal application (see :func:`start_renewal`) reissues its permit with the same
    number; anything else gets a new permit. Refuses (409) an application whose address
    lies in no zone: a pass always names a zone.
    """
    existing = ParkingPass.get_or_none(ParkingPass.application == application.id)
    if existing is not None:
        return existing
    request = eligibility.request_from(application)
    if request.zone is None:
        raise DomainError("parking_no_zone", kind="conflict")
    plates = _distinct(request.plates)[:4]
    months = request.months
    if not plates or months is None:
        raise DomainError("parking_request_incomplete", kind="conflict")
    today = local_today()
    moment = _now()
    renewed = request.renewal_of
    with db.atomic():
        if (
            renewed is not None
            and renewed.status == "active"
            and renewed.user_id == application.user_id
        ):
            end = eligibility.validity_end(eligibility.renewal_base(renewed, today), months)
            return _reissue(
                renewed,
                "renewed",
                plates=plates,
                zone=request.zone.code,
                valid_from=today,
                valid_to=min(end, eligibility.latest_end(today)),
                application=application,
                moment=moment,
            )
        permit = ParkingPermit.create(
            number=new_permit_number(today),
            user=application.user_id,
            application=application.id,
            zone=request.zone.code,
            plates=plates,
            valid_from=today,
            valid_to=min(eligibility.validity_end(today, months), eligibility.latest_end(today)),
            sequence=1,
            status="active",
            pass_text="",
            kid="",
            issued_at=_naive(moment),
        )
        return _write_pass(permit, "issued", application, moment)


def _reissue(
    permit: ParkingPermit,
    reason: str,
    *,
    plates: list[str],
    zone: str,
    valid_from: date,
    valid_to: date,
    application: Application | None,
    moment: datetime,
) -> ParkingPass:
    """Sign the next sequence of ``permit`` and revoke the passes it replaces."""
    previous = list(
        ParkingPass.select().where(
            (ParkingPass.permit == permit) & (ParkingPass.status == "active")
        )
    )
    sequence = permit.sequence
    changes = {
        ParkingPermit.sequence: sequence + 1,
        ParkingPermit.plates: plates,
        ParkingPermit.zone: zone,
        ParkingPermit.valid_from: valid_from,
        ParkingPermit.valid_to: valid_to,
        ParkingPermit.updated_at: utcnow(),
    }
    if application is not None:
        changes[ParkingPermit.application] = application.id
    updated = (
        ParkingPermit.update(changes)
        .where(
            (ParkingPermit.id == permit.id)
            & (ParkingPermit.sequence == sequence)
            & (ParkingPermit.status == "active")
        )
        .execute()
    )
    if updated != 1:
        raise DomainError("parking_permit_changed", kind="conflict")
    permit = ParkingPermit.get_by_id(permit.id)
    ParkingPass.update(status="superseded").where(
        ParkingPass.id.in_([p.id for p in previous])
    ).execute()
    revocation.revoke(previous, "superseded")
    return _write_pass(permit, reason, application, moment)


def own_permit(user: User, permit_id: str) -> ParkingPermit:
    """One of the user's permits; anyone else's is simply not found."""
    permit = ParkingPermit.get_or_none(
        (ParkingPermit.id == str(permit_id)) & (ParkingPermit.user == user)
    )
    if permit is None:
        raise DomainError("not_found", kind="not_found")
    return permit


def list_own(user: User) -> list[ParkingPermit]:
    """The user's permits, newest first."""
    return list(
        ParkingPermit.select()
        .where(ParkingPermit.user == user)
        .order_by(ParkingPermit.created_at.desc(), ParkingPermit.number.desc())
    )


def state_of(permit: ParkingPermit, today: date | None = None) -> str:
    """``valid``, ``not_yet_valid``, ``expired`` or ``revoked`` on ``today``."""
    today = today or local_today()
    if permit.status == "revoked":
        return "revoked"
    if permit.status == "expired" or permit.valid_to < today:
        return "expired"
    if permit.valid_from > today:
        return "not_yet_valid"
    return "valid"


def current_pass(permit: ParkingPermit) -> ParkingPass:
    """The pass with the permit's current sequence."""
    return ParkingPass.get(
        (ParkingPass.permit == permit) & (ParkingPass.sequence == permit.sequence)
    )


def _require_usable(permit: ParkingPermit, today: date) -> None:
    if state_of(permit, today) not in ("valid", "not_yet_valid"):
        raise DomainError("parking_permit_not_active", kind="conflict")


# --- Plate change ---------------------------------------------------------------------


def _clean_plates(permit: ParkingPermit, raw: Any, registered_to_me: Any) -> list[str]:
    errors: list[FieldError] = []
    if not isinstance(raw, list) or not 1 <= len(raw) <= 4:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("plates", "parking_plates_count")]
        )
    plates: list[str] = []
    for index, text in enumerate(raw):
        plate, _code = normalise_plate(text) if isinstance(text, str) else (None, "invalid")
        if plate is None:
            errors.append(FieldError(f"plates[{index}]", "parking_plate_invalid"))
        elif plate in plates:
            errors.append(
                FieldError(f"plates[{index}]", "parking_plate_repeated", {"plate": plate})
            )
        else:
            plates.append(plate)
            if eligibility.active_permits_with_plate(plate, exclude_permit=permit.id):
                errors.append(
                    FieldError(f"plates[{index}]", "parking_plate_taken", {"plate": plate})
                )
    if len(raw) > len(permit.plates):
        errors.append(FieldError("plates", "parking_more_plates", {"count": len(permit.plates)}))
    if registered_to_me is not True:
        errors.append(FieldError("registered_to_me", "parking_declaration_required"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    return plates


def change_plates(
    user: User,
    permit_id: str,
    raw_plates: Any,
    registered_to_me: Any,
    expected_sequence: int | None = None,
) -> tuple[ParkingPermit, ParkingPass | None]:
    """Put other plates on the permit (no more than it had): a new pass, the old revoked.

    Only for vehicles registered to the citizen (they declare it); a vehicle in their
    permanent use needs proof and goes through a new application. Sending the plates
    the permit already has changes nothing (returns ``None`` as the new pass).
    """
    today = local_today()
    permit = own_permit(user, permit_id)
    _require_usable(permit, today)
    if expected_sequence is not None and expected_sequence != permit.sequence:
        raise DomainError("precondition_failed", kind="precondition_failed")
    plates = _clean_plates(permit, raw_plates, registered_to_me)
    if plates == list(permit.plates):
        return permit, None
    with db.atomic():
        issued = _reissue(
            permit,
            "plate_change",
            plates=plates,
            zone=permit.zone,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            application=None,
            moment=_now(),
        )
    return ParkingPermit.get_by_id(permit.id), issued


# --- Cancel, expire, account deletion -------------------------------------------------


def _revoke_permit(permit: ParkingPermit, reason: str) -> None:
    passes = list(
        ParkingPass.select().where(
            (ParkingPass.permit == permit) & (ParkingPass.status == "active")
        )
    )
    ParkingPass.update(status="revoked").where(ParkingPass.id.in_([p.id for p in passes])).execute()
    revocation.revoke(passes, reason)
    ParkingPermit.update(
        status="revoked", revoked_at=utcnow(), revoke_reason=reason, updated_at=utcnow()
    ).where(ParkingPermit.id == permit.id).execute()


def cancel(user: User, permit_id: str) -> tuple[ParkingPermit, bool]:
    """Give the permit back: its pass goes on the revocation list. Repeating is harmless.

    Returns the permit and whether this call cancelled it.
    """
    permit = own_permit(user, permit_id)
    if permit.status == "revoked":
        return permit, False
    _require_usable(permit, local_today())
    with db.atomic():
        _revoke_permit(permit, "cancelled")
    return ParkingPermit.get_by_id(permit.id), True


def revoke_all_of(user: User, reason: str) -> int:
    """Revoke every permit of ``user`` that could still be shown (e.g. account deletion)."""
    count = 0
    with db.atomic():
        for permit in ParkingPermit.select().where(
            (ParkingPermit.user == user) & (ParkingPermit.status == "active")
        ):
            _revoke_permit(permit, reason)
            count += 1
    return count


def expire_due(today: date | None = None) -> int:
    """Mark permits whose last valid day has passed as ``expired``; return how many."""
    today = today or local_today()
    return (
        ParkingPermit.update(status="expired", updated_at=utcnow())
        .where((ParkingPermit.status == "active") & (ParkingPermit.valid_to < today))
        .execute()
    )


# --- Renewal --------------------------------------------------------------------------


def renewal_info(permit: ParkingPermit, today: date | None = None) -> dict[str, Any]:
    """Whether the permit can be renewed now, from when, and for how many months at most."""
    today = today or local_today()
    opens = eligibility.renewal_opens_on(permit)
    max_months = eligibility.renewal_max_months(permit, today)
    possible = (
        state_of(permit, today) == "valid" and today >= opens and max_months >= settings.MIN_MONTHS
    )
    return {"possible": possible, "opens_on": opens.isoformat(), "max_months": max_months}


def open_renewal(permit: ParkingPermit) -> Application | None:
    """A renewal of ``permit`` that is still under way, if any."""
    return (
        Application.select()
        .join(ParkingRenewal, on=(ParkingRenewal.application == Application.id))
        .where((ParkingRenewal.permit == permit.id) & (Application.status.in_(open_statuses())))
        .order_by(Application.created_at.desc())
        .first()
    )


def _renewal_answers(permit: ParkingPermit, months: int) -> dict[str, Any]:
    ids = fields.of_service()
    previous = permit.application.answers if permit.application_id else {}
    if permit.application_id:
        # The previous application names its fields as its own definition version did.
        before = fields.of_application(permit.application)
        previous = {role: previous.get(before[role]) for role in fields.ROLES}
    plates = list(permit.plates)
    profile = Profile.get_or_none(Profile.user == permit.user_id)
    answers: dict[str, Any] = {}
    if (profile is None or not profile.street) and isinstance(previous.get("residence"), dict):
        # Without an address in the profile, the previous application's address is used.
        answers[ids["residence"]] = {
            k: v for k, v in previous["residence"].items() if k != "parking_zone"
        }
    answers |= {
        ids["main_residence"]: bool(previous.get("main_residence")),
        ids["plate"]: plates[0],
        ids["holder"]: previous.get("holder") or "registered",
        ids["months"]: months,
    }
    if len(plates) > 1:
        answers[ids["more_vehicles"]] = True
        answers[ids["further_plates"]] = [{ids["further_plate"]: plate} for plate in plates[1:]]
        answers[ids["justification"]] = previous.get("justification") or ""
    return answers


def start_renewal(
    user: User, permit_id: str, months: int | None = None
) -> tuple[Application, bool]:
    """A draft application of the service that renews ``permit`` (same permit number).

    The draft is prefilled (address from the profile, plates from the permit, the
    months asked for); the citizen checks it, confirms and submits it like any other
    application, pays, and the rules approve it. An unfinished renewal is returned
    instead of a second one. Returns the application and whether it was created now.
    """
    today = local_today()
    permit = own_permit(user, permit_id)
    info = renewal_info(permit, today)
    running = open_renewal(permit)
    if running is not None:
        return running, False
    if not info["possible"]:
        if state_of(permit, today) != "valid":
            raise DomainError("parking_permit_not_active", kind="conflict")
        raise DomainError("parking_renewal_not_yet", kind="conflict", date=info["opens_on"])
    allowed = info["max_months"]
    if months is None:
        months = min(12, allowed)
    if not settings.MIN_MONTHS <= months <= allowed:
        raise DomainError(
            "invalid_input",
            field_errors=[
                FieldError(
                    "months",
                    "parking_months_range",
                    {"min": settings.MIN_MONTHS, "max": allowed},
                )
            ],
        )
    with db.atomic():
        application, _issues = drafts.create_draft(
            user, settings.SERVICE_ID, _renewal_answers(permit, months), None
        )
        try:
            with db.atomic():
                ParkingRenewal.create(application=application.id, permit=permit.id)
        except peewee.IntegrityError as exc:  # pragma: no cover - ids are random
            raise DomainError("parking_permit_changed", kind="conflict") from exc
    return application, True


# --- Reading --------------------------------------------------------------------------


def as_dict(permit: ParkingPermit, today: date | None = None) -> dict[str, Any]:
    """A permit as its holder sees it (the wallet); no pass text once revoked."""
    today = today or local_today()
    state = state_of(permit, today)
    names = zones.zone_names()
    showable = state != "revoked"
    data: dict[str, Any] = {
        "id": permit.id,
        "number": permit.number,
        "status": "expired" if state == "expired" else permit.status,
        "state": state,
        "zone": permit.zone,
        "zone_name": names.get(permit.zone, ""),
        "plates": list(permit.plates),
        "valid_from": permit.valid_from.isoformat(),
        "valid_to": permit.valid_to.isoformat(),
        "sequence": permit.sequence,
        "issuer": settings.issuer(),
        "authority": settings.authority(),
        "issued_at": iso_utc(permit.issued_at),
        "revoked_at": iso(permit.revoked_at),
        "pass_text": permit.pass_text if showable else None,
        # Blocked by the city (stolen, misused, issued in error), not given back.
        "blocked": state == "revoked" and permit.revoke_reason in BLOCK_REASONS,
        "block_reason": permit.revoke_reason
        if state == "revoked" and permit.revoke_reason in BLOCK_REASONS
        else None,
        "kid": permit.kid,
        "renewal": renewal_info(permit, today),
    }
    running = open_renewal(permit) if state == "valid" else None
    data["renewal"]["application_id"] = running.id if running is not None else None
    data["actions"] = ["renew", "change_plates", "cancel"] if state == "valid" else []
    if state == "valid" and not data["renewal"]["possible"]:
        data["actions"].remove("renew")
    return data
