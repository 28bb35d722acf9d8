"""Stored definition versions say what the engine used to assume for them.

Until now the engine treated ``approved``/``rejected`` as the decisions, handed
automatic decisions over to ``in_review`` and chose a fee notice's kind by service
area. Definitions now say so themselves (``decision``, ``handover``,
``notice_kind``); versions stored before that get the same meaning written in, so
applications started on them behave as before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import peewee

from app.migrations import Step

# What the engine assumed before definitions said it.
_DECISIONS = {"approved": "positive", "rejected": "negative"}
_HANDOVER = "in_review"
_NOTICE_KINDS = {"hundesteuer": "dog_tax", "abfall": "waste_fees"}


def said(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the former assumptions written in (where it does not say them)."""
    workflow = data["workflow"]
    for status in workflow["statuses"]:
        if status["id"] in _DECISIONS:
            status.setdefault("decision", _DECISIONS[status["id"]])
    handover_row = any(
        row["from"] == workflow["initial"] and row["to"] == _HANDOVER and row["actor"] == "system"
        for row in workflow["transitions"]
    )
    if handover_row:
        workflow.setdefault("handover", _HANDOVER)
    payment = data["payment"]
    if payment["policy"] == "after_decision":
        payment.setdefault("notice_kind", _NOTICE_KINDS.get(data.get("area", ""), "fee"))
    return data


def _fingerprint(data: dict[str, Any]) -> str:
    # As ServiceDefinition.fingerprint computes it.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade(step: Step) -> None:
    table = peewee.Table("service_definition", ("id", "data", "fingerprint")).bind(step.database)
    for row in list(table.select(table.id, table.data).dicts()):
        data = said(json.loads(row["data"]))
        table.update(
            data=json.dumps(data, ensure_ascii=False, sort_keys=True),
            fingerprint=_fingerprint(data),
        ).where(table.id == row["id"]).execute()
