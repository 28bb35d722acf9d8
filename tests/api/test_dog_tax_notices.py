"""Dog tax notices over HTTP: the first year pro rata from the month of intake, the
form's SEPA mandate collecting the instalments (and the pain.008 export carrying
them), December approvals, and de-registration ending the tax at the month's end."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from app.applications import yearly_notices
from app.db import db
from app.models import NoticeInstalment, SepaDebit
from tests.api.engine_helpers import submitted
from tests.api.service_answers import complete_answers
from tests.payments.helpers import sandbox_decide

XSD = xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.08.xsd"))
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}
# A past year, so every intake date below is one the form accepts.
YEAR = date.today().year - 1


@pytest.fixture
def issued_on(monkeypatch):
    """Set the day notices are issued on."""

    def use(day: date) -> None:
        monkeypatch.setattr(yearly_notices, "local_today", lambda: day)

    return use


def _register(signed_in, email, intake: date, mandate: bool, dogs=None):
    citizen = signed_in(email)
    clerk = signed_in("clerk@example.org", "staff", ("hundesteuer",))
    answers = complete_answers("dog_tax_registration")
    answers["dogs"][0]["intake_date"] = intake.isoformat()
    if dogs:
        answers["dogs"] = [dict(answers["dogs"][0], **dog) for dog in dogs]
    if not mandate:
        answers["sepa_mandate"] = False
        answers.pop("account_holder")
        answers.pop("iban")
    application = submitted(citizen, "dog_tax_registration", answers=answers)
    ref = application["reference"]
    for status in ("in_review", "approved"):
        moved = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": status})
        assert moved.status_code == 200, moved.get_json()
    (notice,) = citizen.get("/api/notices").get_json()
    return citizen, clerk, notice


def _deregister(citizen, clerk, event: date, dog_name: str = "Bello"):
    answers = complete_answers("dog_tax_deregistration")
    answers.update(event_date=event.isoformat(), dog_name=dog_name)
    application = submitted(citizen, "dog_tax_deregistration", "dereg-1", answers=answers)
    ref = application["reference"]
    for status in ("in_review", "approved"):
        moved = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": status})
        assert moved.status_code == 200, moved.get_json()
    (notice,) = citizen.get("/api/notices").get_json()
    return notice


def pay_notice_instalment(citizen, notice, instalment) -> None:
    """The citizen pays one instalment in the payment sandbox."""
    started = citizen.post(
        "/api/payments",
        json={
            "subject_type": "instalment",
            "subject_id": instalment["id"],
            "provider": "sandbox",
            "return_path": f"/zahlungen/{notice['id']}",
        },
    )
    assert started.status_code == 201, started.get_json()
    sandbox_decide(citizen, started.get_json(), "pay")


def _rows(notice):
    return [(i["due_date"], i["amount_cents"]) for i in notice["instalments"]]


# Intake month, day of assessment (approval), expected instalments (MM-DD of YEAR or
# +1 for the next year, cents); 84 € a year = 7 € a month.
CASES = [
    (1, (1, 10), [("02-15", 2100), ("05-15", 2100), ("08-15", 2100), ("11-15", 2100)]),
    (4, (4, 20), [("05-15", 2100), ("08-15", 2100), ("11-15", 2100)]),
    (7, (7, 3), [("08-15", 2100), ("11-15", 2100)]),
    (10, (10, 20), [("11-15", 2100)]),
    (12, (12, 5), [("+02-15", 700 + 2100), ("+05-15", 2100), ("+08-15", 2100), ("+11-15", 2100)]),
]


def _day(spec: str) -> str:
    year = YEAR + 1 if spec.startswith("+") else YEAR
    return f"{year}-{spec.lstrip('+')}"


@pytest.mark.parametrize("mandate", [False, True], ids=["transfer", "direct_debit"])
@pytest.mark.parametrize(("month", "approved", "expected"), CASES)
def test_first_year_pro_rata_for_each_payment_way(
    signed_in, issued_on, month, approved, expected, mandate
):
    issued_on(date(YEAR, *approved))
    citizen, _clerk, notice = _register(
        signed_in, "hund@example.org", date(YEAR, month, 3), mandate
    )
    assert _rows(notice) == [(_day(d), c) for d, c in expected]
    months = 13 - month
    assert notice["periods"][0] == {
        "year": YEAR,
        "first_month": month,
        "last_month": 12,
        "months": months,
        "annual_cents": 8400,
        "monthly_cents": 700,
        "amount_cents": months * 700,
    }
    assert notice["total_cents"] == sum(c for _, c in expected)
    assert notice["collection"] == ("direct_debit" if mandate else "transfer")
    first = notice["instalments"][0]
    paying = citizen.post(
        "/api/payments",
        json={
            "subject_type": "instalment",
            "subject_id": first["id"],
            "provider": "sandbox",
            "return_path": f"/zahlungen/{notice['id']}",
        },
    )
    if mandate:
        assert notice["mandate"]["reference"] and notice["mandate"]["iban"] == "DE89 •••• 3000"
        assert {i["collection"] for i in notice["instalments"]} == {"direct_debit"}
        assert all(i["collection_date"] for i in notice["instalments"])
        assert notice["payable_cents"] == 0 and notice["status"] == "open"
        assert paying.status_code == 409
        assert paying.get_json()["code"] == "notice_collected_by_direct_debit"
    else:
        assert notice["mandate"] is None and notice["payable_cents"] == notice["total_cents"]
        assert paying.status_code == 201, paying.get_json()


def test_october_dog_with_mandate_is_in_the_pain008_file(signed_in, issued_on):
    issued_on(date(YEAR, 10, 20))
    citizen, _clerk, notice = _register(signed_in, "oktober@example.org", date(YEAR, 10, 3), True)
    assert notice["total_cents"] == 2100 and len(notice["instalments"]) == 1
    reference = notice["mandate"]["reference"]
    treasury = signed_in("kasse@example.org", "staff", ("kasse",))
    export = treasury.post("/api/staff/payments/sepa-exports", json={})
    assert export.status_code == 201, export.get_json()
    body = export.get_json()
    assert body["debit_count"] == 1 and body["total_cents"] == 2100
    xml = treasury.get(body["file_url"]).data.decode()
    assert XSD.is_valid(xml)
    (tx,) = ET.fromstring(xml).findall(".//p:DrctDbtTxInf", NS)
    assert tx.find("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", NS).text == reference
    assert tx.find("p:InstdAmt", NS).text == "21.00"
    assert tx.find("p:DbtrAcct/p:Id/p:IBAN", NS).text == "DE89370400440532013000"
    assert notice["kassenzeichen"] in tx.find("p:RmtInf/p:Ustrd", NS).text
    # Exported to the bank: the instalment counts as paid.
    (after,) = citizen.get("/api/notices").get_json()
    assert after["status"] == "paid" and after["instalments"][0]["paid"] is True


# De-registration: event date, what was paid first, expected amounts, refund.
ENDINGS = [
    # Ends in March: January to March owed (21 €), the first instalment covers it.
    (
        (3, 31),
        1,
        [
            ("02-15", 2100, False),
            ("05-15", 2100, True),
            ("08-15", 2100, True),
            ("11-15", 2100, True),
        ],
        0,
    ),
    # Ends in June with nothing paid: 42 € on the first two dates.
    (
        (6, 1),
        0,
        [
            ("02-15", 2100, False),
            ("05-15", 2100, False),
            ("08-15", 2100, True),
            ("11-15", 2100, True),
        ],
        0,
    ),
    # Ends in January after two instalments were paid: 7 € owed, 35 € refunded.
    (
        (1, 20),
        2,
        [
            ("02-15", 2100, False),
            ("05-15", 2100, False),
            ("08-15", 2100, True),
            ("11-15", 2100, True),
        ],
        3500,
    ),
    # Ends in August: 56 € owed; the third instalment is reduced to 14 €.
    (
        (8, 31),
        0,
        [
            ("02-15", 2100, False),
            ("05-15", 2100, False),
            ("08-15", 1400, False),
            ("11-15", 2100, True),
        ],
        0,
    ),
]


@pytest.mark.parametrize(("event", "paid", "expected", "refund"), ENDINGS)
def test_deregistration_ends_the_tax_at_the_month_end(
    signed_in, issued_on, event, paid, expected, refund
):
    issued_on(date(YEAR, 1, 10))
    citizen, clerk, notice = _register(signed_in, "ende@example.org", date(YEAR, 1, 3), False)
    for instalment in notice["instalments"][:paid]:
        pay_notice_instalment(citizen, notice, instalment)
    ended = _deregister(citizen, clerk, date(YEAR, *event))
    assert [(i["due_date"], i["amount_cents"], i["cancelled"]) for i in ended["instalments"]] == [
        (f"{YEAR}-{d}", c, x) for d, c, x in expected
    ]
    owed = sum(c for _, c, x in expected if not x) - refund
    assert ended["total_cents"] == owed
    assert ended["refund_cents"] == refund
    assert ended["ended_on"].startswith(f"{YEAR}-{event[0]:02d}-")
    assert sum(p["amount_cents"] for p in ended["periods"]) == owed


def test_deregistration_cancels_and_reduces_debits_before_export(signed_in, issued_on):
    issued_on(date(YEAR, 1, 10))
    citizen, clerk, _notice = _register(
        signed_in, "lastschrift@example.org", date(YEAR, 1, 3), True
    )
    ended = _deregister(citizen, clerk, date(YEAR, 4, 2))
    # January to April: 28 € = 21 € + 7 €; the rest cancelled.
    assert [(i["amount_cents"], i["cancelled"]) for i in ended["instalments"]] == [
        (2100, False),
        (700, False),
        (2100, True),
        (2100, True),
    ]
    with db.connection_context():
        debits = {
            row.number: SepaDebit.get(SepaDebit.payment == row.payment_id)
            for row in NoticeInstalment.select()
        }
    assert [d.amount_cents for d in debits.values()] == [2100, 700, 2100, 2100]
    assert [d.cancelled_at is not None for d in debits.values()] == [False, False, True, True]
    treasury = signed_in("kasse@example.org", "staff", ("kasse",))
    export = treasury.post("/api/staff/payments/sepa-exports", json={"until": f"{YEAR + 2}-01-01"})
    assert export.get_json()["debit_count"] == 2
    assert export.get_json()["total_cents"] == 2800


def test_one_of_two_dogs_leaves_and_the_rate_drops(signed_in, issued_on):
    issued_on(date(YEAR, 1, 10))
    citizen, clerk, notice = _register(
        signed_in,
        "zwei@example.org",
        date(YEAR, 1, 3),
        False,
        dogs=[{"dog_name": "Bello"}, {"dog_name": "Luna"}],
    )
    assert notice["total_cents"] == 19200  # 2 × 96 €
    ended = _deregister(citizen, clerk, date(YEAR, 6, 15), dog_name="luna")
    # January to June at 192 €, July to December at 84 € for Bello alone.
    assert [(p["first_month"], p["months"], p["amount_cents"]) for p in ended["periods"]] == [
        (1, 6, 9600),
        (7, 6, 4200),
    ]
    assert ended["total_cents"] == 13800
    assert sum(i["amount_cents"] for i in ended["instalments"] if not i["cancelled"]) == 13800


def test_deregistration_of_an_unknown_dog_changes_nothing(signed_in, issued_on):
    issued_on(date(YEAR, 1, 10))
    citizen, clerk, notice = _register(signed_in, "fremd@example.org", date(YEAR, 1, 3), False)
    ended = _deregister(citizen, clerk, date(YEAR, 3, 1), dog_name="Rex")
    assert _rows(ended) == _rows(notice) and ended["ended_on"] is None
