"""SEPA direct debit: IBAN edge cases, mandate, collection dates, pain.008 against its XSD."""

from __future__ import annotations

import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
import sepaxml
import xmlschema

from app import storage
from app.db import utcnow
from app.errors import DomainError
from app.models import Payment, SepaDebit, SepaExport, SepaMandate
from app.payments import sepa, service, states
from app.payments.providers.sepa import EEA_COUNTRIES
from tests.payments.conftest import application_payable
from tests.payments.helpers import captured

SCHEMAS = Path(sepaxml.__file__).parent / "schemas"  # the ISO 20022 XSDs sepaxml ships
COUNTRIES = EEA_COUNTRIES.split()
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}


def _code(raw: str) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        sepa.check_iban(raw, COUNTRIES)
    [error] = caught.value.field_errors
    assert error.field == "iban"
    return error.code, error.params


@pytest.mark.parametrize(
    ("raw", "compact"),
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("de89370400440532013000", "DE89370400440532013000"),
        (" DE89-3704-0044-0532-0130-00 ", "DE89370400440532013000"),
        ("DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000", "DE89370400440532013000"),
        ("AT61 1904 3002 3457 3201", "AT611904300234573201"),
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ],
)
def test_valid_ibans(raw, compact):
    checked = sepa.check_iban(raw, COUNTRIES)
    assert checked.compact == compact
    assert checked.masked == f"{compact[:4]} •••• {compact[-4:]}"


def test_german_iban_knows_its_bank():
    checked = sepa.check_iban("DE89370400440532013000", COUNTRIES)
    assert checked.bank_name == "Commerzbank" and checked.bic == "COBADEFFXXX"
    assert checked.formatted == "DE89 3704 0044 0532 0130 00"


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        ("", "required", {}),
        ("DE89 3704 0044 0532 0130 01", "iban_checksum", {}),  # one digit mistyped
        ("DE98 3704 0044 0532 0130 00", "iban_checksum", {}),  # check digits swapped
        (
            "DE89 3704 0044 0532 0130 0",
            "iban_length",
            {"country": "DE", "expected": 22, "length": 21},
        ),
        (
            "DE89 3704 0044 0532 0130 000",
            "iban_length",
            {"country": "DE", "expected": 22, "length": 23},
        ),
        ("XX89 3704 0044 0532 0130 00", "iban_country_unknown", {"country": "XX"}),
        ("3704 0044 0532 0130 00", "iban_format", {}),
        ("DE89 3704 0044 0532 0130 0!", "iban_format", {}),
        ("TR33 0006 1005 1978 6457 8413 26", "iban_not_sepa", {"country": "TR"}),
        ("CH93 0076 2011 6238 5295 7", "iban_country_not_allowed", {"country": "CH"}),
        ("GB29 NWBK 6016 1331 9268 19", "iban_country_not_allowed", {"country": "GB"}),
    ],
)
def test_iban_mistakes_get_specific_messages(raw, code, params):
    assert _code(raw) == (code, params)


def test_iban_messages_are_translated():
    from app.i18n import translate

    text = translate("fields.iban_length", "de", country="DE", expected=22, length=21)
    assert "22 Stellen" in text and "21" in text
    assert "Tippfehler" in translate("fields.iban_checksum", "de")


def test_mandate_reference_and_text(ctx):
    reference = sepa.new_mandate_reference("BP")
    assert len(reference) <= 35 and sepa.REFERENCE_PATTERN.match(reference)
    text = sepa.mandate_text(ctx.config, "de", reference, "Erika Mustermann", "DE89 3704 …")
    assert "DE98ZZZ09999999999" in text and reference in text
    assert "acht Wochen" in text and "Erstattung" in text
    assert "Ich ermächtige Stadt Düren" in text and "Erika Mustermann" in text
    english = sepa.mandate_text(ctx.config, "en", reference)
    assert "eight weeks" in english


def test_collection_date_respects_pre_notification_and_weekends(ctx):
    friday = datetime.date(2025, 3, 7)
    # 5 days notice + 1: Thursday 13 March at the earliest.
    assert sepa.collection_date(ctx.config, None, today=friday) == datetime.date(2025, 3, 13)
    # A due date further out is kept, but moved off the weekend.
    assert sepa.collection_date(ctx.config, datetime.date(2025, 3, 15), today=friday) == (
        datetime.date(2025, 3, 17)
    )
    assert sepa.business_day_on_or_after(datetime.date(2025, 12, 25)) == datetime.date(2025, 12, 29)


def _sepa_payment(citizen, amount_cents=2100, **payable_extra):
    result = service.start_payment(
        citizen, application_payable(citizen, amount_cents, **payable_extra), "sepa", "/zahlungen"
    )
    return result


def test_mandate_flow_schedules_a_debit_and_pre_notifies(ctx, citizen):
    from app.mail import read_outbox

    result = _sepa_payment(citizen)
    payment = result.payment
    assert payment.state == states.CREATED
    data = result.action.data
    assert result.action.type == "sepa_mandate"
    assert data["creditor_id"] == "DE98ZZZ09999999999"
    assert data["mandate_reference"] in data["mandate_text"]
    with pytest.raises(DomainError) as no_consent:
        service.give_sepa_mandate(
            payment, citizen, consent=False, account_holder="Erika", iban="DE89370400440532013000"
        )
    assert no_consent.value.field_errors[0].code == "sepa_consent_required"
    with pytest.raises(DomainError):
        service.give_sepa_mandate(
            payment, citizen, consent=True, account_holder="Erika", iban="DE89370400440532013001"
        )
    assert SepaMandate.select().count() == 0
    with captured("payment.succeeded", "payment.pre_notification") as seen:
        done = service.give_sepa_mandate(
            payment,
            citizen,
            consent=True,
            account_holder="Erika Mustermann",
            iban="DE89 3704 0044 0532 0130 00",
            ip="203.0.113.9",
        )
    assert done.state == states.DEBIT_SCHEDULED
    assert states.public_state(done.state) == "succeeded"
    assert [name for name, _ in seen] == ["payment.succeeded", "payment.pre_notification"]
    mandate = SepaMandate.get()
    assert mandate.reference == data["mandate_reference"]
    assert mandate.iban == "DE89370400440532013000" and mandate.ip == "203.0.113.9"
    assert (utcnow() - mandate.signed_at).total_seconds() < 60
    assert "Erika Mustermann" in mandate.mandate_text and "acht Wochen" in mandate.mandate_text
    debit = SepaDebit.get()
    assert debit.collection_date >= utcnow().date() + datetime.timedelta(days=6)
    assert debit.collection_date.weekday() < 5
    pre = seen[1][1]["text"]
    assert "21,00 €" in pre and mandate.reference in pre and "DE89 •••• 3000" in pre
    mails = read_outbox(ctx.config["INSTANCE_PATH"], citizen.email)
    assert mails and "Lastschrift" in mails[0]["subject"]
    # Giving the mandate twice is refused: the payment is no longer waiting for one.
    with pytest.raises(DomainError) as twice:
        service.give_sepa_mandate(
            done, citizen, consent=True, account_holder="X", iban="DE89370400440532013000"
        )
    assert twice.value.code == "payment_not_pending"


def test_existing_mandate_is_reused_and_revocation_stops_reuse(ctx, citizen):
    first = _sepa_payment(citizen).payment
    service.give_sepa_mandate(
        first, citizen, consent=True, account_holder="Erika", iban="DE89370400440532013000"
    )
    mandate = SepaMandate.get()
    second = _sepa_payment(citizen)
    assert second.action.data["mandates"][0]["reference"] == mandate.reference
    reused = service.give_sepa_mandate(
        second.payment, citizen, consent=True, mandate_reference=mandate.reference
    )
    assert reused.state == states.DEBIT_SCHEDULED
    assert SepaMandate.select().count() == 1 and SepaDebit.select().count() == 2
    sepa.revoke_mandate(citizen, mandate.reference)
    third = _sepa_payment(citizen).payment
    with pytest.raises(DomainError) as caught:
        service.give_sepa_mandate(third, citizen, consent=True, mandate_reference=mandate.reference)
    assert caught.value.field_errors[0].code == "sepa_mandate_unknown"


def _schedule(citizen, count: int = 2):
    """``count`` debits: the first gives a mandate, the others reuse it."""
    for index in range(count):
        payment = _sepa_payment(citizen, 2100 + index).payment
        mandate = SepaMandate.select().first()
        if mandate is None:
            service.give_sepa_mandate(
                payment,
                citizen,
                consent=True,
                account_holder="Jürgen Groß-Müller",
                iban="DE02120300000000202051",
            )
        else:
            service.give_sepa_mandate(
                payment, citizen, consent=True, mandate_reference=mandate.reference
            )


def test_pain008_export_validates_against_the_xsd(ctx, citizen):
    _schedule(citizen, 3)
    export = sepa.export_due_debits(ctx.config, utcnow().date() + datetime.timedelta(days=30))
    assert export is not None and export.debit_count == 3 and export.total_cents == 2100 * 3 + 3
    xml = storage.for_config(ctx.config).read(sepa.export_file(ctx.config, export)).decode()
    assert sepa.export_file(ctx.config, export) == f"treasury/{export.file_name}"
    schema = xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.08.xsd"))
    schema.validate(xml)  # raises on any violation
    root = ElementTree.fromstring(xml)
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "63.03"
    batches = {
        b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS): b
        for b in root.findall("p:CstmrDrctDbtInitn/p:PmtInf", namespaces=NS)
    }
    assert sorted(batches) == ["FRST", "RCUR"]
    assert len(batches["FRST"].findall("p:DrctDbtTxInf", namespaces=NS)) == 1
    assert len(batches["RCUR"].findall("p:DrctDbtTxInf", namespaces=NS)) == 2
    for batch in batches.values():
        creditor = batch.findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS)
        assert creditor == "DE98ZZZ09999999999"
        assert batch.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "DE89370400440532013000"
    transactions = root.findall(".//p:DrctDbtTxInf", namespaces=NS)
    assert {t.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) for t in transactions} == {
        "DE02120300000000202051"
    }
    assert {t.findtext("p:Dbtr/p:Nm", namespaces=NS) for t in transactions} == {
        "Juergen Gross-Mueller"
    }
    mandate = SepaMandate.get()
    mandates = {t.findtext(".//p:MndtId", namespaces=NS) for t in transactions}
    assert mandates == {mandate.reference}
    assert mandate.first_used_at is not None
    # Exported once: nothing is due any more.
    assert sepa.export_due_debits(ctx.config, utcnow().date() + datetime.timedelta(days=30)) is None
    assert {d.export_id for d in SepaDebit.select()} == {export.id}


def test_only_due_debits_are_exported(ctx, citizen):
    due_later = datetime.date.today() + datetime.timedelta(days=60)
    payment = _sepa_payment(citizen, due_date=due_later).payment
    service.give_sepa_mandate(
        payment, citizen, consent=True, account_holder="Erika", iban="DE89370400440532013000"
    )
    assert SepaDebit.get().collection_date >= due_later
    assert sepa.export_due_debits(ctx.config) is None  # default horizon: 14 days
    assert sepa.export_due_debits(ctx.config, due_later + datetime.timedelta(days=3)) is not None


def test_pain008_001_02_with_bic(ctx, citizen, settings):
    settings(SEPA_PAIN_VERSION="pain.008.001.02", SEPA_CREDITOR_BIC="COBADEFFXXX")
    _schedule(citizen, 1)
    export = sepa.export_due_debits(ctx.config, utcnow().date() + datetime.timedelta(days=30))
    schema = xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.02.xsd"))
    schema.validate(
        storage.for_config(ctx.config).read(sepa.export_file(ctx.config, export)).decode()
    )
    assert export.pain_schema == "pain.008.001.02"


def test_pain008_001_02_needs_the_creditor_bic(ctx, citizen, settings):
    settings(SEPA_PAIN_VERSION="pain.008.001.02", SEPA_CREDITOR_BIC="")
    _schedule(citizen, 1)
    with pytest.raises(DomainError) as caught:
        sepa.export_due_debits(ctx.config, utcnow().date() + datetime.timedelta(days=30))
    assert caught.value.code == "sepa_creditor_bic_required"
    assert SepaExport.select().count() == 0


def test_cli_export(ctx, citizen, tmp_path):
    _schedule(citizen, 2)
    target = tmp_path / "kasse.xml"
    until = (utcnow().date() + datetime.timedelta(days=30)).isoformat()
    result = ctx.test_cli_runner().invoke(
        args=["payments", "export-sepa", "--until", until, "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "2 debits" in result.output
    xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.08.xsd")).validate(str(target))
    again = ctx.test_cli_runner().invoke(args=["payments", "export-sepa", "--until", until])
    assert "No direct debits are due" in again.output
    assert Payment.select().where(Payment.state == states.DEBIT_SCHEDULED).count() == 2


def test_mandate_form_never_sent_expires(ctx, citizen, settings):
    from datetime import timedelta

    settings(PAYMENT_EXPIRE_AFTER_MINUTES=60)
    payment = _sepa_payment(citizen).payment
    Payment.update(created_at=utcnow() - timedelta(minutes=90)).where(
        Payment.id == payment.id
    ).execute()
    assert service.poll_payments()["expired"] == 1
    expired = Payment.get_by_id(payment.id)
    assert expired.state == states.EXPIRED and expired.reason_code == "P0020"
