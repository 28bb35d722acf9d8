"""``flask payments``: treasury export, polling, notice import, transfer received."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app


def _copy_out(key: str, output: Path) -> None:
    """Copy the stored file ``key`` to ``output``, piece by piece."""
    from app import storage
    from app.storage.base import chunks

    with storage.for_config(current_app.config).open(key) as source, output.open("wb") as target:
        for piece in chunks(source):
            target.write(piece)


@click.group("payments")
def payments_group() -> None:
    """Payments: SEPA debit and refund files for the treasury, polling, notices."""


@payments_group.command("export-sepa")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Export debits due up to this day (default: in 14 days).",
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Copy the file here."
)
def export_sepa(until, output: Path | None) -> None:
    """Write every due SEPA direct debit into one pain.008 file."""
    from app.payments import sepa

    day: date | None = until.date() if until else None
    export = sepa.export_due_debits(current_app.config, day)
    if export is None:
        click.echo("No direct debits are due.")
        return
    path = sepa.export_file(current_app.config, export)
    if output:
        _copy_out(path, output)
        path = output
    total = f"{export.total_cents / 100:.2f}".replace(".", ",")
    click.echo(
        f"{export.debit_count} debits, {total} EUR, message {export.message_id} "
        f"({export.pain_schema}): {path}"
    )


@payments_group.command("export-refunds")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Copy the file here."
)
def export_refunds(output: Path | None) -> None:
    """Write every notice refund that has an account into one pain.001 transfer file."""
    from app.accounts import audit
    from app.payments import refunds

    export = refunds.export_due(current_app.config)
    if export is None:
        click.echo("No refunds with a bank account are waiting.")
        return
    audit.record("refunds_exported", None, "refund_export", export.record.id, via="cli")
    path = refunds.export_path(current_app.config, export.record)
    if output:
        _copy_out(path, output)
        path = output
    total = f"{export.record.total_cents / 100:.2f}".replace(".", ",")
    click.echo(
        f"{export.record.refund_count} refunds, {total} EUR, message "
        f"{export.record.message_id} ({export.record.pain_schema}): {path}"
    )


@payments_group.command("poll")
def poll() -> None:
    """Ask the providers about open payments now (the worker does this every few minutes)."""
    from app.payments.service import poll_payments

    result = poll_payments()
    click.echo(
        f"Checked {result['checked']}, changed {result['changed']}, expired {result['expired']}."
    )


@payments_group.command("import-notices")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_notices(csv_file: Path) -> None:
    """Import notices from the finance system's CSV (see docs/payments.md)."""
    from app.errors import DomainError
    from app.i18n import translate
    from app.payments import notices

    raw = csv_file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        result = notices.import_csv(text, None)
    except DomainError as exc:
        for error in exc.field_errors:
            click.echo(
                f"  {error.field}: {translate('fields.' + error.code, 'de', **error.params)}",
                err=True,
            )
        raise click.ClickException("The file has errors; nothing was imported.") from exc
    click.echo(f"Created {len(result.created)} notices, skipped {len(result.skipped)}.")
    for skipped in result.skipped:
        click.echo(
            f"  skipped line {skipped['line']} ({skipped['kassenzeichen']}): {skipped['reason']}"
        )


@payments_group.command("mark-received")
@click.argument("reference")
def mark_received(reference: str) -> None:
    """A bank transfer arrived: REFERENCE is the Kassenzeichen or the payment id."""
    from app.models import Payment
    from app.payments import service

    payment = (
        Payment.select()
        .where(
            (Payment.provider == "transfer")
            & ((Payment.kassenzeichen == reference) | (Payment.public_id == reference))
        )
        .order_by(Payment.id.desc())
        .first()
    )
    if payment is None:
        raise click.ClickException(f"No bank transfer payment with {reference}.")
    updated = service.mark_transfer_received(payment, None, "cli")
    click.echo(f"Payment {updated.public_id} is {updated.state}.")


DEMO_CITIZEN = "buerger@demo.buergerportal.de"


@payments_group.command("seed-demo")
def seed_demo() -> None:
    """A dog tax notice for the demo citizen, to try paying (e.g. in the sandbox)."""
    from app.db import utcnow
    from app.models import Notice, User
    from app.payments import notices

    user = User.get_or_none(User.email == DEMO_CITIZEN)
    if user is None:
        raise click.ClickException("No demo citizen yet: run 'flask seed-demo' first.")
    today = utcnow().date()
    last_due = current_app.config["PAYMENT_QUARTERLY_DUE_DATES"][-1]
    # This year's notice while an instalment is still ahead, else next year's.
    year = today.year if today.strftime("%m-%d") <= last_due else today.year + 1
    kassenzeichen = f"HST-{year}-DEMO"
    yearly = _one_dog_tax_cents()
    euros = f"{yearly // 100}" if yearly % 100 == 0 else f"{yearly / 100:.2f}".replace(".", ",")
    if Notice.select().where(Notice.kassenzeichen == kassenzeichen).exists():
        click.echo(f"Demo notice {kassenzeichen} exists.")
        return
    notices.create_notice(
        user,
        kind="dog_tax",
        title=f"Hundesteuer {year}",
        description=f"Ein Hund: {euros} € im Jahr, fällig in vier Raten.",
        kassenzeichen=kassenzeichen,
        instalments=notices.quarterly_instalments(
            year, yearly, current_app.config["PAYMENT_QUARTERLY_DUE_DATES"]
        ),
        actor=None,
        source="demo",
    )
    click.echo(
        f"Demo notice {kassenzeichen} ({yearly / 100:.2f} EUR in four instalments) "
        f"for {DEMO_CITIZEN}."
    )


def _one_dog_tax_cents() -> int:
    """The city's yearly dog tax for one dog, from its dog tax definition's fee table."""
    from app.service_definitions import load_builtin

    definition = load_builtin()["dog_tax_registration"]
    rule = next(r for r in definition.data["fees"]["rules"] if r["id"] == "dog_tax")
    return int(next(tier["unit_cents"] for tier in rule["tiers"] if tier["from"] == 1))
