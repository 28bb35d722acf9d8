"""``flask storage``: check the configured storage, copy every stored file to another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from app.storage import for_config
from app.storage.base import Storage, StorageUnavailable, backends

# Every folder of stored files (``docs/storage.md``); the local backend's root, the
# instance folder, also holds the database, keys and the outbox, which are no such files.
PREFIXES = ("attachments/", "documents/", "treasury/")


def storage_named(config: Mapping[str, Any], name: str) -> Storage:
    """The backend ``name`` with the settings of ``config`` (a ClickException when they
    do not suffice)."""
    cls = backends.find(name)
    if cls is None:
        raise click.ClickException(
            f"unknown storage {name!r} (one of {', '.join(backends.names())})"
        )
    settings = dict(config, PORTAL_STORAGE=name)
    problems = cls.problems(settings)
    if problems:
        raise click.ClickException("; ".join(problems))
    return for_config(settings)


def copy_all(source: Storage, target: Storage, echo=lambda _line: None) -> tuple[int, int]:
    """Copy every stored file from ``source`` to ``target``, streamed; files ``target``
    has already (same size) are skipped, so an interrupted copy can run again.
    Returns (copied, skipped)."""
    copied = skipped = 0
    for prefix in PREFIXES:
        have = {entry.key: entry.size for entry in target.entries(prefix)}
        for entry in source.entries(prefix):
            if have.get(entry.key) == entry.size:
                skipped += 1
                continue
            with source.open(entry.key) as handle:
                target.put(entry.key, handle)
            copied += 1
            echo(entry.key)
    return copied, skipped


@click.group("storage")
def storage_group() -> None:
    """Stored files: check the storage, copy the files to another backend."""


@storage_group.command("check")
@with_appcontext
def check() -> None:
    """Check that the configured storage can be used."""
    config = current_app.config
    try:
        for_config(config).check()
    except StorageUnavailable as exc:
        raise click.ClickException(f"{config['PORTAL_STORAGE']}: {exc}") from exc
    click.echo(f"{config['PORTAL_STORAGE']}: ok")


@storage_group.command("copy")
@click.option("--to", "target_name", required=True, help="Backend to copy to (postgres, s3).")
@click.option(
    "--from", "source_name", default=None, help="Backend to copy from (default: PORTAL_STORAGE)."
)
@click.option("--verbose", is_flag=True, help="Name every file copied.")
@with_appcontext
def copy(target_name: str, source_name: str | None, verbose: bool) -> None:
    """Copy every stored file to another backend (then switch PORTAL_STORAGE to it)."""
    config = current_app.config
    source = storage_named(config, source_name or config["PORTAL_STORAGE"])
    target = storage_named(config, target_name)
    if type(source) is type(target) and source_name == target_name:
        raise click.ClickException("source and target are the same storage")
    copied, skipped = copy_all(source, target, click.echo if verbose else lambda _line: None)
    click.echo(f"Copied {copied} files to {target_name}; {skipped} were there already.")
