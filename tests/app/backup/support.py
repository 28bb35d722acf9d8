"""Helpers of the backup tests: a seeded instance, a fresh empty one to restore into,
and what an instance holds (applications, files by hash, permits)."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import peewee
from playhouse.db_url import parse

from app.db import db
from app.models import Application, ParkingPermit
from app.parking import keys
from app.storage import for_config
from tests.api.engine_helpers import save, start
from tests.parking.support import answers, apply_and_pay, only_permit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(64)
FOLDERS = ("attachments/", "documents/", "treasury/")


def seed(signed_in) -> dict[str, Any]:
    """Two citizens: one with a draft holding an upload, one with a paid parking
    permit (a permit, its pass and the documents of the application)."""
    first = signed_in("backup-upload@example.org")
    draft = start(first, "dog_tax_deregistration", {"reason": "given_away"})
    uploaded = first.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": "proof", "file": (io.BytesIO(PDF), "abgabe.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    meta = uploaded.get_json()
    proof = [
        {
            "upload_id": meta["upload_id"],
            "filename": "abgabe.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    ]
    assert save(first, draft, {"reason": "given_away", "proof": proof}).status_code == 200
    second = signed_in("backup-parking@example.org")
    apply_and_pay(second, answers(plate="DN-BK 18"))
    permit = only_permit(second)
    with db.connection_context():
        kid = keys.current_key().kid
    return {"permit": permit, "kid": kid, "upload_id": meta["upload_id"]}


def holdings(config) -> dict[str, Any]:
    """What the instance of ``config`` holds (its database bound): applications,
    permits, and the sha256 of every stored file."""
    store = for_config(config)
    with db.connection_context():
        applications = sorted(str(a.id) for a in Application.select(Application.id))
        permits = sorted((str(p.id), p.number) for p in ParkingPermit.select())
    files = {}
    for folder in FOLDERS:
        for key in store.keys(folder):
            with store.open(key) as handle:
                digest = hashlib.sha256()
                while piece := handle.read(65536):
                    digest.update(piece)
            files[key] = digest.hexdigest()
    return {"applications": applications, "permits": permits, "files": files}


def restore_database_url(source_url: str, tmp_path: Path, suffix: str = "restore") -> str:
    """An empty database of the same kind as ``source_url``: a new SQLite file, or the
    PostgreSQL database ``<name>_<suffix>`` dropped and created again."""
    if source_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / suffix / 'portal.sqlite3'}"
    parts = urlsplit(source_url)
    name = parts.path.lstrip("/") + "_" + suffix
    admin = peewee.PostgresqlDatabase(**parse(source_url))
    admin.connect()
    admin.connection().autocommit = True
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path="/" + name))


def instance_env(app, tmp_path: Path, database_url: str, **more: str) -> dict[str, str]:
    """The environment of another instance with its own folder and database."""
    return {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path / "restore"),
        "DATABASE_URL": database_url,
        "PORTAL_BASE_URL": app.config["BASE_URL"],
        **more,
    }
