"""The summary in Leichte Sprache reaches the PWA: its title in the catalogue, the whole
text with the definition (public, as the PWA keeps both for offline use)."""

from __future__ import annotations

from app.service_definitions import load_builtin


def test_the_catalogue_names_each_services_summary(make_client):
    services = {s["id"]: s for s in make_client().get("/api/services").get_json()}
    assert services["dog_tax_registration"]["leichte_sprache_title"] == (
        "Hund anmelden für die Hunde-Steuer"
    )
    assert all(s["leichte_sprache_title"] for s in services.values())


def test_the_definition_delivers_the_whole_summary(make_client):
    body = make_client().get("/api/services/resident_parking").get_json()
    summary = body["leichte_sprache"]
    assert summary == load_builtin()["resident_parking"].data["leichte_sprache"]
    assert summary["title"] == "Park-Ausweis für Bewohner beantragen"
    headings = [section["heading"] for section in summary["sections"]]
    assert headings[0] == "Worum geht es?" and "Was kostet das?" in headings


def test_the_openapi_document_describes_the_field(make_client):
    document = make_client().get("/api/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert "leichte_sprache" in schemas["ServiceDefinition"]["properties"]
    assert "leichte_sprache_title" in schemas["ServiceSummary"]["properties"]
