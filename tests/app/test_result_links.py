"""Where an application's result is: the generators of its definition's documents say,
and a list asks them once per definition version while the registered plugins stay."""

from __future__ import annotations

from app.applications import result_links
from app.applications.result_links import APPLICATION_LABEL, ResultLink
from app.models import Application
from app.service_definitions import plugins
from app.service_definitions.loader import load_builtin


class _PassGenerator:
    """A generator whose result is a page of its own for one application."""

    def result_link(self, application: Application) -> ResultLink | None:
        return ResultLink("/eigene-seite", "result.own") if application.id == "A1" else None


def test_a_row_leads_to_its_application_unless_a_generator_names_a_page():
    definition = load_builtin()["waste_bins"]
    name = plugins.generator_name(definition.data["documents"][0])
    own_page = ResultLink("/antraege/A1", APPLICATION_LABEL)
    assert result_links.row_result_link("A1", definition) == own_page
    with plugins.generators.registered(name, _PassGenerator()):
        # Registering a plugin is seen at once, however often the version was asked.
        assert result_links.row_result_link("A1", definition) == ResultLink(
            "/eigene-seite", "result.own"
        )
        assert result_links.row_result_link("B2", definition) == ResultLink(
            "/antraege/B2", APPLICATION_LABEL
        )
    assert result_links.row_result_link("A1", definition) == own_page
