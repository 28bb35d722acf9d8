"""Preview and apply an import of the official street list.

Applying stores the whole list as a new ``StreetDirectoryVersion`` in one insert, with
who imported it and when; address checks use it from their next look-up on, in every
process (``app.service_definitions.streets.default_directory``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.accounts import audit
from app.db import db, is_postgres
from app.errors import DomainError
from app.models import ParkingStreetRange, StreetDirectoryVersion, User
from app.service_definitions.streets import (
    current_version_id,
    default_directory,
    directory_from_entries,
    shipped_directory,
    street_key,
)
from app.street_directory import csv_list, report

# The advisory lock's key: any number no other part of the portal uses.
_IMPORT_LOCK = 0x5354_5245  # "STRE"


@dataclass(frozen=True)
class Preview:
    """What an import would change, against the version it was compared with."""

    base_version: int | None
    streets: list[dict[str, Any]]
    report: dict[str, Any]


def current_entries() -> tuple[int | None, list[dict[str, Any]]]:
    """The directory in use as stored entries, with its version id (None: shipped file)."""
    version_id = current_version_id()
    if version_id is None:
        return None, [street.to_dict() for street in shipped_directory().streets]
    return version_id, StreetDirectoryVersion.get_by_id(version_id).streets


def preview(text: str) -> Preview:
    """Read the CSV and report what applying it would change; changes nothing."""
    streets = csv_list.parse(text)
    # The same checks the directory makes when it is built, before anyone relies on it.
    directory_from_entries(default_directory().city, streets)
    base_version, old = current_entries()
    result = report.compare(old, streets)
    result["parking_ranges_left"] = _parking_ranges_left(result["removed"])
    return Preview(base_version, streets, result)


def _parking_ranges_left(removed: list[str]) -> list[str]:
    if not removed:
        return []
    keys = [street_key(name) for name in removed]
    rows = (
        ParkingStreetRange.select(ParkingStreetRange.street)
        .where(ParkingStreetRange.street_key.in_(keys))
        .distinct()
    )
    return sorted({row.street for row in rows}, key=street_key)


def apply(
    text: str,
    actor: User | None,
    file_name: str = "",
    base_version: int | None = None,
    check_base: bool = False,
    ip: str = "",
) -> tuple[StreetDirectoryVersion, Preview]:
    """Store the list as the new directory, all of it or nothing.

    With ``check_base`` the import is refused (conflict) when another import was
    applied after the preview the admin looked at (``base_version``).
    """
    with db.atomic():
        _wait_for_other_imports()
        # Compared only now, under the lock: an import another admin or process applied
        # since this one's preview is seen, and the report is against the list replaced.
        result = preview(text)
        if check_base and result.base_version != base_version:
            raise DomainError(
                "streets_import_outdated", kind="conflict", current=result.base_version
            )
        version = StreetDirectoryVersion.create(
            city=default_directory().city,
            streets=result.streets,
            street_count=len(result.streets),
            file_name=file_name[:200],
            summary=report.summary(result.report),
            created_by=actor,
        )
        audit.record(
            "street_directory_imported",
            actor,
            "street_directory_version",
            version.id,
            ip,
            file_name=file_name[:200],
            **report.summary(result.report),
        )
    return version, result


def _wait_for_other_imports() -> None:
    """Let one import at a time compare and store. SQLite's transactions already take
    the write lock when they begin; PostgreSQL's read committed would let two imports
    read the same current version, so they queue on an advisory lock for the rest of
    the transaction."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_IMPORT_LOCK,))


def history(limit: int = 20) -> list[StreetDirectoryVersion]:
    """The latest imports, newest first."""
    return list(
        StreetDirectoryVersion.select(
            StreetDirectoryVersion.id,
            StreetDirectoryVersion.city,
            StreetDirectoryVersion.street_count,
            StreetDirectoryVersion.file_name,
            StreetDirectoryVersion.summary,
            StreetDirectoryVersion.created_by,
            StreetDirectoryVersion.created_at,
        )
        .order_by(StreetDirectoryVersion.id.desc())
        .limit(limit)
    )


def version_dict(version: StreetDirectoryVersion) -> dict[str, Any]:
    """An import for the console: when, who, which file, the counts."""
    return {
        "id": version.id,
        "file_name": version.file_name,
        "street_count": version.street_count,
        "summary": version.summary,
        "created_at": version.created_at,
        "created_by": version.created_by.email if version.created_by_id else None,
    }
