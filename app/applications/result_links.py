"""Where an application's result is for its citizen (the link after paying).

The definition's document generators know what an application produces: each may answer
``result_link(application)`` (the parking permit's generator: the pass in the wallet).
An application whose generators name nothing leads to its own page. The PWA shows the
link with the label its ``label`` key names; it never looks at the service id.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import links
from app.applications import definitions
from app.models import Application
from app.service_definitions import ServiceDefinition, plugins


@dataclass(frozen=True)
class ResultLink:
    """A page in the PWA and the message key of its link text (``result.<what>``)."""

    path: str
    label: str

    def to_dict(self) -> dict[str, str]:
        """As the API sends it."""
        return {"path": self.path, "label": self.label}


APPLICATION_LABEL = "result.application"


def result_link(
    application: Application, definition: ServiceDefinition | None = None
) -> ResultLink:
    """The page that shows what ``application`` produced (or will produce);
    ``definition``: its definition, where the caller has it already (lists)."""
    definition = definition or definitions.of_application(application)
    for document in definition.data.get("documents", []):
        name = plugins.generator_name(document)
        if name not in plugins.generators:
            continue
        answer = getattr(plugins.generators.get(name), "result_link", None)
        found = answer(application) if callable(answer) else None
        if found is not None:
            return found
    return ResultLink(links.application_page(application.id), APPLICATION_LABEL)
