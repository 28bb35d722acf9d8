"""Every staff endpoint × every service area: a clerk reaches a case, a notice, a
payment or a permit only when it belongs to one of their areas.

The routes are read from the app's URL map, so a new staff endpoint without an entry
here (and so without a checked area rule) fails ``test_every_staff_route_is_covered``.
"""

from __future__ import annotations

import copy
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest

from app.applications import definitions
from app.appointments.settings import STAFF_AREA
from app.appointments.slots import local_day, to_utc
from app.db import db
from app.models import Application, HandoffDelivery
from tests.api.engine_helpers import save, start
from tests.parking.support import apply_and_pay, only_permit
from tests.service_definitions.test_builtin_services import COMPLETE

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOGS, TREASURY, PARKING = "hundesteuer", "kasse", "parken"
_unique = itertools.count(1)


@dataclass(frozen=True)
class Route:
    """How a clerk of some area calls the route, and whether the answer grants access."""

    call: Callable[[Any, dict[str, Any]], Any]
    granted: Callable[[Any, dict[str, Any]], bool]
    areas: frozenset[str]  # the areas whose clerks must be granted access
    needs: tuple[str, ...] = ()


def _ok(response, _world) -> bool:
    return response.status_code < 300


def _not_forbidden(response, _world) -> bool:
    # For treasury routes called with a made-up id: 404 means the area check let it through.
    return response.status_code not in (401, 403)


def _json(response) -> Any:
    return response.get_json() if response.status_code == 200 else None


def _notice_body(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": world["citizen_email"],
        "kind": "dog_tax",
        "title": "Hundesteuer Nachzahlung",
        "kassenzeichen": f"HST-M-{next(_unique)}",
        "instalments": [{"due_date": "2027-03-01", "amount_cents": 25000}],
    }


def _import(client, world):
    csv = (
        "email;art;titel;kassenzeichen;faellig_am;betrag\n"
        f"{world['citizen_email']};dog_tax;Hundesteuer Nachzahlung;HST-I-{next(_unique)};"
        "01.03.2027;250,00\n"
    )
    return client.post(
        "/api/staff/notices/import", data=csv.encode(), headers={"Content-Type": "text/csv"}
    )


APPLICATION = ("application",)
HANDOFF = ("handoff",)
ONLY_DOGS = frozenset({DOGS})
NOTICE_AREAS = frozenset({DOGS, TREASURY})
ONLY_TREASURY = frozenset({TREASURY})
KITA = "kita"
ONLY_KITA = frozenset({KITA})
ONLY_BUERGERBUERO = frozenset({STAFF_AREA})
ONLY_PARKING = frozenset({PARKING})
# Litter bins are the waste department's (app/reports/data/categories.yaml).
WASTE = "abfall"
ONLY_WASTE = frozenset({WASTE})
REPORT = ("report",)

ROUTES: dict[tuple[str, str], Route] = {
    # A counter case of a dog-tax service: only the dog-tax clerks may record it.
    ("POST", "/api/staff/counter-cases"): Route(
        lambda c, w: c.post(
            "/api/staff/counter-cases", json={"service_id": "dog_tax_registration"}
        ),
        _ok,
        ONLY_DOGS,
    ),
    ("GET", "/api/staff/applications"): Route(
        lambda c, w: c.get("/api/staff/applications"),
        lambda r, w: (
            w["reference"] in [i["reference"] for i in (_json(r) or {"items": []})["items"]]
        ),
        ONLY_DOGS,
        APPLICATION,
    ),
    ("GET", "/api/staff/applications/search"): Route(
        lambda c, w: c.get("/api/staff/applications/search", query_string={"q": w["reference"]}),
        lambda r, w: bool(_json(r)),
        ONLY_DOGS,
        APPLICATION,
    ),
    ("GET", "/api/staff/applications/<string:key>"): Route(
        lambda c, w: c.get(f"/api/staff/applications/{w['reference']}"),
        _ok,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("PUT", "/api/staff/applications/<string:key>/assignee"): Route(
        lambda c, w: c.put(
            f"/api/staff/applications/{w['reference']}/assignee", json={"assignee_id": None}
        ),
        _ok,
        ONLY_DOGS,
        APPLICATION,
    ),
    (
        "GET",
        "/api/staff/applications/<string:key>/attachments/<string:attachment_id>",
    ): Route(
        lambda c, w: c.get(
            f"/api/staff/applications/{w['reference']}/attachments/{w['upload_id']}"
        ),
        lambda r, w: r.status_code == 200 and r.data == PDF,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("POST", "/api/staff/applications/<string:key>/notes"): Route(
        lambda c, w: c.post(
            f"/api/staff/applications/{w['reference']}/notes", json={"text": "Vermerk"}
        ),
        _ok,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("POST", "/api/staff/applications/<string:key>/transitions"): Route(
        lambda c, w: c.post(
            f"/api/staff/applications/{w['reference']}/transitions", json={"to": "in_review"}
        ),
        _ok,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("GET", "/api/staff/applications/<string:key>/colleagues"): Route(
        lambda c, w: c.get(f"/api/staff/applications/{w['reference']}/colleagues"),
        _ok,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("POST", "/api/staff/bulk-assignments"): Route(
        lambda c, w: c.post(
            "/api/staff/bulk-assignments",
            json={"references": [w["reference"]], "assignee_id": None},
        ),
        # Releasing an unassigned case changes nothing, but only outsiders get not_found.
        lambda r, w: (
            [x.get("code") for x in (_json(r) or {}).get("results", [])]
            == ["bulk_already_assigned"]
        ),
        ONLY_DOGS,
        APPLICATION,
    ),
    ("POST", "/api/staff/bulk-transitions"): Route(
        lambda c, w: c.post(
            "/api/staff/bulk-transitions",
            json={"references": [w["reference"]], "to": "in_review"},
        ),
        lambda r, w: (_json(r) or {}).get("changed") == 1,
        ONLY_DOGS,
        APPLICATION,
    ),
    ("GET", "/api/staff/applications/<string:application_id>/handoffs"): Route(
        lambda c, w: c.get(f"/api/staff/applications/{w['reference']}/handoffs"),
        lambda r, w: [d["id"] for d in _json(r) or []] == [w["handoff_id"]],
        ONLY_DOGS,
        APPLICATION + HANDOFF,
    ),
    ("GET", "/api/staff/handoffs"): Route(
        lambda c, w: c.get("/api/staff/handoffs"),
        lambda r, w: [d["id"] for d in (_json(r) or {"items": []})["items"]] == [w["handoff_id"]],
        ONLY_DOGS,
        APPLICATION + HANDOFF,
    ),
    ("POST", "/api/staff/handoffs/<int:delivery_id>/retry"): Route(
        lambda c, w: c.post(f"/api/staff/handoffs/{w['handoff_id']}/retry"),
        _ok,
        ONLY_DOGS,
        APPLICATION + HANDOFF,
    ),
    ("GET", "/api/staff/notices"): Route(
        lambda c, w: c.get("/api/staff/notices", query_string={"email": w["citizen_email"]}),
        lambda r, w: w["kassenzeichen"] in [n["kassenzeichen"] for n in _json(r) or []],
        NOTICE_AREAS,
        ("notice",),
    ),
    ("POST", "/api/staff/notices"): Route(
        lambda c, w: c.post("/api/staff/notices", json=_notice_body(w)),
        _ok,
        NOTICE_AREAS,
        ("notice",),
    ),
    ("POST", "/api/staff/notices/import"): Route(
        _import,
        lambda r, w: r.status_code == 200 and len(r.get_json()["created"]) == 1,
        NOTICE_AREAS,
        ("notice",),
    ),
    ("GET", "/api/staff/payments"): Route(
        lambda c, w: c.get("/api/staff/payments", query_string={"kassenzeichen": "X-1"}),
        _ok,
        ONLY_TREASURY,
    ),
    ("POST", "/api/staff/payments/<string:public_id>/transfer-received"): Route(
        lambda c, w: c.post("/api/staff/payments/P-unknown/transfer-received", json={}),
        _not_forbidden,
        ONLY_TREASURY,
    ),
    ("GET", "/api/staff/payments/sepa-exports"): Route(
        lambda c, w: c.get("/api/staff/payments/sepa-exports"), _ok, ONLY_TREASURY
    ),
    ("POST", "/api/staff/payments/sepa-exports"): Route(
        lambda c, w: c.post("/api/staff/payments/sepa-exports", json={}),
        _not_forbidden,
        ONLY_TREASURY,
    ),
    ("GET", "/api/staff/payments/sepa-exports/<int:export_id>/file"): Route(
        lambda c, w: c.get("/api/staff/payments/sepa-exports/999/file"),
        _not_forbidden,
        ONLY_TREASURY,
    ),
    ("GET", "/api/staff/payments/refund-exports"): Route(
        lambda c, w: c.get("/api/staff/payments/refund-exports"), _ok, ONLY_TREASURY
    ),
    # Nothing to transfer: 409 means the area check let it through.
    ("POST", "/api/staff/payments/refund-exports"): Route(
        lambda c, w: c.post("/api/staff/payments/refund-exports"),
        _not_forbidden,
        ONLY_TREASURY,
    ),
    ("GET", "/api/staff/payments/refund-exports/<int:export_id>/file"): Route(
        lambda c, w: c.get("/api/staff/payments/refund-exports/999/file"),
        _not_forbidden,
        ONLY_TREASURY,
    ),
    ("GET", "/api/staff/parking/permits"): Route(
        lambda c, w: c.get("/api/staff/parking/permits", query_string={"number": w["permit_no"]}),
        lambda r, w: bool(_json(r)),
        ONLY_PARKING,
        ("permit",),
    ),
    ("GET", "/api/staff/parking/permits/<string:permit_id>/history"): Route(
        lambda c, w: c.get(f"/api/staff/parking/permits/{w['permit_id']}/history"),
        _ok,
        ONLY_PARKING,
        ("permit",),
    ),
    ("POST", "/api/staff/parking/permits/<string:permit_id>/block"): Route(
        lambda c, w: c.post(
            f"/api/staff/parking/permits/{w['permit_id']}/block", json={"reason": "stolen"}
        ),
        _ok,
        ONLY_PARKING,
        ("permit",),
    ),
    # Day-care allocation: clerks of the area (facility staff: tests/api/test_kita_access.py).
    ("GET", "/api/staff/kita/facilities"): Route(
        lambda c, w: c.get("/api/staff/kita/facilities"),
        lambda r, w: w["facility_id"] in [f["id"] for f in (_json(r) or [])],
        ONLY_KITA,
        ("kita",),
    ),
    ("GET", "/api/staff/kita/facilities/<int:facility_id>/demand"): Route(
        lambda c, w: c.get(f"/api/staff/kita/facilities/{w['facility_id']}/demand"),
        _ok,
        ONLY_KITA,
        ("kita",),
    ),
    ("POST", "/api/staff/kita/offers"): Route(
        lambda c, w: c.post(
            "/api/staff/kita/offers",
            json={"facility_id": w["facility_id"], "application_id": w["kita_application"]},
        ),
        _ok,
        ONLY_KITA,
        ("kita",),
    ),
    ("POST", "/api/staff/kita/offers/<int:offer_id>/withdraw"): Route(
        lambda c, w: c.post(f"/api/staff/kita/offers/{w['kita_offer']}/withdraw"),
        _ok,
        ONLY_KITA,
        ("kita", "kita_offer"),
    ),
    # The Bürgerbüro's day plans: its own area (admins: tests/api/test_appointments_staff.py).
    ("GET", "/api/staff/appointments/counters"): Route(
        lambda c, w: c.get("/api/staff/appointments/counters"),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    ("GET", "/api/staff/appointments/plan"): Route(
        lambda c, w: c.get(
            f"/api/staff/appointments/plan?day={w['appointment_day']}&counter_id={w['counter_id']}"
        ),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    ("POST", "/api/staff/appointments/<int:appointment_id>/mark"): Route(
        lambda c, w: c.post(
            f"/api/staff/appointments/{w['appointment_id']}/mark", json={"action": "no_show"}
        ),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    ("POST", "/api/staff/appointments/blocks"): Route(
        lambda c, w: c.post(
            "/api/staff/appointments/blocks",
            json={
                "counter_id": w["counter_id"],
                "starts_at": "2030-01-07T08:00:00Z",
                "ends_at": "2030-01-07T08:30:00Z",
            },
        ),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    ("DELETE", "/api/staff/appointments/blocks/<int:block_id>"): Route(
        lambda c, w: c.delete(f"/api/staff/appointments/blocks/{w['block_id']}"),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    ("GET", "/api/staff/appointments/figures"): Route(
        lambda c, w: c.get("/api/staff/appointments/figures"),
        _ok,
        ONLY_BUERGERBUERO,
        ("appointment",),
    ),
    # Defect reports: the clerks of the category's department (tests/api/test_reports.py).
    ("GET", "/api/staff/reports"): Route(
        lambda c, w: c.get("/api/staff/reports"),
        lambda r, w: w["report_id"] in [i["id"] for i in (_json(r) or [])],
        ONLY_WASTE,
        REPORT,
    ),
    ("GET", "/api/staff/reports/<int:report_id>"): Route(
        lambda c, w: c.get(f"/api/staff/reports/{w['report_id']}"), _ok, ONLY_WASTE, REPORT
    ),
    ("POST", "/api/staff/reports/<int:report_id>/status"): Route(
        lambda c, w: c.post(
            f"/api/staff/reports/{w['report_id']}/status", json={"status": "received"}
        ),
        _ok,
        ONLY_WASTE,
        REPORT,
    ),
    ("POST", "/api/staff/reports/<int:report_id>/moderation"): Route(
        lambda c, w: c.post(
            f"/api/staff/reports/{w['report_id']}/moderation", json={"visibility": "public"}
        ),
        _ok,
        ONLY_WASTE,
        REPORT,
    ),
    ("POST", "/api/staff/reports/<int:report_id>/merge"): Route(
        lambda c, w: c.post(
            f"/api/staff/reports/{w['duplicate_id']}/merge", json={"into_id": w["report_id"]}
        ),
        _ok,
        ONLY_WASTE,
        REPORT,
    ),
    ("GET", "/api/staff/reports/photos/<int:photo_id>"): Route(
        lambda c, w: c.get(f"/api/staff/reports/photos/{w['photo_id']}"), _ok, ONLY_WASTE, REPORT
    ),
}


def _staff_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/staff")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _areas(app) -> list[str]:
    with db.connection_context():
        areas = {definitions.definition_of(r).area for r in definitions.catalogue()}
    return sorted(areas | {app.config["PAYMENT_TREASURY_AREA"], STAFF_AREA})


def test_every_staff_route_is_covered(app):
    assert _staff_routes(app) == set(ROUTES)
    # The areas the matrix names really exist (a typo would make every check vacuous).
    assert {DOGS, TREASURY, PARKING, WASTE} <= set(_areas(app))


def _application(signed_in, world: dict[str, Any]) -> None:
    citizen = world["citizen"]
    answers = copy.deepcopy(COMPLETE["dog_tax_deregistration"])
    answers["event_date"] = (date.today() - timedelta(days=3)).isoformat()
    answers.pop("proof")
    draft = start(citizen, "dog_tax_deregistration", answers)
    uploaded = citizen.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (io.BytesIO(PDF), "nachweis.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    answers["proof"] = [uploaded]
    assert save(citizen, draft, answers).status_code == 200
    sent = citizen.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "matrix"}
    )
    assert sent.status_code == 201, sent.get_json()
    world["reference"] = sent.get_json()["reference"]
    world["upload_id"] = uploaded["upload_id"]


def _notice(signed_in, world: dict[str, Any]) -> None:
    treasury = signed_in("kasse.setup@example.org", "staff", (TREASURY,))
    body = _notice_body(world)
    assert treasury.post("/api/staff/notices", json=body).status_code == 201
    world["kassenzeichen"] = body["kassenzeichen"]


def _permit(signed_in, world: dict[str, Any]) -> None:
    apply_and_pay(world["citizen"])
    permit = only_permit(world["citizen"])
    world["permit_id"], world["permit_no"] = permit["id"], permit["number"]


def _handoff(signed_in, world: dict[str, Any]) -> None:
    # A failed delivery of the case, as the outbox leaves one.
    with db.connection_context():
        application = Application.get(Application.reference == world["reference"])
        world["handoff_id"] = HandoffDelivery.create(
            application=application,
            service_id=application.service_id,
            target_id="fach",
            backend="email",
            moment="submitted",
            settings={"to": "hundesteuer@stadt-dueren.example"},
            state="failed",
            attempts=8,
            last_error="mail server answered SMTP 550",
        ).id


def _kita(signed_in, world: dict[str, Any]) -> None:
    from app.kita import demo

    with db.connection_context():
        facility = demo.seed()[0]
    world["facility_id"] = facility.id
    answers = copy.deepcopy(COMPLETE["daycare_place"])
    answers.update(
        facility_1=str(facility.id),
        facility_2="",
        facility_3="",
        child_birth_date=(date.today() - timedelta(days=1400)).isoformat(),
        start_date=(date.today() + timedelta(days=60)).isoformat(),
    )
    draft = start(world["citizen"], "daycare_place", answers)
    sent = world["citizen"].post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": "kita-matrix"}
    )
    assert sent.status_code == 201, sent.get_json()
    world["kita_application"] = draft["id"]


def _kita_offer(signed_in, world: dict[str, Any]) -> None:
    admin = signed_in("admin.kita@example.org", "admin")
    made = admin.post(
        "/api/staff/kita/offers",
        json={"facility_id": world["facility_id"], "application_id": world["kita_application"]},
    )
    assert made.status_code == 201, made.get_json()
    world["kita_offer"] = made.get_json()["id"]


def _appointment(signed_in, world: dict[str, Any]) -> None:
    from app.appointments import booking
    from app.models import Appointment, AppointmentBlock, AppointmentCounter
    from tests.api.appointment_helpers import free_times, load_office, tomorrow

    load_office()
    starts = free_times(world["citizen"], ["zeugnis"])
    made = world["citizen"].post(
        "/api/appointments",
        json={
            "services": ["zeugnis"],
            "starts_at": starts[0],
            "name": "M",
            "email": "m@example.org",
        },
    )
    assert made.status_code == 201, made.get_json()
    with db.connection_context():
        found = Appointment.get(Appointment.reference == made.get_json()["reference"])
        # Marked on its day: moved into the present.
        now = booking.utcnow()
        # Never on yesterday's date (just after midnight).
        found.starts_at = max(now - timedelta(minutes=5), to_utc(local_day(now), time(0, 0)))
        found.save()
        counter = AppointmentCounter.get(AppointmentCounter.name == "Schalter B")
        block = AppointmentBlock.create(
            counter=counter,
            starts_at=booking.utcnow() + timedelta(days=3),
            ends_at=booking.utcnow() + timedelta(days=3, minutes=10),
            reason="",
        )
    world.update(
        appointment_id=found.id,
        counter_id=counter.id,
        block_id=block.id,
        appointment_day=tomorrow() - timedelta(days=1),
    )


def _report(signed_in, world: dict[str, Any]) -> None:
    from app.models import ReportPhoto
    from tests.reports.photos import png

    ids = []
    for photos in ([(io.BytesIO(png()), "foto.png")], []):
        sent = world["citizen"].post(
            "/api/reports",
            data={
                "category": "papierkorb",
                "description": "Quillt über",
                "address": "Markt 1",
                "photos": photos,
            },
            content_type="multipart/form-data",
        )
        assert sent.status_code == 201, sent.get_json()
        ids.append(sent.get_json()["id"])
    world["report_id"], world["duplicate_id"] = ids
    with db.connection_context():
        world["photo_id"] = ReportPhoto.get(ReportPhoto.report == ids[0]).id


SETUP = {
    "appointment": _appointment,
    "report": _report,
    "kita": _kita,
    "kita_offer": _kita_offer,
    "application": _application,
    "handoff": _handoff,
    "notice": _notice,
    "permit": _permit,
}


@pytest.mark.parametrize(
    ("method", "rule"), sorted(ROUTES), ids=[f"{m} {r}" for m, r in sorted(ROUTES)]
)
def test_clerks_reach_only_their_areas(app, signed_in, make_client, method, rule):
    route = ROUTES[(method, rule)]
    world: dict[str, Any] = {
        "citizen": signed_in("buerger.matrix@example.org"),
        "citizen_email": "buerger.matrix@example.org",
    }
    for need in route.needs:
        SETUP[need](signed_in, world)
    # Clerks of the granted areas go last: their calls may change the case.
    areas = sorted(_areas(app), key=lambda area: (area in route.areas, area))
    for area in areas:
        clerk = signed_in(f"sb.{area}@example.org", "staff", (area,))
        response = route.call(clerk, world)
        assert response.status_code < 500, (area, response.get_data(as_text=True))
        granted = route.granted(response, world)
        expected = area in route.areas
        assert granted == expected, (area, response.status_code, response.get_json())
        if not expected:
            assert response.status_code in (200, 403, 404, 422), (area, response.status_code)
    # Nobody else on the staff side: officers and citizens are refused outright.
    for client in (signed_in("officer.matrix@example.org", "officer"), world["citizen"]):
        assert route.call(client, world).status_code == 403
    assert route.call(make_client(), world).status_code == 401
