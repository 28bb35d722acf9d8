"""``flask retention run [--dry-run]``: delete what expired now, or only list it."""

from __future__ import annotations

import click

from app.retention import runs


def _line(entry: runs.ServiceReport) -> str:
    rule = entry.rule
    oldest = entry.oldest.date().isoformat() if entry.oldest else "-"
    held = ", ".join(f"{reason} {count}" for reason, count in sorted(entry.held_by.items()))
    return (
        f"{rule.service_id}@{rule.version} (drafts {rule.drafts_days} d, "
        f"closed {rule.closed_days} d): {entry.drafts} drafts, {entry.closed} closed, "
        f"oldest since {oldest}; held {entry.held}" + (f" ({held})" if held else "")
    )


@click.group("retention")
def retention_group() -> None:
    """Retention: delete applications whose retention period ended."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Only list what a run would delete.")
def run_command(dry_run: bool) -> None:
    """Delete expired drafts and closed applications (with their files) in every service,
    and erase the reporter's data of defect reports closed long enough."""
    if dry_run:
        for entry in runs.report():
            click.echo(_line(entry))
        reports = runs.reports_report()
        oldest = reports.oldest.date().isoformat() if reports.oldest else "-"
        click.echo(
            f"defect reports (personal data {reports.days} d after closing): "
            f"{reports.erased} to erase, oldest closed {oldest}"
        )
        click.echo("Dry run: nothing was deleted.")
        return
    record = runs.run(started_by="cli")
    click.echo(
        f"Run {record.id}: deleted {record.deleted_drafts} drafts and "
        f"{record.deleted_closed} closed applications; {record.held} held; "
        f"erased the reporter's data of {record.erased_reports} defect reports."
    )
