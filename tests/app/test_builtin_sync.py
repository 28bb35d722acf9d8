"""Storing the shipped definitions: new versions go in, a changed file with an old
number stops the start, and a shipped version whose number the city already used for
its own is not stored, and the operator is told."""

from __future__ import annotations

import logging

import pytest

from app.applications import definitions
from app.db import db
from app.models import ServiceDefinitionRecord
from app.service_definitions import loader


def _shipped_as(version: int, title: str) -> dict:
    shipped = loader.load_builtin()["waste_bins"]
    data = shipped.as_dict()
    data["version"] = version
    data["title"] = {**data["title"], "de": title}
    return {"waste_bins": loader.parse_definition(data, "waste_bins.yaml")}


def _newest_builtin() -> ServiceDefinitionRecord:
    return (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.service_id == "waste_bins")
        .order_by(ServiceDefinitionRecord.version.desc())
        .first()
    )


def test_a_city_version_with_the_shipped_number_stays_and_is_named(app, monkeypatch, caplog):
    with db.connection_context():
        newest = _newest_builtin()
        city = loader.parse_definition({**newest.data, "version": newest.version + 1}, "console")
        ServiceDefinitionRecord.create(
            service_id=city.id,
            version=city.version,
            state="published",
            area=city.area,
            data=city.as_dict(),
            fingerprint=city.fingerprint,
            source="admin",
        )
        monkeypatch.setattr(
            definitions, "load_builtin", lambda: _shipped_as(city.version, "Neue Tonnen")
        )
        with caplog.at_level(logging.WARNING, logger=definitions.__name__):
            assert definitions.sync_builtin() == []
        kept = _newest_builtin()
        assert (kept.version, kept.source) == (city.version, "admin")
        assert kept.fingerprint == city.fingerprint
    assert any(
        "waste_bins" in record.getMessage() and "stays in force" in record.getMessage()
        for record in caplog.records
    ), caplog.text


def test_a_changed_shipped_file_with_an_old_number_stops_the_start(app, monkeypatch):
    with db.connection_context():
        newest = _newest_builtin()
        monkeypatch.setattr(
            definitions, "load_builtin", lambda: _shipped_as(newest.version, "Geändert")
        )
        with pytest.raises(definitions.BuiltinChanged, match="raise its version"):
            definitions.sync_builtin()
