"""Applications in the states retention cares about, made through the API."""

from __future__ import annotations

from datetime import datetime, timedelta

from app import storage, stored_files
from app.db import db, utcnow
from app.models import Application, Attachment
from tests.api.engine_helpers import start, submitted
from tests.api.test_attachments import PDF, upload

DAY = timedelta(days=1)


def withdrawn(citizen, service_id: str = "waste_bins", key: str = "submit-1") -> dict:
    """A submitted application the citizen withdrew (a terminal status)."""
    application = submitted(citizen, service_id, key=key)
    response = citizen.post(
        f"/api/applications/{application['id']}/transitions", json={"to": "withdrawn"}
    )
    assert response.status_code == 200, response.get_json()
    return application


def stored(key: str) -> bool:
    """Whether the storage (whichever backend the tests run with) holds ``key``."""
    return storage.current().exists(key)


def draft_with_file(citizen) -> tuple[dict, str]:
    """A draft of the dog tax deregistration with one upload, and its storage key."""
    draft = start(citizen, "dog_tax_deregistration", {"reason": "given_away"})
    response = upload(citizen, draft, PDF)
    assert response.status_code == 201, response.get_json()
    key = stored_files.attachment_key(response.get_json()["upload_id"])
    assert stored(key)
    return draft, key


def exists(application_id: str) -> bool:
    with db.connection_context():
        return Application.select().where(Application.id == application_id).exists()


def attachments_of(application_id: str) -> int:
    with db.connection_context():
        return Attachment.select().where(Attachment.application == application_id).count()


def later(days: float) -> datetime:
    """A moment ``days`` from now (runs are given a future ``now``, rows keep their times)."""
    return utcnow() + timedelta(days=days)


def publish_version(service_id: str, change) -> int:
    """Publish the next version of ``service_id`` with ``change(data)`` applied; its number."""
    import copy

    from app.applications import definitions
    from app.models import User

    with db.connection_context():
        admin = User.get_or_none(User.email == "retention-admin@example.org") or User.create(
            email="retention-admin@example.org", role="admin"
        )
        data = copy.deepcopy(definitions.published(service_id).data)
        data["version"] += 1
        change(data)
        draft = definitions.create_version(data, admin)
        definitions.publish_draft(draft, admin)
        return data["version"]
