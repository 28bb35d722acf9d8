"""The demo's hand-off targets, configured the way a city configures its own.

The built-in definitions hand nothing off: where a city's applications go (a mailbox,
a FIT-Connect destination, a webhook) is the city's choice, made in the console's
service builder, which stores a new version and publishes it. The demo makes that
choice for two services through the same functions, as the demo admin, so that trying
the demo shows deliveries:

* civil status certificate requests, once paid, go by e-mail to the registry office's
  mailbox, which in development is the outbox (``/dev/outbox``);
* dog tax deregistrations go to FIT-Connect, which without a configured Submission API
  is the built-in destination ("Testmodus").

Neither target makes sense in production (a demo domain's mailbox, a made-up
destination), so production gets none of them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from app.applications import definitions
from app.db import db
from app.models import ServiceDefinitionRecord, User
from app.tasks import config as portal_config

DEMO_TARGETS: Mapping[str, tuple[dict[str, Any], ...]] = MappingProxyType(
    {
        # The registry office works from its mailbox: each request arrives there once it
        # is paid (a paid-first service enters the workflow then).
        "civil_status_certificate": (
            {
                "id": "standesamt_postfach",
                "backend": "email",
                "on": "submitted",
                "label": {"de": "Postfach des Standesamts", "en": "Registry office mailbox"},
                "settings": {
                    "to": "standesamt@demo.buergerportal.de",
                    "subject_prefix": "[Urkunde]",
                },
            },
        ),
        # The tax office's specialist system receives deregistrations through
        # FIT-Connect; the destination id is the demo's own, known to no real network.
        "dog_tax_deregistration": (
            {
                "id": "hundesteuer_fachverfahren",
                "backend": "fit_connect",
                "on": "submitted",
                "label": {
                    "de": "Fachverfahren Hundesteuer (FIT-Connect)",
                    "en": "Dog tax specialist system (FIT-Connect)",
                },
                "settings": {"destination_id": "8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1"},
            },
        ),
    }
)


def _has_targets(data: Mapping[str, Any], targets: tuple[dict[str, Any], ...]) -> bool:
    present = data.get("handoff") or []
    return all(wanted in present for wanted in targets)


def _with_targets(data: Mapping[str, Any], targets: tuple[dict[str, Any], ...]) -> list[Any]:
    # Targets the admin added in the console stay; one of the demo's ids is replaced.
    ids = {wanted["id"] for wanted in targets}
    kept = [item for item in data.get("handoff") or [] if item.get("id") not in ids]
    return kept + [copy.deepcopy(wanted) for wanted in targets]


def configure_service(service_id: str, admin: User) -> ServiceDefinitionRecord | None:
    """Publish a new version of ``service_id`` that hands off to the demo's targets: a
    copy of its newest published version with the targets added, numbered after its
    newest version (drafts included). Nothing when the newest published version already
    hands off to them. Returns the version published, if any."""
    targets = DEMO_TARGETS[service_id]
    with db.atomic():
        newest = definitions.published(service_id)
        if _has_targets(newest.data, targets):
            return None
        highest = (
            ServiceDefinitionRecord.select(ServiceDefinitionRecord.version)
            .where(ServiceDefinitionRecord.service_id == service_id)
            .order_by(ServiceDefinitionRecord.version.desc())
            .first()
        )
        data = copy.deepcopy(newest.data)
        data["version"] = highest.version + 1
        data["handoff"] = _with_targets(newest.data, targets)
        draft = definitions.create_version(data, admin)
        return definitions.publish_draft(draft, admin)


def seed_demo_handoffs(admin: User) -> list[str]:
    """Give the demo's services their hand-off targets (safe to run again; nothing in
    production). Returns the ``service_id@version`` of every version published."""
    if portal_config().get("PORTAL_ENV") == "production":
        return []
    published = []
    for service_id in DEMO_TARGETS:
        record = configure_service(service_id, admin)
        if record is not None:
            published.append(f"{record.service_id}@{record.version}")
    return published
