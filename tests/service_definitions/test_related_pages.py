"""Links on a service's start page (``related_pages``): only pages the PWA has, each
once; the housing benefit's start page links to the estimate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.links import RELATED_PAGES
from app.service_definitions import DefinitionError, parse_definition

from .support import sample_data, text

ROUTES_JS = Path(__file__).parents[2] / "pwa" / "src" / "routes.js"


def _pwa_routes() -> set[str]:
    return set(re.findall(r'^\s*\["(/[^"]*)",', ROUTES_JS.read_text(encoding="utf-8"), re.M))


def test_every_page_a_service_may_link_to_is_a_route_of_the_pwa():
    routes = _pwa_routes()
    assert "/leistungen/:serviceId" in routes  # the pattern reads the file as it is
    assert set(RELATED_PAGES) - routes == set()
    # Only fixed public pages: a parameter would need a value the definition cannot know.
    assert all(":" not in path for path in RELATED_PAGES)


def _with(*pages: dict) -> dict:
    data = sample_data()
    data["related_pages"] = list(pages)
    return data


@pytest.mark.parametrize(
    ("pages", "path", "message"),
    [
        (
            [{"path": "/wohngeld/rechner", "label": text()}],
            "related_pages[0].path",
            "a service cannot link to the page '/wohngeld/rechner'",
        ),
        (
            [{"path": "https://example.org/", "label": text()}],
            "related_pages[0].path",
            "a service cannot link to the page 'https://example.org/'",
        ),
        (
            [{"path": "/kitas", "label": text()}, {"path": "/kitas", "label": text()}],
            "related_pages[1].path",
            "the page '/kitas' is linked already",
        ),
        ([{"path": "/kitas"}], "related_pages[0].label", "'label' is a required property"),
        (
            [{"path": "/kitas", "label": text(), "target": "_blank"}],
            "related_pages[0].target",
            "Additional properties are not allowed",
        ),
    ],
)
def test_a_wrong_link_fails_loading_at_its_path(pages, path, message):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(_with(*pages), source="sample.yaml")
    found = dict(raised.value.problems)
    assert path in found, found
    assert found[path].startswith(message)


def test_known_pages_load_and_reach_the_client(builtin):
    loaded = parse_definition(
        _with({"path": "/wohngeld/schaetzen", "label": text("Schätzen", "Estimate")}),
        source="sample.yaml",
    )
    assert loaded.data["related_pages"][0]["path"] == "/wohngeld/schaetzen"
    assert builtin["housing_benefit"].data["related_pages"] == [
        {
            "path": "/wohngeld/schaetzen",
            "label": {
                "de": "Vorher unverbindlich schätzen",
                "en": "Get a non-binding estimate first",
            },
        }
    ]
