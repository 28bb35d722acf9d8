"""Refunds of dog tax paid beyond what a de-registration leaves owed: the account (the
mandate's, or one the citizen names), the treasury's pain.001 file, each refund once."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from app import storage
from app.db import db
from app.errors import DomainError
from app.models import (
    InboxMessage,
    Notice,
    NoticeRefund,
    NotificationMail,
    RefundExport,
    User,
)
from app.payments import refunds
from tests.api import test_dog_tax_notices as dog_tax
from tests.api import test_notification_mails as mails
from tests.api.test_dog_tax_notices import YEAR, _deregister, _register, pay_notice_instalment

# The fixtures those tests use: the day notices are issued on, and a real SMTP server.
issued_on = dog_tax.issued_on
smtp = mails.smtp

XSD = xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"))
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
GOOD_IBAN = "DE02 1203 0000 0000 2020 51"


@pytest.fixture
def treasury(signed_in):
    return signed_in("kasse@example.org", "staff", ("kasse",))


def _paid_twice_then_ended(signed_in, email="erstattung@example.org"):
    """Two instalments paid online, then the dog leaves in January: 35 € back."""
    citizen, clerk, notice = _register(signed_in, email, date(YEAR, 1, 3), False)
    for instalment in notice["instalments"][:2]:
        pay_notice_instalment(citizen, notice, instalment)
    return citizen, _deregister(citizen, clerk, date(YEAR, 1, 20))


def _subjects(email: str) -> list[str]:
    with db.connection_context():
        user = User.get(User.email == email)
        return [m.subject for m in InboxMessage.select().where(InboxMessage.user == user)]


def test_a_refund_without_a_mandate_asks_for_the_account(signed_in, issued_on, smtp):
    issued_on(date(YEAR, 1, 10))
    _citizen, ended = _paid_twice_then_ended(signed_in)
    assert ended["refund_cents"] == 3500
    assert ended["refund"] == {
        "state": "needs_account",
        "amount_cents": 3500,
        "iban": None,
        "account_source": None,
    }
    asking = [s for s in _subjects("erstattung@example.org") if "Bankverbindung" in s]
    assert asking == [
        f"Erstattung zu {ended['kassenzeichen']}: Bitte nennen Sie Ihre Bankverbindung"
    ]
    [mail] = [m for m in smtp.messages_to("erstattung@example.org") if "Erstattung" in m["Subject"]]
    assert ended["kassenzeichen"] in mail["Subject"]
    assert f"/zahlungen/{ended['id']}" in mail.get_body(preferencelist=("plain",)).get_content()
    with db.connection_context():
        assert (
            NotificationMail.select().where(NotificationMail.kind == "refund_account").count() == 1
        )


def test_a_bad_account_is_a_field_error_and_changes_nothing(signed_in, issued_on):
    issued_on(date(YEAR, 1, 10))
    citizen, ended = _paid_twice_then_ended(signed_in)
    url = f"/api/notices/{ended['id']}/refund-account"
    bad = citizen.put(url, json={"account_holder": "Erika Mustermann", "iban": "DE00 1234"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.get_json()["errors"]] == ["iban"]
    english = citizen.put(
        url,
        json={"account_holder": "Erika Mustermann", "iban": "DE00 1234"},
        headers={"Accept-Language": "en"},
    )
    assert english.get_json()["errors"][0]["message"] != bad.get_json()["errors"][0]["message"]
    missing = citizen.put(url, json={"iban": GOOD_IBAN})
    assert missing.status_code == 422
    assert citizen.get(f"/api/notices/{ended['id']}").get_json()["refund"]["state"] == (
        "needs_account"
    )
    stranger = signed_in("fremd@example.org")
    other = stranger.put(url, json={"account_holder": "Max", "iban": GOOD_IBAN})
    assert other.status_code == 404
    with db.connection_context():
        assert NoticeRefund.get().iban == ""


def test_the_treasury_transfers_each_refund_once(signed_in, issued_on, treasury):
    issued_on(date(YEAR, 1, 10))
    citizen, ended = _paid_twice_then_ended(signed_in)
    assert treasury.post("/api/staff/payments/refund-exports").status_code == 409
    given = citizen.put(
        f"/api/notices/{ended['id']}/refund-account",
        json={"account_holder": "Erika Müller", "iban": GOOD_IBAN},
    )
    assert given.status_code == 200, given.get_json()
    assert given.get_json()["refund"] == {
        "state": "scheduled",
        "amount_cents": 3500,
        "iban": "DE02 •••• 2051",
        "account_source": "citizen",
    }
    overview = treasury.get("/api/staff/payments/refund-exports").get_json()
    assert (overview["ready"], overview["ready_cents"], overview["waiting_for_account"]) == (
        1,
        3500,
        0,
    )
    made = treasury.post("/api/staff/payments/refund-exports")
    assert made.status_code == 201, made.get_json()
    export = made.get_json()
    assert (export["refund_count"], export["total_cents"]) == (1, 3500)
    xml = treasury.get(export["file_url"]).get_data()
    XSD.validate(xml)
    root = ET.fromstring(xml)
    assert root.findtext(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        GOOD_IBAN.replace(" ", "")
    )
    assert root.findtext(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=NS) == "35.00"
    assert root.findtext(".//p:CdtTrfTxInf/p:Cdtr/p:Nm", namespaces=NS) == "Erika Mueller"
    assert ended["kassenzeichen"] in root.findtext(".//p:RmtInf/p:Ustrd", namespaces=NS)
    # Sent once: the next file has nothing, and the account can no longer change.
    assert treasury.post("/api/staff/payments/refund-exports").status_code == 409
    late = citizen.put(
        f"/api/notices/{ended['id']}/refund-account",
        json={"account_holder": "Erika Müller", "iban": GOOD_IBAN},
    )
    assert late.status_code == 409
    shown = citizen.get(f"/api/notices/{ended['id']}").get_json()["refund"]
    assert shown == {
        "state": "sent",
        "amount_cents": 3500,
        "iban": "DE02 •••• 2051",
        "account_source": "citizen",
    }
    assert f"Erstattung zu {ended['kassenzeichen']} überwiesen" in _subjects(
        "erstattung@example.org"
    )


def test_citizens_cannot_export_refunds(signed_in, issued_on):
    issued_on(date(YEAR, 1, 10))
    citizen, _ended = _paid_twice_then_ended(signed_in)
    assert citizen.post("/api/staff/payments/refund-exports").status_code == 403
    clerk = signed_in("clerk@example.org", "staff", ("hundesteuer",))
    assert clerk.post("/api/staff/payments/refund-exports").status_code == 403


def test_a_collected_direct_debit_is_refunded_to_the_mandate_account(
    signed_in,
    issued_on,
    treasury,
    smtp,
):
    issued_on(date(YEAR, 1, 10))
    citizen, clerk, _notice = _register(
        signed_in, "lastschrift@example.org", date(YEAR, 1, 3), True
    )
    debits = treasury.post("/api/staff/payments/sepa-exports", json={"until": f"{YEAR + 2}-01-01"})
    assert debits.get_json()["total_cents"] == 8400
    ended = _deregister(citizen, clerk, date(YEAR, 1, 20))
    # January only: 7 € owed of the 84 € collected.
    assert ended["refund"] == {
        "state": "scheduled",
        "amount_cents": 7700,
        "iban": "DE89 •••• 3000",
        "account_source": "mandate",
    }
    assert not [m for m in smtp.messages if "Erstattung" in m["Subject"]]
    made = treasury.post("/api/staff/payments/refund-exports").get_json()
    root = ET.fromstring(treasury.get(made["file_url"]).get_data())
    assert root.findtext(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        "DE89370400440532013000"
    )


def test_settling_again_adjusts_the_open_refund_and_keeps_what_was_sent(signed_in, issued_on, app):
    issued_on(date(YEAR, 1, 10))
    _citizen, ended = _paid_twice_then_ended(signed_in)
    with db.connection_context():
        notice = Notice.get(Notice.public_id == ended["id"])
        assert refunds.settle(notice).amount_cents == 3500
        assert NoticeRefund.select().count() == 1
        refunds.give_account(notice.user, notice, "Erika Mustermann", GOOD_IBAN, ["DE"])
        refunds.export_due(app.config)
        # The end is corrected to an earlier month: 7 € more to give back.
        notice.details = dict(notice.details, refund_cents=4200)
        Notice.update(details=notice.details).where(Notice.id == notice.id).execute()
        extra = refunds.settle(notice)
        assert extra.amount_cents == 700 and extra.iban == ""
        assert refunds.settle(notice).id == extra.id
        assert [r.amount_cents for r in NoticeRefund.select().order_by(NoticeRefund.id)] == [
            3500,
            700,
        ]
        # Corrected back: nothing more is owed, the open part goes; the sent part stays.
        notice.details = dict(notice.details, refund_cents=3500)
        Notice.update(details=notice.details).where(Notice.id == notice.id).execute()
        assert refunds.settle(notice) is None
        assert [r.amount_cents for r in NoticeRefund.select()] == [3500]
        assert refunds.summary(notice)["state"] == "sent"


def test_the_command_line_writes_the_file_once(signed_in, issued_on, app, tmp_path):
    issued_on(date(YEAR, 1, 10))
    citizen, ended = _paid_twice_then_ended(signed_in)
    citizen.put(
        f"/api/notices/{ended['id']}/refund-account",
        json={"account_holder": "Erika Mustermann", "iban": GOOD_IBAN},
    )
    target = tmp_path / "erstattungen.xml"
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["payments", "export-refunds", "--output", str(target)])
        again = runner.invoke(args=["payments", "export-refunds"])
    assert result.exit_code == 0, result.output
    assert "1 refunds, 35,00 EUR" in result.output
    XSD.validate(str(target))
    assert "No refunds with a bank account are waiting" in again.output


def test_the_older_pain001_version_on_request(signed_in, issued_on, app):
    issued_on(date(YEAR, 1, 10))
    citizen, ended = _paid_twice_then_ended(signed_in)
    citizen.put(
        f"/api/notices/{ended['id']}/refund-account",
        json={"account_holder": "Erika Mustermann", "iban": GOOD_IBAN},
    )
    with db.connection_context():
        xml, _message_id = refunds.build_pain001(
            dict(app.config, SEPA_TRANSFER_PAIN_VERSION="pain.001.001.03"), refunds.due_refunds()
        )
    schemas = Path(sepaxml.__file__).parent / "schemas"
    xmlschema.XMLSchema(str(schemas / "pain.001.001.03.xsd")).validate(xml)


def test_an_unknown_transfer_format_stops_the_start(tmp_path):
    from app.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="SEPA_TRANSFER_PAIN_VERSION"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "SEPA_TRANSFER_PAIN_VERSION": "pain.001"})


def test_two_exports_at_once_send_each_refund_once(signed_in, issued_on, app, monkeypatch):
    issued_on(date(YEAR, 1, 10))
    citizen, ended = _paid_twice_then_ended(signed_in)
    citizen.put(
        f"/api/notices/{ended['id']}/refund-account",
        json={"account_holder": "Erika Mustermann", "iban": GOOD_IBAN},
    )
    files = storage.for_config(app.config)
    before = set(files.keys("treasury/pain001-"))
    with db.connection_context():
        # The second export read the refunds before the first one took them.
        seen = refunds.due_refunds()
        first = refunds.export_due(app.config)
        monkeypatch.setattr(refunds, "due_refunds", lambda: seen)
        with pytest.raises(DomainError) as refused:
            refunds.export_due(app.config)
        assert refused.value.code == "refund_export_running"
        assert RefundExport.select().count() == 1
        assert NoticeRefund.get().export_id == first.record.id
        # Nor can the account of a refund in a file change any more.
        notice = Notice.get(Notice.public_id == ended["id"])
        monkeypatch.setattr(refunds, "open_refund", lambda _notice: seen[0])
        with pytest.raises(DomainError):
            refunds.give_account(notice.user, notice, "Max Muster", GOOD_IBAN, ["DE"])
        assert NoticeRefund.get().account_holder == "Erika Mustermann"
    made = set(files.keys("treasury/pain001-")) - before
    assert made == {f"treasury/{first.record.file_name}"}
