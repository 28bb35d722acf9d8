"""The e-mail backend: the application to a department mailbox, over real SMTP."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app import tasks
from app.db import db, utcnow
from app.handoff import outbox
from app.handoff.backends.email import EmailBackend
from app.handoff.document import build
from app.mail import read_outbox
from app.models import Application, HandoffDelivery
from app.service_definitions import DefinitionError, parse_definition
from tests.api.engine_helpers import submitted
from tests.fakes.smtp_server import SmtpServer
from tests.handoff.support import publish_with, target
from tests.push.portal import set_config
from tests.service_definitions.support import sample_data

MAILBOX = "abfall-fach@stadt-dueren.example"


@pytest.fixture
def smtp(app, monkeypatch):
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    with SmtpServer() as server:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
        )
        yield server


def _mail_target(**settings):
    return target("postfach", backend="email", **({"to": MAILBOX} | settings))


def _row(application_id: str) -> HandoffDelivery:
    with db.connection_context():
        return HandoffDelivery.get(HandoffDelivery.application == application_id)


def _files(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_the_application_reaches_the_mailbox_with_receipt_and_json(smtp, signed_in):
    publish_with("waste_bins", _mail_target(subject_prefix="[Portal]"))
    application = submitted(signed_in("mail@example.org"), "waste_bins")

    [message] = smtp.messages_to(MAILBOX)
    key = f"{application['id']}.postfach"
    assert message["Message-ID"] == f"<handoff.{key}@localhost>"
    assert message["Subject"] == (
        f"[Portal] Antrag {application['reference']} – "
        "Abfallbehälter bestellen, ändern oder abbestellen"
    )
    files = _files(message)
    [pdf_name] = [name for name in files if name.endswith(".pdf")]
    assert files[pdf_name].startswith(b"%PDF")
    data = json.loads(files["application.json"])
    assert data["format"] == "buergerportal.application"
    assert data["application"]["id"] == application["id"]
    assert data["applicant"]["email"] == "mail@example.org"
    # The mail's text names no person: the data travels in the attachments.
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "mail@example.org" not in body and application["reference"] in body

    row = _row(application["id"])
    assert (row.state, row.remote_id) == ("delivered", message["Message-ID"])


def test_a_mail_server_that_is_away_is_tried_again(smtp, signed_in):
    publish_with("waste_bins", _mail_target())
    smtp.refuse_next(1)
    application = submitted(signed_in("greylist@example.org"), "waste_bins")
    row = _row(application["id"])
    assert (row.state, row.last_error) == ("waiting", "mail server answered SMTP 451")
    assert smtp.messages == []

    with db.connection_context():
        outbox.sweep(utcnow() + timedelta(seconds=31))
    assert len(smtp.messages_to(MAILBOX)) == 1
    assert _row(application["id"]).state == "delivered"


def test_a_mail_sent_again_after_a_crash_is_the_same_message(smtp, signed_in, app):
    publish_with("waste_bins", _mail_target())
    application = submitted(signed_in("twice@example.org"), "waste_bins")
    row = _row(application["id"])
    with db.connection_context():
        document = build(Application.get_by_id(application["id"]))
        EmailBackend(tasks.config()).deliver(outbox.delivery_of(row), document)
    first, second = smtp.messages_to(MAILBOX)
    assert first["Message-ID"] == second["Message-ID"]


def test_without_a_mail_server_the_mail_lands_in_the_outbox(app, signed_in):
    publish_with("waste_bins", _mail_target())
    application = submitted(signed_in("outbox@example.org"), "waste_bins")
    [mail] = read_outbox(app.config["INSTANCE_PATH"], MAILBOX)
    assert application["reference"] in mail["subject"]
    assert "application.json" in mail["attachments"]
    assert any(name.endswith(".pdf") for name in mail["attachments"])
    assert _row(application["id"]).state == "delivered"


@pytest.mark.parametrize(
    ("settings", "problems"),
    [
        ({"to": MAILBOX}, []),
        ({"to": MAILBOX, "subject_prefix": "[Hundesteuer]"}, []),
        ({}, ["to: the mailbox address is required"]),
        ({"to": "abfall at stadt"}, ["to: not an e-mail address"]),
        ({"to": "a@b.invalid"}, ["to: not an e-mail address"]),
        ({"to": MAILBOX, "cc": "x@example.org"}, ["cc: unknown setting"]),
        ({"to": MAILBOX, "subject_prefix": 3}, ["subject_prefix: text of at most 60 characters"]),
        (
            {"to": MAILBOX, "subject_prefix": "[Hund]\r\nBcc: alle@example.org"},
            ["subject_prefix: must not contain line breaks or other control characters"],
        ),
        (
            {"to": MAILBOX, "subject_prefix": "[Hund]\x00"},
            ["subject_prefix: must not contain line breaks or other control characters"],
        ),
        (
            {"to": MAILBOX, "subject_prefix": "[Hund]\u2028"},
            ["subject_prefix: must not contain line breaks or other control characters"],
        ),
        (
            {"to": MAILBOX + "\n"},
            ["to: must not contain line breaks or other control characters"],
        ),
        (
            {"to": MAILBOX + "\r\nBcc: alle@example.org"},
            ["to: must not contain line breaks or other control characters"],
        ),
    ],
)
def test_check_target(settings, problems):
    assert EmailBackend({}).check_target(settings) == problems


def test_a_definition_with_a_bad_mailbox_fails_at_the_setting():
    data = sample_data()
    data["handoff"] = [{"id": "postfach", "backend": "email", "on": "submitted", "settings": {}}]
    data["handoff"][0]["settings"] = {"to": "nobody"}
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, "sample.yaml")
    [problem] = raised.value.problems
    assert problem.path == "handoff[0].settings.to"
    assert problem.text == "hand-off backend 'email': to: not an e-mail address"


def test_a_subject_prefix_with_a_line_break_fails_at_the_setting():
    data = sample_data()
    data["handoff"] = [
        {
            "id": "postfach",
            "backend": "email",
            "on": "submitted",
            "settings": {"to": MAILBOX, "subject_prefix": "[Hund]\nBcc: alle@example.org"},
        }
    ]
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, "sample.yaml")
    [problem] = raised.value.problems
    assert problem.path == "handoff[0].settings.subject_prefix"
    assert problem.text == (
        "hand-off backend 'email': subject_prefix: must not contain line breaks or other "
        "control characters"
    )
