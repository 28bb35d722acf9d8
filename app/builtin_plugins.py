"""The plugins the portal brings along, registered before any definition is loaded.

Definitions name checks, rule sets and document generators; loading refuses a name
that is not registered (``service_definitions.plugins``). This is the list of the
packages that register the built-in ones, in one place.
"""

from __future__ import annotations

import importlib

BUILTIN = (
    # Generic document generators of the engine: notice, post, receipt.
    "app.applications.decisions",
    # Resident parking: check and rule set `resident_parking`, generator `permit`.
    "app.parking.jobs",
    # Registration certificate: rule set and generator `registration_certificate`.
    "app.registration_certificate",
    # Simple registry information: rule set `registry_unique_match`, generator
    # `registry_information`, the demo resident register.
    "app.registry_information",
)


def register_all() -> None:
    """Import every built-in plugin package (each registers itself on import)."""
    for module in BUILTIN:
        importlib.import_module(module)
