"""Where an application's result is for its citizen (the link after paying).

The definition's document generators know what an application produces: each may answer
``result_link(application)`` (the parking permit's generator: the pass in the wallet).
An application whose generators name nothing leads to its own page. The PWA shows the
link with the label its ``label`` key names; it never looks at the service id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    for answer in _hooks(definition):
        found = answer(application)
        if found is not None:
            return found
    return ResultLink(links.application_page(application.id), APPLICATION_LABEL)


def row_result_link(application_id: str, definition: ServiceDefinition) -> ResultLink:
    """:func:`result_link` for a list row known by its id: the application's model is
    made only for a definition whose generators may name a page of their own."""
    if not _hooks(definition):
        return ResultLink(links.application_page(application_id), APPLICATION_LABEL)
    return result_link(Application(__no_default__=True, id=application_id), definition)


# Definition version -> (the registry's version, its generators' ``result_link``s).
_known_hooks: dict[ServiceDefinition, tuple[int, tuple[Callable[..., Any], ...]]] = {}
_HOOKS_MAX = 512


def _hooks(definition: ServiceDefinition) -> tuple[Callable[..., Any], ...]:
    """The ``result_link`` answers of the generators of ``definition``'s documents, in
    the documents' order (worked out once per version while the plugins stay)."""
    version = plugins.generators.version
    known = _known_hooks.get(definition)
    if known is not None and known[0] == version:
        return known[1]
    hooks = []
    for document in definition.data.get("documents", []):
        name = plugins.generator_name(document)
        if name not in plugins.generators:
            continue
        answer = getattr(plugins.generators.get(name), "result_link", None)
        if callable(answer):
            hooks.append(answer)
    if len(_known_hooks) >= _HOOKS_MAX:
        _known_hooks.clear()
    _known_hooks[definition] = (version, tuple(hooks))
    return tuple(hooks)
