"""The demo's hand-off targets, configured the way a city configures its own.

The built-in definitions hand nothing off: where a city's applications go (a mailbox,
a FIT-Connect destination, a webhook) is the city's choice, made in the console's
service builder, which stores a new version and publishes it. The demo makes that
choice for some services through the same functions, as the demo admin, so that trying
the demo shows deliveries:

* civil status certificate requests, once paid, go by e-mail to the registry office's
  mailbox, which in development is the outbox (``/dev/outbox``);
* dog tax deregistrations go to FIT-Connect, which without a configured Submission API
  is the built-in destination ("Testmodus");
* trade notifications, once the trade office has decided, are passed on with the data
  set shaped after XGewerbeanzeige (``docs/gewerbe.md``): registrations through
  FIT-Connect; changes and closings, which have no confirmed LeiKa key for FIT-Connect
  to address them by, by e-mail to the mailbox that passes them on.

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

# The trade office passes a decided notification on (§ 14 Abs. 8 GewO: tax office,
# chambers, statistics); the destination id is the demo's own.
_TRADE_LABEL = {
    "de": "Weitergabe der Gewerbeanzeige",
    "en": "Passing on the trade notification",
}
_TRADE_BY_FIT_CONNECT = (
    {
        "id": "gewerbe_weitergabe",
        "backend": "fit_connect",
        "on": "decided",
        "label": {key: f"{text} (FIT-Connect)" for key, text in _TRADE_LABEL.items()},
        "settings": {"destination_id": "3f0c6c9e-5b7d-4f2a-8a61-2d9e4b7c1e55"},
    },
)
_TRADE_BY_MAIL = (
    {
        "id": "gewerbe_weitergabe",
        "backend": "email",
        "on": "decided",
        "label": _TRADE_LABEL,
        "settings": {
            "to": "gewerbe-weitergabe@demo.buergerportal.de",
            "subject_prefix": "[Gewerbeanzeige]",
        },
    },
)

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
        "business_registration": _TRADE_BY_FIT_CONNECT,
        "business_change": _TRADE_BY_MAIL,
        "business_deregistration": _TRADE_BY_MAIL,
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
