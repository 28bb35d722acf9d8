"""Command-line tasks: ``flask db``, ``flask users``, ``flask seed-demo``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import migrations
from app.db import db
from app.models.accounts import ROLES


def register(app: Flask) -> None:
    """Attach the portal's commands to ``app``."""
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(sessions_group)
    app.cli.add_command(passes_group)
    app.cli.add_command(streets_group)
    app.cli.add_command(statistics_group)


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    from app.applications.definitions import sync_builtin

    ran = migrations.upgrade(db.obj)
    click.echo("Applied: " + ", ".join(ran) if ran else "Database is up to date.")
    added = sync_builtin()
    if added:
        click.echo("Built-in services stored: " + ", ".join(added))


@db_group.command("status")
def db_status() -> None:
    """List applied and pending migrations."""
    for name in migrations.applied(db.obj):
        click.echo(f"applied  {name}")
    for name in migrations.pending(db.obj):
        click.echo(f"pending  {name}")


@click.group("users")
def users_group() -> None:
    """Staff, officer and admin accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--area", "areas", multiple=True, help="Service area (staff), repeatable.")
def users_create(email: str, role: str, areas: tuple[str, ...]) -> None:
    """Create a user with a role; they sign in with an e-mail code and add a passkey."""
    from app.accounts import audit, users
    from app.errors import DomainError

    try:
        normalised = users.normalise_email(email)
    except DomainError as exc:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL") from exc
    if users.find_by_email(normalised):
        raise click.ClickException(
            f"{normalised} already has an account; use 'flask users set-role'."
        )
    user = users.create_user(normalised, role, list(areas))
    audit.record("user_created_cli", None, "user", user.id, role=role, areas=list(areas))
    click.echo(f"Created {role} {normalised}" + (f" for {', '.join(areas)}" if areas else ""))


@users_group.command("set-role")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--area", "areas", multiple=True, help="Service area (staff), repeatable.")
def users_set_role(email: str, role: str, areas: tuple[str, ...]) -> None:
    """Change a user's role and service areas."""
    from app.accounts import users

    user = users.find_by_email(email.strip().lower())
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    users.set_role(user, role, list(areas), None, "cli")
    click.echo(f"{user.email} is now {role}")


@click.group("sessions")
def sessions_group() -> None:
    """Sign-in sessions."""


@sessions_group.command("purge")
def sessions_purge() -> None:
    """Delete expired sessions."""
    from app.accounts import sessions

    click.echo(f"Deleted {sessions.purge_expired()} expired sessions.")


@click.group("statistics")
def statistics_group() -> None:
    """The statistics' daily aggregate."""


@statistics_group.command("aggregate")
def statistics_aggregate() -> None:
    """Bring the daily aggregate up to date now (what the nightly job does; the first
    run on a large database takes minutes, better here than in a web request)."""
    from app.statistics import aggregation

    run = aggregation.run()
    click.echo(f"Aggregated {run.days} days (up to {run.through_day}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo accounts and print how to sign in as each."""
    from app.demo import seed_demo

    base = current_app.config["BASE_URL"]
    accounts = seed_demo()
    click.echo("")
    click.echo("Demo accounts (sign in with the e-mail code; the code appears in the outbox):")
    for account in accounts:
        click.echo(f"  {account.what:<16} {account.email}")
    click.echo(f"  Sign in:  {base}/anmelden")
    click.echo(f"  Outbox:   {base}/dev/outbox")
    click.echo(f"  API docs: {base}/api/docs")


@click.group("passes")
def passes_group() -> None:
    """Parking pass signing keys (key set, rotation)."""


@passes_group.command("rotate-key")
@with_appcontext
def passes_rotate_key() -> None:
    """Make a new signing key current; the old one only verifies until its passes expire."""
    from app.parking import keys
    from app.passes.keyset import b64url

    store = keys.keystore()
    before = [r for r in store.records() if r.status == "current"]
    key = keys.rotate()
    if before:
        click.echo(f"Retired key {b64url(before[0].kid)} (private key deleted).")
    click.echo(f"New current key {b64url(key.kid)} (in the database, for every node).")
    click.echo("Scanners pick up the new key with their next key set sync.")


@passes_group.command("keyset")
@with_appcontext
def passes_keyset() -> None:
    """Print the published key set (JSON), as /api/passes/keyset serves it."""
    import json

    from app.parking import keys

    click.echo(json.dumps(keys.keyset(), indent=2, ensure_ascii=False))


@passes_group.command("prune-keys")
@with_appcontext
def passes_prune_keys() -> None:
    """Delete retired keys whose passes have all expired."""
    from app.parking import keys
    from app.passes.keyset import b64url

    removed = keys.keystore().prune()
    click.echo(
        "Removed: " + ", ".join(b64url(kid) for kid in removed) if removed else "Nothing to prune."
    )


@click.group("streets")
def streets_group() -> None:
    """The city's street directory."""


@streets_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only report what would change.")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", help="Language of errors.")
@with_appcontext
def streets_import(file: str, dry_run: bool, lang: str) -> None:
    """Import the official street list (CSV) as the directory addresses are checked against."""
    from pathlib import Path

    from app.errors import DomainError
    from app.i18n import translate
    from app.street_directory import importing, report

    raw = Path(file).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        if dry_run:
            result = importing.preview(text)
        else:
            version, result = importing.apply(text, None, file_name=Path(file).name)
    except DomainError as exc:
        for error in exc.field_errors:
            click.echo(translate(f"fields.{error.code}", lang, **error.params), err=True)
        raise click.ClickException(
            "Nothing was imported." if lang == "en" else "Es wurde nichts importiert."
        ) from exc
    for line in report.as_text(result.report):
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    else:
        click.echo(f"Imported as version {version.id}.")
